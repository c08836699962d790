import * as cloudwatch from "@pulumi/aws/cloudwatch";
import type * as pulumi from "@pulumi/pulumi";
import type { AwsMonitoringArgs } from "./monitoring";
import type { AlarmNamespace } from "./publishedMetrics";

/**
 * One CloudWatch alarm, as data. Every namespace, metric name and dimension set is one AWS
 * publishes (publishedMetrics.ts, with its source; the monitoring test checks each alarm against
 * it): an invented metric or a dimension set AWS never emits gives an alarm that can never fire.
 */
export interface AlarmSpec {
    /** Role of the alarm; the resource is named `${component}-${id}`. */
    id: string;
    /** What it means and what to look at first (shown in the notification). */
    description: string;
    namespace: AlarmNamespace;
    metricName: string;
    dimensions: Record<string, pulumi.Input<string>>;
    /** Exactly one of `statistic` / `extendedStatistic` (a percentile such as `p95`). */
    statistic?: "Average" | "Sum" | "Minimum" | "Maximum";
    extendedStatistic?: string;
    comparison: "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold";
    threshold: number;
    periodSeconds: number;
    evaluationPeriods: number;
    datapointsToAlarm: number;
    /**
     * `notBreaching` where AWS publishes the metric only when something happens (requests, I/O,
     * jobs): silence is good news. `breaching` where silence itself means an outage.
     */
    treatMissingData: "breaching" | "notBreaching";
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/**
 * The session store's alarms, one set per node (either may be the primary after a failover):
 * memory (sessions evicted log users out), connections (a leak or a flood), replication lag (the
 * replica would lose recent sessions in a failover; a replica's lag also shows a failover's
 * resync); and one failover alarm on the group (sessionFailoverAlarm). Member ids are `<group>-001`,
 * `-002` (@pulumi/aws elasticache/replicationGroup.d.ts: "cache cluster IDs in the form of
 * replication_group_id-00#").
 */
function sessionAlarms(session: AwsMonitoringArgs["session"]): AlarmSpec[] {
    const perNode = ["001", "002"].flatMap((member) => {
        const node = { CacheClusterId: session.replicationGroupId.apply((id) => `${id}-${member}`), CacheNodeId: "0001" };
        const common = { periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3, namespace: "AWS/ElastiCache" as const, dimensions: node, statistic: "Maximum" as const };
        return [
            { ...common, id: `sessions-${member}-memory`, description: `Session store node ${member} is over 80% of its memory: sessions will be evicted (users logged out); scale the node type.`, metricName: "DatabaseMemoryUsagePercentage", comparison: "GreaterThanThreshold" as const, threshold: 80, treatMissingData: "notBreaching" as const },
            { ...common, id: `sessions-${member}-connections`, description: `Session store node ${member} holds over 5,000 connections: a connection leak or a flood of servers.`, metricName: "CurrConnections", comparison: "GreaterThanThreshold" as const, threshold: 5000, treatMissingData: "notBreaching" as const },
            { ...common, id: `sessions-${member}-replication-lag`, description: `Session store replica ${member} is over 5 s behind (or resyncing after a failover): a failover now would lose recent session writes.`, metricName: "ReplicationLag", comparison: "GreaterThanThreshold" as const, threshold: 5, treatMissingData: "notBreaching" as const },
        ];
    });
    return [...perNode, sessionFailoverAlarm(session)];
}

/**
 * The failover alarm: IsMaster (1 on the primary, 0 on a replica: publishedMetrics.ts, with its
 * source) of the FIRST primary, member `-001`: "The first item in the list will be the primary
 * node" (@pulumi/aws elasticache/replicationGroup.d.ts, preferredCacheClusterAzs) and the members
 * are "replication_group_id-00#" (same file). That -001 is the member in that first zone is
 * assumed (no page says it in so many words); were it ever the replica at creation, the alarm
 * fires right after the deploy and says so: it errs loud, never silent. ElastiCache never
 * fails back by itself, so after a failover -001 stays a replica and the alarm stays in ALARM
 * until someone fails back (TestFailover on node group 0001) or accepts the new primary: the store
 * runs without a standby in another zone until the lost node is back, which is what on-call must
 * know. A node that stops reporting (its zone lost) counts as failed over: missing data breaches.
 * Why not ElastiCache's own FailoverComplete event (ElastiCacheSNS.html): the group's
 * notificationTopicArn would need the alert topic before the store, which is created by the
 * monitoring tier after every other tier, encrypted with a key whose policy names CloudWatch only.
 */
function sessionFailoverAlarm(session: AwsMonitoringArgs["session"]): AlarmSpec {
    return {
        id: "sessions-failover",
        description:
            "The session store failed over: its first primary (member -001) is no longer the primary, or stopped reporting. " +
            "Users stay logged in on the promoted replica, but the store has no standby in another zone until -001 is back; " +
            "this stays in ALARM until -001 is primary again (fail back with TestFailover once its zone is healthy).",
        // Two one-minute datapoints: a failover shows within ~2 minutes, a single late datapoint does not page.
        periodSeconds: 60, evaluationPeriods: 2, datapointsToAlarm: 2,
        namespace: "AWS/ElastiCache", metricName: "IsMaster",
        dimensions: { CacheClusterId: session.replicationGroupId.apply((id) => `${id}-001`), CacheNodeId: "0001" },
        statistic: "Minimum", comparison: "LessThanThreshold", threshold: 1, treatMissingData: "breaching",
    };
}

/** The alarms on the web, database, session store, file-system and backup tiers, pointed at their outputs. */
export function alarmSpecs({ web, db, storage, session }: Pick<AwsMonitoringArgs, "web" | "db" | "storage" | "session">): AlarmSpec[] {
    const alb = { LoadBalancer: web.loadBalancerArnSuffix };
    const targets = { LoadBalancer: web.loadBalancerArnSuffix, TargetGroup: web.targetGroupArnSuffix };
    const rds = { DBInstanceIdentifier: db.instanceIdentifier };
    const efs = { FileSystemId: storage.sharedFileSystem };
    const vault = { BackupVaultName: storage.backupTarget };
    // Five-minute windows: short enough to page within ~15 minutes, long enough that one slow
    // request or a single failed health check does not wake anybody.
    const fiveMinutes = { periodSeconds: 300 };
    return [
        {
            id: "alb-5xx", ...fiveMinutes, evaluationPeriods: 3, datapointsToAlarm: 2,
            description: "The load balancer itself answered 5xx (no target, timeouts): check target health and the ALB.",
            namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", dimensions: alb, statistic: "Sum",
            comparison: "GreaterThanOrEqualToThreshold", threshold: 10, treatMissingData: "notBreaching",
        },
        {
            id: "target-5xx", ...fiveMinutes, evaluationPeriods: 3, datapointsToAlarm: 2,
            description: "OpenEMR returned 5xx to users: check the web servers' logs and the database.",
            namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: targets, statistic: "Sum",
            comparison: "GreaterThanOrEqualToThreshold", threshold: 10, treatMissingData: "notBreaching",
        },
        {
            id: "response-time", ...fiveMinutes, evaluationPeriods: 3, datapointsToAlarm: 3,
            description: "p95 page time above 3 s for 15 minutes: servers saturated or the database slow.",
            namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", dimensions: targets, extendedStatistic: "p95",
            comparison: "GreaterThanThreshold", threshold: 3, treatMissingData: "notBreaching",
        },
        {
            // 15 minutes so a server still running OpenEMR's first-boot install does not page.
            id: "unhealthy-hosts", ...fiveMinutes, evaluationPeriods: 3, datapointsToAlarm: 3,
            description: "A web server has failed its health check for 15 minutes and was not replaced.",
            namespace: "AWS/ApplicationELB", metricName: "UnHealthyHostCount", dimensions: targets, statistic: "Maximum",
            comparison: "GreaterThanOrEqualToThreshold", threshold: 1, treatMissingData: "notBreaching",
        },
        {
            // The EMR is down for everyone: page fast, and treat a silent target group as down too.
            id: "no-healthy-hosts", periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 3,
            description: "No healthy web server behind the load balancer: the EMR is unavailable.",
            namespace: "AWS/ApplicationELB", metricName: "HealthyHostCount", dimensions: targets, statistic: "Minimum",
            comparison: "LessThanThreshold", threshold: 1, treatMissingData: "breaching",
        },
        {
            id: "db-cpu", ...fiveMinutes, evaluationPeriods: 3, datapointsToAlarm: 3,
            description: "Database CPU above 80% for 15 minutes: slow queries or an undersized instance.",
            namespace: "AWS/RDS", metricName: "CPUUtilization", dimensions: rds, statistic: "Average",
            comparison: "GreaterThanThreshold", threshold: 80, treatMissingData: "notBreaching",
        },
        ...(db.burstable
            ? [
                  {
                      // A burstable class (db.t4g.large: the default, about $48-57 a month cheaper than
                      // db.m7g.large Multi-AZ, cost-review.md (c)) earns credits at its 30% baseline and spends them above it. RDS runs T
                      // classes in Unlimited mode, so an empty balance does not throttle: it bills surplus
                      // credits ($0.075 per vCPU-hour, cost-review.md (b) #12) and says the load is
                      // sustained above the baseline. AWS recommends T classes for development and test
                      // (rds-metrics.html, CPUCreditUsage note): this alarm is when to move a production
                      // stack to a fixed-performance class (emr:dbInstanceType db.m7g.large). 36 credits
                      // are an hour of what db.t4g.large earns (EC2 T4g credit table); a new instance
                      // starts near 0 in Unlimited mode, so the hourly minimum passes 36 in its second
                      // hour unless the load keeps it down: three hours below is a sustained deficit.
                      id: "db-cpu-credits", periodSeconds: 3600, evaluationPeriods: 3, datapointsToAlarm: 3,
                      description: "The database has almost no CPU credits left (burstable class): its load runs above the baseline; move to a fixed-performance class (emr:dbInstanceType).",
                      namespace: "AWS/RDS" as const, metricName: "CPUCreditBalance", dimensions: rds, statistic: "Minimum" as const,
                      comparison: "LessThanThreshold" as const, threshold: 36, treatMissingData: "notBreaching" as const,
                  },
              ]
            : []),
        {
            // RDS publishes this every minute while the instance runs, so silence means it is down:
            // this is the one RDS alarm that treats missing data as breaching.
            id: "db-free-storage", ...fiveMinutes, evaluationPeriods: 2, datapointsToAlarm: 2,
            description: "Less than 10 GiB free on the database volume (or the instance stopped reporting).",
            namespace: "AWS/RDS", metricName: "FreeStorageSpace", dimensions: rds, statistic: "Minimum",
            comparison: "LessThanThreshold", threshold: 10 * GiB, treatMissingData: "breaching",
        },
        {
            id: "db-freeable-memory", ...fiveMinutes, evaluationPeriods: 3, datapointsToAlarm: 3,
            description: "Less than 256 MiB freeable memory on the database: it is about to swap.",
            namespace: "AWS/RDS", metricName: "FreeableMemory", dimensions: rds, statistic: "Average",
            comparison: "LessThanThreshold", threshold: 256 * MiB, treatMissingData: "notBreaching",
        },
        {
            // max_connections defaults to DBInstanceClassMemory/12582880: about 680 on an 8 GiB class.
            id: "db-connections", ...fiveMinutes, evaluationPeriods: 2, datapointsToAlarm: 2,
            description: "More than 400 database connections: connection leak or runaway scale-out.",
            namespace: "AWS/RDS", metricName: "DatabaseConnections", dimensions: rds, statistic: "Maximum",
            comparison: "GreaterThanThreshold", threshold: 400, treatMissingData: "notBreaching",
        },
        {
            // Elastic throughput has no burst credits to run out of and scales its bandwidth itself;
            // the ceiling left is General Purpose mode's IOPS limit, which small-file PHP traffic hits
            // first. EFS submits PercentIOLimit for every General Purpose file system (efs-metrics.html:
            // "only submitted for file systems using the General Purpose performance mode"), which
            // storageFiles.ts declares; no AWS page exempts Elastic throughput. Elastic's IOPS ceiling
            // is far higher, so this fires late rather than never.
            id: "efs-io-limit", ...fiveMinutes, evaluationPeriods: 3, datapointsToAlarm: 3,
            description: "The shared file system is at 90% of its I/O limit: OpenEMR pages will stall.",
            namespace: "AWS/EFS", metricName: "PercentIOLimit", dimensions: efs, statistic: "Maximum",
            comparison: "GreaterThanOrEqualToThreshold", threshold: 90, treatMissingData: "notBreaching",
        },
        {
            // Capacity: EFS grows without limit and bills what it holds, so this is where the
            // documents outgrowing the planned size shows, before the bill does. Total is every
            // storage class at its metered size (efs-metrics.html, StorageBytes). EFS emits it every
            // 15 minutes (publishedMetrics.ts): hourly Maximum, one breaching hour is enough (growth
            // does not flap). Costs one standard alarm, $0.10 a month (cost-review.md (c), alarms).
            id: "efs-capacity", periodSeconds: 3600, evaluationPeriods: 1, datapointsToAlarm: 1,
            description:
                `The shared file system (OpenEMR's sites/, patient documents included) holds more than 80% of ` +
                `emr:sharedFiles capacityGb (${storage.filesCapacityGb} GiB): plan for the growth and raise capacityGb.`,
            namespace: "AWS/EFS", metricName: "StorageBytes", dimensions: { ...efs, StorageClass: "Total" }, statistic: "Maximum",
            comparison: "GreaterThanThreshold", threshold: 0.8 * storage.filesCapacityGb * GiB, treatMissingData: "notBreaching",
        },
        {
            // Every web server mounts sites/ at boot; no connection at all means the mount is broken
            // everywhere (and EFS sends no datapoint without clients, hence breaching).
            id: "efs-no-clients", ...fiveMinutes, evaluationPeriods: 2, datapointsToAlarm: 2,
            description: "No web server has the shared file system mounted.",
            namespace: "AWS/EFS", metricName: "ClientConnections", dimensions: efs, statistic: "Sum",
            comparison: "LessThanThreshold", threshold: 1, treatMissingData: "breaching",
        },
        {
            // OK an hour later only means no new failure: the failed recovery point is still missing.
            // AWS publishes the job counts per vault alone (and per vault and resource type), so the
            // vault alone counts the failures of the database and the file system together.
            id: "backup-failed", periodSeconds: 3600, evaluationPeriods: 1, datapointsToAlarm: 1,
            description: "An AWS Backup job failed: tonight's recovery point of the database or file system is missing.",
            namespace: "AWS/Backup", metricName: "NumberOfBackupJobsFailed", dimensions: vault, statistic: "Sum",
            comparison: "GreaterThanOrEqualToThreshold", threshold: 1, treatMissingData: "notBreaching",
        },
        {
            // Copy jobs run only with geo-redundant backups (or on demand); without them it stays OK.
            // Assumed: AWS counts a copy job under its source vault, the one named here (CopyJob has
            // SourceBackupVaultArn and DestinationBackupVaultArn; no AWS page says which one the
            // metric's BackupVaultName is). A restore drill with a copy settles it.
            id: "backup-copy-failed", periodSeconds: 3600, evaluationPeriods: 1, datapointsToAlarm: 1,
            description: "Copying a recovery point to the second region failed: the off-region copy is stale.",
            namespace: "AWS/Backup", metricName: "NumberOfCopyJobsFailed", dimensions: vault, statistic: "Sum",
            comparison: "GreaterThanOrEqualToThreshold", threshold: 1, treatMissingData: "notBreaching",
        },
        ...sessionAlarms(session),
    ];
}

/** Declares one alarm per spec, each notifying `topicArn` when it fires and when it clears. */
export function metricAlarms(
    name: string,
    specs: AlarmSpec[],
    topicArn: pulumi.Input<string>,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): cloudwatch.MetricAlarm[] {
    return specs.map(
        (spec) =>
            new cloudwatch.MetricAlarm(
                `${name}-${spec.id}`,
                {
                    alarmDescription: spec.description,
                    namespace: spec.namespace,
                    metricName: spec.metricName,
                    dimensions: spec.dimensions,
                    statistic: spec.statistic,
                    extendedStatistic: spec.extendedStatistic,
                    comparisonOperator: spec.comparison,
                    threshold: spec.threshold,
                    period: spec.periodSeconds,
                    evaluationPeriods: spec.evaluationPeriods,
                    datapointsToAlarm: spec.datapointsToAlarm,
                    treatMissingData: spec.treatMissingData,
                    // OK actions too, so on-call learns when it is over without opening the console.
                    alarmActions: [topicArn],
                    okActions: [topicArn],
                    tags,
                },
                { parent },
            ),
    );
}
