import type { PlannedResource } from "../../../plan/capture";
import type { Graph } from "../../../plan/graph";
import type { Violation } from "../../types";

/**
 * Shared readers for the Azure compliance rules: following ARM ids between resources, and the
 * diagnostic settings, server parameters and locks that sit beside a resource.
 */

export const types = {
    storageAccount: "azure-native:storage:StorageAccount",
    fileShare: "azure-native:storage:FileShare",
    blobContainer: "azure-native:storage:BlobContainer",
    fileService: "azure-native:storage:FileServiceProperties",
    mysqlServer: "azure-native:dbformysql:Server",
    mysqlConfiguration: "azure-native:dbformysql:Configuration",
    mysqlFirewallRule: "azure-native:dbformysql:FirewallRule",
    vault: "azure-native:keyvault:Vault",
    key: "azure-native:keyvault:Key",
    scaleSet: "azure-native:compute:VirtualMachineScaleSet",
    gateway: "azure-native:network:ApplicationGateway",
    wafPolicy: "azure-native:network:WebApplicationFirewallPolicy",
    publicIp: "azure-native:network:PublicIPAddress",
    nsg: "azure-native:network:NetworkSecurityGroup",
    securityRule: "azure-native:network:SecurityRule",
    virtualNetwork: "azure-native:network:VirtualNetwork",
    flowLog: "azure-native:network:FlowLog",
    diagnosticSetting: "azure-native:monitor:DiagnosticSetting",
} as const;

/** ARM resource ids compare case-insensitively ("Resource IDs are case-insensitive", Learn azure-resource-manager/management/resource-name-rules). */
export const sameId = (a: unknown, b: unknown) => typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();

/** The resource a reference (id, name) in another resource's inputs points at. */
export function resolve(graph: Graph, ref: unknown): PlannedResource | undefined {
    return graph.referenced(ref) ?? graph.resources.find((r) => r.custom && sameId(r.id, ref));
}

/** The id a `{ id }` sub-resource reference carries. */
export const refId = (value: unknown): string | undefined => (value && typeof value === "object" ? ((value as { id?: string }).id ?? undefined) : undefined);

/** The last segment of an ARM id: the name of a child such as `.../httpListeners/https`. */
export const lastSegment = (id: unknown) => (typeof id === "string" ? id.split("/").pop() : undefined);

/** A list input that may be missing. */
export const list = <T = any>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** The diagnostic settings whose target (resourceUri) is `targetId`. */
export function diagnosticsOf(graph: Graph, targetId: string): PlannedResource[] {
    return graph.ofType(types.diagnosticSetting).filter((s) => sameId(s.inputs.resourceUri, targetId));
}

/** Whether a diagnostic setting sends anywhere (a workspace, a storage account, an event hub, a partner). */
export const hasDestination = (setting: PlannedResource) =>
    ["workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "marketplacePartnerId"].some((k) => typeof setting.inputs[k] === "string" && setting.inputs[k]);

/**
 * Whether a setting collects a log: by its category, or by a category group that includes it
 * ("allLogs" includes every category; `groups` lists the others that do, per resource type).
 */
export function collects(setting: PlannedResource, category: string, groups: readonly string[] = []): boolean {
    return list(setting.inputs.logs).some(
        (l) => l.enabled !== false && (l.category === category || l.categoryGroup === "allLogs" || groups.includes(l.categoryGroup)),
    );
}

/**
 * The log categories of `categories` no diagnostic setting of `targetId` sends to a destination.
 * Empty: every one is exported.
 */
export function unexported(graph: Graph, targetId: string, categories: readonly string[], groups: readonly string[] = []): string[] {
    const settings = diagnosticsOf(graph, targetId).filter(hasDestination);
    return categories.filter((c) => !settings.some((s) => collects(s, c, groups)));
}

/** The value a MySQL server parameter is set to by a Configuration resource, and which resource sets it. */
export function serverParameter(graph: Graph, server: PlannedResource, name: string): { value: unknown; key: string } | undefined {
    const set = graph
        .ofType(types.mysqlConfiguration)
        .find((c) => c.inputs.configurationName === name && resolve(graph, c.inputs.serverName)?.key === server.key);
    return set && { value: set.inputs.value, key: set.key };
}

/** The storage accounts Azure itself writes logs into (flow logs, diagnostic settings). */
function logSinks(graph: Graph): Set<string> {
    const sinks = [...graph.ofType(types.flowLog).map((f) => f.inputs.storageId), ...graph.ofType(types.diagnosticSetting).map((s) => s.inputs.storageAccountId)];
    return new Set(sinks.map((ref) => resolve(graph, ref)?.key).filter((k): k is string => !!k));
}

/** The shares and containers an account holds. */
export const contentsOf = (graph: Graph, account: PlannedResource) =>
    [...graph.ofType(types.fileShare), ...graph.ofType(types.blobContainer)].filter((c) => resolve(graph, c.inputs.accountName)?.key === account.key);

/**
 * The storage accounts that may hold ePHI: every account except one that only receives Azure's own
 * logs (a flow-log or diagnostics sink with no share or container of the program's): those carry
 * network and platform metadata and are held to the encryption, TLS and network rules, not to
 * the data-store rules (CMK, Entra-only access).
 */
export function dataAccounts(graph: Graph): PlannedResource[] {
    const sinks = logSinks(graph);
    return graph.ofType(types.storageAccount).filter((a) => !sinks.has(a.key) || contentsOf(graph, a).length > 0);
}

/** The user-assigned identity ids of an `identity` input (azure-native 3.x takes a list; ARM's own shape is a map). */
export function userIdentities(identity: unknown): string[] {
    const assigned = (identity as { userAssignedIdentities?: unknown } | undefined)?.userAssignedIdentities;
    if (Array.isArray(assigned)) return assigned.filter((x): x is string => typeof x === "string");
    return assigned && typeof assigned === "object" ? Object.keys(assigned) : [];
}

/** How a value reads in a reason: `is "X"` or `is unset`. */
export const said = (value: unknown) => (value === undefined ? "is unset" : `is ${JSON.stringify(value)}`);

/** One violation per reason, against one resource. */
export const against = (resource: PlannedResource, reasons: string[]): Violation[] => reasons.map((reason) => ({ resourceKey: resource.key, reason }));

/** HIPAA paragraphs: one table for every cloud (../hipaa.ts). */
export { hipaa } from "../hipaa";
