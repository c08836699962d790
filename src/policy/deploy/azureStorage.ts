import { premiumShareQuota } from "../../config/defaults";
import { deleteLocks, lockResourceTypes } from "../azureLocks";
import type { StackRule, Violation } from "../types";

const storageAccount = "azure-native:storage:StorageAccount";
const fileShare = "azure-native:storage:FileShare";
const workflow = "azure-native:logic:Workflow";

export const premiumShareQuotaRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AZ-FILES-PREMIUM-QUOTA",
    title: "A share on a premium FileStorage account is provisioned between 100 and 102,400 GiB",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // "The provisioned size of the share, in gibibytes. Must be greater than 0, and less than or equal to 5TB (5120).
        // For Large File Shares, the maximum size is 102400."
        "@pulumi/azure-native@3.28.0:storage/fileShare.d.ts (FileShareArgs.shareQuota)",
        // Premium shares have a 100 GiB floor (the CSI driver raises smaller requests to it: minimumPremiumShareSize).
        "https://github.com/kubernetes/kubernetes/pull/99122",
    ],
    appliesTo: [fileShare],
    check(graph): Violation[] {
        return graph.ofType(fileShare).flatMap((share) => {
            const account = graph.referenced(share.inputs.accountName);
            if (account?.type !== storageAccount || account.inputs.kind !== "FileStorage") return [];
            const quota = share.inputs.shareQuota;
            const { min, max } = premiumShareQuota;
            if (Number.isInteger(quota) && quota >= min && quota <= max) return [];
            const said = quota === undefined ? "is unset" : `is ${JSON.stringify(quota)}`;
            return [
                {
                    resourceKey: share.key,
                    reason:
                        `shareQuota ${said} on ${account.key}, a premium FileStorage account: premium shares are provisioned (and billed) ` +
                        `in whole GiB from ${min} to ${max}, so Azure rejects the share or provisions a size nobody chose.`,
                },
            ];
        });
    },
};

/** The ARM paths a workflow's HTTP actions DELETE (at any depth of its definition); a URI that is a workflow expression is not a path. */
function armDeletes(definition: unknown): string[] {
    if (!definition || typeof definition !== "object") return [];
    const node = definition as Record<string, any>;
    const uri = node.type === "Http" && node.inputs?.method === "DELETE" ? node.inputs.uri : undefined;
    const own = typeof uri === "string" && URL.canParse(uri) ? [new URL(uri).pathname] : [];
    return [...own, ...Object.values(node).flatMap(armDeletes)];
}

export const lockOverPrunedSnapshotsRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AZ-NO-LOCK-OVER-PRUNED-SNAPSHOTS",
    title: "No management lock covers a share whose snapshots a workflow prunes through ARM",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // "if a request uses File Shares - Delete, which is a control plane operation, the deletion fails"
        // (Considerations before applying your locks); locks on a parent scope are inherited (Lock inheritance).
        "https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources",
        // Deleting a snapshot is File Shares - Delete with the x-ms-snapshot header (DELETE .../shares/{shareName}).
        "https://learn.microsoft.com/rest/api/storagerp/file-shares/delete",
    ],
    appliesTo: [workflow, ...lockResourceTypes],
    check(graph): Violation[] {
        const pruned = graph.ofType(workflow).flatMap((w) =>
            armDeletes(w.inputs.definition)
                .filter((path) => /\/fileServices\/default\/shares\/[^/]+$/i.test(path))
                .map((path) => ({ workflow: w, share: path })),
        );
        return deleteLocks(graph).flatMap((lock) =>
            pruned
                .filter(({ share }) => lock.covers(share))
                .map(({ workflow: w, share }) => ({
                    resourceKey: lock.resource.key,
                    reason:
                        `${lock.level} lock on ${lock.scope} covers ${share}, whose expired snapshots ${w.key} deletes through ARM (File Shares - Delete): ` +
                        "ARM refuses every such delete under the lock, so no snapshot is ever pruned and the share reaches Azure Files' 200-snapshot limit, after which no backup is taken.",
                })),
        );
    },
};
