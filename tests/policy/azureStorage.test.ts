import { describe, expect, it } from "vitest";
import { premiumShareQuotaRule } from "../../src/policy/deploy/azureStorage";
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
