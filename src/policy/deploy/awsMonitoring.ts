import { datapointProblems, publishedMetric } from "../../aws/publishedMetrics";
import type { PlannedResource } from "../../plan/capture";
import type { Graph } from "../../plan/graph";
import type { StackRule, Violation } from "../types";

const metricAlarm = "aws:cloudwatch/metricAlarm:MetricAlarm";

/**
 * The `emittedWhen` conditions of src/aws/publishedMetrics.ts, made checkable against the graph:
 * why AWS would not publish the metric for what the alarm watches, or undefined.
 */
export const emittedOnlyWhen: Record<string, (graph: Graph, alarm: PlannedResource) => string | undefined> = {
    // efs-metrics.html: "This metric is only submitted for file systems using the General Purpose performance mode."
    "AWS/EFS PercentIOLimit"(graph, alarm) {
        const fs = graph.referenced(alarm.inputs.dimensions?.FileSystemId);
        // "generalPurpose" is the default (@pulumi/aws 7.48.0 efs/fileSystem.d.ts:120, performanceMode).
        const mode = fs?.inputs.performanceMode ?? "generalPurpose";
        return mode === "generalPurpose" ? undefined : `${fs?.key} has performanceMode "${mode}", and AWS submits PercentIOLimit only for generalPurpose`;
    },
    // ElastiCache CacheMetrics.Redis: ReplicationLag "is only applicable for a node running as a read
    // replica": a group without a replica never publishes it.
    "AWS/ElastiCache ReplicationLag"(graph, alarm) {
        const member = String(alarm.inputs.dimensions?.CacheClusterId ?? "");
        const group = graph.ofType("aws:elasticache/replicationGroup:ReplicationGroup").find((g) => member.startsWith(`${g.id}-`));
        const nodes = Number(group?.inputs.numCacheClusters ?? 1);
        return nodes >= 2 ? undefined : `${group?.key ?? member} has ${nodes} node(s), and ElastiCache publishes ReplicationLag only on a replica`;
    },
    // rds-metrics.html: CPUCreditBalance "applies only to db.t2, db.t3, and db.t4g instances".
    "AWS/RDS CPUCreditBalance"(graph, alarm) {
        const id = alarm.inputs.dimensions?.DBInstanceIdentifier;
        const db = graph.ofType("aws:rds/instance:Instance").find((r) => r.inputs.identifier === id || r.outputs.identifier === id);
        const cls = String(db?.inputs.instanceClass ?? "");
        return /^db\.t[234]g?\./.test(cls) ? undefined : `${db?.key ?? id} is ${cls || "not a declared instance"}, and RDS publishes CPUCreditBalance only for burstable classes (db.t2, db.t3, db.t4g)`;
    },
};

function problem(graph: Graph, alarm: PlannedResource): string | undefined {
    const { namespace, metricName } = alarm.inputs;
    if (namespace === undefined) return undefined; // metric math (metricQueries) names its metrics elsewhere
    const metric = publishedMetric(namespace, metricName);
    const dims = Object.keys(alarm.inputs.dimensions ?? {}).sort();
    const what = `namespace "${namespace}", metricName "${metricName}", dimensions {${dims.join(", ")}}`;
    if (!metric) return `${what}: not a metric AWS is documented to publish (src/aws/publishedMetrics.ts has no row for it; add one with its source)`;
    const sets = metric.dimensionSets.map((set) => [...set].sort().join(", "));
    if (!sets.includes(dims.join(", "))) return `${what}: AWS publishes ${metricName} by {${sets.join("} or {")}} only, so the alarm never sees a datapoint`;
    const seldom = datapointProblems(metric, alarm.inputs.dimensions ?? {}, Number(alarm.inputs.period));
    if (seldom.length) return `${what}: ${seldom.join("; ")}, so the alarm sees no datapoint (or one in several periods)`;
    const unpublished = emittedOnlyWhen[`${namespace} ${metricName}`]?.(graph, alarm);
    return unpublished && `${what}: ${unpublished}, so the alarm never sees a datapoint`;
}

export const alarmMetricRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AWS-ALARM-DOCUMENTED-METRIC",
    title: "CloudWatch alarms watch a metric and dimension set AWS documents publishing",
    category: "deploy",
    cloud: "aws",
    severity: "error",
    source: [
        // "each bullet in the Dimensions column is a combination of dimensions that are published together"
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/SupportedMetricsForResourceTagsForTelemetry.html",
        "https://docs.aws.amazon.com/efs/latest/ug/efs-metrics.html",
        "src/aws/publishedMetrics.ts (the table, one source per row)",
    ],
    appliesTo: [metricAlarm],
    check(graph): Violation[] {
        return graph.ofType(metricAlarm).flatMap((alarm) => {
            const reason = problem(graph, alarm);
            return reason ? [{ resourceKey: alarm.key, reason }] : [];
        });
    },
};
