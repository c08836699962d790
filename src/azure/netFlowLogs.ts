import * as network from "@pulumi/azure-native/network";
import type * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";

export interface FlowLogArgs {
    vnetId: pulumi.Output<string>;
    resourceGroupName: pulumi.Output<string>;
    location: pulumi.Output<string>;
    workspace: operationalinsights.Workspace;
    retentionDays: number;
    tags: Record<string, string>;
}

/**
 * VNet flow logs (NSG flow logs are being retired) into a storage account kept for them, with
 * traffic analytics in the Log Analytics workspace. Azure creates one Network Watcher per region
 * (`NetworkWatcher_<region>` in `NetworkWatcherRG`) when the first VNet appears, and allows only
 * one, so the flow log is attached to it rather than to a watcher of our own.
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
            resourceGroupName: "NetworkWatcherRG",
            networkWatcherName: pulumi.interpolate`NetworkWatcher_${args.location}`,
            location: args.location,
            targetResourceId: args.vnetId,
            storageId: account.id,
            enabled: true,
            format: { type: "JSON", version: 2 },
            retentionPolicy: { enabled: true, days: args.retentionDays },
            flowAnalyticsConfiguration: {
                networkWatcherFlowAnalyticsConfiguration: {
                    enabled: true,
                    workspaceResourceId: args.workspace.id,
                    workspaceId: args.workspace.customerId,
                    workspaceRegion: args.location,
                    trafficAnalyticsInterval: 10,
                },
            },
            tags: args.tags,
        },
        { parent },
    );
}
