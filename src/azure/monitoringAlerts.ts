import * as monitor from "@pulumi/azure-native/monitor";
import type * as inputs from "@pulumi/azure-native/types/input";
import type * as pulumi from "@pulumi/pulumi";

/** The window sizes and evaluation frequencies the metric alert API accepts. */
type Duration = "PT1M" | "PT5M" | "PT15M" | "PT30M" | "PT1H" | "PT6H" | "PT12H" | "P1D";

/**
 * One metric alert, as data. Namespaces, metric names, dimensions and aggregations are the ones
 * Azure Monitor publishes for each resource type ("Supported metrics" reference pages): a metric
 * the resource never emits gives an alert that can never fire.
 */
export interface AlertSpec {
    /** Role of the alert; the rule is named `${component}-${id}`. */
    id: string;
    /** What it means and what to look at first (shown in the notification). */
    description: string;
    /** The one resource that emits the metric (single-resource criteria). */
    scope: pulumi.Input<string>;
    namespace:
        | "Microsoft.Network/applicationGateways"
        | "Microsoft.Compute/virtualMachineScaleSets"
        | "Microsoft.DBforMySQL/flexibleServers"
        | "Microsoft.Storage/storageAccounts"
        | "Microsoft.Storage/storageAccounts/fileServices"
        | "Microsoft.Logic/workflows"
        | "Microsoft.Cache/redisEnterprise";
    metricName: string;
    aggregation: "Average" | "Minimum" | "Maximum" | "Total" | "Count";
    operator: "GreaterThan" | "GreaterThanOrEqual" | "LessThan";
    threshold: number;
    dimensions?: inputs.monitor.MetricDimensionArgs[];
    /** 0 critical (the EMR is down), 1 error, 2 warning. */
    severity: 0 | 1 | 2;
    windowSize: Duration;
    evaluationFrequency: Duration;
    /** Resolve by itself once the condition clears; false where clearing does not undo the damage. */
    autoMitigate: boolean;
}

/** The resources watched, by id. */
export interface AlertTargets {
    gateway: pulumi.Input<string>;
    servers: pulumi.Input<string>;
    database: pulumi.Input<string>;
    filesAccount: pulumi.Input<string>;
    /** The shared files' file service (<account>/fileServices/default), its share and provisioned GiB. */
    fileShare: { serviceId: pulumi.Input<string>; name: pulumi.Input<string>; quotaGiB: number };
    /** The Logic App that snapshots the shared files (their backup). */
    snapshotWorkflow: pulumi.Input<string>;
    /** The Azure Managed Redis cluster holding the PHP sessions. */
    sessionStore: pulumi.Input<string>;
}

/**
 * The alerts on the web, database, storage and backup tiers. Azure never evaluates a window without
 * data as breaching, so an outage that silences a metric is caught by another alert (no healthy
 * host, availability) rather than by the silent one.
 */
export function alertSpecs(t: AlertTargets): AlertSpec[] {
    const gateway = { scope: t.gateway, namespace: "Microsoft.Network/applicationGateways" } as const;
    const mysql = { scope: t.database, namespace: "Microsoft.DBforMySQL/flexibleServers" } as const;
    // Azure Managed Redis metric names as Azure Monitor's supported-metrics table for
    // Microsoft.Cache/redisEnterprise lists them (azure-docs articles/azure-monitor/essentials/
    // metrics-supported.md, section "Microsoft.Cache/redisEnterprise": "usedmemorypercentage ...
    // Percent|Maximum||InstanceId", "connectedclients ... Count|Maximum||InstanceId", "serverLoad ...
    // Percent|Maximum", "errors|Yes|Errors|Count|Maximum||InstanceId, ErrorType"; today's page,
    // learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-cache-redisenterprise-metrics,
    // is generated from the same definitions).
    const redis = { scope: t.sessionStore, namespace: "Microsoft.Cache/redisEnterprise" } as const;
    // Fifteen-minute windows checked every five minutes: pages within ~20 minutes, while one slow
    // request or a server still running OpenEMR's first-boot install does not wake anybody.
    const sustained = { windowSize: "PT15M", evaluationFrequency: "PT5M", autoMitigate: true } as const;
    // Five-minute windows checked every minute, for what must page at once (an outage, a failover).
    const prompt = { windowSize: "PT5M", evaluationFrequency: "PT1M", autoMitigate: true } as const;
    return [
        {
            id: "unhealthy-hosts", ...gateway, ...sustained, severity: 1,
            description: "A web server has failed the gateway's health probe for 15 minutes and was not repaired.",
            // Averaged per minute over the window: >= 1 means a server unhealthy for (about) all of it.
            metricName: "UnhealthyHostCount", aggregation: "Average", operator: "GreaterThanOrEqual", threshold: 1,
        },
        {
            id: "no-healthy-hosts", ...gateway, severity: 0, ...prompt,
            description: "No healthy web server behind the Application Gateway: the EMR is unavailable.",
            metricName: "HealthyHostCount", aggregation: "Average", operator: "LessThan", threshold: 1,
        },
        {
            // ResponseStatus is what users received: the servers' own 5xx and the gateway's 502/504.
            // BackendResponseStatus would page a second time for the same incident.
            id: "gateway-5xx", ...gateway, severity: 1, ...prompt,
            description: "Users received 5xx answers: check backend health, the web servers' logs and the database.",
            metricName: "ResponseStatus", aggregation: "Total", operator: "GreaterThanOrEqual", threshold: 10,
            dimensions: [{ name: "HttpStatusGroup", operator: "Include", values: ["5xx"] }],
        },
        {
            // Backend time, not ApplicationGatewayTotalTime: a clinic's slow uplink must not page.
            id: "backend-latency", ...gateway, ...sustained, severity: 2,
            description: "Web servers take over 3 s per response on average: servers saturated or the database slow.",
            metricName: "BackendLastByteResponseTime", aggregation: "Average", operator: "GreaterThan", threshold: 3000,
        },
        {
            // Autoscale adds servers well below this; sustained 85% means the group is at its maximum.
            id: "servers-cpu", scope: t.servers, namespace: "Microsoft.Compute/virtualMachineScaleSets", ...sustained, severity: 2,
            description: "Web servers above 85% CPU for 15 minutes despite autoscaling: raise the maximum or the size.",
            metricName: "Percentage CPU", aggregation: "Average", operator: "GreaterThan", threshold: 85,
        },
        {
            id: "db-cpu", ...mysql, ...sustained, severity: 2,
            description: "Database CPU above 80% for 15 minutes: slow queries or an undersized server.",
            metricName: "cpu_percent", aggregation: "Average", operator: "GreaterThan", threshold: 80,
        },
        {
            // The InnoDB buffer pool keeps memory_percent high by design; 90% leaves no room for connections.
            id: "db-memory", ...mysql, ...sustained, severity: 2,
            description: "Database memory above 90% for 15 minutes: it is about to swap or kill connections.",
            metricName: "memory_percent", aggregation: "Average", operator: "GreaterThan", threshold: 90,
        },
        {
            // Storage auto-grow acts before 90% (below 10% or 5 GiB free), so reaching it means it cannot.
            id: "db-storage", ...mysql, ...sustained, severity: 1,
            description: "Database storage above 90% used: auto-grow is not keeping up or the maximum is reached.",
            metricName: "storage_percent", aggregation: "Maximum", operator: "GreaterThan", threshold: 90,
        },
        {
            id: "db-connections", ...mysql, severity: 2, ...prompt,
            description: "More than 400 database connections: connection leak or runaway scale-out.",
            metricName: "active_connections", aggregation: "Maximum", operator: "GreaterThan", threshold: 400,
        },
        {
            // The zone-redundant standby applies the primary's changes; while it lags, a failover
            // takes longer (it must catch up first). Metric name from Microsoft's supported-metrics
            // list for Microsoft.DBforMySQL/flexibleServers ("HA Replication Lag", REST name
            // HA_replication_lag, seconds, PT1M). `replication_lag` is the READ-REPLICA lag; the HA
            // concepts page's table (concepts-high-availability.md, 2025-08) names the metrics
            // loosely, the supported-metrics reference is generated from the service's definitions.
            id: "db-ha-lag", ...mysql, ...sustained, severity: 1,
            description: "The standby database is over 30 s behind the primary: a zone failover would be slow.",
            metricName: "HA_replication_lag", aggregation: "Average", operator: "GreaterThan", threshold: 30,
        },
        {
            id: "files-availability", scope: t.filesAccount, namespace: "Microsoft.Storage/storageAccounts", ...sustained, severity: 1,
            description: "The shared file system (OpenEMR sites/, patient documents included) answered below 99.9% of requests without error for 15 minutes.",
            metricName: "Availability", aggregation: "Average", operator: "LessThan", threshold: 99.9,
        },
        {
            // A premium share is full at its provisioned quota: writes fail (new documents, session
            // files, uploads) although nothing else is wrong. FileCapacity, "The amount of File storage
            // used by the storage account", Bytes, Average, dimensions FileShare and Tier, time grain
            // PT1H (supported metrics, Microsoft.Storage/storageAccounts/fileServices); the FileShare
            // dimension exists only for premium shares (storage-files-monitoring-reference.md), which
            // this is. Hourly data: a 6-hour window checked hourly always holds data points.
            id: "files-capacity", scope: t.fileShare.serviceId, namespace: "Microsoft.Storage/storageAccounts/fileServices", severity: 2,
            windowSize: "PT6H", evaluationFrequency: "PT1H", autoMitigate: true,
            description: `The shared file system (OpenEMR sites/, patient documents included) is over 80% of its ${t.fileShare.quotaGiB} GiB: raise emr:sharedFiles capacityGb before writes fail.`,
            metricName: "FileCapacity", aggregation: "Average", operator: "GreaterThan", threshold: capacityAlertBytes(t.fileShare.quotaGiB),
            dimensions: [{ name: "FileShare", operator: "Include", values: [t.fileShare.name] }],
        },
        {
            // The daily snapshot run (storageSnapshots.ts) failed: RunsFailed, "Number of failed
            // workflow runs", Count, aggregation Total (learn.microsoft.com/azure/azure-monitor/
            // reference/supported-metrics/microsoft-logic-workflows-metrics). Not auto-mitigated: an
            // hour without a new failure does not bring the missing snapshot back, so on-call closes
            // it after a successful rerun (Logic App > Run trigger).
            id: "backup-failed", scope: t.snapshotWorkflow, namespace: "Microsoft.Logic/workflows", severity: 1,
            windowSize: "PT1H", evaluationFrequency: "PT1H", autoMitigate: false,
            description: "The snapshot job of the shared file system failed: tonight's snapshot may be missing or old ones were not pruned.",
            metricName: "RunsFailed", aggregation: "Total", operator: "GreaterThanOrEqual", threshold: 1,
        },
        {
            id: "sessions-memory", ...redis, ...sustained, severity: 1,
            description: "The session store is over 80% of its memory: sessions will be evicted (users logged out); scale the SKU.",
            metricName: "usedmemorypercentage", aggregation: "Maximum", operator: "GreaterThan", threshold: 80,
        },
        {
            id: "sessions-connections", ...redis, ...sustained, severity: 2,
            description: "The session store holds over 5,000 client connections: a connection leak or a flood of servers.",
            metricName: "connectedclients", aggregation: "Maximum", operator: "GreaterThan", threshold: 5000,
        },
        {
            // A failover: the replica in the other zone was promoted. The Errors metric's ErrorType
            // "Failover – when a cache fails over (subordinate promotes to primary)" (azure-docs
            // articles/redis/monitor-cache-reference.md, "Errors", the reference for both
            // Microsoft.Cache/redis and Microsoft.Cache/redisEnterprise; redisEnterprise publishes
            // `errors` by InstanceId and ErrorType, metrics-supported.md above). Azure Managed Redis
            // has no role metric like ElastiCache's IsMaster, and the Resource Health checks page
            // (articles/service-health/resource-health-checks-resource-types.md) lists
            // Microsoft.Cache/Redis but not redisEnterprise, so an Activity Log ResourceHealth alert
            // on the cluster is not documented to fire. Any failover in five minutes pages once;
            // resolved by itself, since the promoted node already serves the sessions.
            id: "sessions-failover", ...redis, severity: 1, ...prompt,
            description: "The session store failed over (a replica was promoted): sessions written in the last moments may be lost, and the store has no standby until the lost node is rebuilt.",
            metricName: "errors", aggregation: "Maximum", operator: "GreaterThan", threshold: 0,
            dimensions: [{ name: "ErrorType", operator: "Include", values: ["Failover"] }],
        },
        {
            id: "sessions-server-load", ...redis, ...sustained, severity: 2,
            description: "The session store's server load is over 80% for 15 minutes: logins and page loads slow down; scale the SKU.",
            metricName: "serverLoad", aggregation: "Average", operator: "GreaterThan", threshold: 80,
        },
    ];
}

/** The share's capacity alert threshold: 80% of its provisioned GiB, in bytes (FileCapacity's unit). */
export function capacityAlertBytes(quotaGiB: number): number {
    return Math.floor(0.8 * quotaGiB * 2 ** 30);
}

/** Declares one metric alert per spec, each notifying the action group when it fires and resolves. */
export function metricAlerts(
    name: string,
    specs: AlertSpec[],
    args: { actionGroupId: pulumi.Input<string>; resourceGroupName: pulumi.Input<string>; tags: Record<string, string> },
    parent: pulumi.Resource,
): monitor.MetricAlert[] {
    return specs.map(
        (spec) =>
            new monitor.MetricAlert(
                `${name}-${spec.id}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    location: "global",
                    description: spec.description,
                    enabled: true,
                    severity: spec.severity,
                    scopes: [spec.scope],
                    windowSize: spec.windowSize,
                    evaluationFrequency: spec.evaluationFrequency,
                    autoMitigate: spec.autoMitigate,
                    criteria: {
                        odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                        allOf: [
                            {
                                criterionType: "StaticThresholdCriterion",
                                name: spec.id,
                                metricNamespace: spec.namespace,
                                metricName: spec.metricName,
                                timeAggregation: spec.aggregation,
                                operator: spec.operator,
                                threshold: spec.threshold,
                                dimensions: spec.dimensions,
                            },
                        ],
                    },
                    actions: [{ actionGroupId: args.actionGroupId }],
                    tags: args.tags,
                },
                { parent },
            ),
    );
}
