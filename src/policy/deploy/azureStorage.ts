import { premiumShareQuota } from "../../config/defaults";
import type { StackRule, Violation } from "../types";

const storageAccount = "azure-native:storage:StorageAccount";
const fileShare = "azure-native:storage:FileShare";


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
