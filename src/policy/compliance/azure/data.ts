import type { ResourceRule, StackRule } from "../../types";
import { against, hipaa, list, resolve, said, sameId, serverParameter, types, userIdentities } from "./refs";
import { minimumBackupDays } from "../hipaa";
import { deleteLocks } from "../../azureLocks";

/** Azure Database for MySQL flexible server: the patient database. */

const mysqlDocs = "https://learn.microsoft.com/azure/mysql/flexible-server";
const policyRepo = "Azure/azure-policy@f4a50bacae07ddb096943c597669bcae494a6e29:built-in-policies/policyDefinitions";

export const mysqlCmkRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-MYSQL-CMK",
    title: "The MySQL flexible server encrypts its data with a customer-managed Key Vault key through a user-assigned identity it carries",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest] },
    source: [
        // "dataEncryption.type AzureKeyVault ... primaryKeyURI ... primaryUserAssignedIdentityId"; the identity must be
        // assigned to the server and hold Get/WrapKey/UnwrapKey (Key Vault Crypto Service Encryption User).
        `${mysqlDocs}/concepts-customer-managed-key`,
        "@pulumi/azure-native@3.28.0:types/input.d.ts dbformysql.DataEncryptionArgs (type, primaryKeyURI, primaryUserAssignedIdentityId), ServerArgs.identity",
    ],
    appliesTo: [types.mysqlServer],
    check({ inputs }) {
        const encryption = inputs.dataEncryption ?? {};
        const problems: string[] = [];
        if (encryption.type !== "AzureKeyVault")
            problems.push(`dataEncryption.type ${said(encryption.type)}: the server's data, logs and backups are encrypted with a Microsoft-managed key the clinic cannot revoke or rotate; set "AzureKeyVault" with a key in the clinic's vault.`);
        if (typeof encryption.primaryKeyURI !== "string" || !/\/keys\//.test(encryption.primaryKeyURI))
            problems.push(`dataEncryption.primaryKeyURI ${said(encryption.primaryKeyURI)}: a customer-managed key is named by its Key Vault key URI (https://<vault>.vault.azure.net/keys/<name>/<version>).`);
        const identity = encryption.primaryUserAssignedIdentityId;
        if (typeof identity !== "string") problems.push(`dataEncryption.primaryUserAssignedIdentityId ${said(identity)}: the server reaches its key only through a user-assigned identity.`);
        else if (!userIdentities(inputs.identity).some((id) => sameId(id, identity)))
            problems.push(`dataEncryption.primaryUserAssignedIdentityId is ${identity}, which identity.userAssignedIdentities does not list: the server cannot use that identity to unwrap its key.`);
        return problems;
    },
};

export const mysqlNoPublicAccessRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-MYSQL-NO-PUBLIC-ACCESS",
    title: "The MySQL flexible server has public network access disabled and no firewall rule",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.accessControl, hipaa.transmission],
        azurePolicy: ["Public network access should be disabled for MySQL flexible servers (c9299215-ae47-4f50-9c54-8a392f68a052)"],
    },
    source: [
        // Public access: "firewall rules ... allow access from ... IP addresses"; private access (VNet integration): the
        // server is reachable only from the virtual network.
        `${mysqlDocs}/concepts-networking-public`,
        `${mysqlDocs}/concepts-networking-vnet`,
        `${policyRepo}/SQL/MySQL_FlexibleServers_DisablePublicNetworkAccess_Audit.json`,
        "@pulumi/azure-native@3.28.0:types/input.d.ts dbformysql.NetworkArgs.publicNetworkAccess; dbformysql/firewallRule.d.ts",
    ],
    appliesTo: [types.mysqlServer, types.mysqlFirewallRule],
    check(graph) {
        const servers = graph.ofType(types.mysqlServer).flatMap((server) => {
            const access = server.inputs.network?.publicNetworkAccess;
            return access === "Disabled"
                ? []
                : against(server, [
                      `network.publicNetworkAccess ${said(access)}: the patient database answers on a public endpoint (firewall rules decide who); it must be "Disabled" and reached only from the virtual network.`,
                  ]);
        });
        const rules = graph.ofType(types.mysqlFirewallRule).flatMap((rule) =>
            against(rule, [
                `a firewall rule admits ${rule.inputs.startIpAddress ?? "?"}-${rule.inputs.endIpAddress ?? "?"} to ${resolve(graph, rule.inputs.serverName)?.key ?? String(rule.inputs.serverName)}: firewall rules open the server's public endpoint; the database is reached only privately.`,
            ]),
        );
        return [...servers, ...rules];
    },
};

export const mysqlPrivateAccessRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-MYSQL-PRIVATE-ACCESS",
    title: "The MySQL flexible server is reached privately: VNet-integrated (delegated subnet) or through a private endpoint",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    // CKV2_AZURE_56 asks for a private endpoint only; a VNet-integrated server cannot have one and is private by construction.
    controls: { hipaa: [hipaa.accessControl, hipaa.transmission], checkov: ["CKV2_AZURE_56"] },
    source: [
        `${mysqlDocs}/concepts-networking-vnet`,
        `${mysqlDocs}/concepts-networking-private-link`,
        "bridgecrewio/checkov@03d5fdad:checkov/terraform/checks/graph_checks/azure/AzureMySQLFlexibleServerConfigPrivEndpt.yaml",
        "@pulumi/azure-native@3.28.0:types/input.d.ts dbformysql.NetworkArgs.delegatedSubnetResourceId; network PrivateLinkServiceConnectionArgs.privateLinkServiceId",
    ],
    appliesTo: [types.mysqlServer],
    check(graph) {
        const endpoints = graph.ofType("azure-native:network:PrivateEndpoint");
        return graph.ofType(types.mysqlServer).flatMap((server) => {
            if (typeof server.inputs.network?.delegatedSubnetResourceId === "string") return [];
            const linked = endpoints.some((e) => list(e.inputs.privateLinkServiceConnections).some((c) => resolve(graph, c.privateLinkServiceId)?.key === server.key));
            return linked
                ? []
                : against(server, [
                      "network.delegatedSubnetResourceId is unset and no private endpoint links the server: the web servers would reach the patient database over its public endpoint.",
                  ]);
        });
    },
};

/** A server parameter the program must declare with one of `allowed` values (case-insensitive). */
function parameterReasons(found: { value: unknown } | undefined, name: string, ok: (value: string) => boolean, why: string): string[] {
    if (!found) return [`no Configuration declares ${name}: ${why} A declared value is also restored by the next deploy after a change made outside the program.`];
    return typeof found.value === "string" && ok(found.value) ? [] : [`${name} ${said(found.value)}: ${why}`];
}

export const mysqlSecureTransportRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-MYSQL-SECURE-TRANSPORT",
    title: "The MySQL flexible server requires TLS on every connection (require_secure_transport ON)",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.transmissionEncryption, hipaa.transmission] },
    source: [
        // "require_secure_transport set to OFF ... disable the enforcement of encrypted connections"; ON is the default.
        `${mysqlDocs}/how-to-connect-tls-ssl`,
        "@pulumi/azure-native@3.28.0:dbformysql/configuration.d.ts (configurationName, value)",
    ],
    appliesTo: [types.mysqlServer],
    check(graph) {
        return graph.ofType(types.mysqlServer).flatMap((server) => {
            const found = serverParameter(graph, server, "require_secure_transport");
            const reasons = parameterReasons(found, "require_secure_transport", (v) => v.toUpperCase() === "ON", "it must be ON, or clients may send patient data and the database password in clear text.");
            return reasons.map((reason) => ({ resourceKey: found?.key ?? server.key, reason }));
        });
    },
};

/** TLS protocol names the tls_version parameter takes; 1.0 and 1.1 are deprecated (RFC 8996). */
const modernTls = ["TLSV1.2", "TLSV1.3"];

export const mysqlTlsVersionRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-MYSQL-TLS-VERSION",
    title: "The MySQL flexible server accepts only TLS 1.2 and 1.3 (tls_version)",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.transmissionEncryption, hipaa.transmissionIntegrity] },
    source: [
        // "Enforce SSL with TLS version less than 1.2 ... require_secure_transport ON and tls_version TLS 1.0 or TLS 1.1"
        `${mysqlDocs}/how-to-connect-tls-ssl`,
        "https://www.rfc-editor.org/rfc/rfc8996",
    ],
    appliesTo: [types.mysqlServer],
    check(graph) {
        return graph.ofType(types.mysqlServer).flatMap((server) => {
            const found = serverParameter(graph, server, "tls_version");
            const ok = (v: string) => v.split(",").every((p) => modernTls.includes(p.trim().toUpperCase()));
            const reasons = parameterReasons(found, "tls_version", ok, "it must list only TLSv1.2 and TLSv1.3; TLS 1.0 and 1.1 are deprecated (RFC 8996) and weaken the encryption of every connection.");
            return reasons.map((reason) => ({ resourceKey: found?.key ?? server.key, reason }));
        });
    },
};

export const mysqlAuditLogRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-MYSQL-AUDIT-LOG",
    title: "The MySQL flexible server writes an audit log that records connections (audit_log_enabled ON, audit_log_events with CONNECTION)",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.audit, hipaa.activityReview] },
    source: [
        // "audit_log_enabled ... default OFF"; "audit_log_events ... CONNECTION (default), DML_SELECT, DML_NONSELECT, DCL, DDL, DML, ADMIN, GENERAL, TABLE_ACCESS"
        `${mysqlDocs}/concepts-audit-logs`,
    ],
    appliesTo: [types.mysqlServer],
    check(graph) {
        return graph.ofType(types.mysqlServer).flatMap((server) => {
            const enabled = serverParameter(graph, server, "audit_log_enabled");
            const reasons = parameterReasons(enabled, "audit_log_enabled", (v) => v.toUpperCase() === "ON", "it must be ON (the default is OFF), or nobody can tell who connected to the patient database and what they changed.");
            const events = serverParameter(graph, server, "audit_log_events");
            // Unset, the parameter keeps its documented default, CONNECTION.
            if (events && !(typeof events.value === "string" && events.value.toUpperCase().split(",").map((e) => e.trim()).includes("CONNECTION")))
                reasons.push(`audit_log_events ${said(events.value)}: it must include CONNECTION, the record of who logged in, when and from where.`);
            return reasons.map((reason) => ({ resourceKey: server.key, reason }));
        });
    },
};

export const mysqlZoneRedundantRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-MYSQL-ZONE-REDUNDANT-HA",
    title: "The MySQL flexible server runs zone-redundant high availability with the standby in another zone",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.emergencyMode, hipaa.disasterRecovery, hipaa.emergencyAccess],
        azurePolicy: ["[Preview]: Azure Database for MySQL Flexible Server should be Zone Resilient (493c215d-2554-5976-bc81-57d2c04fc8c1)"],
    },
    source: [
        // "Zone-redundant HA ... standby server in a different availability zone"
        `${mysqlDocs}/concepts-high-availability`,
        `${policyRepo}/Resilience/DBforMySQL_flexibleServers_ZoneResilient_Audit.json`,
        "@pulumi/azure-native@3.28.0:types/input.d.ts dbformysql.HighAvailabilityArgs (mode, standbyAvailabilityZone)",
    ],
    appliesTo: [types.mysqlServer],
    check({ inputs }) {
        const ha = inputs.highAvailability ?? {};
        if (ha.mode !== "ZoneRedundant")
            return [`highAvailability.mode ${said(ha.mode)}: without "ZoneRedundant" the loss of one zone stops the patient database until it is restored.`];
        if (ha.standbyAvailabilityZone !== undefined && ha.standbyAvailabilityZone === inputs.availabilityZone)
            return [`highAvailability.standbyAvailabilityZone is "${ha.standbyAvailabilityZone}", the primary's availabilityZone: the standby must be in another zone.`];
        return [];
    },
};


export const mysqlBackupRetentionRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-MYSQL-BACKUP-RETENTION",
    title: `The MySQL flexible server keeps its automated backups at least ${minimumBackupDays} days`,
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.backup, hipaa.disasterRecovery] },
    source: [
        // "backup retention period ... from 1 to 35 days ... default seven days"
        `${mysqlDocs}/concepts-backup-restore`,
        "@pulumi/azure-native@3.28.0:types/input.d.ts dbformysql.BackupArgs.backupRetentionDays",
    ],
    appliesTo: [types.mysqlServer],
    check({ inputs }) {
        const days = inputs.backup?.backupRetentionDays ?? minimumBackupDays;
        return typeof days === "number" && days >= minimumBackupDays
            ? []
            : [`backup.backupRetentionDays ${said(days)}: fewer than ${minimumBackupDays} days of point-in-time backups cannot bring back data a mistake deleted last week.`];
    },
};

export const mysqlDeleteLockRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-MYSQL-DELETE-LOCK",
    title: "The MySQL flexible server carries a CanNotDelete (or ReadOnly) management lock",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.integrity, hipaa.backup] },
    source: [
        // "CanNotDelete means authorized users can read and modify a resource, but they can't delete it"; a lock on a
        // parent scope (resource group) applies to every resource in it.
        "https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources",
        "@pulumi/azure-native@3.28.0:authorization/managementLockByScope.d.ts (level, scope)",
    ],
    appliesTo: [types.mysqlServer],
    check(graph) {
        const locks = deleteLocks(graph);
        return graph.ofType(types.mysqlServer).flatMap((server) =>
            locks.some((l) => l.covers(server.id))
                ? []
                : against(server, [
                      "no CanNotDelete or ReadOnly management lock covers the server (its own scope or a parent's): one delete in the portal or CLI removes the patient database, and Pulumi's protect flag guards only `pulumi destroy`.",
                  ]),
        );
    },
};

export const mysqlRules = [
    mysqlCmkRule,
    mysqlNoPublicAccessRule,
    mysqlPrivateAccessRule,
    mysqlSecureTransportRule,
    mysqlTlsVersionRule,
    mysqlAuditLogRule,
    mysqlZoneRedundantRule,
    mysqlBackupRetentionRule,
    mysqlDeleteLockRule,
];
