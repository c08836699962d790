import { describe, expect, it } from "vitest";
import { keyHsmRule, keyRotationRule, vaultNetworkRule, vaultPurgeProtectionRule, vaultRbacRule, vaultSoftDeleteRule } from "../../../src/policy/compliance/azure/keys";
import { graphOf, judge, reasons, resource } from "../fixtures";

// The vault and key of src/azure/storageVault.ts, as captured.
const properties = {
    tenantId: "t",
    sku: { family: "A", name: "premium" },
    enablePurgeProtection: true,
    enableRbacAuthorization: true,
    enableSoftDelete: true,
    softDeleteRetentionInDays: 90,
    publicNetworkAccess: "Disabled",
    networkAcls: { bypass: "AzureServices", defaultAction: "Deny" },
};
const vault = (changes: Record<string, unknown> = {}) => graphOf(resource("azure-native:keyvault:Vault", "kv", { properties: { ...properties, ...changes } }));
const keyProperties = { kty: "RSA-HSM", keySize: 3072, attributes: { enabled: true, exportable: false }, rotationPolicy: { lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P1Y" } }] } };
const key = (changes: Record<string, unknown> = {}) => graphOf(resource("azure-native:keyvault:Key", "data-key", { keyName: "emr-data", properties: { ...keyProperties, ...changes } }));

describe("EMR-AZ-KV-PURGE-PROTECTION", () => {
    it("passes purge protection on", () => expect(judge(vaultPurgeProtectionRule, vault()).status).toBe("pass"));
    it("fails it unset", () => expect(reasons(judge(vaultPurgeProtectionRule, vault({ enablePurgeProtection: undefined })))).toContain("properties.enablePurgeProtection is unset"));
});

describe("EMR-AZ-KV-SOFT-DELETE", () => {
    it.each([{}, { enableSoftDelete: undefined, softDeleteRetentionInDays: undefined }])("passes %o (unset: on, 90 days)", (changes) => expect(judge(vaultSoftDeleteRule, vault(changes)).status).toBe("pass"));
    it("fails soft delete off", () => expect(reasons(judge(vaultSoftDeleteRule, vault({ enableSoftDelete: false })))).toContain("properties.enableSoftDelete is false"));
    it("fails a retention under 7 days", () => expect(reasons(judge(vaultSoftDeleteRule, vault({ softDeleteRetentionInDays: 3 })))).toContain("softDeleteRetentionInDays is 3"));
});

describe("EMR-AZ-KV-RBAC", () => {
    it("passes RBAC authorization", () => expect(judge(vaultRbacRule, vault()).status).toBe("pass"));
    it("fails access policies (the unset default)", () => {
        const text = reasons(judge(vaultRbacRule, vault({ enableRbacAuthorization: undefined, accessPolicies: [{ objectId: "o", tenantId: "t", permissions: { keys: ["all"] } }] })));
        expect(text).toContain("enableRbacAuthorization is unset");
        expect(text).toContain("properties.accessPolicies lists entries");
    });
});

describe("EMR-AZ-KV-NETWORK", () => {
    it("passes public access disabled, or a default-deny firewall", () => {
        expect(judge(vaultNetworkRule, vault()).status).toBe("pass");
        expect(judge(vaultNetworkRule, vault({ publicNetworkAccess: undefined })).status).toBe("pass");
    });
    it("fails a vault open to every network", () => {
        expect(reasons(judge(vaultNetworkRule, vault({ publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } })))).toContain('networkAcls.defaultAction is "Allow"');
    });
});

describe("EMR-AZ-KV-KEY-HSM", () => {
    it("passes a non-exportable RSA-HSM key", () => expect(judge(keyHsmRule, key()).status).toBe("pass"));
    it("fails a software key that may be exported", () => {
        const text = reasons(judge(keyHsmRule, key({ kty: "RSA", attributes: { exportable: true } })));
        expect(text).toContain('properties.kty is "RSA"');
        expect(text).toContain("exportable is true");
    });
});

describe("EMR-AZ-KV-KEY-ROTATION", () => {
    it("passes a yearly rotate action", () => expect(judge(keyRotationRule, key()).status).toBe("pass"));
    it.each([[undefined], [{ lifetimeActions: [{ action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } }] }]])("fails rotation policy %o", (rotationPolicy) => {
        expect(reasons(judge(keyRotationRule, key({ rotationPolicy })))).toContain("properties.rotationPolicy.lifetimeActions");
    });
});
