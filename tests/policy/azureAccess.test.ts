import { describe, expect, it } from "vitest";
import { grantPropagationRule } from "../../src/policy/deploy/azureAccess";
import { goDurationSeconds, sleepType } from "../../src/policy/order";
import { graphOf, judge, reasons, resource } from "./fixtures";

const vaultId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1";
const keyId = `${vaultId}/keys/emr-data`;
const identityId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/cmk-id";

const identity = resource("azure-native:managedidentity:UserAssignedIdentity", "cmk-id", {}, { id: identityId, outputs: { principalId: "p-1111" } });
const vault = resource("azure-native:keyvault:Vault", "kv", {}, { id: vaultId, outputs: { name: "kv1", properties: { vaultUri: "https://kv1.vault.azure.net/" } } });
const key = resource("azure-native:keyvault:Key", "key", { vaultName: "kv1", keyName: "emr-data" }, { id: keyId, outputs: { keyUri: "https://kv1.vault.azure.net/keys/emr-data" } });
const grant = resource("azure-native:authorization:RoleAssignment", "cmk-access", {
    scope: keyId,
    principalId: "p-1111",
    roleDefinitionId: "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6",
});
const sleep = (createDuration = "600s", dependencies = [grant.key]) => resource(sleepType, "wait", { createDuration }, { dependencies });
/** MySQL created as the grantee identity with the key: Azure checks the key at creation. */
const mysql = (dependencies: string[]) =>
    resource(
        "azure-native:dbformysql:Server",
        "db",
        { dataEncryption: { type: "AzureKeyVault", primaryKeyURI: "https://kv1.vault.azure.net/keys/emr-data", primaryUserAssignedIdentityId: identityId } },
        { dependencies },
    );

describe("DEPLOY-AZ-GRANT-PROPAGATION-WAIT", () => {
    it("passes a consumer that waits for a sleep that waits for the grant", () => {
        const wait = sleep("10m");
        expect(judge(grantPropagationRule, graphOf(identity, vault, key, grant, wait, mysql([wait.key]))).status).toBe("pass");
    });

    it("fails a consumer that waits only for the grant resource, naming both", () => {
        const result = judge(grantPropagationRule, graphOf(identity, vault, key, grant, mysql([grant.key])));
        expect(result.violations.map((v) => v.resourceKey)).toEqual(["azure-native:dbformysql:Server::db"]);
        expect(reasons(result)).toContain(`needs the role assignment ${grant.key} (scope ${keyId})`);
        expect(reasons(result)).toContain(sleepType);
    });

    it("leaves alone a resource that only waits for a grant it uses at run time", () => {
        const servers = resource("azure-native:compute:VirtualMachineScaleSet", "servers", { identity: { type: "UserAssigned", userAssignedIdentities: [identityId] } }, { dependencies: [grant.key] });
        expect(judge(grantPropagationRule, graphOf(identity, vault, key, grant, servers)).status).toBe("pass");
    });

    it("finds a key consumer that hides its wait for the grant (no dependency at all) from its CMK fields", () => {
        const result = judge(grantPropagationRule, graphOf(identity, vault, key, grant, mysql([])));
        expect(reasons(result)).toContain("dataEncryption.primaryUserAssignedIdentityId reads key https://kv1.vault.azure.net/keys/emr-data");
    });

    it("finds a storage account naming the key by vault URI and key name", () => {
        const account = resource("azure-native:storage:StorageAccount", "docs", {
            encryption: { keySource: "Microsoft.Keyvault", keyVaultProperties: { keyVaultUri: "https://kv1.vault.azure.net/", keyName: "emr-data" }, encryptionIdentity: { encryptionUserAssignedIdentity: identityId } },
        });
        expect(judge(grantPropagationRule, graphOf(identity, vault, key, grant, account)).violations.map((v) => v.resourceKey)).toEqual([account.key]);
    });

    it("does not count a sleep shorter than Key Vault's documented 600 s latency, or one that does not wait for the grant", () => {
        for (const wait of [sleep("0s"), sleep("5m"), sleep("600s", [])]) {
            expect(judge(grantPropagationRule, graphOf(identity, vault, key, grant, wait, mysql([wait.key]))).status).toBe("fail");
        }
    });

    it("treats a key created in a vault where the deployer was just made Crypto Officer as a consumer", () => {
        const deployer = resource("azure-native:authorization:RoleAssignment", "kv-deployer", {
            scope: vaultId,
            principalId: "deployer",
            roleDefinitionId: "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
        });
        const result = judge(grantPropagationRule, graphOf(vault, deployer, key));
        expect(result.violations.map((v) => v.resourceKey)).toEqual([key.key]);
        expect(reasons(result)).toContain("created by the deployer inside the grant's scope");
    });

    it.each([
        ["30s", 30],
        ["5m", 300],
        ["1h30m", 5400],
        ["1.5m", 90],
        ["", NaN],
        ["5 minutes", NaN],
    ])("Go duration %j -> %s s", (text, seconds) => expect(goDurationSeconds(text)).toBe(seconds));
});
