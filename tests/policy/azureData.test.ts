import { describe, expect, it } from "vitest";
import { mysqlVersionedKeyRule, recoveryVaultCmkRule } from "../../src/policy/deploy/azureData";
import { appGatewayPerformanceLogRule, tableRetentionRule } from "../../src/policy/deploy/azureMonitoring";
import { graphOf, judge, reasons, resource } from "./fixtures";

const keyVault = (properties: Record<string, unknown>) =>
    resource("azure-native:keyvault:Vault", "kv", { properties }, { outputs: { properties: { ...properties, vaultUri: "https://kv1.vault.azure.net/" } } });
const backupVault = (kekIdentity: Record<string, unknown>, crossRegionRestore = "Disabled") =>
    resource("azure-native:recoveryservices:Vault", "backup", {
        properties: {
            encryption: { keyVaultProperties: { keyUri: "https://kv1.vault.azure.net/keys/emr-data" }, kekIdentity },
            redundancySettings: { crossRegionRestore },
        },
    });
const userAssigned = { userAssignedIdentity: "/ids/cmk", useSystemAssignedIdentity: false };

describe("DEPLOY-AZ-RSV-CMK-SUPPORTED", () => {
    it("passes a user-assigned identity with an open Key Vault, and a system identity with a private one", () => {
        expect(judge(recoveryVaultCmkRule, graphOf(keyVault({ publicNetworkAccess: "Enabled" }), backupVault(userAssigned))).status).toBe("pass");
        expect(judge(recoveryVaultCmkRule, graphOf(keyVault({ publicNetworkAccess: "Disabled" }), backupVault({ useSystemAssignedIdentity: true }))).status).toBe("pass");
    });

    it.each([[{ publicNetworkAccess: "Disabled" }, 'publicNetworkAccess "Disabled"'], [{ networkAcls: { defaultAction: "Deny" } }, 'networkAcls.defaultAction "Deny"']])(
        "fails a user-assigned identity with a Key Vault restricted by %j",
        (properties, named) => {
            const text = reasons(judge(recoveryVaultCmkRule, graphOf(keyVault(properties), backupVault(userAssigned))));
            expect(text).toContain("kekIdentity.userAssignedIdentity");
            expect(text).toContain(named);
        },
    );

    it("fails cross-region restore on a CMK vault", () => {
        const text = reasons(judge(recoveryVaultCmkRule, graphOf(keyVault({}), backupVault({ useSystemAssignedIdentity: true }, "Enabled"))));
        expect(text).toContain('crossRegionRestore is "Enabled"');
    });
});

describe("DEPLOY-AZ-APPGW-V2-PERFORMANCE-LOG", () => {
    const gateway = (tier: string) => resource("azure-native:network:ApplicationGateway", "gw", { sku: { name: tier, tier } }, { id: "/gw/appgw-0001" });
    const logs = (categories: string[]) =>
        resource("azure-native:monitor:DiagnosticSetting", "gw-logs", { resourceUri: "/gw/appgw-0001", logs: categories.map((category) => ({ category, enabled: true })) });

    it("warns when a v2 gateway's setting collects the performance log", () => {
        const result = judge(appGatewayPerformanceLogRule, graphOf(gateway("WAF_v2"), logs(["ApplicationGatewayAccessLog", "ApplicationGatewayPerformanceLog"])));
        expect(result.severity).toBe("warning");
        expect(reasons(result)).toContain('logs enables category "ApplicationGatewayPerformanceLog"');
        expect(reasons(result)).toContain("WAF_v2");
    });

    it("passes without that category, or on a v1 gateway", () => {
        expect(judge(appGatewayPerformanceLogRule, graphOf(gateway("WAF_v2"), logs(["ApplicationGatewayAccessLog"]))).status).toBe("pass");
        expect(judge(appGatewayPerformanceLogRule, graphOf(gateway("WAF"), logs(["ApplicationGatewayPerformanceLog"]))).status).toBe("pass");
    });
});

describe("DEPLOY-AZ-MYSQL-CMK-VERSIONED-KEY", () => {
    const server = (dataEncryption: Record<string, unknown>) => resource("azure-native:dbformysql:Server", "db", { dataEncryption });

    it("passes a versioned key identifier, and service-managed keys", () => {
        expect(judge(mysqlVersionedKeyRule, graphOf(server({ type: "AzureKeyVault", primaryKeyURI: "https://kv1.vault.azure.net/keys/emr-data/0123abcd" }))).status).toBe("pass");
        expect(judge(mysqlVersionedKeyRule, graphOf(server({ type: "SystemManaged" }))).status).toBe("pass");
    });

    it("fails a versionless key identifier, naming the field and the value", () => {
        const text = reasons(judge(mysqlVersionedKeyRule, graphOf(server({ type: "AzureKeyVault", primaryKeyURI: "https://kv1.vault.azure.net/keys/emr-data" }))));
        expect(text).toContain('dataEncryption.primaryKeyURI is "https://kv1.vault.azure.net/keys/emr-data", a key identifier without a version');
    });
});

describe("DEPLOY-AZ-LA-TABLE-RETENTION", () => {
    const deployment = (properties: Record<string, unknown>) =>
        resource("azure-native:resources:Deployment", "log-retention", {
            properties: { mode: "Incremental", template: { resources: [{ type: "Microsoft.OperationalInsights/workspaces/tables", name: "ws/Syslog", properties }] } },
        });

    it.each([[{ retentionInDays: 30, totalRetentionInDays: 365 }], [{ retentionInDays: 30, totalRetentionInDays: 2191 }], [{ retentionInDays: 90, totalRetentionInDays: 730 }]])("passes %j", (p) => {
        expect(tableRetentionRule.check(deployment(p))).toEqual([]);
    });

    it.each([
        [{ retentionInDays: 30, totalRetentionInDays: 2190 }, "totalRetentionInDays 2190 is neither 4-730 nor a whole number of years"],
        [{ retentionInDays: 30, totalRetentionInDays: 800 }, "totalRetentionInDays 800 is neither"],
        [{ retentionInDays: 90, totalRetentionInDays: 60 }, "totalRetentionInDays 60 is shorter than retentionInDays 90"],
        [{ retentionInDays: 731, totalRetentionInDays: 1095 }, "retentionInDays 731 is not between 4 and 730"],
    ])("fails %j", (p, reason) => {
        expect(tableRetentionRule.check(deployment(p))).toEqual([expect.stringContaining(`template resource "ws/Syslog": ${reason}`)]);
    });

    it("judges a Table resource's own fields too", () => {
        const table = resource("azure-native:operationalinsights:Table", "syslog", { tableName: "Syslog", retentionInDays: 30, totalRetentionInDays: 1000 });
        expect(tableRetentionRule.check(table)).toEqual([expect.stringContaining("table Syslog: totalRetentionInDays 1000")]);
    });
});
