import type { ResourceRule, StackRule } from "../../types";
import { against, dataAccounts, hipaa, resolve, said, types } from "./refs";

/** Storage accounts: the shared file system (patient documents in OpenEMR's sites/) and log sinks. */

const accountArgs = "@pulumi/azure-native@3.28.0:storage/storageAccount.d.ts (StorageAccountArgs)";
const policyRepo = "Azure/azure-policy@f4a50bacae07ddb096943c597669bcae494a6e29:built-in-policies/policyDefinitions";
const checkovRepo = "bridgecrewio/checkov@03d5fdad:checkov/terraform/checks";

export const storageCmkRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-STORAGE-CMK",
    title: "A storage account that holds data encrypts it with a customer-managed Key Vault key through a managed identity",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.encryptionAtRest],
        checkov: ["CKV2_AZURE_1"],
        trivy: ["AVD-AZU-0060"],
        azurePolicy: ["Storage accounts should use customer-managed key for encryption (6fac406b-40ca-413b-bf8e-0bf964659c25)"],
    },
    source: [
        // keySource "Microsoft.Keyvault" + keyVaultProperties (keyName, keyVaultUri) + encryptionIdentity (a user-assigned
        // identity) or a system-assigned identity.
        "https://learn.microsoft.com/azure/storage/common/customer-managed-keys-configure-new-account",
        `${policyRepo}/Storage/StorageAccountCustomerManagedKeyEnabled_Audit.json`,
        `${checkovRepo}/graph_checks/azure/StorageCriticalDataEncryptedCMK.yaml`,
        `${accountArgs}; types/input.d.ts storage.EncryptionArgs (keySource, keyVaultProperties, encryptionIdentity)`,
    ],
    appliesTo: [types.storageAccount],
    check(graph) {
        // Log-only sinks (flow logs) are left to EMR-AZ-STORAGE-INFRA-ENCRYPTION: see dataAccounts().
        return dataAccounts(graph).flatMap((account) => {
            const encryption = account.inputs.encryption ?? {};
            const problems: string[] = [];
            if (String(encryption.keySource).toLowerCase() !== "microsoft.keyvault")
                problems.push(`encryption.keySource ${said(encryption.keySource)}: the account's data is encrypted with a Microsoft-managed key the clinic cannot revoke or rotate; set "Microsoft.Keyvault" with a key in the clinic's vault.`);
            else if (!encryption.keyVaultProperties?.keyName || !encryption.keyVaultProperties?.keyVaultUri)
                problems.push(`encryption.keyVaultProperties ${said(encryption.keyVaultProperties)}: a customer-managed key needs keyName and keyVaultUri.`);
            const viaUser = typeof encryption.encryptionIdentity?.encryptionUserAssignedIdentity === "string";
            const viaSystem = /SystemAssigned/.test(String(account.inputs.identity?.type));
            if (String(encryption.keySource).toLowerCase() === "microsoft.keyvault" && !viaUser && !viaSystem)
                problems.push("encryption.encryptionIdentity is unset and the account has no system-assigned identity: nothing can unwrap the key.");
            return against(account, problems);
        });
    },
};

export const storageInfrastructureEncryptionRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-STORAGE-INFRA-ENCRYPTION",
    title: "Every storage account adds infrastructure (double) encryption",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.encryptionAtRest],
        trivy: ["AVD-AZU-0061"],
        azurePolicy: ["Storage accounts should have infrastructure encryption (4733ea7b-a883-42fe-8cac-97454c2a9e4a)"],
    },
    source: [
        // "Infrastructure encryption can be enabled only at the time that you create the storage account."
        "https://learn.microsoft.com/azure/storage/common/infrastructure-encryption-enable",
        `${policyRepo}/Storage/StorageAccountInfrastructureEncryptionEnabled_Audit.json`,
        `${accountArgs}; types/input.d.ts storage.EncryptionArgs.requireInfrastructureEncryption`,
    ],
    appliesTo: [types.storageAccount],
    check({ inputs }) {
        return inputs.encryption?.requireInfrastructureEncryption === true
            ? []
            : [`encryption.requireInfrastructureEncryption ${said(inputs.encryption?.requireInfrastructureEncryption)}: it must be true; the second layer (platform keys, another algorithm) can only be chosen when the account is created.`];
    },
};

export const storageHttpsOnlyRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-STORAGE-HTTPS-ONLY",
    title: "Every storage account requires secure transfer (HTTPS, and TLS for NFS mounts)",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.transmissionEncryption, hipaa.transmission],
        checkov: ["CKV_AZURE_3"],
        trivy: ["AVD-AZU-0008"],
        azurePolicy: ["Secure transfer to storage accounts should be enabled (404c3081-a854-4457-ae30-26a93ef643f9)"],
    },
    source: [
        // "The default value is true since API version 2019-04-01" (unset is safe on this SDK's 2024-01-01 API). On a
        // premium account with encryption in transit for NFS, secure transfer makes the service refuse non-TLS NFS
        // mounts (src/azure/storageFiles.ts sharedFiles comment).
        "https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer",
        "https://learn.microsoft.com/azure/storage/files/encryption-in-transit-for-nfs-shares",
        `${accountArgs} (enableHttpsTrafficOnly)`,
    ],
    appliesTo: [types.storageAccount],
    check({ inputs }) {
        return inputs.enableHttpsTrafficOnly === false
            ? ["enableHttpsTrafficOnly is false: the account accepts plain HTTP (and NFS mounts without TLS), so files travel readable on the network."]
            : [];
    },
};

export const storageMinimumTlsRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-STORAGE-MIN-TLS",
    title: "Every storage account refuses TLS older than 1.2 (minimumTlsVersion TLS1_2)",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.transmissionEncryption, hipaa.transmissionIntegrity],
        checkov: ["CKV_AZURE_44"],
        trivy: ["AVD-AZU-0011"],
        azurePolicy: ["Storage accounts should have the specified minimum TLS version (fe83a0eb-a853-422d-aac2-1bffd182c5d0)"],
    },
    source: [
        // "The default interpretation is TLS 1.0 for this property. Minimum TLS version 1.3 version is not supported."
        `${accountArgs} (minimumTlsVersion)`,
        "https://learn.microsoft.com/azure/storage/common/transport-layer-security-configure-minimum-version",
    ],
    appliesTo: [types.storageAccount],
    check({ inputs }) {
        return inputs.minimumTlsVersion === "TLS1_2"
            ? []
            : [`minimumTlsVersion ${said(inputs.minimumTlsVersion)}: it must be "TLS1_2" (unset means TLS 1.0); TLS 1.0 and 1.1 are deprecated (RFC 8996).`];
    },
};

export const storageNoAnonymousBlobRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-STORAGE-NO-ANONYMOUS-BLOB",
    title: "No storage account allows anonymous (public) blob access",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.accessControl],
        checkov: ["CKV_AZURE_190", "CKV2_AZURE_47"],
        trivy: ["AVD-AZU-0007"],
        azurePolicy: ["Storage account public access should be disallowed (4fa4b6c0-31ca-4c0d-b10d-24b96f62a751)"],
    },
    source: ["https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent", `${accountArgs} (allowBlobPublicAccess: "The default interpretation is false")`],
    appliesTo: [types.storageAccount],
    check({ inputs }) {
        return inputs.allowBlobPublicAccess === true ? ["allowBlobPublicAccess is true: any container set to public can be read by anyone on the internet without credentials."] : [];
    },
};

export const storageNetworkDenyRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-STORAGE-NETWORK-DENY",
    title: "Every storage account refuses public network traffic (publicNetworkAccess Disabled, or a default-deny network rule set)",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.accessControl, hipaa.transmission],
        checkov: ["CKV_AZURE_35", "CKV_AZURE_59"],
        trivy: ["AVD-AZU-0012"],
        azurePolicy: [
            "Storage accounts should restrict network access (34c877ad-507e-4c82-993e-3452a6e0ad3c)",
            "Storage accounts should disable public network access (b2982f36-99f2-4db5-8eff-283140c09693)",
        ],
    },
    source: ["https://learn.microsoft.com/azure/storage/common/storage-network-security", `${accountArgs} (publicNetworkAccess, networkRuleSet.defaultAction)`],
    appliesTo: [types.storageAccount],
    check({ inputs }) {
        if (inputs.publicNetworkAccess === "Enabled")
            return ['publicNetworkAccess is "Enabled": the account is reachable from the internet whatever its network rules say.'];
        if (inputs.publicNetworkAccess === "Disabled" || inputs.networkRuleSet?.defaultAction === "Deny") return [];
        return [`networkRuleSet.defaultAction ${said(inputs.networkRuleSet?.defaultAction)} and publicNetworkAccess ${said(inputs.publicNetworkAccess)}: the public endpoint admits every network; set publicNetworkAccess "Disabled" or defaultAction "Deny".`];
    },
};

export const storageEntraOnlyRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-STORAGE-ENTRA-ONLY",
    title: "A storage account that holds data accepts no shared-key (account key, SAS) or local-user credentials",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.uniqueUser, hipaa.authentication],
        checkov: ["CKV2_AZURE_40", "CKV_AZURE_244"],
        azurePolicy: ["Storage accounts should prevent shared key access (8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54)"],
    },
    source: [
        // allowSharedKeyAccess: "The default value is null, which is equivalent to true."
        "https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent",
        `${accountArgs} (allowSharedKeyAccess, isLocalUserEnabled)`,
        `${checkovRepo}/graph_checks/azure/AzureStorageAccConfigSharedKeyAuth.yaml`,
    ],
    appliesTo: [types.storageAccount],
    check(graph) {
        return dataAccounts(graph).flatMap((account) => {
            const problems: string[] = [];
            if (account.inputs.allowSharedKeyAccess !== false)
                problems.push(`allowSharedKeyAccess ${said(account.inputs.allowSharedKeyAccess)} (unset means true): whoever holds the account key or a SAS reads every file, anonymously to the audit log; only Entra identities should.`);
            if (account.inputs.isLocalUserEnabled === true) problems.push("isLocalUserEnabled is true: local (SFTP/SMB) users are shared credentials outside Entra ID.");
            return against(account, problems);
        });
    },
};

const zoneRedundantSkus = /(^|_)(ZRS|GZRS|RAGZRS)$/;

export const storageZoneRedundantRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-STORAGE-ZONE-REDUNDANT",
    title: "Every storage account replicates across availability zones (ZRS, GZRS or RA-GZRS)",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.disasterRecovery, hipaa.emergencyMode],
        azurePolicy: ["[Preview]: Storage Accounts should be Zone Redundant (85b005b2-95fc-4953-b9cb-f9ee6427c754)"],
    },
    source: [
        "https://learn.microsoft.com/azure/storage/common/storage-redundancy",
        `${policyRepo}/Resilience/Storage_storageAccounts_ZoneRedundant_Audit.json`,
        "@pulumi/azure-native@3.28.0:types/enums/storage (SkuName)",
    ],
    appliesTo: [types.storageAccount],
    check({ inputs }) {
        const sku = inputs.sku?.name;
        return typeof sku === "string" && zoneRedundantSkus.test(sku)
            ? []
            : [`sku.name ${said(sku)}: locally redundant storage keeps every copy in one datacenter; the loss of that zone loses access to the files.`];
    },
};

/** Share soft delete keeps 1 to 365 days; the stack keeps 35 (src/azure/storageFiles.ts softDeleteDays). */
export const minimumSoftDeleteDays = 7;

export const fileShareSoftDeleteRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-FILES-SOFT-DELETE",
    title: `An account holding file shares keeps deleted shares recoverable for at least ${minimumSoftDeleteDays} days`,
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.integrity, hipaa.backup], checkov: ["CKV2_AZURE_38"] },
    source: [
        // "soft delete ... for file shares ... retention period ... between 1 and 365 days"
        "https://learn.microsoft.com/azure/storage/files/storage-files-prevent-file-share-deletion",
        `${checkovRepo}/graph_checks/azure/AzureStorageAccountEnableSoftDelete.yaml`,
        "@pulumi/azure-native@3.28.0:storage/fileServiceProperties.d.ts (shareDeleteRetentionPolicy)",
    ],
    appliesTo: [types.fileShare],
    check(graph) {
        const accounts = new Set(graph.ofType(types.fileShare).map((share) => resolve(graph, share.inputs.accountName)));
        return [...accounts].flatMap((account) => {
            if (!account) return [];
            const service = graph.ofType(types.fileService).find((s) => resolve(graph, s.inputs.accountName)?.key === account.key);
            const policy = service?.inputs.shareDeleteRetentionPolicy;
            if (policy?.enabled === true && typeof policy.days === "number" && policy.days >= minimumSoftDeleteDays) return [];
            const where = service ? `shareDeleteRetentionPolicy ${said(policy)} on ${service.key}` : "no FileServiceProperties declares shareDeleteRetentionPolicy";
            return against(account, [`${where}: a deleted share, with its snapshots and every patient document in it, is gone at once; enable it for at least ${minimumSoftDeleteDays} days.`]);
        });
    },
};

export const storageRules = [
    storageCmkRule,
    storageInfrastructureEncryptionRule,
    storageHttpsOnlyRule,
    storageMinimumTlsRule,
    storageNoAnonymousBlobRule,
    storageNetworkDenyRule,
    storageEntraOnlyRule,
    storageZoneRedundantRule,
    fileShareSoftDeleteRule,
];
