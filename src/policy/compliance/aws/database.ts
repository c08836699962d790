import type { Violation } from "../../types";
import { awsResourceRule, awsStackRule, hipaa, isTrue, notCustomerKey, shown } from "./shared";
import { minimumBackupDays } from "../hipaa";

/** RDS DB instances: field names from @pulumi/aws 7.48.0 rds/instance.d.ts (line numbers cited per rule). */
const instance = "aws:rds/instance:Instance";

export const rdsEncryptedRule = awsResourceRule({
    id: "EMR-AWS-RDS-ENCRYPTED-CMK",
    title: "RDS storage is encrypted with a customer managed KMS key",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest], checkov: ["CKV_AWS_16"], cdkNag: ["HIPAA.Security-RDSStorageEncrypted"], trivy: ["AVD-AWS-0080"] },
    source: [
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
        // storageEncrypted: "The default is `false` if not specified." (:657); kmsKeyId (:520)
        "@pulumi/aws@7.48.0:rds/instance.d.ts:657,520",
    ],
    appliesTo: [instance],
    check({ inputs }) {
        if (!isTrue(inputs.storageEncrypted))
            return [`storageEncrypted is ${shown(inputs.storageEncrypted)} (default false): the database, its snapshots, backups and replicas are stored unencrypted, and encryption cannot be turned on later without a snapshot copy and restore`];
        const key = notCustomerKey("kmsKeyId", inputs.kmsKeyId, "RDS uses the AWS managed key aws/rds");
        return key ? [`${key}: the database and every snapshot of it`] : [];
    },
});

export const rdsInsightsKeyRule = awsResourceRule({
    id: "EMR-AWS-RDS-INSIGHTS-CMK",
    title: "Performance Insights data (which holds query text) is encrypted with a customer managed key",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest], checkov: ["CKV_AWS_354"], trivy: ["AVD-AWS-0078"] },
    source: [
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Enabling.html",
        // performanceInsightsKmsKeyId: "Once KMS key is set, it can never be changed." (:601)
        "@pulumi/aws@7.48.0:rds/instance.d.ts:599-603,420",
    ],
    appliesTo: [instance],
    check({ inputs }) {
        // Database Insights "advanced" runs on Performance Insights (rds/instance.d.ts:420).
        const on = isTrue(inputs.performanceInsightsEnabled) || inputs.databaseInsightsMode === "advanced";
        if (!on) return [];
        const key = notCustomerKey("performanceInsightsKmsKeyId", inputs.performanceInsightsKmsKeyId, "Performance Insights uses the AWS managed key aws/rds");
        return key ? [`Performance Insights is on and ${key}; its samples carry SQL text with patient values, and the key can never be changed afterwards`] : [];
    },
});

export const rdsNotPublicRule = awsResourceRule({
    id: "EMR-AWS-RDS-NOT-PUBLIC",
    title: "The database has no public endpoint",
    severity: "error",
    controls: { hipaa: [hipaa.accessControl, hipaa.transmission], checkov: ["CKV_AWS_17"], cdkNag: ["HIPAA.Security-RDSInstancePublicAccess"], trivy: ["AVD-AWS-0180"] },
    source: [
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding",
        "@pulumi/aws@7.48.0:rds/instance.d.ts:613-615",
    ],
    appliesTo: [instance],
    check({ inputs }) {
        return isTrue(inputs.publiclyAccessible)
            ? ["publiclyAccessible is true: RDS gives the instance a public DNS name resolving to a public IP, so the database of patient records is one security group rule away from the internet"]
            : [];
    },
});

export const rdsMultiAzRule = awsResourceRule({
    id: "EMR-AWS-RDS-MULTI-AZ",
    title: "The database runs Multi-AZ, with a synchronous standby in another zone",
    severity: "error",
    controls: { hipaa: [hipaa.emergencyMode, hipaa.disasterRecovery], checkov: ["CKV_AWS_157"], cdkNag: ["HIPAA.Security-RDSMultiAZSupport"] },
    source: ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html", "@pulumi/aws@7.48.0:rds/instance.d.ts:564-566"],
    appliesTo: [instance],
    check({ inputs }) {
        return isTrue(inputs.multiAz) ? [] : [`multiAz is ${shown(inputs.multiAz)}: one zone's outage stops the EMR until the database is restored from backup, losing the writes since the last log upload`];
    },
});

export const rdsBackupRetentionRule = awsResourceRule({
    id: "EMR-AWS-RDS-BACKUP-RETENTION",
    title: `Automated backups (point-in-time restore) are kept at least ${minimumBackupDays} days`,
    severity: "error",
    controls: { hipaa: [hipaa.backup, hipaa.disasterRecovery], checkov: ["CKV_AWS_133"], cdkNag: ["HIPAA.Security-RDSInstanceBackupEnabled"], trivy: ["AVD-AWS-0077"] },
    source: [
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.html",
        // backupRetentionPeriod: "Must be between `0` and `35`. Default is `0`." (:384)
        "@pulumi/aws@7.48.0:rds/instance.d.ts:384-386",
    ],
    appliesTo: [instance],
    check({ inputs }) {
        const days = inputs.backupRetentionPeriod;
        return typeof days === "number" && days >= minimumBackupDays
            ? []
            : [`backupRetentionPeriod is ${shown(days)} (provider default 0, no automated backups): a corruption noticed after a weekend cannot be undone by point-in-time restore; keep at least ${minimumBackupDays} days (35 at most)`];
    },
});

export const rdsDeletionProtectionRule = awsResourceRule({
    id: "EMR-AWS-RDS-DELETION-PROTECTION",
    title: "The database cannot be deleted while deletion protection is on",
    severity: "error",
    controls: { hipaa: [hipaa.integrity, hipaa.backup], checkov: ["CKV_AWS_293"], cdkNag: ["HIPAA.Security-RDSInstanceDeletionProtectionEnabled"], trivy: ["AVD-AWS-0177"] },
    source: ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection", "@pulumi/aws@7.48.0:rds/instance.d.ts:440-442"],
    appliesTo: [instance],
    check({ inputs }) {
        return isTrue(inputs.deletionProtection) ? [] : [`deletionProtection is ${shown(inputs.deletionProtection)} (default false): a replacement in a preview or a console click deletes the patient database`];
    },
});

export const rdsFinalSnapshotRule = awsResourceRule({
    id: "EMR-AWS-RDS-FINAL-SNAPSHOT",
    title: "Deleting the database leaves a final snapshot and keeps its automated backups",
    severity: "error",
    controls: { hipaa: [hipaa.backup, hipaa.integrity] },
    source: [
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html",
        // skipFinalSnapshot default false (:646); finalSnapshotIdentifier "Must be provided if skipFinalSnapshot is set to false" (:492);
        // deleteAutomatedBackups "Default is `true`." (:436)
        "@pulumi/aws@7.48.0:rds/instance.d.ts:436,492,646",
    ],
    appliesTo: [instance],
    check({ inputs }) {
        const problems: string[] = [];
        if (isTrue(inputs.skipFinalSnapshot)) problems.push("skipFinalSnapshot is true: deleting the instance takes no last snapshot");
        else if (!inputs.finalSnapshotIdentifier) problems.push("finalSnapshotIdentifier is not set: the provider cannot take the final snapshot, so the delete fails or (with skipFinalSnapshot) leaves none");
        if (inputs.deleteAutomatedBackups !== false)
            problems.push(`deleteAutomatedBackups is ${shown(inputs.deleteAutomatedBackups)} (default true): deleting the instance also deletes its point-in-time backups`);
        return problems;
    },
});

export const rdsIamAuthRule = awsResourceRule({
    id: "EMR-AWS-RDS-IAM-AUTH",
    title: "IAM database authentication is available, so people sign in as themselves rather than with a shared password",
    severity: "warning",
    controls: { hipaa: [hipaa.authentication, hipaa.uniqueUser], checkov: ["CKV_AWS_161"], trivy: ["AVD-AWS-0176"] },
    source: ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html", "@pulumi/aws@7.48.0:rds/instance.d.ts:500-502"],
    appliesTo: [instance],
    check({ inputs }) {
        return isTrue(inputs.iamDatabaseAuthenticationEnabled)
            ? []
            : [`iamDatabaseAuthenticationEnabled is ${shown(inputs.iamDatabaseAuthenticationEnabled)}: an operator can only reach the database with a password login, not an IAM identity of their own`];
    },
});

const parameterGroup = "aws:rds/parameterGroup:ParameterGroup";
const optionGroup = "aws:rds/optionGroup:OptionGroup";

/** The parameter that makes each engine refuse unencrypted connections, and the values that mean on. */
const tlsParameter: Record<string, { name: string; on: string[] }> = {
    // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mysql-ssl-connections.require-ssl.html: "For MySQL 8.4 and lower, the
    // require_secure_transport parameter is set to 0 (OFF) by default" (1 from MySQL 9.7; MariaDB: OFF up to 11.4). Declared, not assumed.
    mysql: { name: "require_secure_transport", on: ["1", "ON", "on"] },
    // https://mariadb.com/kb/en/server-system-variables/#require_secure_transport (MariaDB 10.5.2+)
    mariadb: { name: "require_secure_transport", on: ["1", "ON", "on"] },
    // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html ("rds.force_ssl ... 1 (on)")
    postgres: { name: "rds.force_ssl", on: ["1"] },
};

export const rdsRequiresTlsRule = awsStackRule({
    id: "EMR-AWS-RDS-REQUIRES-TLS",
    title: "The database refuses unencrypted connections (its parameter group requires TLS)",
    severity: "error",
    controls: { hipaa: [hipaa.transmissionEncryption, hipaa.transmission], checkov: ["CKV2_AWS_69"] },
    source: [
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mysql-ssl-connections.require-ssl.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html",
        // parameterGroupName (rds/instance.d.ts:582); parameters[].name/value (rds/parameterGroup.d.ts:173)
        "@pulumi/aws@7.48.0:rds/parameterGroup.d.ts:173",
    ],
    appliesTo: [instance],
    check(graph): Violation[] {
        return graph.ofType(instance).flatMap((db) => {
            const engine = String(db.inputs.engine ?? "");
            const wanted = tlsParameter[engine];
            const fail = (reason: string) => [{ resourceKey: db.key, reason }];
            if (!wanted) return fail(`engine ${shown(engine)}: no rule here knows how this engine is made to refuse unencrypted connections; add it to tlsParameter`);
            const group = graph.referenced(db.inputs.parameterGroupName);
            if (!group || group.type !== parameterGroup)
                return fail(`parameterGroupName is ${shown(db.inputs.parameterGroupName)}, not a parameter group this stack declares: the default group leaves ${wanted.name} off up to MySQL 8.4 and MariaDB 11.4, so clients may connect in clear text`);
            const set = ((group.inputs.parameters as any[]) ?? []).find((p) => p.name === wanted.name);
            return set && wanted.on.includes(String(set.value))
                ? []
                : fail(
                      `${group.key} ${set ? `sets ${wanted.name} to ${shown(set.value)}` : `does not set ${wanted.name} (off by default up to MySQL 8.4 and MariaDB 11.4)`}: the ${engine} server accepts ` +
                          "unencrypted connections, so credentials and patient rows can cross the network in clear text",
                  );
        });
    },
});

export const rdsAuditLogRule = awsStackRule({
    id: "EMR-AWS-RDS-AUDIT-LOG",
    title: "The database exports its audit and error logs to CloudWatch, and (MySQL/MariaDB) runs the audit plugin that writes them",
    severity: "error",
    controls: { hipaa: [hipaa.audit, hipaa.activityReview], checkov: ["CKV_AWS_129"], cdkNag: ["HIPAA.Security-RDSLoggingEnabled"] },
    source: [
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.MySQL.Options.AuditPlugin.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.MySQLDB.PublishtoCloudWatchLogs.html",
        // enabledCloudwatchLogsExports: "If omitted, no logs will be exported." (rds/instance.d.ts:468); options[].optionName (rds/optionGroup.d.ts:106)
        "@pulumi/aws@7.48.0:rds/instance.d.ts:468-470",
    ],
    appliesTo: [instance],
    check(graph): Violation[] {
        return graph.ofType(instance).flatMap((db) => {
            const engine = String(db.inputs.engine ?? "");
            const exports: string[] = db.inputs.enabledCloudwatchLogsExports ?? [];
            const wanted = engine === "postgres" ? ["postgresql"] : ["audit", "error"];
            const reasons = wanted
                .filter((log) => !exports.includes(log))
                .map((log) => `enabledCloudwatchLogsExports ${shown(exports)} leaves out "${log}": those records stay on the instance, rotate away within days and are lost with it`);
            if ((engine === "mysql" || engine === "mariadb") && exports.includes("audit")) {
                const group = graph.referenced(db.inputs.optionGroupName);
                const plugin = group?.type === optionGroup && ((group.inputs.options as any[]) ?? []).some((o) => o.optionName === "MARIADB_AUDIT_PLUGIN");
                if (!plugin)
                    reasons.push(`optionGroupName ${shown(db.inputs.optionGroupName)} does not add MARIADB_AUDIT_PLUGIN: without it RDS for ${engine} writes no audit log, so the "audit" export is empty`);
            }
            return reasons.map((reason) => ({ resourceKey: db.key, reason }));
        });
    },
});

export const databaseRules = [
    rdsEncryptedRule,
    rdsInsightsKeyRule,
    rdsNotPublicRule,
    rdsRequiresTlsRule,
    rdsAuditLogRule,
    rdsMultiAzRule,
    rdsBackupRetentionRule,
    rdsDeletionProtectionRule,
    rdsFinalSnapshotRule,
    rdsIamAuthRule,
];
