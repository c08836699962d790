import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";

/** Where Azure itself puts a region's watcher when it enables Network Watcher automatically. */
export const watcherResourceGroup = "NetworkWatcherRG";
export const watcherName = (region: string) => `NetworkWatcher_${region}`;

/** The value of an invoke, or undefined when ARM answered 404 (the provider's error reads `Status=404 Code=...`). */
export async function ifExists<T>(lookup: Promise<T>): Promise<T | undefined> {
    try {
        return await lookup;
    } catch (error) {
        if (/Status=404\b/.test(String((error as Error)?.message ?? error))) return undefined;
        throw error;
    }
}

/**
 * Makes sure the region's Network Watcher exists, whether Azure created it already, will create
 * it, or never will (a subscription that opted out of automatic enablement, which "is a permanent
 * change"). Azure allows exactly one watcher per region per subscription ("only one Network
 * Watcher can be created per region per subscription", Learn New-AzNetworkWatcher), so a watcher
 * of our own next to Azure's fails, and azure-native refuses to create one that exists ("cannot
 * create already existing resource", provider/pkg/azure/client_azcore.go CanCreate). An ARM
 * template deployment is create-or-update instead: it PUTs NetworkWatcherRG and
 * NetworkWatcher_<region>, the names Azure's automatic enablement uses, and leaves them as they
 * are when they exist; nothing races Azure's own asynchronous creation after the first VNet
 * (Azure/AKS-Construction#410/#425 hit exactly that race). The resource group keeps the location
 * and tags it already has (ARM refuses to move a resource group), the watcher keeps its tags.
 * Deleting the deployment on `pulumi destroy` deletes only its record from the deployment
 * history, never the watcher other workloads of the subscription may share.
 * Not handled: a subscription whose watcher for the region has another name or group (created by
 * hand); the deployment then fails with NetworkWatcherCountLimitReached.
 */
export function networkWatcher(name: string, region: string, after: pulumi.Resource[], parent: pulumi.Resource): resources.DeploymentAtSubscriptionScope {
    const existing = pulumi.output(
        Promise.all([
            ifExists(resources.getResourceGroup({ resourceGroupName: watcherResourceGroup }, { parent })),
            ifExists(network.getNetworkWatcher({ resourceGroupName: watcherResourceGroup, networkWatcherName: watcherName(region) }, { parent })),
        ]),
    );
    const template = existing.apply(([group, watcher]) => ({
        $schema: "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
        contentVersion: "1.0.0.0",
        resources: [
            { type: "Microsoft.Resources/resourceGroups", apiVersion: "2024-03-01", name: watcherResourceGroup, location: group?.location ?? region, tags: group?.tags ?? {} },
            {
                type: "Microsoft.Resources/deployments",
                apiVersion: "2024-03-01",
                // One per stack: two stacks deploying at once in one subscription and region
                // would otherwise collide on the same active deployment (DeploymentActive).
                // Deployment names: at most 64 of [-\w.()] (ARM "Microsoft.Resources/deployments").
                name: `network-watcher-${region}-${pulumi.getStack()}`.replace(/[^-\w.()]/g, "-").slice(0, 64),
                resourceGroup: watcherResourceGroup,
                dependsOn: [`[resourceId('Microsoft.Resources/resourceGroups', '${watcherResourceGroup}')]`],
                properties: {
                    mode: "Incremental",
                    template: {
                        $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                        contentVersion: "1.0.0.0",
                        resources: [{ type: "Microsoft.Network/networkWatchers", apiVersion: "2024-05-01", name: watcherName(region), location: region, tags: watcher?.tags ?? {}, properties: {} }],
                    },
                },
            },
        ],
    }));
    return new resources.DeploymentAtSubscriptionScope(name, { location: region, properties: { mode: "Incremental", template } }, { parent, dependsOn: after });
}

export interface FlowLogArgs {
    region: string;
    /** networkWatcher()'s deployment: the flow log is created in the watcher it ensures. */
    watcher: pulumi.Resource;
    vnetId: pulumi.Output<string>;
    resourceGroupName: pulumi.Output<string>;
    retentionDays: number;
    tags: Record<string, string>;
}

/**
 * VNet flow logs (NSG flow logs are being retired) into a storage account kept for them, for
 * `retentionDays`, attached to the region's one Network Watcher once networkWatcher() has made sure
 * it exists. Traffic Analytics is off: it would process every flow record again into the workspace
 * at $3.50/GB every 10 minutes ($2.30 hourly), $35 a month at 10 GB of flows, for dashboards, while
 * the raw records (who talked to whom, allowed or denied: the audit value) stay in the account
 * either way (cost-review.md (b) #4, (e) Azure #5). Turn it on for an investigation with
 * flowAnalyticsConfiguration.networkWatcherFlowAnalyticsConfiguration (enabled, the workspace,
 * trafficAnalyticsInterval 60).
 */
export function flowLogs(name: string, args: FlowLogArgs, parent: pulumi.Resource): network.FlowLog {
    // Storage account names allow only lowercase letters and digits (autonaming adds 8 more).
    const account = new storage.StorageAccount(
        `${name.replace(/[^a-z0-9]/g, "")}logs`,
        {
            resourceGroupName: args.resourceGroupName,
            kind: "StorageV2",
            sku: { name: "Standard_ZRS" },
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: "TLS1_2",
            allowBlobPublicAccess: false,
            // Network Watcher writes as a trusted Azure service; nothing else may reach the account.
            networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
            encryption: { keySource: "Microsoft.Storage", requireInfrastructureEncryption: true, services: { blob: { enabled: true } } },
            tags: args.tags,
        },
        { parent, protect: true },
    );
    return new network.FlowLog(
        name,
        {
            resourceGroupName: watcherResourceGroup,
            networkWatcherName: watcherName(args.region),
            location: args.region,
            targetResourceId: args.vnetId,
            storageId: account.id,
            enabled: true,
            format: { type: "JSON", version: 2 },
            retentionPolicy: { enabled: true, days: args.retentionDays },
            tags: args.tags,
        },
        { parent, dependsOn: [args.watcher] },
    );
}
