import * as network from "@pulumi/azure-native/network";
import type * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/azure-native/types/input";

/** A rule allowing one TCP port range in, from one or more sources. */
export interface Allow {
    name: string;
    from: string[];
    ports: string[];
}

/**
 * A network security group per subnet that allows only what its tier needs. Azure's defaults
 * allow all traffic inside the VNet, so every group ends with an explicit deny of VNet and
 * internet traffic: a compromised web server cannot reach what its tier does not talk to.
 * Rules are inline: standalone SecurityRule resources must not be mixed with them.
 */
export function subnetSecurityGroup(
    name: string,
    resourceGroupName: pulumi.Input<string>,
    allows: Allow[],
    tags: Record<string, string>,
    parent: pulumi.Resource,
): network.NetworkSecurityGroup {
    const rule = (allow: Allow, i: number): inputs.network.SecurityRuleArgs => ({
        name: allow.name,
        priority: 100 + i * 10,
        direction: "Inbound",
        access: "Allow",
        protocol: allow.from.includes("AzureLoadBalancer") ? "*" : "Tcp",
        sourceAddressPrefixes: allow.from,
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRanges: allow.ports,
    });
    return new network.NetworkSecurityGroup(
        name,
        {
            resourceGroupName,
            securityRules: [
                ...allows.map(rule),
                {
                    name: "deny-other-inbound",
                    priority: 4000,
                    direction: "Inbound",
                    access: "Deny",
                    protocol: "*",
                    sourceAddressPrefix: "*",
                    sourcePortRange: "*",
                    destinationAddressPrefix: "*",
                    destinationPortRange: "*",
                },
            ],
            tags,
        },
        { parent },
    );
}
