import * as backup from "@pulumi/aws/backup";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config";
import { serviceRole } from "./iam";
import { encryptionKey } from "./kms";

/** The tag AWS Backup selects resources by; the DB tier puts it on its instance. */
export interface BackupTag {
    key: string;
    value: string;
}

/** 7 years (2,555 days plus two leap days): HIPAA's 6-year documentation retention, with a year's margin. */
export const sevenYearsInDays = 2557;

/**
 * Vault lock bounds. Governance mode (no `changeableForDays`): nobody can shorten or delete a
 * recovery point below 7 days or keep one beyond 7 years, except a principal explicitly allowed
 * to remove the lock. Compliance mode would be irreversible after its grace period, freezing
 * today's retention choices for good; governance guards against accidents and ransomware that
 * lacks that permission, and stays fixable by a deliberate administrator.
 */
const vaultLock = { minRetentionDays: 7, maxRetentionDays: sevenYearsInDays };

/** Where each region's backups are copied when geo-redundancy is on: the nearest region of the same jurisdiction. */
export const backupCopyRegions: Record<string, string> = {
    "us-east-1": "us-west-2",
    "us-east-2": "us-west-2",
    "us-west-1": "us-east-1",
    "us-west-2": "us-east-1",
    "ca-central-1": "ca-west-1",
    "eu-west-1": "eu-central-1",
    "eu-central-1": "eu-west-1",
};

export interface BackupPlanArgs {
    vault: backup.Vault;
    /** A vault in another region that receives a copy of every recovery point (geo-redundancy). */
    copyVault?: backup.Vault;
    dailyRetentionDays: number;
    selectBy: BackupTag;
    tags: Record<string, string>;
}

/** An encrypted, locked backup vault. Protected: it holds the recovery points themselves. */
export function lockedVault(name: string, kmsKeyArn: pulumi.Input<string>, tags: Record<string, string>, parent: pulumi.Resource): backup.Vault {
    // forceDestroy false: a vault that still holds recovery points cannot be deleted with the stack.
    const vault = new backup.Vault(name, { kmsKeyArn, forceDestroy: false, tags: { ...tags, Name: name } }, { parent, protect: true });
    new backup.VaultLockConfiguration(`${name}-lock`, { backupVaultName: vault.name, ...vaultLock }, { parent: vault });
    return vault;
}

/**
 * Daily, weekly and monthly backups (facts/aws.md section 5) of every resource carrying the
 * backup tag, run by a role only AWS Backup can assume. RDS keeps its own point-in-time restore
 * (native automated backups), so no continuous-backup rule is needed here.
 */
export function backupPlan(name: string, args: BackupPlanArgs, parent: pulumi.Resource): backup.Plan {
    // Jobs start between 09:00 and 10:00 UTC (04:00-05:00 EST, 01:00-02:00 PST). AWS Backup
    // cannot start an RDS snapshot "1 hour before or during" the database's backup or maintenance
    // window, and such jobs "will fail" (backupWindows.ts). The DB's windows are 06:00-07:00 daily
    // and Sunday 07:30-08:30 (dbSettings.ts), so nothing may start from 05:00 to 08:30: the old
    // 05:00 schedule was inside that span every night. The test checks the two against each other.
    // When rules coincide AWS Backup keeps the longest-retained one.
    const startAt = { hour: 9, withinMinutes: 60 };
    const at = (days: string) => ({ schedule: `cron(0 ${startAt.hour} ${days} *)`, startWindow: startAt.withinMinutes });
    const schedules = [
        { ruleName: "daily", ...at("* * ?"), lifecycle: { deleteAfter: args.dailyRetentionDays } },
        { ruleName: "weekly", ...at("? * SUN"), lifecycle: { deleteAfter: 90 } },
        // Cold storage applies to the types that support it (EFS); AWS Backup ignores it for RDS.
        { ruleName: "monthly", ...at("1 * ?"), lifecycle: { coldStorageAfter: 90, deleteAfter: sevenYearsInDays } },
    ];
    const copyVault = args.copyVault;
    const plan = new backup.Plan(
        name,
        {
            rules: schedules.map((rule) => ({
                ...rule,
                targetVaultName: args.vault.name,
                // Copies keep the same lifecycle, so the other region can restore the same points in time.
                ...(copyVault ? { copyActions: [{ destinationVaultArn: copyVault.arn, lifecycle: rule.lifecycle }] } : {}),
            })),
            tags: args.tags,
        },
        { parent },
    );
    // No confused-deputy condition: AWS documents none for the role AWS Backup assumes (serviceTrust.ts).
    const role = serviceRole(
        `${name}-role`,
        {
            service: "backup.amazonaws.com",
            managedPolicyArns: [
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
            ],
            tags: args.tags,
        },
        plan,
    );
    new backup.Selection(
        `${name}-selection`,
        {
            planId: plan.id,
            iamRoleArn: role.arn,
            selectionTags: [{ type: "STRINGEQUALS", key: args.selectBy.key, value: args.selectBy.value }],
        },
        { parent: plan },
    );
    return plan;
}

/** The copy region paired with `source`, or a ConfigError that names the setting to change. */
export function backupCopyRegionFor(source: string | undefined): string {
    const paired = source === undefined ? undefined : backupCopyRegions[source];
    if (!paired) {
        throw new ConfigError("emr:geoRedundant", true, `false, or an aws:region with a backup copy region (${Object.keys(backupCopyRegions).join(", ")}); got aws:region ${source}`);
    }
    return paired;
}

/**
 * The second region's vault and its own key (a KMS key never leaves its region). Every AWS
 * resource declared under this component is placed in `region` with aws v7's per-resource
 * `region`, so the copy uses the stack's one provider and its credentials (an extra
 * `aws.Provider` would ignore the stack's `aws:profile` / assume-role settings).
 */
export class BackupCopyRegion extends pulumi.ComponentResource {
    readonly vault: backup.Vault;

    constructor(name: string, readonly region: string, tags: Record<string, string>, opts: pulumi.ComponentResourceOptions) {
        // TEMPORARY transformation: encryptionKey (kms.ts) takes no `region` yet; once it does, pass
        // `region` to it and to lockedVault instead (same names and parents, so nothing is replaced).
        const inRegion: pulumi.ResourceTransformation = ({ type, props, opts: resourceOpts }) =>
            type.startsWith("aws:") ? { props: { ...props, region }, opts: resourceOpts } : undefined;
        super("emr:aws:BackupCopyRegion", name, {}, { ...opts, transformations: [inRegion, ...(opts.transformations ?? [])] });

        const key = encryptionKey(`${name}-key`, { description: "Encrypts the EMR's backup copies in the second region", users: [], tags }, this);
        this.vault = lockedVault(`${name}-vault`, key.arn, tags, this);
        this.registerOutputs({ region, vaultArn: this.vault.arn });
    }
}
