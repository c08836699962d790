/**
 * The CloudWatch metrics the alarms use, with every dimension set AWS publishes each one under.
 * CloudWatch treats each combination of dimensions as its own metric, so an alarm whose dimension
 * set AWS never emits stays in INSUFFICIENT_DATA (or OK, with `notBreaching`) for ever.
 *
 * Source of every row: CloudWatch User Guide, "Supported metrics for resource tags for telemetry"
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/SupportedMetricsForResourceTagsForTelemetry.html):
 * "each bullet in the Dimensions column is a combination of dimensions that are published together".
 * For EFS the service guide says the same (efs/latest/ug/efs-metrics.html: "All metrics except
 * for TimeSinceLastSync are for a single dimension, FileSystemId").
 */
export interface PublishedMetric {
    /** Each entry is one set of dimension names published together. */
    dimensionSets: readonly (readonly string[])[];
    /** When AWS publishes the metric at all, if not always. */
    emittedWhen?: string;
    /** The only values a dimension takes, where AWS documents them: any other value has no data. */
    dimensionValues?: Readonly<Record<string, readonly string[]>>;
    /** Seconds between the datapoints AWS emits, where it is longer than a minute: a shorter period mostly sees none. */
    emittedEverySeconds?: number;
}

const targetGroupSets = [["LoadBalancer", "TargetGroup"], ["AvailabilityZone", "LoadBalancer", "TargetGroup"]] as const;
const perRequestSets = [["LoadBalancer"], ["AvailabilityZone", "LoadBalancer"], ...targetGroupSets] as const;
const vaultSets = [["BackupVaultName"], ["BackupVaultName", "ResourceType"]] as const;

export const publishedMetrics = {
    "AWS/ApplicationELB": {
        HTTPCode_ELB_5XX_Count: { dimensionSets: [["LoadBalancer"], ["AvailabilityZone", "LoadBalancer"]] },
        HTTPCode_Target_5XX_Count: { dimensionSets: perRequestSets },
        TargetResponseTime: { dimensionSets: perRequestSets },
        HealthyHostCount: { dimensionSets: targetGroupSets },
        UnHealthyHostCount: { dimensionSets: targetGroupSets },
    },
    "AWS/RDS": {
        CPUUtilization: { dimensionSets: [["DBInstanceIdentifier"]] },
        // rds-metrics.html (AmazonRDS/latest/UserGuide): "This metric applies only to db.t2,
        // db.t3, and db.t4g instances"; RDS reports it at 5-minute intervals.
        CPUCreditBalance: { dimensionSets: [["DBInstanceIdentifier"]], emittedWhen: "on burstable classes only (db.t2, db.t3, db.t4g)", emittedEverySeconds: 300 },
        FreeStorageSpace: { dimensionSets: [["DBInstanceIdentifier"]] },
        FreeableMemory: { dimensionSets: [["DBInstanceIdentifier"]] },
        DatabaseConnections: { dimensionSets: [["DBInstanceIdentifier"]] },
    },
    "AWS/EFS": {
        ClientConnections: { dimensionSets: [["FileSystemId"]] },
        // efs-metrics.html: "The size of the file system in bytes, including the amount of data
        // stored in the EFS storage classes. This metric is emitted to CloudWatch every 15 minutes",
        // with the storage classes as its dimension values ("Total is the metered size (in bytes) of
        // data stored in the file system, in all storage classes"; Standard, IA, IASizeOverhead,
        // Archive, ArchiveSizeOverhead). Published with FileSystemId and StorageClass together
        // (aws-cdk-lib aws-efs efs-canned-metrics.generated.d.ts: storageBytesAverage({FileSystemId,
        // StorageClass})); the page's opening "single dimension, FileSystemId" does not hold for it.
        StorageBytes: {
            dimensionSets: [["FileSystemId", "StorageClass"]],
            dimensionValues: { StorageClass: ["Total", "Standard", "IA", "IASizeOverhead", "Archive", "ArchiveSizeOverhead"] },
            emittedEverySeconds: 900,
        },
        PercentIOLimit: {
            dimensionSets: [["FileSystemId"]],
            // efs-metrics.html: "This metric is only submitted for file systems using the General
            // Purpose performance mode"; no AWS page ties it to a throughput mode.
            emittedWhen: "performanceMode generalPurpose",
        },
    },
    // ElastiCache host and engine metrics are published per node: CacheClusterId (a replication
    // group's member, `<group>-001`) with CacheNodeId ("0001" in a cluster-mode-disabled member)
    // (ElastiCache user guide CacheMetrics.HostLevel / CacheMetrics.Redis: "dimensions ...
    // CacheClusterId, CacheNodeId"). ReplicationLag "is only applicable for a node running as a read
    // replica". Read from the guide's metric tables, not from the tag-telemetry page above.
    "AWS/ElastiCache": {
        DatabaseMemoryUsagePercentage: { dimensionSets: [["CacheClusterId", "CacheNodeId"], ["CacheClusterId"]] },
        CurrConnections: { dimensionSets: [["CacheClusterId", "CacheNodeId"], ["CacheClusterId"]] },
        ReplicationLag: { dimensionSets: [["CacheClusterId", "CacheNodeId"], ["CacheClusterId"]], emittedWhen: "on the node that is currently a replica" },
        // CacheMetrics.Redis (the Valkey-era page, docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html):
        // "IsMaster: Indicates whether the node is the primary node of current shard/cluster. The
        // metric can be either 0 (not primary) or 1 (primary)", an engine metric like the rows above,
        // so per node. An older revision of the guide spelled it IsPrimary (awsdocs/amazon-elasticache-docs
        // doc_source/CacheMetrics.Redis.md, beside "PrimaryLinkHealthStatus"); the current page
        // names both IsMaster and MasterLinkHealthStatus again: the metric kept its engine name.
        IsMaster: { dimensionSets: [["CacheClusterId", "CacheNodeId"], ["CacheClusterId"]] },
    },
    "AWS/Backup": {
        // Published per vault alone as well as per vault and resource type: an alarm on the vault
        // alone sees every failed job of the vault, whatever it backs up.
        NumberOfBackupJobsFailed: { dimensionSets: vaultSets },
        NumberOfCopyJobsFailed: { dimensionSets: vaultSets },
    },
} as const satisfies Record<string, Record<string, PublishedMetric>>;

export type AlarmNamespace = keyof typeof publishedMetrics;

/** The table's row for a metric, if AWS is documented to publish it. */
export function publishedMetric(namespace: string, metricName: string): PublishedMetric | undefined {
    return (publishedMetrics as Record<string, Record<string, PublishedMetric>>)[namespace]?.[metricName];
}

/**
 * Why an alarm's dimension values and period would see no (or mostly no) datapoints of a metric AWS
 * publishes under its dimension names: a value AWS never emits, a period shorter than AWS's interval.
 */
export function datapointProblems(metric: PublishedMetric, dimensions: Record<string, unknown>, periodSeconds: number): string[] {
    const values = Object.entries(metric.dimensionValues ?? {}).flatMap(([name, allowed]) =>
        allowed.includes(String(dimensions[name])) ? [] : [`${name} "${dimensions[name]}" is not a value AWS publishes (${allowed.join(", ")})`],
    );
    const every = metric.emittedEverySeconds;
    const period = every !== undefined && periodSeconds < every ? [`period ${periodSeconds} s is shorter than the ${every} s between the datapoints AWS emits`] : [];
    return [...values, ...period];
}

/** Why an alarm on this metric, dimensions and period could never (or seldom) see data; empty when AWS publishes it so. */
export function unpublishedMetricProblems(namespace: string, metricName: string, dimensions: Record<string, unknown>, periodSeconds: number): string[] {
    const metric = publishedMetric(namespace, metricName);
    if (!metric) return [`${namespace} ${metricName}: not in publishedMetrics (find the AWS page that lists it and add it)`];
    const wanted = Object.keys(dimensions).sort().join(",");
    const published = metric.dimensionSets.map((set) => [...set].sort().join(","));
    if (!published.includes(wanted)) return [`${namespace} ${metricName}: AWS publishes it by {${published.join("} or {")}}, never by {${wanted}}`];
    return datapointProblems(metric, dimensions, periodSeconds).map((problem) => `${namespace} ${metricName}: ${problem}`);
}
