import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { builtInRoles, deployingPrincipal, grant, propagated, roleDefinitionId } from "./storageAccess";
import { resourceLogs } from "./storageDiagnostics";
import { privateLink } from "./storageEndpoint";

export interface KeyVaultArgs {
    resourceGroupName: pulumi.Input<string>;
    endpointSubnetId: pulumi.Input<string>;
    privateZoneId: pulumi.Input<string>;
    workspaceId: pulumi.Input<string>;
    tags: Record<string, string>;
}

/** The customer-managed key, and the identity the data services use it as. */
export interface DataKey {
    vault: keyvault.Vault;
    key: keyvault.Key;
    identity: managedidentity.UserAssignedIdentity;
    /** The identity's "Key Vault Crypto Service Encryption User" grant on the key. */
    keyAccess: authorization.RoleAssignment;
    /** The wait after that grant: whatever is created with the key depends on it (not on the grant alone). */
    keyUsable: pulumi.Resource;
}

/** The key's name inside its vault (vaults are per stack, so it needs no stack suffix). */
export const dataKeyName = "emr-data";

/**
 * The stack's Key Vault and the key that encrypts every store of patient data (the documents and
 * shared-files accounts, the backup vault, MySQL): Azure's counterpart of the AWS data KMS key.
 *
 * - RBAC authorization, not access policies: one permission model for the whole stack, and keys
 *   and secrets can be granted one by one.
 * - Soft delete 90 days + purge protection: a deleted key (which would make every store unreadable)
 *   or vault stays recoverable for 90 days and nobody can purge it sooner. Both are what Azure
 *   Storage and MySQL require before they accept a customer-managed key.
 * - Premium SKU: the key is HSM-protected (RSA-HSM, FIPS 140 validated HSMs) and never leaves the
 *   HSM; it costs a few dollars a month more than a software key in a standard vault.
 * - Reachable only through its private endpoint (public network access off); Azure Storage and
 *   other trusted services reach it for wrap/unwrap through the AzureServices bypass.
 * - Autonamed: a destroyed vault keeps its name reserved while soft-deleted (90 days, and purge
 *   protection forbids purging it), so a fixed name would fail with VaultAlreadyExists on the next
 *   deploy; the random suffix gives a new stack a new name.
 */
export function dataKey(name: string, args: KeyVaultArgs, parent: pulumi.Resource): DataKey {
    const client = authorization.getClientConfigOutput({ parent });
    const vault = new keyvault.Vault(
        `${name}-kv`,
        {
            resourceGroupName: args.resourceGroupName,
            properties: {
                tenantId: client.tenantId,
                sku: { family: "A", name: "premium" },
                enableRbacAuthorization: true,
                enableSoftDelete: true,
                softDeleteRetentionInDays: 90,
                enablePurgeProtection: true,
                publicNetworkAccess: "Disabled",
                // Kept even with public access off: should someone re-enable it, nothing gets in unlisted.
                networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
            },
            tags: args.tags,
        },
        { parent, protect: true },
    );
    privateLink(`${name}-kv-endpoint`, { ...args, subnetId: args.endpointSubnetId, targetId: vault.id, groupId: "vault" }, vault);
    resourceLogs(`${name}-kv-logs`, { resourceUri: vault.id, workspaceId: args.workspaceId, categoryGroup: "audit", metrics: ["AllMetrics"] }, vault);

    // With RBAC authorization, Key Vault checks even ARM reads and writes of keys against data-plane
    // roles: azure-native's existence check before creating the key fails with "ForbiddenByRbac ...
    // Caller: name=KeyVault/ManagementPlane" without one (pulumi-azure-native#890,
    // pulumi-azure-nextgen#195). So the deploying principal manages keys, after propagation.
    const deployer = grant(
        `${name}-kv-deployer`,
        {
            scope: vault.id,
            ...deployingPrincipal(client),
            roleDefinitionId: roleDefinitionId(client.subscriptionId, builtInRoles.keyVaultCryptoOfficer),
        },
        vault,
    );
    const key = new keyvault.Key(
        `${name}-data-key`,
        {
            resourceGroupName: args.resourceGroupName,
            vaultName: vault.name,
            keyName: dataKeyName,
            properties: {
                kty: "RSA-HSM",
                // 3072 bits (NIST SP 800-57: 128-bit security, good past 2030); Storage, Recovery
                // Services and MySQL flexible server all accept RSA 2048/3072/4096.
                keySize: 3072,
                // Only key wrapping: the services wrap their own data keys with it, nothing else.
                keyOps: ["wrapKey", "unwrapKey"],
                // No expiry: MySQL refuses a key with an expiration date, and an expired key would
                // lock every store. A new version each year: the storage accounts follow it by
                // themselves (they hold the key name only); MySQL holds a versioned URI (dbServer.ts).
                attributes: { enabled: true },
                rotationPolicy: { lifetimeActions: [{ trigger: { timeAfterCreate: "P1Y" }, action: { type: "rotate" } }] },
            },
            tags: args.tags,
        },
        // Deleting the key would make every store unreadable (crypto-shredding).
        { parent: vault, protect: true, dependsOn: [propagated(`${name}-kv-deployer-propagation`, deployer, vault)] },
    );

    // A user-assigned identity (not each service's system identity): it must hold the grant
    // before the storage accounts and MySQL are created with the key, and MySQL accepts no other.
    const identity = new managedidentity.UserAssignedIdentity(
        `${name}-cmk-identity`,
        { resourceGroupName: args.resourceGroupName, tags: args.tags },
        { parent },
    );
    const keyAccess = grant(
        `${name}-cmk-access`,
        {
            // Scoped to the key itself, not the vault: the identity can use this one key only.
            scope: key.id,
            principalId: identity.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: roleDefinitionId(client.subscriptionId, builtInRoles.keyVaultCryptoServiceEncryptionUser),
        },
        key,
    );
    return { vault, key, identity, keyAccess, keyUsable: propagated(`${name}-cmk-access-propagation`, keyAccess, key) };
}
