import { describe, expect, it } from "vitest";
import {
    fileShareSoftDeleteRule,
    storageCmkRule,
    storageEntraOnlyRule,
    storageHttpsOnlyRule,
    storageInfrastructureEncryptionRule,
    storageMinimumTlsRule,
    storageNetworkDenyRule,
    storageNoAnonymousBlobRule,
    storageZoneRedundantRule,
} from "../../../src/policy/compliance/azure/storage";
import { graphOf, judge, reasons, resource } from "../fixtures";

// The premium NFS account of src/azure/storageAccount.ts (secureAccount), as captured, cut to what the rules read.
const identity = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/cmk";
const files = {
    kind: "FileStorage",
    sku: { name: "Premium_ZRS" },
    allowBlobPublicAccess: false,
    allowSharedKeyAccess: false,
    isLocalUserEnabled: false,
    enableHttpsTrafficOnly: true,
    minimumTlsVersion: "TLS1_2",
    publicNetworkAccess: "Disabled",
    networkRuleSet: { bypass: "AzureServices", defaultAction: "Deny" },
    encryption: {
        keySource: "Microsoft.Keyvault",
        keyVaultProperties: { keyName: "emr-data", keyVaultUri: "https://kv.vault.azure.net/" },
        encryptionIdentity: { encryptionUserAssignedIdentity: identity },
        requireInfrastructureEncryption: true,
    },
};
const account = (inputs: Record<string, any> = files, name = "files") => resource("azure-native:storage:StorageAccount", name, inputs);
const share = (accountName = "files-0001") => resource("azure-native:storage:FileShare", "sites", { accountName, shareName: "sites", enabledProtocols: "NFS" });
const service = (shareDeleteRetentionPolicy: unknown) => resource("azure-native:storage:FileServiceProperties", "files-service", { accountName: "files-0001", fileServicesName: "default", shareDeleteRetentionPolicy });
/** The flow-log account of src/azure/netFlowLogs.ts: platform keys, written by Network Watcher only. */
const flowLogSink = () => {
    const sink = account({ kind: "StorageV2", sku: { name: "Standard_ZRS" }, encryption: { keySource: "Microsoft.Storage", requireInfrastructureEncryption: true } }, "flowlogs");
    const flowLog = resource("azure-native:network:FlowLog", "flow", { storageId: sink.id, targetResourceId: "/vnet", enabled: true });
    return [sink, flowLog];
};

describe("EMR-AZ-STORAGE-CMK", () => {
    it("passes a Key Vault key reached through a user-assigned identity", () => {
        expect(judge(storageCmkRule, graphOf(account(), share())).status).toBe("pass");
    });
    it("fails a data account on Microsoft-managed keys", () => {
        const text = reasons(judge(storageCmkRule, graphOf(account({ ...files, encryption: { keySource: "Microsoft.Storage" } }), share())));
        expect(text).toContain('encryption.keySource is "Microsoft.Storage"');
    });
    it("fails a Key Vault key nothing can unwrap", () => {
        const text = reasons(judge(storageCmkRule, graphOf(account({ ...files, encryption: { ...files.encryption, encryptionIdentity: undefined } }))));
        expect(text).toContain("encryption.encryptionIdentity is unset");
    });
    it("leaves a log-only sink (flow logs) to the infrastructure-encryption rule", () => {
        expect(judge(storageCmkRule, graphOf(...flowLogSink())).status).toBe("pass");
    });
    it("holds a log sink that also holds a share to the data rules", () => {
        const [sink, flowLog] = flowLogSink();
        expect(judge(storageCmkRule, graphOf(sink, flowLog, share("flowlogs-0001"))).status).toBe("fail");
    });
});

describe("EMR-AZ-STORAGE-INFRA-ENCRYPTION", () => {
    it("passes requireInfrastructureEncryption true", () => {
        expect(judge(storageInfrastructureEncryptionRule, graphOf(account())).status).toBe("pass");
    });
    it("fails it unset", () => {
        expect(reasons(judge(storageInfrastructureEncryptionRule, graphOf(account({ ...files, encryption: { keySource: "Microsoft.Keyvault" } }))))).toContain("requireInfrastructureEncryption is unset");
    });
});

describe("EMR-AZ-STORAGE-HTTPS-ONLY", () => {
    it.each([true, undefined])("passes enableHttpsTrafficOnly %s (unset: true since API 2019-04-01)", (enableHttpsTrafficOnly) => {
        expect(judge(storageHttpsOnlyRule, graphOf(account({ ...files, enableHttpsTrafficOnly }))).status).toBe("pass");
    });
    it("fails false", () => {
        expect(reasons(judge(storageHttpsOnlyRule, graphOf(account({ ...files, enableHttpsTrafficOnly: false }))))).toContain("enableHttpsTrafficOnly is false");
    });
});

describe("EMR-AZ-STORAGE-MIN-TLS", () => {
    it("passes TLS1_2", () => {
        expect(judge(storageMinimumTlsRule, graphOf(account())).status).toBe("pass");
    });
    it.each([["TLS1_0", 'is "TLS1_0"'], ["TLS1_1", 'is "TLS1_1"'], [undefined, "is unset"]])("fails %s (unset means TLS 1.0)", (minimumTlsVersion, said) => {
        expect(reasons(judge(storageMinimumTlsRule, graphOf(account({ ...files, minimumTlsVersion }))))).toContain(`minimumTlsVersion ${said}`);
    });
});

describe("EMR-AZ-STORAGE-NO-ANONYMOUS-BLOB", () => {
    it.each([false, undefined])("passes allowBlobPublicAccess %s", (allowBlobPublicAccess) => {
        expect(judge(storageNoAnonymousBlobRule, graphOf(account({ ...files, allowBlobPublicAccess }))).status).toBe("pass");
    });
    it("fails true", () => {
        expect(reasons(judge(storageNoAnonymousBlobRule, graphOf(account({ ...files, allowBlobPublicAccess: true }))))).toContain("allowBlobPublicAccess is true");
    });
});

describe("EMR-AZ-STORAGE-NETWORK-DENY", () => {
    it("passes public access Disabled, and a default-deny rule set", () => {
        expect(judge(storageNetworkDenyRule, graphOf(account())).status).toBe("pass");
        expect(judge(storageNetworkDenyRule, graphOf(account({ ...files, publicNetworkAccess: undefined }))).status).toBe("pass");
    });
    it("fails public access Enabled even with a deny rule set", () => {
        expect(reasons(judge(storageNetworkDenyRule, graphOf(account({ ...files, publicNetworkAccess: "Enabled" }))))).toContain('publicNetworkAccess is "Enabled"');
    });
    it("fails an account with neither", () => {
        const text = reasons(judge(storageNetworkDenyRule, graphOf(account({ ...files, publicNetworkAccess: undefined, networkRuleSet: { defaultAction: "Allow" } }))));
        expect(text).toContain('networkRuleSet.defaultAction is "Allow"');
    });
});

describe("EMR-AZ-STORAGE-ENTRA-ONLY", () => {
    it("passes shared keys and local users off", () => {
        expect(judge(storageEntraOnlyRule, graphOf(account(), share())).status).toBe("pass");
    });
    it("fails shared keys left at their default (on) and local users on", () => {
        const text = reasons(judge(storageEntraOnlyRule, graphOf(account({ ...files, allowSharedKeyAccess: undefined, isLocalUserEnabled: true }), share())));
        expect(text).toContain("allowSharedKeyAccess is unset (unset means true)");
        expect(text).toContain("isLocalUserEnabled is true");
    });
});

describe("EMR-AZ-STORAGE-ZONE-REDUNDANT", () => {
    it.each(["Premium_ZRS", "Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS"])("passes %s", (name) => {
        expect(judge(storageZoneRedundantRule, graphOf(account({ ...files, sku: { name } }))).status).toBe("pass");
    });
    it.each(["Premium_LRS", "Standard_LRS", "Standard_GRS", "Standard_RAGRS"])("fails %s", (name) => {
        expect(reasons(judge(storageZoneRedundantRule, graphOf(account({ ...files, sku: { name } }))))).toContain(`sku.name is "${name}"`);
    });
});

describe("EMR-AZ-FILES-SOFT-DELETE", () => {
    it("passes share soft delete for 35 days", () => {
        expect(judge(fileShareSoftDeleteRule, graphOf(account(), share(), service({ enabled: true, days: 35 }))).status).toBe("pass");
    });
    it.each([[{ enabled: false, days: 35 }], [{ enabled: true, days: 3 }]])("fails %o", (policy) => {
        expect(reasons(judge(fileShareSoftDeleteRule, graphOf(account(), share(), service(policy))))).toContain("shareDeleteRetentionPolicy is");
    });
    it("fails an account holding a share without file service properties", () => {
        expect(reasons(judge(fileShareSoftDeleteRule, graphOf(account(), share())))).toContain("no FileServiceProperties declares shareDeleteRetentionPolicy");
    });
});
