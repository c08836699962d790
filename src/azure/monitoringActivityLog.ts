import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";

/** Every category of the subscription's Activity Log (the control-plane record of who changed what). */
export const activityLogCategories = [
    "Administrative",
    "Security",
    "ServiceHealth",
    "Alert",
    "Recommendation",
    "Policy",
    "Autoscale",
    "ResourceHealth",
];

/**
 * The control-plane audit trail: the subscription's Activity Log exported to the workspace (the
 * AzureActivity table), where it is kept for the workspace's retention (logRetentionDays) instead of
 * the Activity Log's own 90 days. It is a diagnostic setting on the subscription itself, so it is
 * shared by every stack deployed there: a category can reach a given workspace from only one
 * setting per subscription, and a subscription takes at most five settings (one per stack
 * workspace). The Activity Log always lands in AzureActivity, so no destination type is set.
 */
export function activityLogExport(
    name: string,
    args: { subscriptionId: pulumi.Input<string>; workspaceId: pulumi.Input<string> },
    parent: pulumi.Resource,
): monitor.DiagnosticSetting {
    return new monitor.DiagnosticSetting(
        `${name}-activity-log`,
        {
            resourceUri: pulumi.interpolate`/subscriptions/${args.subscriptionId}`,
            workspaceId: args.workspaceId,
            logs: activityLogCategories.map((category) => ({ category, enabled: true })),
        },
        // A replacement created before the old setting is deleted would send the same categories to
        // the same workspace twice, which Azure rejects: delete first.
        { parent, deleteBeforeReplace: true },
    );
}
