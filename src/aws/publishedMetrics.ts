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
        FreeStorageSpace: { dimensionSets: [["DBInstanceIdentifier"]] },
        FreeableMemory: { dimensionSets: [["DBInstanceIdentifier"]] },
        DatabaseConnections: { dimensionSets: [["DBInstanceIdentifier"]] },
    },
    "AWS/EFS": {
        ClientConnections: { dimensionSets: [["FileSystemId"]] },
        PercentIOLimit: {
            dimensionSets: [["FileSystemId"]],
            // efs-metrics.html: "This metric is only submitted for file systems using the General
            // Purpose performance mode"; no AWS page ties it to a throughput mode.
            emittedWhen: "performanceMode generalPurpose",
        },
    },
    "AWS/Backup": {
        // Published per vault alone as well as per vault and resource type: an alarm on the vault
        // alone sees every failed job of the vault, whatever it backs up.
        NumberOfBackupJobsFailed: { dimensionSets: vaultSets },
        NumberOfCopyJobsFailed: { dimensionSets: vaultSets },
    },
} as const satisfies Record<string, Record<string, PublishedMetric>>;

export type AlarmNamespace = keyof typeof publishedMetrics;

/** Why an alarm on this metric and dimension set could never see data; empty when AWS publishes it. */
export function unpublishedMetricProblems(namespace: string, metricName: string, dimensionNames: string[]): string[] {
    const metrics = (publishedMetrics as Record<string, Record<string, PublishedMetric>>)[namespace];
    const metric = metrics?.[metricName];
    if (!metric) return [`${namespace} ${metricName}: not in publishedMetrics (find the AWS page that lists it and add it)`];
    const wanted = [...dimensionNames].sort().join(",");
    const published = metric.dimensionSets.map((set) => [...set].sort().join(","));
    return published.includes(wanted) ? [] : [`${namespace} ${metricName}: AWS publishes it by {${published.join("} or {")}}, never by {${wanted}}`];
}
