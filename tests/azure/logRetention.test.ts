import { beforeAll, describe, expect, it } from "vitest";
import { interactiveLogDays, stackLogTables, tableRetention } from "../../src/azure/logRetention";
import { allowedTotalRetention } from "../../src/policy/deploy/azureMonitoring";
import { baseConfig, runStack, type Graph } from "../harness";
import { tableRetentionOf } from "./tableRetention";

/**
 * The table each sender of the graph writes, by the documented routing: resource-specific
 * ("Dedicated") tables per resource type, AzureDiagnostics otherwise, AzureMetrics for exported
 * metrics, AzureActivity for the subscription's Activity Log, Syslog for the agent's syslog stream.
 */
const dedicatedTable: Record<string, string> = {
    "azure-native:storage:FileServiceProperties": "StorageFileLogs",
    "azure-native:keyvault:Vault": "AZKVAuditLogs",
    "azure-native:logic:Workflow": "LogicAppWorkflowRuntime",
};
function tablesWritten(g: Graph): Set<string> {
    const tables = new Set<string>();
    for (const setting of g.ofType("azure-native:monitor:DiagnosticSetting")) {
        const uri = String(setting.inputs.resourceUri);
        if ((setting.inputs.metrics ?? []).length > 0) tables.add("AzureMetrics");
        if (/^\/subscriptions\/[^/]+$/.test(uri)) tables.add("AzureActivity");
        else if (setting.inputs.logAnalyticsDestinationType === "Dedicated") tables.add(dedicatedTable[g.referenced(uri)?.type ?? ""] ?? `unknown table of ${uri}`);
        else tables.add("AzureDiagnostics");
    }
    for (const rule of g.ofType("azure-native:monitor:DataCollectionRule")) {
        for (const flow of rule.inputs.dataFlows ?? []) for (const stream of flow.streams) tables.add(stream.replace(/^Microsoft-/, ""));
    }
    return tables;
}

describe("azure Log Analytics retention (default config: 365 days)", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.azure })).ok();
    }, 60_000);

    it("keeps every table the stack writes for emr:logRetentionDays in total, 30 days of it interactive", () => {
        const written = tablesWritten(g);
        expect(written.size).toBeGreaterThan(3);
        for (const table of written) {
            expect(stackLogTables, `${table} is written but its total retention is not set`).toContain(table);
            expect(tableRetentionOf(g, table).totalRetentionInDays, table).toBe(365);
        }
        expect(g.one("azure-native:operationalinsights:Workspace").inputs.retentionInDays).toBe(interactiveLogDays);
        expect(tableRetentionOf(g, "AzureDiagnostics").retentionInDays).toBe(30);
    });

    it("sets only values the Tables API accepts", () => {
        for (const days of [30, 60, 90, 365, 545]) {
            for (const t of tableRetention(days)) {
                expect(allowedTotalRetention(t.totalRetentionInDays), `${t.table} ${days}`).toBe(true);
                expect(t.totalRetentionInDays).toBeGreaterThanOrEqual(t.retentionInDays);
            }
        }
    });
});
