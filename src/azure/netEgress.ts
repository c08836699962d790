import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import type { EgressMode } from "../config";

/** How the web servers reach the internet (packages, the image registry, Azure APIs). */
export interface Egress {
    /** `nat-per-zone`: the load balancer backend pool the servers' NICs join for outbound rules. */
    outboundPoolId?: pulumi.Output<string>;
    /** `single-nat`: the NAT gateway the web subnet is attached to. */
    natGatewayId?: pulumi.Output<string>;
}

export interface EgressArgs {
    mode: EgressMode;
    resourceGroupName: pulumi.Output<string>;
    resourceGroupId: pulumi.Output<string>;
    tags: Record<string, string>;
}

/** A Standard public IP; all three zones make it zone-redundant (two zones would diff forever). */
const publicIp = (name: string, args: EgressArgs, zones: string[], parent: pulumi.Resource) =>
    new network.PublicIPAddress(
        name,
        {
            resourceGroupName: args.resourceGroupName,
            sku: { name: "Standard", tier: "Regional" },
            publicIPAllocationMethod: "Static",
            zones,
            tags: args.tags,
        },
        { parent },
    );

/**
 * Egress that survives a zone loss. A Standard NAT gateway is zonal and a subnet takes only one,
 * so "one NAT per zone" would need a subnet and a scale set per zone; instead `nat-per-zone`
 * uses a Standard Load Balancer whose outbound rule SNATs the servers through a zone-redundant
 * public IP (the Azure VM baseline architecture does the same). `single-nat` is the cheap dev
 * mode: one NAT gateway pinned to zone 1, which is lost with that zone, and says so.
 */
export function egress(name: string, args: EgressArgs, parent: pulumi.Resource): Egress {
    if (args.mode === "single-nat") {
        const ip = publicIp(`${name}-nat-ip`, args, ["1"], parent);
        const nat = new network.NatGateway(
            `${name}-nat`,
            {
                resourceGroupName: args.resourceGroupName,
                sku: { name: "Standard" },
                zones: ["1"],
                publicIpAddresses: [{ id: ip.id }],
                idleTimeoutInMinutes: 10,
                tags: args.tags,
            },
            { parent },
        );
        return { natGatewayId: nat.id };
    }

    const ip = publicIp(`${name}-egress-ip`, args, ["1", "2", "3"], parent);
    // Sub-resource ids point inside the balancer itself, so its name is explicit (autonaming
    // would add a suffix the ids cannot know: pulumi-azure-native #3740).
    const balancerName = `${name}-egress-${pulumi.getStack()}`;
    const inside = (collection: string, item: string) =>
        pulumi.interpolate`${args.resourceGroupId}/providers/Microsoft.Network/loadBalancers/${balancerName}/${collection}/${item}`;
    new network.LoadBalancer(
        `${name}-egress`,
        {
            resourceGroupName: args.resourceGroupName,
            loadBalancerName: balancerName,
            sku: { name: "Standard", tier: "Regional" },
            frontendIPConfigurations: [{ name: "egress", publicIPAddress: { id: ip.id } }],
            backendAddressPools: [{ name: "web" }],
            outboundRules: [
                {
                    name: "web-egress",
                    protocol: "All",
                    frontendIPConfigurations: [{ id: inside("frontendIPConfigurations", "egress") }],
                    backendAddressPool: { id: inside("backendAddressPools", "web") },
                    // 1,024 ports per server leaves room for 63 servers on one IP.
                    allocatedOutboundPorts: 1024,
                    enableTcpReset: true,
                    idleTimeoutInMinutes: 15,
                },
            ],
            tags: args.tags,
        },
        { parent },
    );
    return { outboundPoolId: inside("backendAddressPools", "web") };
}
