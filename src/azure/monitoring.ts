import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import type { Monitoring, MonitoringArgs } from "../tiers/contracts";
import type { AzureSessionTier } from "./sessionTier";
import type { AzureDbTier } from "./dbTier";
import { alertSpecs, metricAlerts } from "./monitoringAlerts";
import { activityLogExport } from "./monitoringActivityLog";
import type { AzureNetTier } from "./netTier";
import type { AzureStorageTier } from "./storageTier";
import type { AzureWebTier } from "./webTier";

export type AzureMonitoringArgs = MonitoringArgs<AzureNetTier, AzureStorageTier, AzureDbTier, AzureWebTier, AzureSessionTier>;

/**
 * Who is told when the EMR breaks, and the record of who changed what: an action group mailing the
 * alert address, metric alerts on the gateway, servers, database, storage and backups notifying it,
 * and the subscription's Activity Log exported to the network tier's Log Analytics workspace.
 * Resource logs are not declared here: each tier ships those of its own resources (gateway, storage
 * services, Key Vault, MySQL), and Azure rejects a second setting sending the same category of a
 * resource to the same workspace.
 */
export class AzureMonitoring extends pulumi.ComponentResource implements Monitoring {
    /** Id of the action group every alert notifies. */
    readonly alertTopic: pulumi.Output<string>;
    /** Id of the diagnostic setting exporting the subscription's Activity Log. */
    readonly auditTrail: pulumi.Output<string>;

    constructor(name: string, args: AzureMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("emr:azure:Monitoring", name, {}, opts);
        const parent = this;
        const { net, storage, db, web, session } = args;

        const actionGroup = new monitor.ActionGroup(
            `${name}-alerts`,
            {
                resourceGroupName: net.resourceGroupName,
                location: "global",
                enabled: true,
                // At most 12 characters; it prefixes every notification, so it names the stack.
                groupShortName: `emr-${pulumi.getStack()}`.slice(0, 12),
                emailReceivers: [{ name: "on-call", emailAddress: args.alertEmail, useCommonAlertSchema: true }],
                tags: args.tags,
            },
            { parent },
        );
        metricAlerts(
            name,
            alertSpecs({
                gateway: web.loadBalancerId,
                servers: web.serverGroupId,
                database: db.serverId,
                filesAccount: storage.filesAccountId,
                fileShare: { serviceId: storage.fileServiceId, name: storage.fileShareName, quotaGiB: storage.fileShareQuotaGiB },
                snapshotWorkflow: storage.snapshotWorkflowId,
                sessionStore: session.clusterId,
            }),
            { actionGroupId: actionGroup.id, resourceGroupName: net.resourceGroupName, tags: args.tags },
            parent,
        );

        const subscriptionId = authorization.getClientConfigOutput({ parent }).subscriptionId;
        const activityLog = activityLogExport(name, { subscriptionId, workspaceId: net.workspaceId }, parent);

        this.alertTopic = actionGroup.id;
        this.auditTrail = activityLog.id;
        this.registerOutputs({ alertTopic: this.alertTopic, auditTrail: this.auditTrail });
    }
}
