import type { ResourceRule } from "../../types";
import { hipaa, list, said, types } from "./refs";

/** Key Vault: holds the customer-managed key of the database and the file share, and the install secrets. */

const vaultArgs = "@pulumi/azure-native@3.28.0:types/input.d.ts keyvault.VaultPropertiesArgs";
const policyRepo = "Azure/azure-policy@f4a50bacae07ddb096943c597669bcae494a6e29:built-in-policies/policyDefinitions/Key Vault";
const checkovRepo = "bridgecrewio/checkov@03d5fdad:checkov/terraform/checks/resource/azure";

export const vaultPurgeProtectionRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-KV-PURGE-PROTECTION",
    title: "The Key Vault has purge protection on",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.integrity, hipaa.encryptionAtRest, hipaa.backup],
        checkov: ["CKV_AZURE_110", "CKV_AZURE_42"],
        trivy: ["AVD-AZU-0016"],
        azurePolicy: ["Key vaults should have deletion protection enabled (0b60c0b2-2dc2-4e1c-b5c9-abbed971de53)"],
    },
    source: [
        // "purge protection ... only the Key Vault service may initiate a hard, irrecoverable deletion"; customer-managed
        // keys for Storage and MySQL require soft delete and purge protection on the vault.
        "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview",
        "https://learn.microsoft.com/azure/mysql/flexible-server/concepts-customer-managed-key",
        `${vaultArgs}.enablePurgeProtection`,
        `${policyRepo}/Recoverable_Audit.json`,
        `${checkovRepo}/KeyVaultEnablesPurgeProtection.py`,
    ],
    appliesTo: [types.vault],
    check({ inputs }) {
        const value = inputs.properties?.enablePurgeProtection;
        return value === true
            ? []
            : [`properties.enablePurgeProtection ${said(value)}: anyone with purge rights can destroy the customer-managed key for good, and with it every database and file encrypted under it.`];
    },
};

/** Soft-deleted vaults and keys are kept 7 to 90 days (softDeleteRetentionInDays; default 90). */
export const minimumSoftDeleteDays = 7;

export const vaultSoftDeleteRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-KV-SOFT-DELETE",
    title: "The Key Vault keeps deleted keys and secrets recoverable (soft delete on)",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.integrity, hipaa.backup],
        checkov: ["CKV_AZURE_111"],
        azurePolicy: ["Key vaults should have soft delete enabled (1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d)"],
    },
    source: [
        // enableSoftDelete: "If it's not set to any value(true or false) when creating new key vault, it will be set to true by default."
        `${vaultArgs} (enableSoftDelete, softDeleteRetentionInDays)`,
        "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview",
        `${policyRepo}/SoftDeleteMustBeEnabled_Audit.json`,
    ],
    appliesTo: [types.vault],
    check({ inputs }) {
        const problems: string[] = [];
        if (inputs.properties?.enableSoftDelete === false) problems.push("properties.enableSoftDelete is false: a deleted key or secret is gone at once, with no recovery window.");
        const days = inputs.properties?.softDeleteRetentionInDays;
        if (days !== undefined && !(typeof days === "number" && days >= minimumSoftDeleteDays))
            problems.push(`properties.softDeleteRetentionInDays ${said(days)}: keep deleted keys at least ${minimumSoftDeleteDays} days (7 to 90).`);
        return problems;
    },
};

export const vaultRbacRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-KV-RBAC",
    title: "The Key Vault authorizes data access with Azure RBAC, not access policies",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.accessControl, hipaa.uniqueUser],
        azurePolicy: ["Azure Key Vault should use RBAC permission model (12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5)"],
    },
    source: [
        // "If null or not specified, the vault is created with the default value of false" (access policies).
        `${vaultArgs}.enableRbacAuthorization`,
        "https://learn.microsoft.com/azure/key-vault/general/rbac-access-policy",
        `${policyRepo}/Should_Use_RBAC.json`,
    ],
    appliesTo: [types.vault],
    check({ inputs }) {
        const problems: string[] = [];
        if (inputs.properties?.enableRbacAuthorization !== true)
            problems.push(`properties.enableRbacAuthorization ${said(inputs.properties?.enableRbacAuthorization)} (unset means access policies): grants then bypass RBAC, its conditions and Privileged Identity Management, and cannot be scoped to one key or secret.`);
        if (list(inputs.properties?.accessPolicies).length) problems.push("properties.accessPolicies lists entries: access policies grant vault-wide rights outside RBAC.");
        return problems;
    },
};

export const vaultNetworkRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-KV-NETWORK",
    title: "The Key Vault refuses public network traffic (publicNetworkAccess disabled, or a default-deny firewall)",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.accessControl, hipaa.transmission],
        checkov: ["CKV_AZURE_189", "CKV_AZURE_109"],
        trivy: ["AVD-AZU-0013"],
        azurePolicy: [
            "Azure Key Vault should disable public network access (405c5871-3e91-4644-8a63-58e19d68ff5b)",
            "Azure Key Vault should have firewall enabled or public network access disabled (55615ac9-af46-4a59-874e-391cc3dfb490)",
        ],
    },
    source: ["https://learn.microsoft.com/azure/key-vault/general/network-security", `${vaultArgs} (publicNetworkAccess, networkAcls.defaultAction)`],
    appliesTo: [types.vault],
    check({ inputs }) {
        const properties = inputs.properties ?? {};
        if (String(properties.publicNetworkAccess).toLowerCase() === "disabled" || properties.networkAcls?.defaultAction === "Deny") return [];
        return [`properties.publicNetworkAccess ${said(properties.publicNetworkAccess)} and networkAcls.defaultAction ${said(properties.networkAcls?.defaultAction)}: the vault holding the encryption keys answers every network; disable public access or deny by default.`];
    },
};

export const keyHsmRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-KV-KEY-HSM",
    title: "Encryption keys are HSM-backed and not exportable",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest], checkov: ["CKV_AZURE_112"] },
    source: [
        // kty "RSA-HSM" / "EC-HSM": "the key is ... protected by an HSM" (premium vaults).
        "https://learn.microsoft.com/azure/key-vault/keys/about-keys",
        `${checkovRepo}/KeyBackedByHSM.py`,
        "@pulumi/azure-native@3.28.0:types/input.d.ts keyvault.KeyPropertiesArgs (kty, attributes.exportable)",
    ],
    appliesTo: [types.key],
    check({ inputs }) {
        const problems: string[] = [];
        const kty = inputs.properties?.kty;
        if (!(typeof kty === "string" && kty.endsWith("-HSM"))) problems.push(`properties.kty ${said(kty)}: a software key can be handled in the clear by the service; use "RSA-HSM" or "EC-HSM".`);
        if (inputs.properties?.attributes?.exportable === true) problems.push("properties.attributes.exportable is true: the private key may leave the HSM.");
        return problems;
    },
};

export const keyRotationRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-KV-KEY-ROTATION",
    title: "Encryption keys rotate automatically (a rotation policy with a rotate action)",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest] },
    source: [
        // "lifetimeActions ... action type Rotate ... trigger timeAfterCreate". Storage follows a versionless key URI within a
        // day; MySQL pins a version and moves on the next deploy (src/azure/storageAccount.ts, src/azure/dbServer.ts DataKey).
        "https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation",
        "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final (5.3 cryptoperiods)",
        "@pulumi/azure-native@3.28.0:types/input.d.ts keyvault.RotationPolicyArgs (lifetimeActions)",
    ],
    appliesTo: [types.key],
    check({ inputs }) {
        const actions = list(inputs.properties?.rotationPolicy?.lifetimeActions);
        return actions.some((a) => String(a.action?.type).toLowerCase() === "rotate" && (a.trigger?.timeAfterCreate || a.trigger?.timeBeforeExpiry))
            ? []
            : [`properties.rotationPolicy.lifetimeActions ${said(inputs.properties?.rotationPolicy?.lifetimeActions)}: without a timed "rotate" action the key never changes: no cryptoperiod (NIST SP 800-57) bounds how much data one key version protects or how long an exposed version stays useful.`];
    },
};

export const keyRules = [vaultPurgeProtectionRule, vaultSoftDeleteRule, vaultRbacRule, vaultNetworkRule, keyHsmRule, keyRotationRule];
