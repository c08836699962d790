import { describe, expect, it } from "vitest";
import { activityLogRule, gatewayLogsRule, mysqlAuditExportRule, storageLogsRule, vaultLogsRule } from "../../../src/policy/compliance/azure/audit";
import type { Rule } from "../../../src/policy/types";
import { graphOf, judge, reasons, resource } from "../fixtures";

// Diagnostic settings as src/azure (webLogs.ts, storageVault.ts, dbServer.ts, storageDiagnostics.ts, monitoringActivityLog.ts) declare them.
const workspaceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/logs";
const setting = (resourceUri: string, logs: Record<string, unknown>[], destination: Record<string, unknown> = { workspaceId }) =>
    resource("azure-native:monitor:DiagnosticSetting", `diag-${logs.length}-${resourceUri.length}`, { resourceUri, logs, ...destination });
const target = (type: string, name: string, inputs: Record<string, unknown> = {}) => resource(type, name, inputs);

const cases: Array<{ rule: Rule; target: ReturnType<typeof target>; pass: Record<string, unknown>[]; missing: string }> = [
    {
        rule: gatewayLogsRule,
        target: target("azure-native:network:ApplicationGateway", "gw"),
        pass: [{ category: "ApplicationGatewayAccessLog", enabled: true }, { category: "ApplicationGatewayFirewallLog", enabled: true }],
        missing: "ApplicationGatewayFirewallLog",
    },
    { rule: vaultLogsRule, target: target("azure-native:keyvault:Vault", "kv"), pass: [{ categoryGroup: "audit", enabled: true }], missing: "AuditEvent" },
    { rule: mysqlAuditExportRule, target: target("azure-native:dbformysql:Server", "mysql"), pass: [{ category: "MySqlAuditLogs", enabled: true }], missing: "MySqlAuditLogs" },
];

describe.each(cases)("$rule.id", ({ rule, target, pass, missing }) => {
    it("passes the categories sent to a workspace", () => expect(judge(rule, graphOf(target, setting(target.id!, pass))).status).toBe("pass"));
    it("passes allLogs", () => expect(judge(rule, graphOf(target, setting(target.id!, [{ categoryGroup: "allLogs", enabled: true }]))).status).toBe("pass"));
    it("fails no diagnostic setting", () => expect(reasons(judge(rule, graphOf(target)))).toMatch(new RegExp(`no diagnostic setting on \\S+ sends .*${missing}`)));
    it("fails a setting with the category disabled or no destination", () => {
        const disabled = pass.map((l) => ({ ...l, enabled: false }));
        expect(reasons(judge(rule, graphOf(target, setting(target.id!, disabled))))).toContain(missing);
        expect(judge(rule, graphOf(target, setting(target.id!, pass, {}))).status).toBe("fail");
    });
});

describe("EMR-AZ-STORAGE-DATA-LOGS", () => {
    const account = target("azure-native:storage:StorageAccount", "files", { kind: "FileStorage" });
    const share = target("azure-native:storage:FileShare", "sites", { accountName: "files-0001" });
    const fileService = `${account.id}/fileServices/default`;
    it("passes allLogs on the file service", () => expect(judge(storageLogsRule, graphOf(account, share, setting(fileService, [{ categoryGroup: "allLogs", enabled: true }]))).status).toBe("pass"));
    it("fails logs on the account instead of its file service", () => {
        expect(reasons(judge(storageLogsRule, graphOf(account, share, setting(account.id!, [{ categoryGroup: "allLogs", enabled: true }]))))).toContain(`no diagnostic setting on ${fileService} sends StorageRead, StorageWrite, StorageDelete`);
    });
    it("fails reads left out", () => {
        const logs = [{ category: "StorageWrite", enabled: true }, { category: "StorageDelete", enabled: true }];
        expect(reasons(judge(storageLogsRule, graphOf(account, share, setting(fileService, logs))))).toContain("sends StorageRead to");
    });
});

describe("EMR-AZ-ACTIVITY-LOG-EXPORT", () => {
    const group = target("azure-native:resources:ResourceGroup", "rg");
    const categories = ["Administrative", "Security", "Policy", "ServiceHealth"].map((category) => ({ category, enabled: true }));
    it("passes a subscription-scope export of Administrative, Security and Policy", () => {
        expect(judge(activityLogRule, graphOf(group, setting("/subscriptions/s", categories))).status).toBe("pass");
    });
    it("fails no export, pinned on the resource group", () => {
        const result = judge(activityLogRule, graphOf(group));
        expect(result.violations[0].resourceKey).toBe(group.key);
        expect(reasons(result)).toContain("activity log categories Administrative, Security, Policy");
    });
    it("fails an export that leaves out Security, or one on a resource instead of the subscription", () => {
        expect(reasons(judge(activityLogRule, graphOf(group, setting("/subscriptions/s", categories.filter((c) => c.category !== "Security")))))).toContain("categories Security:");
        expect(judge(activityLogRule, graphOf(group, setting("/subscriptions/s/resourceGroups/rg", categories))).status).toBe("fail");
    });
});
