import * as network from "@pulumi/azure-native/network";
import type * as pulumi from "@pulumi/pulumi";

export interface PrivateLinkArgs {
    resourceGroupName: pulumi.Input<string>;
    /** The endpoint subnet (its security group admits 443 and 2049 from the web subnet only). */
    subnetId: pulumi.Input<string>;
    /** The resource reached through the endpoint (storage account, Key Vault). */
    targetId: pulumi.Input<string>;
    /** The sub-resource: "file", "vault" or "redisEnterprise" (Azure Managed Redis). */
    groupId: "file" | "vault" | "redisEnterprise";
    /** The privatelink.* DNS zone (linked to the VNet) that gets the endpoint's A record. */
    privateZoneId: pulumi.Input<string>;
    tags: Record<string, string>;
}

/**
 * A private endpoint plus the DNS zone group that registers its address, so the service's normal
 * name (<account>.file.core.windows.net, <vault>.vault.azure.net) resolves to a private IP
 * inside the VNet. The endpoint's NIC is regional (the subnet spans every zone), so losing a
 * zone does not cut the path. Azure's counterpart of an AWS VPC endpoint / EFS mount target.
 */
export function privateLink(name: string, args: PrivateLinkArgs, parent: pulumi.Resource): network.PrivateEndpoint {
    const endpoint = new network.PrivateEndpoint(
        name,
        {
            resourceGroupName: args.resourceGroupName,
            subnet: { id: args.subnetId },
            privateLinkServiceConnections: [{ name: args.groupId, privateLinkServiceId: args.targetId, groupIds: [args.groupId] }],
            tags: args.tags,
        },
        { parent },
    );
    new network.PrivateDnsZoneGroup(
        `${name}-dns`,
        {
            resourceGroupName: args.resourceGroupName,
            privateEndpointName: endpoint.name,
            privateDnsZoneGroupName: "default",
            privateDnsZoneConfigs: [{ name: args.groupId, privateDnsZoneId: args.privateZoneId }],
        },
        { parent: endpoint },
    );
    return endpoint;
}
