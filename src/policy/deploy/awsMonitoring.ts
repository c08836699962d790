import type { PlannedResource } from "../../plan/capture";
import type { Graph } from "../../plan/graph";
import type { StackRule, Violation } from "../types";

const metricAlarm = "aws:cloudwatch/metricAlarm:MetricAlarm";

interface MetricDoc {
    /** The dimension sets AWS publishes the metric with (order does not matter). */
    dimensions: string[][];
    /** What else must hold for AWS to publish it at all; returns why not. */
    publishedUnless?: (graph: Graph, alarm: PlannedResource) => string | undefined;
}

interface NamespaceDoc {
    source: string;
    metrics: Record<string, MetricDoc>;
}

const albTargets = [["LoadBalancer"], ["AvailabilityZone", "LoadBalancer"], ["TargetGroup", "LoadBalancer"], ["AvailabilityZone", "TargetGroup", "LoadBalancer"]];
const rdsInstance = [["DBInstanceIdentifier"], ["DatabaseClass"], ["EngineName"]];
const efsFileSystem = [["FileSystemId"]];

/**
 * The metrics and dimension sets each namespace documents, for the metrics this program alarms on.
 * A metric or dimension set missing here is not documented (yet): an alarm on a metric AWS never
 * publishes stays in OK or INSUFFICIENT_DATA for ever. Add a row only with its source.
 * AWS/Backup is absent on purpose: no AWS page read so far lists the dimension sets its job
 * metrics are published with (shared/reviews/aws-deploy-review.md, "Could not determine").
 */
export const documentedMetrics: Record<string, NamespaceDoc> = {
    "AWS/ApplicationELB": {
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html",
        metrics: {
            HTTPCode_ELB_5XX_Count: { dimensions: [["LoadBalancer"], ["AvailabilityZone", "LoadBalancer"]] },
            HTTPCode_Target_5XX_Count: { dimensions: albTargets },
            TargetResponseTime: { dimensions: albTargets },
            RequestCount: { dimensions: albTargets },
            HealthyHostCount: { dimensions: [["TargetGroup", "LoadBalancer"], ["AvailabilityZone", "TargetGroup", "LoadBalancer"]] },
            UnHealthyHostCount: { dimensions: [["TargetGroup", "LoadBalancer"], ["AvailabilityZone", "TargetGroup", "LoadBalancer"]] },
        },
    },
    "AWS/RDS": {
        // "You can filter Amazon RDS metrics data by using any dimension in the following table."
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/dimensions.html",
        metrics: {
            CPUUtilization: { dimensions: rdsInstance },
            FreeStorageSpace: { dimensions: rdsInstance },
            FreeableMemory: { dimensions: rdsInstance },
            DatabaseConnections: { dimensions: rdsInstance },
        },
    },
    "AWS/EFS": {
        // "All metrics except TimeSinceLastSync are single-dimension metrics for FileSystemId."
        source: "https://docs.aws.amazon.com/efs/latest/ug/efs-metrics.html",
        metrics: {
            ClientConnections: { dimensions: efsFileSystem },
            BurstCreditBalance: { dimensions: efsFileSystem },
            // "Note: This metric is only submitted for file systems using the General Purpose performance mode."
            PercentIOLimit: {
                dimensions: efsFileSystem,
                publishedUnless(graph, alarm) {
                    const fs = graph.referenced(alarm.inputs.dimensions?.FileSystemId);
                    // generalPurpose is the default (@pulumi/aws 7.48.0 efs/fileSystem.d.ts, performanceMode).
                    const mode = fs?.inputs.performanceMode ?? "generalPurpose";
                    return mode === "generalPurpose" ? undefined : `the file system ${fs?.key} uses performanceMode "${mode}"; PercentIOLimit is published only for generalPurpose`;
                },
            },
        },
    },
};

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((d) => b.includes(d));

function problem(graph: Graph, alarm: PlannedResource): string | undefined {
    const { namespace, metricName } = alarm.inputs;
    if (namespace === undefined) return undefined; // metric-math alarms (metricQueries) name their metrics elsewhere
    const ns = documentedMetrics[namespace];
    const metric = ns?.metrics[metricName];
    const dims = Object.keys(alarm.inputs.dimensions ?? {}).sort();
    const what = `${namespace} ${metricName} with dimensions [${dims.join(", ")}]`;
    if (!ns) return `namespace "${namespace}" (${what}) has no documented metric table here: find the AWS page listing its metrics and dimensions and add it`;
    if (!metric) return `${what}: "${metricName}" is not a metric ${namespace} documents (${ns.source})`;
    if (!metric.dimensions.some((set) => sameSet(set, dims))) {
        return `${what}: ${namespace} publishes ${metricName} only with ${metric.dimensions.map((s) => `[${s.join(", ")}]`).join(" or ")} (${ns.source}); the alarm can never fire`;
    }
    const unpublished = metric.publishedUnless?.(graph, alarm);
    return unpublished && `${what}: ${unpublished} (${ns.source}); the alarm can never fire`;
}

export const alarmMetricRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AWS-ALARM-DOCUMENTED-METRIC",
    title: "CloudWatch alarms watch a metric and dimension set the service documents publishing",
    category: "deploy",
    cloud: "aws",
    severity: "error",
    source: [...Object.values(documentedMetrics).map((n) => n.source), "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension"],
    appliesTo: [metricAlarm],
    check(graph): Violation[] {
        return graph.ofType(metricAlarm).flatMap((alarm) => {
            const reason = problem(graph, alarm);
            return reason ? [{ resourceKey: alarm.key, reason }] : [];
        });
    },
};
