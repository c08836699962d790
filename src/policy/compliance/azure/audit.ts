import type { PlannedResource } from "../../../plan/capture";
import type { Graph } from "../../../plan/graph";
import type { StackRule } from "../../types";
import { against, contentsOf, dataAccounts, hasDestination, hipaa, list, types, unexported } from "./refs";

/**
 * Resource logs (diagnostic settings) of the resources that see patient data or its keys, and the
 * subscription's activity log: without a diagnostic setting Azure keeps no resource log at all
 * ("Resource logs aren't collected and stored until you create a diagnostic setting", Learn
 * azure-monitor/essentials/resource-logs).
 */

const diagnostics = "https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings";
const supportedLogs = "https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs";
const settingArgs = "@pulumi/azure-native@3.28.0:monitor/diagnosticSetting.d.ts (resourceUri, logs[].category / categoryGroup, workspaceId, storageAccountId)";
const policyRepo = "Azure/azure-policy@f4a50bacae07ddb096943c597669bcae494a6e29:built-in-policies/policyDefinitions";

/** A violation when `categories` of `target` reach no destination (category groups named in `groups` count too). */
function logsExported(graph: Graph, target: PlannedResource, targetId: string, categories: readonly string[], why: string, groups: readonly string[] = []) {
    const missing = unexported(graph, targetId, categories, groups);
    return missing.length ? against(target, [`no diagnostic setting on ${targetId} sends ${missing.join(", ")} to a workspace or account: ${why}`]) : [];
}

export const gatewayLogsRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-GATEWAY-LOGS",
    title: "The Application Gateway exports its access and firewall logs",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.audit, hipaa.activityReview], azurePolicy: ["Azure Application Gateway should have Resource logs enabled (8a04f872-51e9-4313-97fb-fc1c3543011c)"] },
    source: [`${supportedLogs}/microsoft-network-applicationgateways-logs`, diagnostics, settingArgs, `${policyRepo}/Monitoring/AppGateway_DiagnosticLogEnabled_Audit.json`],
    appliesTo: [types.gateway],
    check(graph) {
        return graph
            .ofType(types.gateway)
            .flatMap((g) => logsExported(graph, g, g.id ?? g.key, ["ApplicationGatewayAccessLog", "ApplicationGatewayFirewallLog"], "who requested which page from where, and which attacks the WAF blocked, are not kept."));
    },
};

export const vaultLogsRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-KV-AUDIT-LOGS",
    title: "The Key Vault exports its audit events (every key and secret access)",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.audit, hipaa.activityReview], azurePolicy: ["Resource logs in Key Vault should be enabled (cf820ca0-f99e-4f3e-84fb-66e913812d21)"] },
    source: [`${supportedLogs}/microsoft-keyvault-vaults-logs`, "https://learn.microsoft.com/azure/key-vault/general/logging", settingArgs, `${policyRepo}/Key Vault/AuditDiagnosticLog_Audit.json`],
    appliesTo: [types.vault],
    check(graph) {
        // AuditEvent belongs to the "audit" category group (supported-logs/microsoft-keyvault-vaults-logs).
        return graph.ofType(types.vault).flatMap((v) => logsExported(graph, v, v.id ?? v.key, ["AuditEvent"], "nobody can tell who read a database password or unwrapped the data key.", ["audit"]));
    },
};

export const mysqlAuditExportRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-MYSQL-AUDIT-EXPORT",
    title: "The MySQL flexible server exports its audit log to a workspace or storage account",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.audit, hipaa.activityReview],
        azurePolicy: ["Enable logging by category group for microsoft.dbformysql/flexibleservers to Log Analytics (7860f3fe-0db3-42d4-bf3d-7042ea5e5787)"],
    },
    source: [
        // "Audit logs are integrated with Azure Monitor diagnostic settings ... MySqlAuditLogs"
        "https://learn.microsoft.com/azure/mysql/flexible-server/concepts-audit-logs",
        `${supportedLogs}/microsoft-dbformysql-flexibleservers-logs`,
        settingArgs,
    ],
    appliesTo: [types.mysqlServer],
    check(graph) {
        return graph
            .ofType(types.mysqlServer)
            .flatMap((s) => logsExported(graph, s, s.id ?? s.key, ["MySqlAuditLogs"], "the audit log stays on the server, where whoever controls the server can erase it, and is lost with it."));
    },
};

/** The storage services a data account's contents live in, as diagnostic-setting targets. */
const servicesOf = (graph: Graph, account: PlannedResource) =>
    [...new Set(contentsOf(graph, account).map((c) => (c.type === types.fileShare ? "fileServices" : "blobServices")))].map((service) => `${account.id}/${service}/default`);

export const storageLogsRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-STORAGE-DATA-LOGS",
    title: "Every storage service holding shares or containers exports its read, write and delete logs",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.audit, hipaa.activityReview],
        checkov: ["CKV2_AZURE_21"],
        trivy: ["AVD-AZU-0057"],
        azurePolicy: ["Configure diagnostic settings for File Services to Log Analytics workspace (25a70cc8-2bd4-47f1-90b6-1478e4662c96)"],
    },
    source: [`${supportedLogs}/microsoft-storage-storageaccounts-fileservices-logs`, "https://learn.microsoft.com/azure/storage/files/storage-files-monitoring", settingArgs],
    appliesTo: [types.fileShare, types.blobContainer],
    check(graph) {
        return dataAccounts(graph).flatMap((account) =>
            servicesOf(graph, account).flatMap((serviceId) =>
                logsExported(graph, account, serviceId, ["StorageRead", "StorageWrite", "StorageDelete"], "nobody can tell who read, changed or deleted a patient document."),
            ),
        );
    },
};

/** Activity-log categories that record who changed what in the subscription, its security alerts and policy decisions. */
export const activityCategories = ["Administrative", "Security", "Policy"];

export const activityLogRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-ACTIVITY-LOG-EXPORT",
    title: "The subscription's activity log (Administrative, Security, Policy) is exported to a workspace or account",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    // CKV_AZURE_38 and AVD-AZU-0033 check the same export in its retired form (a log profile capturing every category).
    controls: {
        hipaa: [hipaa.audit, hipaa.activityReview],
        checkov: ["CKV_AZURE_38"],
        trivy: ["AVD-AZU-0033"],
        azurePolicy: ["Configure Azure Activity logs to stream to specified Log Analytics workspace (2465583e-4e78-4c15-b6be-a36cbc7c8b0f)"],
    },
    source: [
        // "Activity log events are retained in Azure for 90 days and then deleted" unless a diagnostic setting exports them.
        "https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log",
        "https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log-schema#categories",
        settingArgs,
        `${policyRepo}/Monitoring/DataConnectorsAzureActivity.json`,
    ],
    appliesTo: ["azure-native:*"],
    check(graph) {
        const settings = graph.ofType(types.diagnosticSetting).filter((s) => /^\/subscriptions\/[^/]+\/?$/i.test(String(s.inputs.resourceUri)) && hasDestination(s));
        const exported = new Set(settings.flatMap((s) => list(s.inputs.logs).filter((l) => l.enabled !== false).map((l) => l.category)));
        const missing = activityCategories.filter((c) => !exported.has(c) && !settings.some((s) => list(s.inputs.logs).some((l) => l.categoryGroup === "allLogs" && l.enabled !== false)));
        if (!missing.length) return [];
        // The finding belongs to the subscription, which the stack does not declare: pin it on the stack's resource group.
        const anchor = graph.ofType("azure-native:resources:ResourceGroup")[0] ?? graph.resources.find((r) => r.custom && r.type.startsWith("azure-native:"))!;
        return against(anchor, [
            `no subscription-scope diagnostic setting exports the activity log categories ${missing.join(", ")}: Azure deletes activity-log events after 90 days, and with them the record of who changed the network, the keys or the database.`,
        ]);
    },
};

export const auditRules = [gatewayLogsRule, vaultLogsRule, mysqlAuditExportRule, storageLogsRule, activityLogRule];
