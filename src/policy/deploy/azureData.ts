import type { Graph } from "../../plan/graph";
import { at } from "../inputs";
import type { StackRule, Violation } from "../types";

const recoveryVault = "azure-native:recoveryservices:Vault";
const keyVault = "azure-native:keyvault:Vault";

/** Why a Key Vault admits only some networks, or undefined when it is open. */
function networkRestriction(vault: { inputs: Record<string, any> }): string | undefined {
    const p = vault.inputs.properties ?? {};
    if (p.publicNetworkAccess === "Disabled") return 'publicNetworkAccess "Disabled"';
    if (p.networkAcls?.defaultAction === "Deny") return 'networkAcls.defaultAction "Deny"';
    return undefined;
}

export const recoveryVaultCmkRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AZ-RSV-CMK-SUPPORTED",
    title: "A Recovery Services vault uses its customer-managed key only in a combination Azure Backup supports",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // "Azure Key Vaults limiting access to specific networks aren't yet supported for use along with user-assigned
        // managed identities for CMK encryption." / "Recovery Services vaults encrypted with customer-managed keys
        // currently don't support cross-region restore of backed-up instances."
        "MicrosoftDocs/azure-docs@01bf7a2d:articles/backup/encryption-at-rest-with-cmk.md",
        // 2024-11: "Cannot use user-assigned managed identity ... because it does not (yet) support firewall
        // restrictions or private endpoints on the Key Vault."
        "https://github.com/Azure/HubAndSpokeResearchEnclave/issues/145",
    ],
    appliesTo: [recoveryVault],
    check(graph: Graph): Violation[] {
        return graph.ofType(recoveryVault).flatMap((vault) => {
            const encryption = at(vault.inputs, "properties.encryption") as Record<string, any> | undefined;
            const keyUri = at(encryption, "keyVaultProperties.keyUri");
            if (typeof keyUri !== "string") return [];
            const problems: string[] = [];
            const userAssigned = encryption?.kekIdentity?.useSystemAssignedIdentity !== true && !!encryption?.kekIdentity?.userAssignedIdentity;
            const holder = graph.ofType(keyVault).find((kv) => typeof kv.outputs.properties?.vaultUri === "string" && keyUri.startsWith(kv.outputs.properties.vaultUri));
            const restriction = holder && networkRestriction(holder);
            if (userAssigned && restriction) {
                problems.push(
                    `properties.encryption reads key ${keyUri} through the user-assigned identity in kekIdentity.userAssignedIdentity, ` +
                        `but its Key Vault ${holder!.key} has ${restriction}: Azure Backup does not support a network-restricted Key Vault ` +
                        "with a user-assigned identity, so the vault's encryption fails.",
                );
            }
            if (at(vault.inputs, "properties.redundancySettings.crossRegionRestore") === "Enabled") {
                problems.push('properties.redundancySettings.crossRegionRestore is "Enabled" on a vault encrypted with a customer-managed key, which Azure Backup does not support.');
            }
            return problems.map((reason) => ({ resourceKey: vault.key, reason }));
        });
    },
};

const mysqlServer = "azure-native:dbformysql:Server";
/** https://<vault>.vault.azure.net/keys/<name>/<version>: a key identifier pinned to one version. */
const versionedKeyUri = /^https:\/\/[^/]+\/keys\/[^/]+\/[^/]+$/;

export const mysqlVersionedKeyRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AZ-MYSQL-CMK-VERSIONED-KEY",
    title: "MySQL flexible server's customer-managed key is named by a versioned key identifier",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // "Azure DB for MySQL Flexible Server does not currently support automatic key rotation": it pins a version.
        "https://github.com/MicrosoftDocs/azure-docs/issues/120527",
        // The PostgreSQL flexible sibling rejects a versionless id: "Key identifier should be in the format of .../{versionguid}".
        "https://github.com/MicrosoftDocs/azure-docs/issues/120552",
        // Every DataEncryption example of Microsoft.DBforMySQL/flexibleServers passes .../keys/<key>/<version>.
        "Azure/azure-rest-api-specs:specification/mysql/resource-manager/Microsoft.DBforMySQL (flexibleServers examples)",
    ],
    appliesTo: [mysqlServer],
    check(graph: Graph): Violation[] {
        return graph.ofType(mysqlServer).flatMap((server) => {
            const encryption = server.inputs.dataEncryption ?? {};
            if (encryption.type !== "AzureKeyVault") return [];
            return ["primaryKeyURI", "geoBackupKeyURI"]
                .filter((field) => encryption[field] !== undefined && !versionedKeyUri.test(String(encryption[field])))
                .map((field) => ({
                    resourceKey: server.key,
                    reason: `dataEncryption.${field} is "${encryption[field]}", a key identifier without a version: flexible server takes only .../keys/<name>/<version>, so the create fails.`,
                }));
        });
    },
};
