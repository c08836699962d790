import { describe, expect, it } from "vitest";
import {
    mysqlAuditLogRule,
    mysqlBackupRetentionRule,
    mysqlCmkRule,
    mysqlDeleteLockRule,
    mysqlNoPublicAccessRule,
    mysqlPrivateAccessRule,
    mysqlSecureTransportRule,
    mysqlTlsVersionRule,
    mysqlZoneRedundantRule,
} from "../../../src/policy/compliance/azure/data";
import { graphOf, judge, reasons, resource } from "../fixtures";

// Shapes as src/azure/dbServer.ts declares them (captured azure-prod graph), cut to the fields each rule reads.
const identity = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/cmk";
const subnet = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/data";
const good = {
    availabilityZone: "1",
    backup: { backupRetentionDays: 35 },
    dataEncryption: { type: "AzureKeyVault", primaryKeyURI: "https://kv.vault.azure.net/keys/emr-data/abc", primaryUserAssignedIdentityId: identity },
    identity: { type: "UserAssigned", userAssignedIdentities: [identity] },
    highAvailability: { mode: "ZoneRedundant", standbyAvailabilityZone: "2" },
    network: { delegatedSubnetResourceId: subnet, publicNetworkAccess: "Disabled" },
};
const mysql = (inputs: Record<string, any> = good) => resource("azure-native:dbformysql:Server", "mysql", inputs);
const parameter = (configurationName: string, value: string) =>
    resource("azure-native:dbformysql:Configuration", configurationName, { serverName: "mysql-0001", configurationName, value, source: "user-override" });

describe("EMR-AZ-MYSQL-CMK", () => {
    it("passes a key vault key reached through the server's own user-assigned identity", () => {
        expect(judge(mysqlCmkRule, graphOf(mysql())).status).toBe("pass");
    });
    it("fails a server on service-managed keys", () => {
        const text = reasons(judge(mysqlCmkRule, graphOf(mysql({ ...good, dataEncryption: { type: "SystemManaged" } }))));
        expect(text).toContain('dataEncryption.type is "SystemManaged"');
        expect(text).toContain("primaryUserAssignedIdentityId is unset");
    });
    it("fails an encryption identity the server does not carry", () => {
        expect(reasons(judge(mysqlCmkRule, graphOf(mysql({ ...good, identity: { type: "UserAssigned", userAssignedIdentities: [] } }))))).toContain("identity.userAssignedIdentities does not list");
    });
});

describe("EMR-AZ-MYSQL-NO-PUBLIC-ACCESS", () => {
    it("passes public network access Disabled without firewall rules", () => {
        expect(judge(mysqlNoPublicAccessRule, graphOf(mysql())).status).toBe("pass");
    });
    it.each([["Enabled", 'is "Enabled"'], [undefined, "is unset"]])("fails publicNetworkAccess %s", (access, said) => {
        const text = reasons(judge(mysqlNoPublicAccessRule, graphOf(mysql({ ...good, network: { publicNetworkAccess: access } }))));
        expect(text).toContain(`network.publicNetworkAccess ${said}`);
    });
    it("fails a firewall rule opening the server to every address", () => {
        const rule = resource("azure-native:dbformysql:FirewallRule", "anyone", { serverName: "mysql-0001", startIpAddress: "0.0.0.0", endIpAddress: "255.255.255.255" });
        const result = judge(mysqlNoPublicAccessRule, graphOf(mysql(), rule));
        expect(result.violations.map((v) => v.resourceKey)).toEqual([rule.key]);
        expect(reasons(result)).toContain("0.0.0.0-255.255.255.255 to azure-native:dbformysql:Server::mysql");
    });
});

describe("EMR-AZ-MYSQL-PRIVATE-ACCESS", () => {
    it("passes a VNet-integrated server", () => {
        expect(judge(mysqlPrivateAccessRule, graphOf(mysql())).status).toBe("pass");
    });
    it("passes a server behind a private endpoint", () => {
        const server = mysql({ ...good, network: { publicNetworkAccess: "Disabled" } });
        const endpoint = resource("azure-native:network:PrivateEndpoint", "db-endpoint", { privateLinkServiceConnections: [{ name: "db", groupIds: ["mysqlServer"], privateLinkServiceId: server.id }] });
        expect(judge(mysqlPrivateAccessRule, graphOf(server, endpoint)).status).toBe("pass");
    });
    it("fails a server with neither", () => {
        expect(reasons(judge(mysqlPrivateAccessRule, graphOf(mysql({ ...good, network: { publicNetworkAccess: "Disabled" } }))))).toContain("delegatedSubnetResourceId is unset");
    });
});

describe("EMR-AZ-MYSQL-SECURE-TRANSPORT", () => {
    it("passes require_secure_transport ON", () => {
        expect(judge(mysqlSecureTransportRule, graphOf(mysql(), parameter("require_secure_transport", "ON"))).status).toBe("pass");
    });
    it("fails OFF, on the configuration that sets it", () => {
        const result = judge(mysqlSecureTransportRule, graphOf(mysql(), parameter("require_secure_transport", "OFF")));
        expect(result.violations[0].resourceKey).toBe("azure-native:dbformysql:Configuration::require_secure_transport");
        expect(reasons(result)).toContain('require_secure_transport is "OFF"');
    });
    it("fails a server that does not declare it", () => {
        expect(reasons(judge(mysqlSecureTransportRule, graphOf(mysql())))).toContain("no Configuration declares require_secure_transport");
    });
});

describe("EMR-AZ-MYSQL-TLS-VERSION", () => {
    it.each(["TLSv1.2", "TLSv1.2,TLSv1.3", "TLSv1.3"])("passes %s", (value) => {
        expect(judge(mysqlTlsVersionRule, graphOf(mysql(), parameter("tls_version", value))).status).toBe("pass");
    });
    it.each(["TLSv1,TLSv1.1,TLSv1.2", "TLSv1.1"])("fails %s", (value) => {
        expect(reasons(judge(mysqlTlsVersionRule, graphOf(mysql(), parameter("tls_version", value))))).toContain(`tls_version is "${value}"`);
    });
});

describe("EMR-AZ-MYSQL-AUDIT-LOG", () => {
    it("passes audit_log_enabled ON with connection events", () => {
        expect(judge(mysqlAuditLogRule, graphOf(mysql(), parameter("audit_log_enabled", "ON"), parameter("audit_log_events", "CONNECTION,DDL,DCL"))).status).toBe("pass");
    });
    it("fails the default (audit_log_enabled undeclared, OFF)", () => {
        expect(reasons(judge(mysqlAuditLogRule, graphOf(mysql())))).toContain("no Configuration declares audit_log_enabled");
    });
    it("fails an audit log that leaves out connections", () => {
        const text = reasons(judge(mysqlAuditLogRule, graphOf(mysql(), parameter("audit_log_enabled", "ON"), parameter("audit_log_events", "DDL"))));
        expect(text).toContain('audit_log_events is "DDL"');
    });
});

describe("EMR-AZ-MYSQL-ZONE-REDUNDANT-HA", () => {
    it("passes ZoneRedundant with the standby in another zone", () => {
        expect(judge(mysqlZoneRedundantRule, graphOf(mysql())).status).toBe("pass");
    });
    it.each([{ mode: "Disabled" }, { mode: "SameZone" }, undefined])("fails highAvailability %o", (highAvailability) => {
        expect(reasons(judge(mysqlZoneRedundantRule, graphOf(mysql({ ...good, highAvailability }))))).toContain("highAvailability.mode");
    });
    it("fails a standby in the primary's zone", () => {
        expect(reasons(judge(mysqlZoneRedundantRule, graphOf(mysql({ ...good, highAvailability: { mode: "ZoneRedundant", standbyAvailabilityZone: "1" } }))))).toContain("the primary's availabilityZone");
    });
});

describe("EMR-AZ-MYSQL-BACKUP-RETENTION", () => {
    it.each([7, 35, undefined])("passes %s days (unset: the documented default of 7)", (backupRetentionDays) => {
        expect(judge(mysqlBackupRetentionRule, graphOf(mysql({ ...good, backup: { backupRetentionDays } }))).status).toBe("pass");
    });
    it("fails 3 days", () => {
        expect(reasons(judge(mysqlBackupRetentionRule, graphOf(mysql({ ...good, backup: { backupRetentionDays: 3 } }))))).toContain("backup.backupRetentionDays is 3");
    });
});

describe("EMR-AZ-MYSQL-DELETE-LOCK", () => {
    const lock = (scope: string, level = "CanNotDelete") => resource("azure-native:authorization:ManagementLockByScope", "lock", { level, scope });
    it("passes a CanNotDelete lock on the server", () => {
        const server = mysql();
        expect(judge(mysqlDeleteLockRule, graphOf(server, lock(server.id!))).status).toBe("pass");
    });
    it("passes a lock on a parent scope", () => {
        const server = mysql();
        server.id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DBforMySQL/flexibleServers/mysql";
        expect(judge(mysqlDeleteLockRule, graphOf(server, lock("/subscriptions/s/resourceGroups/RG"))).status).toBe("pass");
    });
    it("passes a lock on its resource group declared as a resource-group lock", () => {
        const server = mysql();
        server.id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DBforMySQL/flexibleServers/mysql";
        const groupLock = resource("azure-native:authorization:ManagementLockAtResourceGroupLevel", "rg-lock", { resourceGroupName: "rg", level: "CanNotDelete" });
        expect(judge(mysqlDeleteLockRule, graphOf(server, groupLock)).status).toBe("pass");
        expect(judge(mysqlDeleteLockRule, graphOf(server, { ...groupLock, inputs: { ...groupLock.inputs, level: "NotSpecified" } })).status).toBe("fail");
    });
    it("fails no lock, or a lock on something else", () => {
        expect(reasons(judge(mysqlDeleteLockRule, graphOf(mysql())))).toContain("no CanNotDelete or ReadOnly management lock");
        expect(judge(mysqlDeleteLockRule, graphOf(mysql(), lock("/subscriptions/s/resourceGroups/other"))).status).toBe("fail");
    });
});
