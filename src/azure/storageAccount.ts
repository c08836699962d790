import * as storage from "@pulumi/azure-native/storage";
import type * as pulumi from "@pulumi/pulumi";
import type { DataKey } from "./storageVault";
import { privateLink } from "./storageEndpoint";

export interface SecureAccountArgs {
    resourceGroupName: pulumi.Input<string>;
    kind: "FileStorage";
    sku: "Premium_ZRS";
    /** The one service the account is for: it gets the private endpoint and the CMK scope. */
    service: "file";
    dataKey: DataKey;
    endpointSubnetId: pulumi.Input<string>;
    privateZoneId: pulumi.Input<string>;
    tags: Record<string, string>;
}

/** Storage account names: 3-24 lowercase letters and digits; autonaming appends 8, so <= 16 here. */
function accountName(name: string): string {
    const compact = name.replace(/[^a-z0-9]/g, "");
    if (compact.length > 16) throw new Error(`storage account name ${compact} (from ${name}) is longer than 16 characters`);
    return compact;
}

/**
 * A storage account holding patient data (the shared files, patient documents included: OpenEMR
 * writes them under sites/<site>/documents), locked down:
 * - reachable only through a private endpoint: public network access off, and the firewall
 *   default Deny kept underneath in case someone re-enables it;
 * - Entra ID only: no shared keys (no account key or SAS can read the data), OAuth the default;
 * - TLS 1.2+, HTTPS only ("secure transfer required"), no anonymous blob access, no replication
 *   to other tenants, no SFTP local users;
 * - encrypted twice at rest: with the stack's customer-managed key (versionless, so Azure Storage
 *   picks up each rotation within a day) and with Azure's platform key underneath (infrastructure
 *   encryption, which can only be chosen at creation).
 * Protected: it is a data store. No management lock, unlike the database: a CanNotDelete lock
 * makes ARM refuse File Shares - Delete (lock-resources, "Considerations before applying your
 * locks"), which is how the snapshot workflow prunes expired snapshots (storageSnapshots.ts), so
 * snapshots would stop at the share's 200; deploy rule DEPLOY-AZ-NO-LOCK-OVER-PRUNED-SNAPSHOTS
 * keeps one from being added. It is created only once the identity's grant on the key has
 * propagated (Azure checks the key at creation: KeyVaultAuthenticationFailure otherwise,
 * Azure/bicep#16601).
 */
export function secureAccount(name: string, args: SecureAccountArgs, parent: pulumi.Resource): storage.StorageAccount {
    const { dataKey } = args;
    const account = new storage.StorageAccount(
        accountName(name),
        {
            resourceGroupName: args.resourceGroupName,
            kind: args.kind,
            sku: { name: args.sku },
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: "TLS1_2",
            allowBlobPublicAccess: false,
            allowSharedKeyAccess: false,
            defaultToOAuthAuthentication: true,
            allowCrossTenantReplication: false,
            isLocalUserEnabled: false,
            publicNetworkAccess: "Disabled",
            networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
            identity: { type: "UserAssigned", userAssignedIdentities: [dataKey.identity.id] },
            encryption: {
                keySource: "Microsoft.Keyvault",
                keyVaultProperties: { keyName: dataKey.key.name, keyVaultUri: dataKey.vault.properties.vaultUri },
                encryptionIdentity: { encryptionUserAssignedIdentity: dataKey.identity.id },
                requireInfrastructureEncryption: true,
                services: { [args.service]: { enabled: true, keyType: "Account" } },
            },
            tags: args.tags,
        },
        { parent, protect: true, dependsOn: [dataKey.keyUsable], replaceOnChanges: ["encryption.requireInfrastructureEncryption"] },
    );
    privateLink(
        `${name}-endpoint`,
        {
            resourceGroupName: args.resourceGroupName,
            subnetId: args.endpointSubnetId,
            targetId: account.id,
            groupId: args.service,
            privateZoneId: args.privateZoneId,
            tags: args.tags,
        },
        account,
    );
    return account;
}
