import { modelOf, neutralRule as rule, scopes, stackKey, violation } from "./model";
import { hipaa, minimumBackupDays, minimumLogRetentionDays } from "./hipaa";

/**
 * The cloud-neutral controls of audit and contingency (45 CFR 164.312(b), 164.308(a)(1), (a)(7)):
 * what is logged and kept, what is backed up and protected from deletion, what survives a zone.
 */


export const auditTrail = rule(
    "EMR-AUDIT-LOGS",
    "Audit logs are kept: the control-plane trail, network flow logs, load balancer access logs and the database audit log",
    { hipaa: [hipaa.audit, hipaa.activityReview], checkov: ["CKV_AWS_67", "CKV_AWS_91", "CKV_AWS_129"], cdkNag: ["HIPAA.Security-VPCFlowLogsEnabled", "HIPAA.Security-ELBLoggingEnabled", "HIPAA.Security-RDSLoggingEnabled"], trivy: ["AVD-AWS-0178", "AVD-AWS-0014"] },
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
    { hipaa: [hipaa.audit, hipaa.activityReview, hipaa.documentationRetention], checkov: ["CKV_AWS_338"], cdkNag: ["HIPAA.Security-CloudWatchLogGroupRetentionPeriod"] },
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
    { hipaa: [hipaa.backup, hipaa.disasterRecovery, hipaa.backupStorage], checkov: ["CKV_AWS_133", "CKV2_AWS_18"], cdkNag: ["HIPAA.Security-RDSInBackupPlan", "HIPAA.Security-EFSInBackupPlan", "HIPAA.Security-RDSInstanceBackupEnabled"], trivy: ["AVD-AWS-0077"] },
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
    { hipaa: [hipaa.integrity, hipaa.backup], checkov: ["CKV_AWS_293"], cdkNag: ["HIPAA.Security-RDSInstanceDeletionProtectionEnabled"], trivy: ["AVD-AWS-0177"] },
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
    { hipaa: [hipaa.disasterRecovery, hipaa.emergencyMode], checkov: ["CKV_AWS_157"], cdkNag: ["HIPAA.Security-RDSMultiAZSupport"] },
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
    { hipaa: [hipaa.emergencyMode, hipaa.disasterRecovery], cdkNag: ["HIPAA.Security-AutoScalingGroupELBHealthCheckRequired", "HIPAA.Security-ELBCrossZoneLoadBalancingEnabled"], checkov: ["CKV2_AWS_15"] },
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
    { hipaa: [hipaa.activityReview, hipaa.incidentResponse], cdkNag: ["HIPAA.Security-CloudWatchAlarmAction"] },
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
