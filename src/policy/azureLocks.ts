import type { PlannedResource } from "../plan/capture";
import type { Graph } from "../plan/graph";

/**
 * The Azure management locks a stack declares that stop deletes (CanNotDelete, and ReadOnly, which
 * also stops them), in any of azure-native's four lock resources (@pulumi/azure-native@3.28.0
 * authorization/managementLockByScope, ...AtSubscriptionLevel, ...AtResourceGroupLevel,
 * ...AtResourceLevel .d.ts), each with what it covers: its scope and everything under it ("When you
 * apply a lock at a parent scope, all resources within that scope inherit the same lock",
 * learn.microsoft.com/azure/azure-resource-manager/management/lock-resources, Lock inheritance).
 * Ids compare case-insensitively (resource-name-rules: "Resource IDs are case-insensitive"). A lock
 * whose scope is not known offline (an unresolved output) is left out: nothing can be said of it.
 */
export interface DeleteLock {
    resource: PlannedResource;
    level: string;
    /** Its scope as a reader would say it: an ARM id, or where it sits. */
    scope: string;
    covers(id: unknown): boolean;
}

const lockTypes = {
    byScope: "azure-native:authorization:ManagementLockByScope",
    subscription: "azure-native:authorization:ManagementLockAtSubscriptionLevel",
    resourceGroup: "azure-native:authorization:ManagementLockAtResourceGroupLevel",
    resource: "azure-native:authorization:ManagementLockAtResourceLevel",
} as const;

/** Ids at or under the ARM path `path` (after the subscription segment when `inSubscription`). */
function under(path: string, inSubscription: boolean): (id: unknown) => boolean {
    const prefix = path.toLowerCase().replace(/\/+$/, "");
    return (id) => {
        if (typeof id !== "string") return false;
        const rest = inSubscription ? id.toLowerCase().replace(/^\/subscriptions\/[^/]+/, "") : id.toLowerCase();
        return rest === prefix || rest.startsWith(`${prefix}/`);
    };
}

const known = (...values: unknown[]) => values.every((v) => typeof v === "string" && v.length > 0);

function scopeOf(lock: PlannedResource): Pick<DeleteLock, "scope" | "covers"> | undefined {
    const i = lock.inputs;
    switch (lock.type) {
        case lockTypes.byScope:
            return known(i.scope) ? { scope: i.scope, covers: under(i.scope, false) } : undefined;
        case lockTypes.subscription:
            // The stack deploys into one subscription: every id it has is under it.
            return { scope: "the subscription", covers: (id) => typeof id === "string" && /^\/subscriptions\//i.test(id) };
        case lockTypes.resourceGroup:
            return known(i.resourceGroupName) ? { scope: `resource group ${i.resourceGroupName}`, covers: under(`/resourceGroups/${i.resourceGroupName}`, true) } : undefined;
        case lockTypes.resource: {
            const parent = typeof i.parentResourcePath === "string" && i.parentResourcePath ? `${i.parentResourcePath}/` : "";
            if (!known(i.resourceGroupName, i.resourceProviderNamespace, i.resourceType, i.resourceName)) return undefined;
            const path = `/resourceGroups/${i.resourceGroupName}/providers/${i.resourceProviderNamespace}/${parent}${i.resourceType}/${i.resourceName}`;
            return { scope: path, covers: under(path, true) };
        }
        default:
            return undefined;
    }
}

/** Every declared lock that stops deletes, with what it covers. */
export function deleteLocks(graph: Graph): DeleteLock[] {
    return Object.values(lockTypes)
        .flatMap((type) => graph.ofType(type))
        .filter((l) => ["CanNotDelete", "ReadOnly"].includes(l.inputs.level))
        .flatMap((l) => {
            const scope = scopeOf(l);
            return scope ? [{ resource: l, level: l.inputs.level, ...scope }] : [];
        });
}

/** The lock resource types, for rules' appliesTo. */
export const lockResourceTypes: string[] = Object.values(lockTypes);
