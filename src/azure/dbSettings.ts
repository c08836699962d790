import type * as inputs from "@pulumi/azure-native/types/input";

/**
 * The fixed choices of the Azure database and the small pure rules derived from config, kept
 * apart from the resources so each is stated (and tested) once.
 */

/** MySQL 8.0 on flexible server: the API names the 8.0 line "8.0.21"; minor versions arrive in maintenance. */
export const mysqlVersion = "8.0.21";
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
 * How the server's storage is replicated. Zone-redundant storage is offered on Memory Optimized
 * (Business Critical) only, where zone-redundant HA wants it ("storage should be created with
 * ZRS"); General Purpose HA replicates to the standby's own locally redundant storage instead.
 * Stated explicitly because the SDK otherwise sends LocalRedundancy for every tier.
 */
export function storageRedundancy(tier: ReturnType<typeof skuTier>): "LocalRedundancy" | "ZoneRedundancy" {
    return tier === "MemoryOptimized" ? "ZoneRedundancy" : "LocalRedundancy";
}

/**
 * What the audit log records: CONNECTION (every login, failed ones included), DCL (GRANT, REVOKE,
 * CREATE USER: who got access) and DDL (schema changes). Deliberately NOT DML/DML_SELECT/GENERAL:
 * those log the text of every statement, i.e. patient names, diagnoses and notes, into Log
 * Analytics. OpenEMR keeps its own per-user log of access to patient records.
 */
export const auditEvents = ["CONNECTION", "DDL", "DCL"] as const;

/** Server parameters in the order they are applied (one at a time: see dbParameters.ts). */
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
];

/** The resource log categories of Microsoft.DBforMySQL/flexibleServers (both land in AzureDiagnostics). */
export const dbLogCategories = ["MySqlAuditLogs", "MySqlSlowLogs"] as const;
