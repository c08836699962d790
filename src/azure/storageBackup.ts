import * as recoveryservices from "@pulumi/azure-native/recoveryservices";
import type * as pulumi from "@pulumi/pulumi";
import type { DataKey } from "./storageVault";

/**
 * How long backups of the shared files are kept: the same three rules as the AWS backup plan
 * (src/aws/storageBackup.ts), in the units Azure counts in. Daily copies for the stack's backup
 * retention; the Sunday copy for 13 weeks (91 days, AWS: 90); the copy of the 1st of each month
 * for 84 months (7 years: HIPAA's 6-year documentation retention with a year's margin). At most
 * 35 + 13 + 84 = 132 recovery points, within Azure Files' 200 snapshots per share.
 */
export interface BackupRetention {
    dailyDays: number;
    weeklyWeeks: number;
    monthlyMonths: number;
}
export const backupRetention = (dailyDays: number): BackupRetention => ({ dailyDays, weeklyWeeks: 13, monthlyMonths: 84 });
/** 05:00 UTC, as on AWS: night across US time zones. */
export const backupHourUtc = 5;

export interface RecoveryVaultArgs {
    resourceGroupName: pulumi.Input<string>;
    dataKey: DataKey;
    geoRedundant: boolean;
    retention: BackupRetention;
    tags: Record<string, string>;
}

/**
 * The Recovery Services vault (Azure Backup's store, the AWS Backup vault's counterpart) and the
 * Azure Files policy. Zone-redundant storage, or geo-redundant with cross-region restore when
 * `geoRedundant`; public network access off (Azure Files backup runs inside Azure); encrypted with
 * the stack's key, which Azure allows to be set only before anything is protected, so now.
 * Soft delete is always on (14 days after a backup is deleted, and it cannot be switched off
 * again, so a compromised administrator cannot erase the backups at once). Immutability is on but
 * unlocked (AWS: governance mode): recovery points cannot be shortened or deleted early, and a
 * deliberate administrator can still lock it for good, or undo it.
 *
 * What it protects today: nothing yet. Azure Backup does not support NFS file shares (support
 * matrix, Feb 2026: "Azure Backup currently doesn't support file shares with the NFS protocol");
 * registering the storage account and the share (ProtectionContainer + ProtectedItem) fails with
 * "file share is not discovered". The NFS share is protected by scheduled share snapshots with
 * this same retention instead (storageSnapshots.ts). The policy is here so the share can join
 * the vault with one ProtectedItem the day Azure Backup supports NFS, and the MySQL server keeps
 * its own point-in-time backups (DB tier).
 */
export function recoveryVault(name: string, args: RecoveryVaultArgs, parent: pulumi.Resource) {
    const { dataKey } = args;
    const vault = new recoveryservices.Vault(
        name,
        {
            resourceGroupName: args.resourceGroupName,
            sku: { name: "RS0", tier: "Standard" },
            identity: { type: "UserAssigned", userAssignedIdentities: [dataKey.identity.id] },
            properties: {
                publicNetworkAccess: "Disabled",
                redundancySettings: args.geoRedundant
                    ? { standardTierStorageRedundancy: "GeoRedundant", crossRegionRestore: "Enabled" }
                    : { standardTierStorageRedundancy: "ZoneRedundant", crossRegionRestore: "Disabled" },
                securitySettings: {
                    softDeleteSettings: { softDeleteState: "AlwaysON", softDeleteRetentionPeriodInDays: 14 },
                    immutabilitySettings: { state: "Unlocked" },
                },
                encryption: {
                    keyVaultProperties: { keyUri: dataKey.keyUri },
                    kekIdentity: { userAssignedIdentity: dataKey.identity.id, useSystemAssignedIdentity: false },
                    infrastructureEncryption: "Enabled",
                },
                monitoringSettings: { azureMonitorAlertSettings: { alertsForAllJobFailures: "Enabled" } },
            },
            tags: args.tags,
        },
        // Redundancy cannot change once items are protected; a vault holding items cannot be deleted.
        { parent, protect: true, dependsOn: [dataKey.keyAccess] },
    );
    const policy = new recoveryservices.ProtectionPolicy(
        `${name}-files-policy`,
        {
            resourceGroupName: args.resourceGroupName,
            vaultName: vault.name,
            properties: fileSharePolicy(args.retention),
            tags: args.tags,
        },
        { parent: vault },
    );
    return { vault, policy };
}

function fileSharePolicy(retention: BackupRetention): recoveryservices.ProtectionPolicyArgs["properties"] {
    // Only the time of day counts in these timestamps.
    const at = [`2024-01-01T${String(backupHourUtc).padStart(2, "0")}:00:00Z`];
    return {
        backupManagementType: "AzureStorage",
        workLoadType: "AzureFileShare",
        timeZone: "UTC",
        schedulePolicy: { schedulePolicyType: "SimpleSchedulePolicy", scheduleRunFrequency: "Daily", scheduleRunTimes: at },
        retentionPolicy: {
            retentionPolicyType: "LongTermRetentionPolicy",
            dailySchedule: { retentionTimes: at, retentionDuration: { count: retention.dailyDays, durationType: "Days" } },
            weeklySchedule: {
                daysOfTheWeek: ["Sunday"],
                retentionTimes: at,
                retentionDuration: { count: retention.weeklyWeeks, durationType: "Weeks" },
            },
            monthlySchedule: {
                retentionScheduleFormatType: "Daily",
                retentionScheduleDaily: { daysOfTheMonth: [{ date: 1, isLast: false }] },
                retentionTimes: at,
                retentionDuration: { count: retention.monthlyMonths, durationType: "Months" },
            },
        },
    };
}
