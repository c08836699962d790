import * as rds from "@pulumi/aws/rds";
import type * as pulumi from "@pulumi/pulumi";
import { mysql } from "./dbSettings";

/**
 * What MySQL events the audit log records. CONNECT (every login, failed ones included), QUERY_DCL
 * (GRANT, REVOKE, CREATE USER: who got access; the plugin masks the passwords in them) and
 * QUERY_DDL (schema changes). Deliberately NOT QUERY or QUERY_DML: those log the text of every
 * statement, i.e. patient names, diagnoses and notes, into CloudWatch (facts/aws.md, section 1).
 * OpenEMR keeps its own per-user access log of patient records; this log covers the database.
 */
export const auditEvents = ["CONNECT", "QUERY_DCL", "QUERY_DDL"] as const;

/**
 * Server variables each MySQL major version removed, so a parameter group of that family cannot
 * set them (RDS answers InvalidParameterValue). From the MySQL Server Version Reference, "Option and
 * Variable Changes for MySQL 8.4" (dev.mysql.com/doc/mysqld-version-reference/en/optvar-changes-8-4.html,
 * "Removed in version 8.4.0") and Percona's "Compatibility and removed items in 8.4"
 * (docs.percona.com/percona-server/8.4/8.4-compatibility-and-removed-items.html, expire_logs_days).
 * Not the whole list: the variables a parameter group could plausibly set. The deploy rule
 * DEPLOY-AWS-RDS-GROUPS-FIT-ENGINE checks every parameter group against it.
 */
export const parametersRemovedIn: Record<string, readonly string[]> = {
    "mysql8.4": [
        "avoid_temporal_upgrade",
        "binlog_transaction_dependency_tracking",
        // Replaced by authentication_policy; 8.4 defaults to caching_sha2_password.
        "default_authentication_plugin",
        // Replaced by binlog_expire_logs_seconds.
        "expire_logs_days",
        "group_replication_recovery_complete_at",
        "have_openssl",
        "have_ssl",
        "keyring_encrypted_file_data",
        "keyring_encrypted_file_password",
    ],
};

/**
 * Server settings; every one is dynamic, so they apply without a reboot. None is among the
 * variables MySQL 8.4 removed (the sources of `parametersRemovedIn` list none of them), and
 * require_secure_transport still has to be set: RDS for MySQL 8.4 defaults it to 0 (RDS User Guide,
 * mysql-ssl-connections.require-ssl.html: "For MySQL 8.4 and lower, the require_secure_transport
 * parameter is set to 0 (OFF) by default").
 */
export const serverParameters: Record<string, string> = {
    // TLS on every connection (HIPAA 164.312(e)); the web tier connects with the RDS CA bundle.
    require_secure_transport: "1",
    // Statements slower than 2 s: the ones worth tuning, few enough to keep their (possibly
    // PHI-bearing) text in the log small. Full-statement logs (general_log) stay off.
    slow_query_log: "1",
    long_query_time: "2",
    // RDS exports only file logs to CloudWatch.
    log_output: "FILE",
    // OpenEMR creates its database as utf8mb4_general_ci; the server default matches it so that
    // tables and temporary tables created without an explicit collation compare without errors.
    character_set_server: "utf8mb4",
    collation_server: "utf8mb4_general_ci",
};

export interface DbEngineGroups {
    parameterGroup: rds.ParameterGroup;
    optionGroup: rds.OptionGroup;
}

/**
 * The parameter group (server settings) and the option group (the audit plugin that produces the
 * `audit` log export) of the instance. RDS offers MARIADB_AUDIT_PLUGIN for "All MySQL 8.4 versions"
 * (RDS User Guide, Appendix.MySQL.Options.html), with the same SERVER_AUDIT_* settings. Both are auto-named so that a change needing a new group
 * creates it before the old one is released.
 */
export function dbEngineGroups(name: string, tags: Record<string, string>, parent: pulumi.Resource): DbEngineGroups {
    const parameterGroup = new rds.ParameterGroup(
        `${name}-params`,
        {
            family: mysql.parameterFamily,
            description: "EMR MySQL: TLS required, slow query log, utf8mb4",
            parameters: Object.entries(serverParameters).map(([parameter, value]) => ({ name: parameter, value })),
            tags,
        },
        { parent },
    );
    const optionGroup = new rds.OptionGroup(
        `${name}-options`,
        {
            engineName: mysql.engine,
            majorEngineVersion: mysql.majorVersion,
            optionGroupDescription: "EMR MySQL: audit log of connections, access changes and schema changes",
            options: [
                {
                    optionName: "MARIADB_AUDIT_PLUGIN",
                    optionSettings: [
                        { name: "SERVER_AUDIT_EVENTS", value: auditEvents.join(",") },
                        // RDS's own health checks query every second; their connections are still logged.
                        { name: "SERVER_AUDIT_EXCL_USERS", value: "rdsadmin" },
                    ],
                },
            ],
            tags,
        },
        { parent },
    );
    return { parameterGroup, optionGroup };
}
