import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { AzureMonitoring, AzureMonitoringArgs } from "../../src/azure/monitoring";
import { alertSpecs } from "../../src/azure/monitoringAlerts";
import type { PlannedResource } from "../../src/plan/capture";
import { mockSubscriptionId } from "../../src/plan/mocks";
import { tableRetentionOf } from "./tableRetention";
import { baseConfig, runStack, type Graph } from "../harness";

// Records what src/emr.ts hands the monitoring tier, so scopes can be checked against the other
// tiers' real outputs (stubs today, real resources once those tiers land).
const built = vi.hoisted(() => ({ runs: [] as { args: unknown; tier: unknown }[] }));
vi.mock("../../src/azure/monitoring", async (importOriginal) => {
    const real = await importOriginal<typeof import("../../src/azure/monitoring")>();
    class RecordedMonitoring extends real.AzureMonitoring {
        constructor(...params: ConstructorParameters<typeof real.AzureMonitoring>) {
            super(...params);
            built.runs.push({ args: params[1], tier: this });
        }
    }
    return { ...real, AzureMonitoring: RecordedMonitoring };
});

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((done) => output.apply((v) => done(v)));

/** The stack, plus the resolved ids of what the monitoring tier watches and outputs. */
async function monitoredStack(config: Record<string, string>, stack?: string) {
    built.runs.length = 0;
    const g = (await runStack(config, stack, { fresh: true })).ok();
    const { args, tier } = built.runs[0] as { args: AzureMonitoringArgs; tier: AzureMonitoring };
    const group = await valueOf(args.net.resourceGroupId);
    // The storage accounts and vault by id: the storage tier's resources, in the network tier's group.
    const inGroup = (type: string, name: string) => `${group}/providers/${type}/${name}`;
    const tiers = {
        gateway: await valueOf(args.web.loadBalancerId),
        servers: await valueOf(args.web.serverGroupId),
        database: await valueOf(args.db.serverId),
        filesAccount: inGroup("Microsoft.Storage/storageAccounts", await valueOf(args.storage.filesAccountName)),
        snapshotWorkflow: await valueOf(args.storage.snapshotWorkflowId),
        fileService: `${inGroup("Microsoft.Storage/storageAccounts", await valueOf(args.storage.filesAccountName))}/fileServices/default`,
        alertTopic: await valueOf(tier.alertTopic),
        auditTrail: await valueOf(tier.auditTrail),
    };
    return { g, tiers };
}

const MONITORING = "emr:azure:Monitoring";
const actionGroupOf = (g: Graph) => g.one("azure-native:monitor:ActionGroup");
const alertsOf = (g: Graph) => g.ofType("azure-native:monitor:MetricAlert");
const criterionOf = (alert: PlannedResource) => alert.inputs.criteria.allOf[0];
const alertOn = (g: Graph, metricName: string) => {
    const found = alertsOf(g).filter((a) => criterionOf(a).metricName === metricName);
    expect(found, metricName).toHaveLength(1);
    return found[0];
};
const settingsOf = (g: Graph) => g.ofType("azure-native:monitor:DiagnosticSetting");
const ownSettingsOf = (g: Graph) => settingsOf(g).filter((s) => g.tierOf(s)?.type === MONITORING);
const workspaceOf = (g: Graph) => g.one("azure-native:operationalinsights:Workspace");
/** Minutes in an ISO 8601 duration of the forms the alert API takes (PT5M, PT1H, P1D). */
const minutes = (duration: string) => {
    const [, days, hours, mins] = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(duration)!;
    return Number(days ?? 0) * 1440 + Number(hours ?? 0) * 60 + Number(mins ?? 0);
};

describe("azure Monitoring (default config)", () => {
    let g: Graph;
    let tiers: Awaited<ReturnType<typeof monitoredStack>>["tiers"];
    beforeAll(async () => ({ g, tiers } = await monitoredStack({ ...baseConfig.azure })), 120_000);

    it("mails the alert address from an enabled global action group, which is the alert topic", () => {
        const group = actionGroupOf(g);
        expect(g.tierOf(group)?.type).toBe(MONITORING);
        expect(group.inputs).toMatchObject({ location: "global", enabled: true, groupShortName: "emr-test" });
        expect(group.inputs.emailReceivers).toEqual([
            { name: "on-call", emailAddress: baseConfig.azure["emr:alertEmail"], useCommonAlertSchema: true },
        ]);
        expect(tiers.alertTopic).toBe(group.id);
        expect(g.run.outputs.alertTopic).toBe(group.id);
    });

    it("notifies the action group from every alert: global, enabled, one resource, one static threshold", () => {
        const groupId = actionGroupOf(g).id;
        expect(alertsOf(g).length).toBeGreaterThan(0);
        for (const alert of alertsOf(g)) {
            const { inputs } = alert;
            expect(g.tierOf(alert)?.type, alert.name).toBe(MONITORING);
            expect(inputs.actions, alert.name).toEqual([{ actionGroupId: groupId }]);
            expect([inputs.location, inputs.enabled, inputs.scopes.length], alert.name).toEqual(["global", true, 1]);
            expect(inputs.criteria.odataType, alert.name).toBe("Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria");
            expect(inputs.criteria.allOf, alert.name).toHaveLength(1);
            expect(criterionOf(alert).criterionType, alert.name).toBe("StaticThresholdCriterion");
            expect([0, 1, 2], alert.name).toContain(inputs.severity);
            expect(minutes(inputs.evaluationFrequency), alert.name).toBeLessThanOrEqual(minutes(inputs.windowSize));
        }
    });

    it("alerts on exactly these published metrics, each scoped to the resource that emits it", () => {
        // toEqual ignores undefined members: an unresolved tier output must fail here, not vanish.
        for (const [field, value] of Object.entries(tiers)) expect(value, field).toMatch(/\S/);
        const gateway = [tiers.gateway, "Microsoft.Network/applicationGateways"];
        const mysql = [tiers.database, "Microsoft.DBforMySQL/flexibleServers"];
        const redis = g.one("azure-native:redisenterprise:RedisEnterprise").id;
        const seen = alertsOf(g).map((a) => [a.inputs.scopes[0], criterionOf(a).metricNamespace, criterionOf(a).metricName]);
        expect(seen).toEqual(
            expect.arrayContaining([
                [...gateway, "UnhealthyHostCount"],
                [...gateway, "HealthyHostCount"],
                [...gateway, "ResponseStatus"],
                [...gateway, "BackendLastByteResponseTime"],
                [tiers.servers, "Microsoft.Compute/virtualMachineScaleSets", "Percentage CPU"],
                [...mysql, "cpu_percent"],
                [...mysql, "memory_percent"],
                [...mysql, "storage_percent"],
                [...mysql, "active_connections"],
                [...mysql, "HA_replication_lag"],
                [tiers.filesAccount, "Microsoft.Storage/storageAccounts", "Availability"],
                [tiers.snapshotWorkflow, "Microsoft.Logic/workflows", "RunsFailed"],
                [tiers.fileService, "Microsoft.Storage/storageAccounts/fileServices", "FileCapacity"],
                ...["usedmemorypercentage", "connectedclients", "serverLoad", "errors"].map((m) => [redis, "Microsoft.Cache/redisEnterprise", m]),
            ]),
        );
        expect(seen).toHaveLength(17);
    });

    it("fires on the right side of each threshold, with the aggregation each metric supports", () => {
        const expected: Record<string, [string, string, number]> = {
            UnhealthyHostCount: ["Average", "GreaterThanOrEqual", 1],
            HealthyHostCount: ["Average", "LessThan", 1],
            ResponseStatus: ["Total", "GreaterThanOrEqual", 10],
            BackendLastByteResponseTime: ["Average", "GreaterThan", 3000],
            "Percentage CPU": ["Average", "GreaterThan", 85],
            cpu_percent: ["Average", "GreaterThan", 80],
            memory_percent: ["Average", "GreaterThan", 90],
            storage_percent: ["Maximum", "GreaterThan", 90],
            active_connections: ["Maximum", "GreaterThan", 400],
            HA_replication_lag: ["Average", "GreaterThan", 30],
            RunsFailed: ["Total", "GreaterThanOrEqual", 1],
            // 80% of the default 100 GiB share, in bytes.
            FileCapacity: ["Average", "GreaterThan", 0.8 * 100 * 2 ** 30],
        };
        for (const [metric, values] of Object.entries(expected)) {
            const c = criterionOf(alertOn(g, metric));
            expect([c.timeAggregation, c.operator, c.threshold], metric).toEqual(values);
        }
        for (const alert of alertsOf(g).filter((a) => criterionOf(a).metricName === "Availability")) {
            expect(criterionOf(alert)).toMatchObject({ timeAggregation: "Average", operator: "LessThan", threshold: 99.9 });
        }
        // The share the servers mount only; hourly metric, so the window holds several points.
        const capacity = alertOn(g, "FileCapacity");
        expect(criterionOf(capacity).dimensions).toEqual([{ name: "FileShare", operator: "Include", values: ["sites"] }]);
        expect(minutes(capacity.inputs.windowSize)).toBeGreaterThan(60);
        // The session store's failovers only, not its other error types (persistence, import, Entra tokens).
        const failover = alertOn(g, "errors");
        expect([criterionOf(failover).timeAggregation, criterionOf(failover).operator, criterionOf(failover).threshold]).toEqual(["Maximum", "GreaterThan", 0]);
        expect(criterionOf(failover).dimensions).toEqual([{ name: "ErrorType", operator: "Include", values: ["Failover"] }]);
        expect(failover.inputs.severity).toBe(1);
        // 5xx only.
        expect(criterionOf(alertOn(g, "ResponseStatus")).dimensions).toEqual([{ name: "HttpStatusGroup", operator: "Include", values: ["5xx"] }]);
        // The EMR being down is the one critical alert; a failed backup stays open until someone acts.
        expect(alertsOf(g).filter((a) => a.inputs.severity === 0).map((a) => criterionOf(a).metricName)).toEqual(["HealthyHostCount"]);
        expect(alertsOf(g).filter((a) => a.inputs.autoMitigate !== true).map((a) => criterionOf(a).metricName)).toEqual(["RunsFailed"]);
    });

    it("exports every Activity Log category of the subscription to the workspace as the audit trail", () => {
        // The tier's only diagnostic setting: resource logs belong to the tiers owning the resources.
        const trail = ownSettingsOf(g);
        expect(trail.map((s) => s.inputs.resourceUri)).toEqual([`/subscriptions/${mockSubscriptionId}`]);
        expect(trail[0].inputs.workspaceId).toBe(workspaceOf(g).id);
        expect(trail[0].inputs.logs).toEqual(
            ["Administrative", "Security", "ServiceHealth", "Alert", "Recommendation", "Policy", "Autoscale", "ResourceHealth"].map(
                (category) => ({ category, enabled: true }),
            ),
        );
        // The Activity Log has a single table (AzureActivity): no destination type to choose.
        expect(trail[0].inputs.logAnalyticsDestinationType).toBeUndefined();
        expect(tiers.auditTrail).toBe(trail[0].id);
        // AzureActivity: its free 90 days interactive, emr:logRetentionDays (365) in total.
        expect(tableRetentionOf(g, "AzureActivity")).toEqual({ retentionInDays: 90, totalRetentionInDays: 365 });
    });

    it("leaves every resource one diagnostic setting per workspace across the stack (Azure rejects a second)", () => {
        const targets = settingsOf(g).map((s) => `${s.inputs.resourceUri} -> ${s.inputs.workspaceId}`);
        expect(targets.filter((t, i) => targets.indexOf(t) !== i)).toEqual([]);
    });
});

describe("azure shared-files capacity alert", () => {
    it("fires at 80% of whatever capacity the share is provisioned with", () => {
        const targets = { gateway: "g", servers: "s", database: "d", filesAccount: "f", snapshotWorkflow: "w", sessionStore: "r" };
        for (const quotaGiB of [100, 512, 102400]) {
            const spec = alertSpecs({ ...targets, fileShare: { serviceId: "f/fileServices/default", name: "sites", quotaGiB } }).find((a) => a.metricName === "FileCapacity");
            expect(spec?.threshold, String(quotaGiB)).toBe(Math.floor(0.8 * quotaGiB * 1024 ** 3));
            expect(spec?.description).toContain(`${quotaGiB} GiB`);
        }
    });
});

describe("azure Monitoring (configured address, long stack name)", () => {
    let g: Graph;
    beforeAll(async () => ({ g } = await monitoredStack({ ...baseConfig.azure, "emr:alertEmail": "pager@clinic.example" }, "production-eastus")), 120_000);

    it("mails the configured address under a short name cut to Azure's 12 characters", () => {
        const group = actionGroupOf(g);
        expect(group.inputs.emailReceivers.map((r: { emailAddress: string }) => r.emailAddress)).toEqual(["pager@clinic.example"]);
        expect(group.inputs.groupShortName).toBe("emr-producti");
    });
});
