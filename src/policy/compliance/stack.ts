import { secretToEnvLines } from "../../app/bootSecrets";
import { shellQuote } from "../../app/shell";
import { bootConfigs } from "../../plan/bootConfig";
import type { Graph } from "../../plan/graph";
import type { EmrModel } from "../../plan/model";
import type { ControlRefs, StackRule, Violation } from "../types";
import { anyCloud, modelOf } from "./model";

/**
 * The cloud-neutral compliance rules: each judges the neutral model of the stack (src/plan/model,
 * read by each cloud's reader from the resources' own inputs), so one rule holds AWS and Azure to
 * the same control. HIPAA references are to 45 CFR Part 164 (facts/compliance.md section 5.1):
 * 164.312 technical safeguards, 164.308(a)(7) contingency plan.
 */

/** The project's floor for how long any log is kept. HIPAA names no figure for audit logs; a year lets the annual risk review (164.308(a)(1)(ii)(A), (D)) read a full year of activity. */
export const minimumLogRetentionDays = 365;
/** The shortest backup window the rules accept: a week (cdk-nag RDSInstanceBackupEnabled and checkov CKV_AWS_133 ask for any; trivy AVD-AWS-0077 for more than one day). */
export const minimumBackupDays = 7;

const hipaaSource = "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C";

/** What each neutral rule judges, as model keys: the evidence report lists them as the control's scope. */
type Scope = (m: EmrModel) => string[];
const scopes = {
    data: (m) => [...m.databases, ...m.stores].map((d) => d.key),
    databases: (m) => m.databases.map((d) => d.key),
    stores: (m) => m.stores.map((s) => s.key),
    servers: (m) => m.serverGroups.map((s) => s.key),
    balancers: (m) => m.loadBalancers.map((l) => l.key),
    secrets: (m) => m.secrets.map((s) => s.key),
    alarms: (m) => m.alarms.map((a) => a.key),
} satisfies Record<string, Scope>;

function rule(id: string, title: string, controls: ControlRefs, source: string[], scope: Scope, check: (graph: Graph) => Violation[]): StackRule {
    return {
        kind: "stack", id, title, category: "compliance", cloud: "any", severity: "error", source: [...source, hipaaSource], appliesTo: anyCloud, controls, check,
        covers: (graph) => scope(modelOf(graph)),
    };
}

const violation = (resourceKey: string, reason: string): Violation => ({ resourceKey, reason });

/** What a stack-wide gap is reported against: the stack itself (Pulumi's root resource). */
const stackKey = (graph: Graph): string => graph.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.key ?? "pulumi:pulumi:Stack";

export const onlyLoadBalancerPublic = rule(
    "EMR-ONLY-LOAD-BALANCER-PUBLIC",
    "Only the load balancer is reachable from the internet: no server, database or store has a public endpoint",
    { hipaa: ["164.312(e)(1)", "164.312(a)(1)"], checkov: ["CKV_AWS_17", "CKV_AWS_88", "CKV_AZURE_59"], cdkNag: ["HIPAA.Security-RDSInstancePublicAccess", "HIPAA.Security-EC2InstanceNoPublicIp"], trivy: ["AVD-AWS-0180", "AVD-AWS-0009", "AVD-AZU-0022"] },
    ["src/plan/model/types.ts (publicEndpoints, as each cloud's reader finds them)"],
    (m) => [...scopes.balancers(m), ...scopes.servers(m), ...scopes.data(m)],
    (graph) => {
        const m = modelOf(graph);
        const balancers = new Set(m.loadBalancers.map((l) => l.key));
        return m.publicEndpoints.filter((k) => !balancers.has(k)).map((k) => violation(k, "reachable from the internet: only the load balancer (behind its firewall) may be, everything else is private"));
    },
);

export const noSecretInBoot = rule(
    "EMR-NO-SECRET-IN-BOOT-CONFIG",
    "No generated secret value appears in a server's boot configuration; the servers fetch secrets at boot with their own identity",
    { hipaa: ["164.312(a)(1)", "164.312(d)"], checkov: ["CKV_AWS_46"], trivy: ["AVD-AWS-0029", "AVD-AZU-0037"] },
    [
        // EC2 user data and Azure custom data are readable by anyone who may describe the instance/scale set.
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html",
        "https://learn.microsoft.com/azure/virtual-machines/custom-data",
    ],
    scopes.servers,
    (graph) =>
        modelOf(graph).serverGroups.flatMap((s) => [
            ...(s.bootConfigHasSecret ? [violation(s.key, "a generated secret value is written into the boot configuration, which anyone who can read the server's settings can read")] : []),
            ...(!s.fetchesSecretAtBoot ? [violation(s.key, "the boot configuration does not fetch the database secret from the secret store with the server's identity")] : []),
        ]),
);

export const noDefaultAdmin = rule(
    "EMR-NO-DEFAULT-ADMIN-CREDENTIAL",
    "OpenEMR's first administrator and every database login come from generated secrets, never the image's defaults (admin / pass)",
    { hipaa: ["164.312(a)(2)(i)", "164.312(d)"], cdkNag: ["HIPAA.Security-SecretsManagerUsingKMSKey"] },
    [
        // auto_configure.php keeps iuser 'admin' / iuserpass 'pass' unless OE_USER / OE_PASS are given (src/app/bootScript.ts header).
        "openemr/openemr-devops docker/openemr/8.0.0/utilities/devtoolsLibrary.source (prepareVariables: OE_USER/OE_PASS -> iuser/iuserpass)",
        "src/app/bootSecrets.ts (installerEnv)",
    ],
    (m) => [...scopes.secrets(m), ...scopes.servers(m)],
    (graph) => {
        const m = modelOf(graph);
        const found: Violation[] = m.secrets.filter((s) => !s.generated || !s.secretInState).map((s) => violation(s.key, `its value is ${!s.generated ? "not generated (it comes from config or code, so it may be shared or a default)" : "not marked secret in the Pulumi state"}`));
        // The boot must feed the installer's administrator from the generated secret: without
        // OE_USER/OE_PASS the installer creates admin / pass.
        const adminFromSecret = shellQuote(secretToEnvLines("emrAdmin"));
        for (const boot of bootConfigs({ cloud: m.cloud, resources: graph.resources })) {
            if (!boot.text.includes(adminFromSecret)) found.push(violation(boot.name, "the boot does not pass OE_USER/OE_PASS from the generated administrator secret, so OpenEMR installs with its default admin / pass"));
            if (/\b(OE_PASS|iuserpass|MYSQL_ROOT_PASS)=(pass|root|admin)\b/.test(boot.text)) found.push(violation(boot.name, "the boot sets a well-known default password"));
        }
        return found;
    },
);

export const secretsCustomerKey = rule(
    "EMR-SECRETS-CUSTOMER-KEY",
    "Every secret is encrypted under a key the customer controls (KMS customer managed key / the stack's own Key Vault)",
    { hipaa: ["164.312(a)(2)(iv)"], cdkNag: ["HIPAA.Security-SecretsManagerUsingKMSKey"] },
    ["https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html", "https://learn.microsoft.com/azure/key-vault/general/security-features"],
    scopes.secrets,
    (graph) => modelOf(graph).secrets.filter((s) => !s.encryptedWithCustomerKey).map((s) => violation(s.key, "not encrypted under the stack's customer-managed key")),
);

export const dataEncrypted = rule(
    "EMR-DATA-ENCRYPTED-CUSTOMER-KEY",
    "Every store of patient data (database, shared files) is encrypted at rest under a customer-managed key; nothing holds data unencrypted",
    { hipaa: ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"], checkov: ["CKV_AWS_16", "CKV_AWS_184", "CKV2_AZURE_1"], cdkNag: ["HIPAA.Security-RDSStorageEncrypted", "HIPAA.Security-EFSEncrypted"], trivy: ["AVD-AWS-0080", "AVD-AWS-0037", "AVD-AZU-0060"] },
    ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html", "https://learn.microsoft.com/azure/storage/common/customer-managed-keys-overview"],
    scopes.data,
    (graph) => {
        const m = modelOf(graph);
        return [
            ...m.unencrypted.map((k) => violation(k, "holds data at rest without encryption")),
            ...[...m.databases, ...m.stores].filter((d) => !d.encrypted || !d.customerManagedKey).map((d) => violation(d.key, d.encrypted ? "encrypted with the provider's key, not a customer-managed one" : "not encrypted at rest")),
        ];
    },
);

export const databaseTls = rule(
    "EMR-DATABASE-REQUIRES-TLS",
    "The database refuses connections without TLS",
    { hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"], checkov: ["CKV2_AWS_69"], trivy: ["AVD-AZU-0020"] },
    ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mysql-ssl-connections.html", "https://learn.microsoft.com/azure/mysql/flexible-server/how-to-connect-tls-ssl"],
    scopes.databases,
    (graph) => modelOf(graph).databases.filter((d) => !d.requiresTls).map((d) => violation(d.key, "accepts connections without TLS (require_secure_transport is not ON)")),
);

export const storeTls = rule(
    "EMR-STORE-TLS-ONLY",
    "The shared file system is private and reached over TLS only",
    { hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"], checkov: ["CKV_AZURE_3", "CKV_AZURE_44"], cdkNag: ["HIPAA.Security-S3BucketSSLRequestsOnly"], trivy: ["AVD-AZU-0008", "AVD-AZU-0011"] },
    ["https://docs.aws.amazon.com/efs/latest/ug/encryption-in-transit.html", "https://learn.microsoft.com/azure/storage/files/encryption-in-transit-for-nfs-shares"],
    scopes.stores,
    (graph) =>
        modelOf(graph).stores.flatMap((s) => [
            ...(!s.tlsOnly ? [violation(s.key, "can be reached without TLS")] : []),
            ...(s.public ? [violation(s.key, "has a public endpoint")] : []),
        ]),
);

export const clientTls = rule(
    "EMR-CLIENT-TLS",
    "Clients reach the EMR over TLS 1.2 or later only; plain HTTP only redirects to HTTPS",
    { hipaa: ["164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"], checkov: ["CKV_AWS_103", "CKV2_AWS_20", "CKV_AZURE_217", "CKV_AZURE_218"], cdkNag: ["HIPAA.Security-ELBTlsHttpsListenersOnly"], trivy: ["AVD-AWS-0047", "AVD-AWS-0054"] },
    ["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html", "https://learn.microsoft.com/azure/application-gateway/application-gateway-ssl-policy-overview"],
    scopes.balancers,
    (graph) =>
        modelOf(graph).loadBalancers.flatMap((l) => [
            ...(!l.minTlsVersion || Number(l.minTlsVersion) < 1.2 ? [violation(l.key, `accepts TLS ${l.minTlsVersion ?? "(unknown)"}: the floor is 1.2`)] : []),
            ...(!l.httpRedirectsToHttps ? [violation(l.key, "serves plain HTTP instead of redirecting it to HTTPS")] : []),
        ]),
);

export const firewallBlocks = rule(
    "EMR-WEB-FIREWALL-BLOCKS",
    "A web application firewall with managed rule sets and a per-client rate limit blocks (not only counts) attacks in front of the servers",
    { hipaa: ["164.308(a)(5)(ii)(B)", "164.312(c)(1)"], checkov: ["CKV2_AWS_28", "CKV_AZURE_120", "CKV_AZURE_122"] },
    ["https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html", "https://learn.microsoft.com/azure/web-application-firewall/ag/ag-overview"],
    (m) => m.loadBalancers.flatMap((l) => [l.key, ...(l.firewall ? [l.firewall.key] : [])]),
    (graph) =>
        modelOf(graph).loadBalancers.flatMap((l) => {
            const f = l.firewall;
            if (!f) return [violation(l.key, "no web application firewall in front of the servers")];
            return [
                ...(!f.blocks ? [violation(f.key, "only counts matches (Detection / Count mode): nothing is blocked")] : []),
                ...(!f.managedRuleSets.length ? [violation(f.key, "no managed rule set")] : []),
                ...(!f.rateLimit ? [violation(f.key, "no per-client rate limit")] : []),
            ];
        }),
);

export const auditTrail = rule(
    "EMR-AUDIT-LOGS",
    "Audit logs are kept: the control-plane trail, network flow logs, load balancer access logs and the database audit log",
    { hipaa: ["164.312(b)", "164.308(a)(1)(ii)(D)"], checkov: ["CKV_AWS_67", "CKV_AWS_91", "CKV_AWS_129"], cdkNag: ["HIPAA.Security-VPCFlowLogsEnabled", "HIPAA.Security-ELBLoggingEnabled", "HIPAA.Security-RDSLoggingEnabled"], trivy: ["AVD-AWS-0178", "AVD-AWS-0014"] },
    ["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-user-guide.html", "https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log"],
    (m) => [...scopes.balancers(m), ...scopes.databases(m)],
    (graph) => {
        const m = modelOf(graph);
        const stack = stackKey(graph);
        const gaps = [
            !m.audit.controlPlaneTrail && "no control-plane trail (CloudTrail / activity log export)",
            m.audit.flowLogRetentionDays === undefined && "no network flow log",
            !m.audit.loadBalancerAccessLogs && "no load balancer access log",
            m.audit.databaseAuditLogRetentionDays === undefined && "no database audit log kept",
        ].filter((g): g is string => !!g);
        return gaps.map((g) => violation(stack, g));
    },
);

export const logRetention = rule(
    "EMR-LOG-RETENTION",
    `Every log store keeps logs at least ${minimumLogRetentionDays} days`,
    { hipaa: ["164.312(b)", "164.308(a)(1)(ii)(D)", "164.316(b)(2)(i)"], checkov: ["CKV_AWS_338"], cdkNag: ["HIPAA.Security-CloudWatchLogGroupRetentionPeriod"] },
    ["https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html", "https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure"],
    (m) => [...scopes.balancers(m), ...scopes.databases(m)],
    (graph) => {
        const m = modelOf(graph);
        const stack = stackKey(graph);
        const short = [...m.audit.logRetentionDays, m.audit.flowLogRetentionDays, m.audit.databaseAuditLogRetentionDays].filter((d): d is number => d !== undefined && d < minimumLogRetentionDays);
        return short.length ? [violation(stack, `logs kept ${[...new Set(short)].join(", ")} days, under ${minimumLogRetentionDays} (emr:logRetentionDays)`)] : [];
    },
);

export const backupsCoverData = rule(
    "EMR-BACKUPS-COVER-DATA",
    `Every store of patient data is backed up outside its zone, for at least ${minimumBackupDays} days, and a failed backup raises an alarm`,
    { hipaa: ["164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)", "164.310(d)(2)(iv)"], checkov: ["CKV_AWS_133", "CKV2_AWS_18"], cdkNag: ["HIPAA.Security-RDSInBackupPlan", "HIPAA.Security-EFSInBackupPlan", "HIPAA.Security-RDSInstanceBackupEnabled"], trivy: ["AVD-AWS-0077"] },
    ["https://docs.aws.amazon.com/aws-backup/latest/devguide/whatisbackup.html", "https://learn.microsoft.com/azure/mysql/flexible-server/concepts-backup-restore"],
    scopes.data,
    (graph) => {
        const m = modelOf(graph);
        return [
            ...m.databases.filter((d) => d.backupRetentionDays < minimumBackupDays).map((d) => violation(d.key, `keeps backups ${d.backupRetentionDays} days, under ${minimumBackupDays}`)),
            ...m.stores.flatMap((s) => [
                ...(!s.backedUpOffZone ? [violation(s.key, "no backup copy outside its zone")] : []),
                ...(!s.backupFailureAlarm ? [violation(s.key, "no alarm when its backup fails")] : []),
            ]),
        ];
    },
);

export const dataProtected = rule(
    "EMR-DATA-DELETION-PROTECTED",
    "Patient data cannot be deleted by accident: the database has deletion protection, backups that outlive it, and Pulumi protect; the shared files are protected",
    { hipaa: ["164.312(c)(1)", "164.308(a)(7)(ii)(A)"], checkov: ["CKV_AWS_293"], cdkNag: ["HIPAA.Security-RDSInstanceDeletionProtectionEnabled"], trivy: ["AVD-AWS-0177"] },
    ["https://www.pulumi.com/docs/iac/concepts/options/protect/", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html"],
    scopes.data,
    (graph) => {
        const m = modelOf(graph);
        return [
            ...m.databases.flatMap((d) => [
                ...(!d.deletionProtection ? [violation(d.key, "no deletion protection at the cloud")] : []),
                ...(!d.backupsOutliveDeletion ? [violation(d.key, "its backups go with it when it is deleted (no final snapshot / retained backups)")] : []),
                ...(!d.protect ? [violation(d.key, "not protected in Pulumi: `pulumi destroy` or a replacement would delete it")] : []),
            ]),
            ...m.stores.filter((s) => !s.protect).map((s) => violation(s.key, "not protected in Pulumi: `pulumi destroy` or a replacement would delete it")),
        ];
    },
);

export const databaseZoneRedundant = rule(
    "EMR-DATABASE-ZONE-REDUNDANT",
    "The database has a synchronous standby in another zone and fails over without an operator",
    { hipaa: ["164.308(a)(7)(ii)(B)", "164.308(a)(7)(ii)(C)"], checkov: ["CKV_AWS_157"], cdkNag: ["HIPAA.Security-RDSMultiAZSupport"] },
    ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html", "https://learn.microsoft.com/azure/mysql/flexible-server/concepts-high-availability"],
    scopes.databases,
    (graph) =>
        modelOf(graph).databases.flatMap((d) => [
            ...(d.placement.kind !== "zone-redundant" ? [violation(d.key, "runs in one zone: losing it stops the EMR and may lose committed data")] : []),
            ...(!d.automaticFailover ? [violation(d.key, "no automatic failover to the standby")] : []),
        ]),
);

export const webMultiZone = rule(
    "EMR-WEB-EVERY-ZONE",
    "The load balancer and the web servers span every zone of the stack, at least two servers, replaced when unhealthy",
    { hipaa: ["164.308(a)(7)(ii)(C)", "164.308(a)(7)(ii)(B)"], cdkNag: ["HIPAA.Security-AutoScalingGroupELBHealthCheckRequired", "HIPAA.Security-ELBCrossZoneLoadBalancingEnabled"], checkov: ["CKV2_AWS_15"] },
    ["https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html", "https://learn.microsoft.com/azure/reliability/reliability-virtual-machine-scale-sets"],
    (m) => [...scopes.balancers(m), ...scopes.servers(m)],
    (graph) => {
        const m = modelOf(graph);
        const missing = (zones: string[]) => m.zones.filter((z) => !zones.includes(z));
        return [
            ...m.loadBalancers.filter((l) => missing(l.zones).length).map((l) => violation(l.key, `not in zone(s) ${missing(l.zones).join(", ")}`)),
            ...m.serverGroups.flatMap((s) => [
                ...(missing(s.zones).length ? [violation(s.key, `no servers in zone(s) ${missing(s.zones).join(", ")}`)] : []),
                ...(s.min < 2 ? [violation(s.key, `minimum ${s.min} server: one failure stops the EMR`)] : []),
                ...(!s.replacesUnhealthy ? [violation(s.key, "an unhealthy server is not replaced automatically")] : []),
            ]),
        ];
    },
);

export const alarmsNotify = rule(
    "EMR-ALARMS-NOTIFY",
    "The web tier, the database and the shared files each have alarms that notify someone",
    { hipaa: ["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)"], cdkNag: ["HIPAA.Security-CloudWatchAlarmAction"] },
    ["https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html", "https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-overview"],
    scopes.alarms,
    (graph) => {
        const m = modelOf(graph);
        const stack = stackKey(graph);
        const silent = m.alarms.filter((a) => !a.notifies.length).map((a) => violation(a.key, "notifies no one"));
        const unwatched = (["web", "db", "storage"] as const).filter((t) => !m.alarms.some((a) => a.tier === t && a.notifies.length));
        return [...silent, ...unwatched.map((t) => violation(stack, `no alarm watches the ${t} tier`))];
    },
);

/** The cloud-neutral compliance rules. */
export const stackComplianceRules: readonly StackRule[] = [
    onlyLoadBalancerPublic,
    noSecretInBoot,
    noDefaultAdmin,
    secretsCustomerKey,
    dataEncrypted,
    databaseTls,
    storeTls,
    clientTls,
    firewallBlocks,
    auditTrail,
    logRetention,
    backupsCoverData,
    dataProtected,
    databaseZoneRedundant,
    webMultiZone,
    alarmsNotify,
];
