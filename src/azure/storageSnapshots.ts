import * as authorization from "@pulumi/azure-native/authorization";
import * as logic from "@pulumi/azure-native/logic";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { grant, roleDefinitionId } from "./storageAccess";
import { resourceLogs } from "./storageDiagnostics";

/**
 * How long snapshots of the shared files are kept: the same three rules as the AWS backup plan
 * (src/aws/storageBackup.ts), in the units Azure counts in. Daily copies for the stack's backup
 * retention; the Sunday copy for 13 weeks (91 days, AWS: 90); the copy of the 1st of each month
 * for 84 months (7 years: HIPAA's 6-year documentation retention with a year's margin). At most
 * 35 + 13 + 84 = 132 snapshots, within Azure Files' 200 snapshots per share.
 */
export interface BackupRetention {
    dailyDays: number;
    weeklyWeeks: number;
    monthlyMonths: number;
}
export const backupRetention = (dailyDays: number): BackupRetention => ({ dailyDays, weeklyWeeks: 13, monthlyMonths: 84 });
/** 05:00 UTC, as on AWS: night across US time zones. */
export const backupHourUtc = 5;

export interface ShareSnapshotsArgs {
    resourceGroupName: pulumi.Input<string>;
    resourceGroupId: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    shareId: pulumi.Input<string>;
    shareName: string;
    retention: BackupRetention;
    workspaceId: pulumi.Input<string>;
    tags: Record<string, string>;
}

const arm = "https://management.azure.com";
/** The storage API version the rest of the stack uses (azure-native 3.x storage module). */
const storageApi = "2024-01-01";

/** What each snapshot may do: snapshot, list and delete shares. No data access, no account settings. */
export const snapshotActions = [
    "Microsoft.Storage/storageAccounts/fileServices/shares/read",
    "Microsoft.Storage/storageAccounts/fileServices/shares/write",
    "Microsoft.Storage/storageAccounts/fileServices/shares/delete",
];

/**
 * Backups of the NFS share, since Azure Backup cannot take them: the Azure Files backup support
 * matrix still says "Azure Backup currently doesn't support file shares with the NFS (Network File
 * System) protocol" (MicrosoftDocs/azure-docs articles/backup/azure-file-share-support-matrix.md,
 * ms.date 2026-02-17), so no Recovery Services vault is declared: it would protect nothing. A Logic
 * App (Consumption: cents a month) that every day at 05:00 UTC takes a share snapshot through
 * ARM (PUT share with $expand=snapshots) and deletes the snapshots past the retention (daily,
 * Sunday = weekly, 1st of the month = monthly: the backup plan's rules). Share snapshots are
 * incremental, read-only, crash-consistent, kept in the same ZRS account (so in three zones) and
 * restored by copying files back from the snapshot (mount it read-only, or `az storage share
 * snapshot` + copy); share soft delete keeps them if the share is deleted. They are not a copy
 * outside the account: that needs Azure Backup's vaulted tier, which NFS does not have yet.
 *
 * It runs as its own user-assigned identity holding a custom role with only the three share
 * actions, on the files account only. Failed runs land in the workspace (WorkflowRuntime logs,
 * RunsFailed metric) for the monitoring tier to alert on.
 */
export function shareSnapshots(name: string, args: ShareSnapshotsArgs, parent: pulumi.Resource): logic.Workflow {
    const client = authorization.getClientConfigOutput({ parent });
    const identity = new managedidentity.UserAssignedIdentity(
        `${name}-identity`,
        { resourceGroupName: args.resourceGroupName, tags: args.tags },
        { parent },
    );
    const role = new authorization.RoleDefinition(
        `${name}-role`,
        {
            scope: args.resourceGroupId,
            // Role names are unique per tenant: the resource group's (autonamed) name tells stacks apart.
            roleName: pulumi.interpolate`EMR share snapshots (${args.resourceGroupName})`,
            description: "Takes, lists and deletes snapshots of the EMR's NFS file share.",
            permissions: [{ actions: snapshotActions }],
            assignableScopes: [args.resourceGroupId],
        },
        { parent },
    );
    const access = grant(
        `${name}-access`,
        {
            scope: args.accountId,
            principalId: identity.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: roleDefinitionId(client.subscriptionId, role.name),
        },
        role,
    );
    const workflow = new logic.Workflow(
        name,
        {
            resourceGroupName: args.resourceGroupName,
            identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
            state: "Enabled",
            definition: pulumi
                .all([args.accountId, args.shareId, identity.id])
                .apply(([accountId, shareId, identityId]) => snapshotWorkflow({ accountId, shareId, identityId, shareName: args.shareName, retention: args.retention })),
            tags: args.tags,
        },
        { parent, dependsOn: [access] },
    );
    resourceLogs(`${name}-logs`, { resourceUri: workflow.id, workspaceId: args.workspaceId, categoryGroup: "allLogs", metrics: ["AllMetrics"] }, workflow);
    return workflow;
}

interface WorkflowInputs {
    accountId: string;
    shareId: string;
    shareName: string;
    identityId: string;
    retention: BackupRetention;
}

/** The workflow definition (Logic Apps workflow definition language, schema 2016-06-01). */
export function snapshotWorkflow(w: WorkflowInputs) {
    const authentication = { type: "ManagedServiceIdentity", identity: w.identityId, audience: `${arm}/` };
    const shareUrl = `${arm}${w.shareId}?api-version=${storageApi}`;
    const taken = "item()?['properties']?['snapshotTime']";
    const olderThan = (count: number, unit: "Day" | "Week" | "Month") =>
        `less(ticks(${taken}), ticks(subtractFromTime(utcNow(), ${count}, '${unit}')))`;
    // Past the daily retention, and not a Sunday or 1st-of-month snapshot still within its own.
    const expired = [
        olderThan(w.retention.dailyDays, "Day"),
        `or(not(equals(dayOfWeek(${taken}), 0)), ${olderThan(w.retention.weeklyWeeks, "Week")})`,
        `or(not(equals(dayOfMonth(${taken}), 1)), ${olderThan(w.retention.monthlyMonths, "Month")})`,
    ];
    const after = (action: string) => ({ [action]: ["Succeeded"] });
    return {
        $schema: "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
        contentVersion: "1.0.0.0",
        triggers: {
            daily: { type: "Recurrence", recurrence: { frequency: "Day", interval: 1, timeZone: "UTC", schedule: { hours: [backupHourUtc], minutes: [0] } } },
        },
        actions: {
            snapshot: { type: "Http", inputs: { method: "PUT", uri: `${shareUrl}&$expand=snapshots`, body: {}, authentication } },
            list: {
                type: "Http",
                runAfter: after("snapshot"),
                inputs: { method: "GET", uri: `${arm}${w.accountId}/fileServices/default/shares?api-version=${storageApi}&$expand=snapshots`, authentication },
            },
            // Two steps: the base share has no snapshotTime, and ticks() of nothing would fail the run.
            snapshots: {
                type: "Query",
                runAfter: after("list"),
                inputs: { from: "@body('list')?['value']", where: `@and(equals(item()?['name'], '${w.shareName}'), not(equals(${taken}, null)))` },
            },
            expired: { type: "Query", runAfter: after("snapshots"), inputs: { from: "@body('snapshots')", where: `@and(${expired.join(", ")})` } },
            prune: {
                type: "Foreach",
                foreach: "@body('expired')",
                runAfter: after("expired"),
                runtimeConfiguration: { concurrency: { repetitions: 1 } },
                actions: {
                    // x-ms-snapshot names the snapshot; the filter above guarantees it is never empty
                    // (without it, DELETE would delete the share itself, which soft delete would keep).
                    delete: {
                        type: "Http",
                        inputs: { method: "DELETE", uri: shareUrl, headers: { "x-ms-snapshot": "@{items('prune')?['properties']?['snapshotTime']}" }, authentication },
                    },
                },
            },
        },
        outputs: {},
    };
}
