import * as monitor from "@pulumi/azure-native/monitor";
import type * as pulumi from "@pulumi/pulumi";

export interface ResourceLogArgs {
    /** The resource (or storage sub-service, e.g. <account>/blobServices/default) whose logs are kept. */
    resourceUri: pulumi.Input<string>;
    workspaceId: pulumi.Input<string>;
    /** "audit" keeps who-did-what (Key Vault); "allLogs" also keeps every read (documents: who opened which file). */
    categoryGroup: "audit" | "allLogs";
    /** Metric categories the resource offers ("AllMetrics", or "Transaction" on storage services). */
    metrics: string[];
}

/**
 * Resource logs into the stack's Log Analytics workspace, whose retention the net tier sets: the
 * HIPAA audit trail (164.312(b)) for access to patient data and to the key that protects it.
 * Azure logs nothing of the data plane until a diagnostic setting asks for it (unlike S3 access
 * logs, which need a bucket, these need a workspace). One category may reach a destination only
 * once, so no other tier should declare a setting for these resources.
 */
export function resourceLogs(name: string, args: ResourceLogArgs, parent: pulumi.Resource): monitor.DiagnosticSetting {
    return new monitor.DiagnosticSetting(
        name,
        {
            resourceUri: args.resourceUri,
            workspaceId: args.workspaceId,
            logAnalyticsDestinationType: "Dedicated",
            logs: [{ categoryGroup: args.categoryGroup, enabled: true }],
            metrics: args.metrics.map((category) => ({ category, enabled: true })),
        },
        { parent },
    );
}
