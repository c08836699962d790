import { describe, expect, it } from "vitest";
import { backupRetention, snapshotWorkflow } from "../../src/azure/storageSnapshots";
import { lockOverPrunedSnapshotsRule, premiumShareQuotaRule } from "../../src/policy/deploy/azureStorage";
import { graphOf, judge, reasons, resource } from "./fixtures";

const account = (kind: string) => resource("azure-native:storage:StorageAccount", "files", { kind, sku: { name: kind === "FileStorage" ? "Premium_ZRS" : "Standard_ZRS" } });
const share = (shareQuota: unknown) => resource("azure-native:storage:FileShare", "sites", { accountName: "files-0001", shareName: "sites", shareQuota });

describe("DEPLOY-AZ-FILES-PREMIUM-QUOTA", () => {
    it.each([100, 512, 102400])("passes a premium share of %i GiB", (quota) => {
        expect(judge(premiumShareQuotaRule, graphOf(account("FileStorage"), share(quota))).status).toBe("pass");
    });

    it.each([[99, "is 99"], [102401, "is 102401"], [150.5, "is 150.5"], [undefined, "is unset"]])("fails a premium share whose quota %s", (quota, said) => {
        const text = reasons(judge(premiumShareQuotaRule, graphOf(account("FileStorage"), share(quota))));
        expect(text).toContain(`shareQuota ${said} on azure-native:storage:StorageAccount::files`);
        expect(text).toContain("from 100 to 102400");
    });

    it("leaves a standard (pay-as-you-go) account's share alone", () => {
        expect(judge(premiumShareQuotaRule, graphOf(account("StorageV2"), share(5))).status).toBe("pass");
    });
});

describe("DEPLOY-AZ-NO-LOCK-OVER-PRUNED-SNAPSHOTS", () => {
    const group = "/subscriptions/s/resourceGroups/emr-rg";
    const accountId = `${group}/providers/Microsoft.Storage/storageAccounts/files0001`;
    const shareId = `${accountId}/fileServices/default/shares/sites`;
    // The workflow as src/azure/storageSnapshots.ts defines it (its own definition builder).
    const snapshots = resource("azure-native:logic:Workflow", "snapshots", {
        definition: snapshotWorkflow({ accountId, shareId, shareName: "sites", identityId: `${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/snap`, retention: backupRetention(35) }),
    });
    const lock = (scope: string, level = "CanNotDelete") => resource("azure-native:authorization:ManagementLockByScope", "lock", { scope, level });

    it("passes the stack's own locks (the database server only)", () => {
        const server = `${group}/providers/Microsoft.DBforMySQL/flexibleServers/emr-db`;
        expect(judge(lockOverPrunedSnapshotsRule, graphOf(snapshots, lock(server))).status).toBe("pass");
    });

    it.each([
        ["the files account", accountId],
        ["the share", shareId],
        ["the resource group (inherited)", group.toUpperCase()],
        ["the subscription (inherited)", "/subscriptions/s"],
    ])("fails a CanNotDelete lock on %s: ARM refuses the snapshot deletes under it", (_, scope) => {
        const text = reasons(judge(lockOverPrunedSnapshotsRule, graphOf(snapshots, lock(scope))));
        expect(text).toContain(`CanNotDelete lock on ${scope} covers ${shareId}`);
        expect(text).toContain("200-snapshot limit");
    });

    it.each([
        ["a resource-group lock", resource("azure-native:authorization:ManagementLockAtResourceGroupLevel", "rg-lock", { resourceGroupName: "EMR-RG", level: "CanNotDelete" }), "resource group EMR-RG"],
        ["a subscription lock", resource("azure-native:authorization:ManagementLockAtSubscriptionLevel", "sub-lock", { level: "CanNotDelete" }), "the subscription"],
        [
            "a lock on the account as a resource",
            resource("azure-native:authorization:ManagementLockAtResourceLevel", "acct-lock", { resourceGroupName: "emr-rg", resourceProviderNamespace: "Microsoft.Storage", parentResourcePath: "", resourceType: "storageAccounts", resourceName: "files0001", level: "CanNotDelete" }),
            "/resourceGroups/emr-rg/providers/Microsoft.Storage/storageAccounts/files0001",
        ],
    ])("fails %s, whichever of azure-native's lock resources declares it", (_, declared, scope) => {
        expect(reasons(judge(lockOverPrunedSnapshotsRule, graphOf(snapshots, declared)))).toContain(`CanNotDelete lock on ${scope} covers ${shareId}`);
    });

    it("passes locks of other resource groups or resources, and a workflow whose DELETE URI is an expression", () => {
        const otherGroup = resource("azure-native:authorization:ManagementLockAtResourceGroupLevel", "rg-lock", { resourceGroupName: "emr-rg-2", level: "CanNotDelete" });
        const otherResource = resource("azure-native:authorization:ManagementLockAtResourceLevel", "db-lock", { resourceGroupName: "emr-rg", resourceProviderNamespace: "Microsoft.DBforMySQL", parentResourcePath: "", resourceType: "flexibleServers", resourceName: "files0001", level: "CanNotDelete" });
        expect(judge(lockOverPrunedSnapshotsRule, graphOf(snapshots, otherGroup, otherResource)).status).toBe("pass");
        const expression = resource("azure-native:logic:Workflow", "other", { definition: { actions: { d: { type: "Http", inputs: { method: "DELETE", uri: "@{body('x')?['url']}" } } } } });
        expect(judge(lockOverPrunedSnapshotsRule, graphOf(expression, lock(group))).status).toBe("pass");
    });

    it("fails a ReadOnly lock too, and not a lock on a sibling group", () => {
        expect(judge(lockOverPrunedSnapshotsRule, graphOf(snapshots, lock(accountId, "ReadOnly"))).status).toBe("fail");
        expect(judge(lockOverPrunedSnapshotsRule, graphOf(snapshots, lock(`${group}-other`))).status).toBe("pass");
    });
});
