import * as network from "@pulumi/azure-native/network";
import type * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/azure-native/types/input";

/** A rule allowing one or more TCP port ranges in, from one or more sources. */
export interface Allow {
    name: string;
    /** CIDRs, or exactly one service tag (`GatewayManager`, `AzureLoadBalancer`, ...) or `*`. */
    from: string[];
    /** Port numbers or ranges ("443", "65200-65535"), or exactly one `*`. */
    ports: string[];
}

/** An IPv4/IPv6 address or CIDR: the only kind of value ARM accepts in the plural prefix fields. */
const cidr = /^(\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?|[0-9a-fA-F:]+:[0-9a-fA-F:]*(\/\d{1,3})?)$/;
/** A port or port range: the only kind of value ARM accepts in the plural port fields. */
const portRange = /^\d{1,5}(-\d{1,5})?$/;

/**
 * The source fields of a rule. ARM accepts a service tag (VirtualNetwork, AzureLoadBalancer,
 * Internet, GatewayManager, ...) or `*` ONLY in the singular `sourceAddressPrefix`; the plural
 * `sourceAddressPrefixes` takes CIDRs and IP ranges only, and a tag there fails the whole NSG with
 * SecurityRuleParameterContainsUnsupportedValue. Sources: @pulumi/azure-native 3.28.0
 * types/input.d.ts SecurityRuleArgs (REST spec network 2024-05-01): `sourceAddressPrefix` "Default
 * tags such as 'VirtualNetwork', 'AzureLoadBalancer' and 'Internet' can also be used",
 * `sourceAddressPrefixes` "The CIDR or source IP ranges"; hashicorp/terraform-provider-azurerm
 * PR #29675 ("Tags may not be used"); error text in terraform-provider-azurerm#5617. So one value
 * goes to the singular field, several go to the plural only if every one is a CIDR: by construction.
 */
export function sourceFields(from: string[]): Pick<inputs.network.SecurityRuleArgs, "sourceAddressPrefix" | "sourceAddressPrefixes"> {
    if (from.length === 0) throw new Error("security rule: at least one source is required");
    if (from.length === 1) return { sourceAddressPrefix: from[0] };
    const notCidr = from.filter((f) => !cidr.test(f));
    if (notCidr.length > 0) {
        throw new Error(`security rule: ${notCidr.join(", ")} cannot share a rule with other sources (service tags and * go alone in sourceAddressPrefix); split the rule`);
    }
    return { sourceAddressPrefixes: from };
}

/**
 * The destination port fields: `*` only in the singular `destinationPortRange`, the plural
 * `destinationPortRanges` takes ports and ranges only (Azure/terraform-azurerm-network-security-group
 * #21 and #44, maintainer: the plural port fields do not take "*").
 */
export function portFields(ports: string[]): Pick<inputs.network.SecurityRuleArgs, "destinationPortRange" | "destinationPortRanges"> {
    if (ports.length === 0) throw new Error("security rule: at least one port is required");
    if (ports.length === 1) return { destinationPortRange: ports[0] };
    const bad = ports.filter((p) => !portRange.test(p));
    if (bad.length > 0) throw new Error(`security rule: ${bad.join(", ")} cannot share a rule with other ports (* goes alone in destinationPortRange)`);
    return { destinationPortRanges: ports };
}

/** One inbound allow rule; priorities leave room between rules for later insertions. */
export function allowRule(allow: Allow, index: number): inputs.network.SecurityRuleArgs {
    return {
        name: allow.name,
        priority: 100 + index * 10,
        direction: "Inbound",
        access: "Allow",
        // The load balancer's health probes are not only TCP.
        protocol: allow.from.includes("AzureLoadBalancer") ? "*" : "Tcp",
        ...sourceFields(allow.from),
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        ...portFields(allow.ports),
    };
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
    return new network.NetworkSecurityGroup(
        name,
        {
            resourceGroupName,
            securityRules: [
                ...allows.map(allowRule),
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
