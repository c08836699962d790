import type * as inputs from "@pulumi/azure-native/types/input";

/**
 * The fixed choices of the Azure database and the small pure rules derived from config, kept
 * apart from the resources so each is stated (and tested) once.
 */

/**
 * MySQL 8.4 LTS: GA on flexible server ("MySQL Version 8.4 | 8.4.5 | GA", MicrosoftDocs/azure-databases-docs
 * articles/mysql/concepts-version-policy.md, 2025-06-27); minor versions arrive in maintenance.
 * Cost: 8.0 leaves Azure standard support on 2026-12-31 and servers still on it are enrolled in
 * paid Extended Support from 2027-01-01, billed per vCore-hour on the primary and the standby
 * (same page); at an AWS-like $0.10 per vCore-hour that is about $292 a month on this HA pair
 * (cost-review.md (e) Azure #3; Microsoft had not published the rate). 8.4 costs the same as 8.0.
 * The API version azure-native 3.28.0 uses (2024-02-01-preview, dbformysql/server.d.ts) lists
 * only "5.7" and "8.0.21" in its ServerVersion enum, but the field is a plain string and the
 * service takes "8.4": terraform-provider-azurerm sends "8.4" over API 2023-12-30, whose enum lacks
 * it too ("The version enum is not available in the current API spec", PR #31099, merged 2025-11;
 * spec bug Azure/azure-rest-api-specs#38382). An existing 8.0 server moves in place: flexible
 * server upgrades 8.0 to 8.4 as a major version upgrade (flexible-server/how-to-upgrade.md),
 * irreversible and with downtime, and Microsoft asks that no other property change in the same
 * request, so deploy the version change alone. OpenEMR runs on 8.4: its CI tests mysql:8.4
 * (openemr/openemr ci/apache_84_84/docker-compose.yml) with no native-password option
 * (ci/compose-shared-mysql.yml); on Azure mysql_native_password also "remains enabled ... across
 * all versions" (concepts-version-policy.md).
 */
export const mysqlVersion = "8.4";
export const mysqlPort = 3306;


/**
 * Primary in zone 1, synchronous standby in zone 2, on 2- and 3-zone stacks alike: both zones are
 * in every stack's zone list, and any single zone loss leaves one of the two (losing zone 3 touches
 * neither). A 3-zone stack gains nothing from a standby in zone 3: flexible server keeps exactly one.
 * These are the zones at creation only: a failover swaps them (see dbServer.ts).
 */
export const dbZones = { primary: "1", standby: "2" } as const;

/**
 * Sunday 07:30 UTC (flexible server windows are one hour, in UTC): night across the Americas,
 * early morning in Europe, and the same slot as the AWS database. With HA, Azure patches the
 * standby first and fails over, so clinics see one 60-120 s reconnect, not an outage.
 */
export const maintenanceWindow: inputs.dbformysql.MaintenanceWindowArgs = {
    customWindow: "Enabled",
    dayOfWeek: 0,
    startHour: 7,
    startMinute: 30,
};

/**
 * The compute tier a SKU belongs to: D-series are General Purpose, E-series Memory Optimized.
 * Anything else (B-series Burstable above all) has no high availability, so it is refused here
 * rather than deployed as a single server that a zone loss takes down.
 */
export function skuTier(instanceType: string): "GeneralPurpose" | "MemoryOptimized" {
    const family = /^Standard_([A-Z])/.exec(instanceType)?.[1];
    if (family === "D") return "GeneralPurpose";
    if (family === "E") return "MemoryOptimized";
    throw new Error(
        `MySQL SKU ${instanceType}: only D-series (General Purpose) or E-series (Memory Optimized) SKUs support zone-redundant HA`,
    );
}

/**
 * How the server's storage is replicated: zone-redundant whenever HA is zone-redundant. The HA
 * concepts page says of zone-redundant HA "The data and log files are hosted in zone-redundant
 * storage (ZRS). The standby server continuously reads and replays the log files from the primary
 * server's storage account", and that ZR HA is offered only where zone-redundant premium file
 * shares are (MicrosoftDocs/azure-databases-docs mysql/flexible-server/concepts-high-availability.md,
 * 2025-08-15); locally redundant storage is the same-zone HA model. Stated explicitly because the
 * SDK otherwise sends LocalRedundancy (the REST spec default, @pulumi/azure-native 3.28.0
 * types/input.js storageArgsProvideDefaults), which would leave the logs the standby replays in
 * the primary's zone. The REST spec (2024-02-01-preview) restricts the value by no tier.
 */
export function storageRedundancy(haMode: "ZoneRedundant" | "SameZone"): "LocalRedundancy" | "ZoneRedundancy" {
    return haMode === "ZoneRedundant" ? "ZoneRedundancy" : "LocalRedundancy";
}

/**
 * What the audit log records: CONNECTION (every login, failed ones included), DCL (GRANT, REVOKE,
 * CREATE USER: who got access) and DDL (schema changes). Deliberately NOT DML/DML_SELECT/GENERAL:
 * those log the text of every statement, i.e. patient names, diagnoses and notes, into Log
 * Analytics. OpenEMR keeps its own per-user log of access to patient records.
 */
export const auditEvents = ["CONNECTION", "DDL", "DCL"] as const;

/**
 * Server parameters in the order they are applied (one at a time: see dbParameters.ts). Every one
 * exists in 8.4: none is among the options MySQL 8.4.0 removed (default_authentication_plugin,
 * avoid_temporal_upgrade, binlog_transaction_dependency_tracking, have_ssl, ...: dev.mysql.com
 * mysqld-version-reference optvar-changes-8-4.html), and the audit_log_* parameters are Azure's own
 * audit plugin, documented for flexible server without a version limit (azure-databases-docs
 * mysql/flexible-server/concepts-audit-logs.md).
 */
export const serverParameters: ReadonlyArray<readonly [string, string]> = [
    // TLS on every connection (HIPAA 164.312(e)); OpenEMR connects with the public CA bundle.
    ["require_secure_transport", "ON"],
    // Static parameter: a change is staged until the next restart; TLS 1.0/1.1 are refused
    // by default meanwhile, so the floor is TLS 1.2 from the first connection.
    ["tls_version", "TLSv1.2,TLSv1.3"],
    // Events before enabling, so the log never runs with the service default.
    ["audit_log_events", auditEvents.join(",")],
    ["audit_log_enabled", "ON"],
    // Statements slower than the default 10 s: few enough that their (possibly PHI-bearing) text
    // stays rare in the logs. The general log stays off.
    ["slow_query_log", "ON"],
    // No generated invisible primary keys (Azure turns them ON for every 8.0+ flexible server; MySQL's
    // own default, and RDS's, is OFF): OpenEMR's schema must be the same on both clouds, and its
    // upgrade scripts that add a PRIMARY KEY to a keyless table fail on a table that already has
    // the invisible one. Settable as a server parameter, values ON/OFF (azure-databases-docs
    // mysql/flexible-server/concepts-limitations.md, "Steps to disable GIPK"). Applied before any
    // web server boots: the credentials secret the servers wait for resolves only after the last
    // parameter (dbTier.ts), so OpenEMR's installer never creates a table under GIPK.
    ["sql_generate_invisible_primary_key", "OFF"],
];

/** The resource log categories of Microsoft.DBforMySQL/flexibleServers (both land in AzureDiagnostics). */
export const dbLogCategories = ["MySqlAuditLogs", "MySqlSlowLogs"] as const;
