import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";

/**
 * Days the workspace keeps logs for interactive queries (its "analytics retention", the default of
 * every Analytics table). 30 is the default and "31 days of analytics retention are included in the
 * ingestion price" (MicrosoftDocs/azure-monitor-docs logs/data-retention-configure.md, 2025-05-05):
 * a month of logs stays instantly queryable for nothing extra.
 */
export const interactiveLogDays = 30;

/**
 * The tables this stack writes, each kept `emr:logRetentionDays` in total: interactive for
 * `interactiveLogDays`, then in low-cost long-term retention, read through search jobs. Long-term
 * retention exists only per table (Tables totalRetentionInDays; the workspace setting is the
 * interactive one, same page), so every table the stack writes is named here:
 * - Syslog: the serving containers' output, shipped by the Azure Monitor Agent (webLogs.ts);
 * - AzureDiagnostics: MySQL audit and slow logs (dbTier.ts, azure-databases-docs
 *   concepts-audit-logs.md: "Type ... Always AzureDiagnostics") and the gateway's access and
 *   firewall logs (webGateway.ts: no destination type, so the shared table);
 * - AzureMetrics: the metrics every diagnostic setting exports;
 * - AzureActivity: the subscription's Activity Log (monitoringActivityLog.ts);
 * - StorageFileLogs, AZKVAuditLogs, LogicAppWorkflowRuntime: the resource-specific ("Dedicated")
 *   tables of the file service, Key Vault and the snapshot Logic App (storageDiagnostics.ts;
 *   azure-monitor-docs reference/tables/storagefilelogs.md, azkvauditlogs.md, logicappworkflowruntime.md:
 *   "Resource types ... microsoft.logic/workflows").
 */
export const stackLogTables = ["Syslog", "AzureDiagnostics", "AzureMetrics", "AzureActivity", "StorageFileLogs", "AZKVAuditLogs", "LogicAppWorkflowRuntime"] as const;

/** AzureActivity keeps 90 days "at no charge" (data-retention-configure.md, "Log tables with 90-day default retention"). */
const freeInteractiveDays: Partial<Record<(typeof stackLogTables)[number], number>> = { AzureActivity: 90 };

/** The Tables API version whose PUT takes retentionInDays and totalRetentionInDays (data-retention-configure.md). */
const tablesApiVersion = "2022-10-01";

/**
 * Each table's interactive and total retention. Cost: Log Analytics bills interactive retention
 * beyond 31 days at about $0.10 per GB-month and long-term retention at about $0.02: keeping the
 * default 30 GB a month for 365 days costs about $6.60 a month long-term instead of $33
 * interactive (-$26.40, cost-review.md (b) #3, (e) Azure #7). What it costs: logs older than a
 * month are read by a search job (minutes) instead of a query (seconds); all of them are kept.
 */
export function tableRetention(totalDays: number): Array<{ table: string; retentionInDays: number; totalRetentionInDays: number }> {
    return stackLogTables.map((table) => {
        const retentionInDays = Math.max(interactiveLogDays, freeInteractiveDays[table] ?? 0);
        return { table, retentionInDays, totalRetentionInDays: Math.max(totalDays, retentionInDays) };
    });
}

/**
 * Sets the tables' retention. Azure's tables exist in every workspace and "can't be deleted"
 * (data-retention-configure.md), and azure-native refuses to create a resource that already exists,
 * so an operationalinsights.Table cannot take them over; an ARM template deployment is a
 * create-or-update (what that page's own "Resource Manager template" tab does). Incremental: it
 * touches nothing else. Deleting the deployment on `pulumi destroy` deletes only its record; the
 * workspace's deletion takes the tables with it. The values are checked by DEPLOY-AZ-LA-TABLE-RETENTION
 * (total retention takes 4-730 or whole years only).
 */
export function logTableRetention(
    name: string,
    args: { resourceGroupName: pulumi.Input<string>; workspaceName: pulumi.Input<string>; totalDays: number },
    parent: pulumi.Resource,
): resources.Deployment {
    const template = pulumi.output(args.workspaceName).apply((workspace) => ({
        $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        contentVersion: "1.0.0.0",
        resources: tableRetention(args.totalDays).map(({ table, retentionInDays, totalRetentionInDays }) => ({
            type: "Microsoft.OperationalInsights/workspaces/tables",
            apiVersion: tablesApiVersion,
            name: `${workspace}/${table}`,
            properties: { retentionInDays, totalRetentionInDays },
        })),
    }));
    return new resources.Deployment(name, { resourceGroupName: args.resourceGroupName, properties: { mode: "Incremental", template } }, { parent });
}
