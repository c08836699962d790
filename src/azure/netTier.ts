import * as network from "@pulumi/azure-native/network";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { subnetCidr } from "../tiers/addressing";
import type { NetTier, NetTierArgs, SubnetRole } from "../tiers/contracts";
import { interactiveLogDays, logTableRetention } from "./logRetention";
import { egress } from "./netEgress";
import { flowLogs, networkWatcher } from "./netFlowLogs";
import { subnetSecurityGroup } from "./netSecurity";
import { subscriptionRegistration } from "./subscriptionRegistration";
import { healthPort } from "../app/healthCheck";

/**
 * The private DNS zones the stack's private endpoints and MySQL resolve through. No blob zone:
 * no Blob account has a private endpoint (the patient documents live on the file share).
 */
export type PrivateZoneName = "file" | "vault" | "mysql" | "redis";

/**
 * The private network: one resource group and VNet with a subnet per role (Azure subnets span
 * every zone of the region), each behind a security group that admits only its tier's traffic,
 * egress that survives a zone loss, VNet flow logs, the private DNS zones, and the Log Analytics
 * workspace every tier sends its logs to.
 */
export class AzureNetTier extends pulumi.ComponentResource implements NetTier {
    readonly zoneCount: number;
    readonly zones: pulumi.Output<string[]>;
    readonly networkId: pulumi.Output<string>;
    readonly subnetIds: Record<SubnetRole, pulumi.Output<string[]>>;
    readonly resourceGroupName: pulumi.Output<string>;
    readonly resourceGroupId: pulumi.Output<string>;
    /** The subnet of private endpoints (shared files, Key Vault). */
    readonly endpointSubnetId: pulumi.Output<string>;
    readonly privateZoneIds: Record<PrivateZoneName, pulumi.Output<string>>;
    /** `nat-per-zone`: the egress load balancer pool the web servers' NICs must join. */
    readonly outboundPoolId: pulumi.Output<string> | undefined;
    /** Log Analytics workspace (resource id) that every diagnostic setting sends to. */
    readonly workspaceId: pulumi.Output<string>;
    /**
     * The subscription's resource providers and features registered (subscriptionRegistration.ts).
     * Everything depends on it through the resource group; a resource needing a feature (the scale
     * set: EncryptionAtHost) also names it in its dependsOn, so the ordering is explicit.
     */
    readonly subscriptionReady: pulumi.Resource;

    constructor(name: string, args: NetTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("emr:azure:NetTier", name, {}, opts);
        const parent = this;
        this.zoneCount = args.zoneCount;
        const zones = ["1", "2", "3"].slice(0, args.zoneCount);
        // The key config validates (src/config/validate.ts) and the provider reads.
        const region = new pulumi.Config("azure-native").require("location");
        const registration = subscriptionRegistration(`${name}-subscription`, region, parent);
        const group = new resources.ResourceGroup(`${name}-rg`, { tags: args.tags }, { parent, dependsOn: [registration] });
        const resourceGroupName = group.name;

        const workspace = new operationalinsights.Workspace(
            `${name}-logs`,
            // Interactive retention only; each table keeps emr:logRetentionDays in total (logRetention.ts).
            { resourceGroupName, sku: { name: "PerGB2018" }, retentionInDays: interactiveLogDays, tags: args.tags },
            { parent },
        );
        logTableRetention(`${name}-log-retention`, { resourceGroupName, workspaceName: workspace.name, totalDays: args.logRetentionDays }, parent);

        const cidr = (role: SubnetRole | "endpoints") => subnetCidr(args.networkCidr, role, 0);
        const out = egress(name, { mode: args.egress, resourceGroupName, resourceGroupId: group.id, tags: args.tags }, parent);
        const nsg = (role: string, allows: Parameters<typeof subnetSecurityGroup>[2]) =>
            subnetSecurityGroup(`${name}-${role}-nsg`, resourceGroupName, allows, args.tags, parent);
        const securityGroups = {
            // Application Gateway v2 needs its control ports and the Azure load balancer's probes.
            edge: nsg("edge", [
                { name: "clients-https", from: args.allowedCidrs, ports: ["443", "80"] },
                { name: "gateway-manager", from: ["GatewayManager"], ports: ["65200-65535"] },
                { name: "azure-load-balancer", from: ["AzureLoadBalancer"], ports: ["*"] },
            ]),
            // The gateway serves from port 80 and probes each server's health service
            // (src/app/healthCheck.ts), which answers only while OpenEMR reaches its database.
            app: nsg("app", [{ name: "gateway-to-web", from: [cidr("edge")], ports: ["80", String(healthPort)] }]),
            data: nsg("data", [{ name: "web-to-mysql", from: [cidr("app")], ports: ["3306"] }]),
            endpoints: nsg("endpoints", [
                // 10000: Azure Managed Redis, TLS only (src/azure/sessionTier.ts).
                { name: "web-to-endpoints", from: [cidr("app")], ports: ["443", "2049", "10000"] },
                // MySQL reads the customer-managed key from Key Vault. Microsoft does not document
                // whether a VNet-integrated flexible server reaches the vault through the VNet's
                // private endpoint (the VNet is linked to privatelink.vaultcore.azure.net, so the
                // vault name resolves to the endpoint) or as a trusted service; "changing the key
                // vault's firewall rules" is listed as a way to cut it off (azure-databases-docs
                // mysql/flexible-server/concepts-customer-managed-key.md, 2025-04). Admitting 443
                // from the data subnet makes both paths work; nothing else runs in that subnet.
                { name: "mysql-to-keyvault", from: [cidr("data")], ports: ["443"] },
            ]),
        };

        // The region's watcher exists before the first VNet does: Azure's automatic enablement, which
        // starts when a VNet is created, then finds it and creates nothing concurrently.
        const watcher = networkWatcher(`${name}-flow-watcher`, region, [registration], parent);
        const vnet = new network.VirtualNetwork(
            `${name}-vnet`,
            { resourceGroupName, addressSpace: { addressPrefixes: [args.networkCidr] }, tags: args.tags },
            { parent, dependsOn: [watcher] },
        );
        // Standalone subnets only (never inline on the VNet: mixing the two deletes subnets).
        // One at a time: Azure rejects concurrent changes to subnets of the same VNet.
        let previous: pulumi.Resource | undefined;
        const subnet = (role: SubnetRole | "endpoints", extra: Partial<network.SubnetArgs>) => {
            previous = new network.Subnet(
                `${name}-${role}`,
                {
                    resourceGroupName,
                    virtualNetworkName: vnet.name,
                    addressPrefix: cidr(role),
                    networkSecurityGroup: { id: securityGroups[role].id },
                    // No implicit internet egress: only the explicit path below.
                    defaultOutboundAccess: false,
                    ...extra,
                },
                { parent: vnet, dependsOn: previous ? [previous] : [] },
            );
            return previous as network.Subnet;
        };
        // Delegated to Application Gateway: a v2 gateway provisioned with network isolation (any
        // subscription that registered Microsoft.Network/EnableApplicationGatewayNetworkIsolation)
        // fails without it, "ApplicationGatewayNetworkIsolationRequiresSubnetDelegation", enforced
        // since 2025-05-05 (MicrosoftDocs/azure-docs PR #127405, ansible-collections/azure PR #2217);
        // Azure Verified Modules' WAF-aligned gateway delegates its subnet the same way.
        // defaultOutboundAccess false does not cut the gateway off: default outbound access is the
        // implicit IP of VMs with no explicit egress (virtual-network/ip-services/
        // default-outbound-access.md); a v2 gateway with a public frontend IP egresses through it
        // ("deployments that contain only a private frontend IP configuration ... are not able to
        // egress", application-gateway-private-deployment.md). No Microsoft page states the
        // combination outright; this is the reading of those two.
        const edge = subnet("edge", { delegations: [{ name: "application-gateway", serviceName: "Microsoft.Network/applicationGateways" }] });
        const app = subnet("app", out.natGatewayId ? { natGateway: { id: out.natGatewayId } } : {});
        const data = subnet("data", {
            delegations: [{ name: "mysql-flexible", serviceName: "Microsoft.DBforMySQL/flexibleServers" }],
        });
        // Security groups apply to private endpoints only when endpoint network policies are on.
        const endpoints = subnet("endpoints", { privateEndpointNetworkPolicies: "Enabled" });

        const zoneNames: Record<PrivateZoneName, string> = {
            file: "privatelink.file.core.windows.net",
            vault: "privatelink.vaultcore.azure.net",
            // Azure Managed Redis's private link zone (learn.microsoft.com/azure/private-link/private-endpoint-dns,
            // "Azure Managed Redis: privatelink.redis.azure.net", sub-resource redisEnterprise).
            redis: "privatelink.redis.azure.net",
            // MySQL private access needs a zone ending in mysql.database.azure.com.
            mysql: `emr-${pulumi.getStack()}.private.mysql.database.azure.com`,
        };
        const privateZoneIds = {} as Record<PrivateZoneName, pulumi.Output<string>>;
        for (const [key, zoneName] of Object.entries(zoneNames) as Array<[PrivateZoneName, string]>) {
            const zone = new privatedns.PrivateZone(`${name}-dns-${key}`, { resourceGroupName, privateZoneName: zoneName, location: "global", tags: args.tags }, { parent });
            const link = new privatedns.VirtualNetworkLink(
                `${name}-dns-${key}-link`,
                { resourceGroupName, privateZoneName: zone.name, location: "global", registrationEnabled: false, virtualNetwork: { id: vnet.id }, tags: args.tags },
                { parent: zone },
            );
            // Consumers depend on the zone id only once the link exists (MySQL requires the link first).
            privateZoneIds[key] = pulumi.all([zone.id, link.id]).apply(([id]) => id);
        }

        flowLogs(`${name}-flow`, { region, watcher, vnetId: vnet.id, resourceGroupName, retentionDays: args.logRetentionDays, tags: args.tags }, parent);

        this.zones = pulumi.output(zones);
        this.networkId = vnet.id;
        this.subnetIds = {
            edge: pulumi.output([edge.id]),
            app: pulumi.output([app.id]),
            data: pulumi.output([data.id]),
        };
        this.resourceGroupName = resourceGroupName;
        this.resourceGroupId = group.id;
        this.endpointSubnetId = endpoints.id;
        this.privateZoneIds = privateZoneIds;
        this.outboundPoolId = out.outboundPoolId;
        this.workspaceId = workspace.id;
        this.subscriptionReady = registration;
        this.registerOutputs({ zones: this.zones, networkId: this.networkId, subnetIds: this.subnetIds });
    }
}
