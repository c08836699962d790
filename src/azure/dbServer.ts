import * as authorization from "@pulumi/azure-native/authorization";
import * as dbformysql from "@pulumi/azure-native/dbformysql";
import * as pulumi from "@pulumi/pulumi";
import type { DbLogin } from "../app/dbLogins";
import { dbZones, maintenanceWindow, mysqlVersion, skuTier, storageRedundancy } from "./dbSettings";

/** The one HA model the EMR runs: a standby in another zone. */
const haMode = "ZoneRedundant" as const;

/** A Key Vault key and the user-assigned identity allowed to wrap/unwrap with it. */
export interface DataKey {
    /**
     * The key's VERSIONED URI (https://<vault>.vault.azure.net/keys/<key>/<version>), not its ARM id.
     * Flexible server documents and accepts only a versioned key identifier: it has no automatic
     * key rotation (MicrosoftDocs/azure-docs#120527; the DataEncryption model has no
     * rotation-to-latest property in any API version, hashicorp/terraform-provider-azurerm#32619),
     * every REST example and the CLI how-to pass `.../keys/<key>/<version>`, and the PostgreSQL
     * sibling rejects a versionless one ("Key identifier should be in the format of .../{versionguid}",
     * azure-docs#120552). After Key Vault rotates the key, the server keeps using the pinned
     * version (still enabled, never expires); `pulumi refresh` then `pulumi up` moves it to the new one.
     */
    keyUri: pulumi.Input<string>;
    /** Resource id of the user-assigned identity holding "Key Vault Crypto Service Encryption User" on the key. */
    identityId: pulumi.Input<string>;
}

/**
 * Encryption at rest with the customer-managed key when there is one. Flexible server reads the
 * key as a user-assigned identity (it supports no other kind). A geo-redundant backup lives in
 * the paired region, which needs a key of its own there (Key Vault keys do not cross regions):
 * Azure refuses a server with a key and geo backup but no paired-region key, so without `geoKey`
 * the server falls back to service-managed keys, with a warning saying so.
 */
export function dataEncryption(
    key: DataKey | undefined,
    geo: { geoRedundant: boolean; geoKey?: DataKey },
    parent?: pulumi.Resource,
): Pick<dbformysql.ServerArgs, "dataEncryption" | "identity"> {
    const geoKey = geo.geoRedundant ? geo.geoKey : undefined;
    if (!key || (geo.geoRedundant && !geoKey)) {
        if (key) {
            pulumi.log.warn(
                "geo-redundant MySQL backups need a customer-managed key in the paired region too; none is provided, " +
                    "so the database is encrypted with service-managed keys",
                parent,
            );
        }
        return { dataEncryption: { type: "SystemManaged" } };
    }
    const keys = geoKey ? [key, geoKey] : [key];
    return {
        dataEncryption: {
            type: "AzureKeyVault",
            primaryKeyURI: key.keyUri,
            primaryUserAssignedIdentityId: key.identityId,
            ...(geoKey ? { geoBackupKeyURI: geoKey.keyUri, geoBackupUserAssignedIdentityId: geoKey.identityId } : {}),
        },
        // azure-native takes a list of identity ids here (ARM's map form does not type-check).
        identity: { type: "UserAssigned", userAssignedIdentities: keys.map((k) => k.identityId) },
    };
}

export interface MysqlServerArgs {
    resourceGroupName: pulumi.Input<string>;
    instanceType: string;
    storageGb: number;
    backupRetentionDays: number;
    geoRedundant: boolean;
    /** The data subnet, delegated to Microsoft.DBforMySQL/flexibleServers. */
    subnetId: pulumi.Input<string>;
    /** The *.private.mysql.database.azure.com zone; its id must resolve only once its VNet link exists. */
    privateDnsZoneId: pulumi.Input<string>;
    admin: DbLogin;
    encryption: Pick<dbformysql.ServerArgs, "dataEncryption" | "identity">;
    /** With a customer-managed key: the wait after the identity's grant on it (Azure opens the key at creation). */
    encryptionReady?: pulumi.Resource;
    tags: Record<string, string>;
}

/**
 * MySQL 8.4 flexible server (dbSettings.ts mysqlVersion) with zone-redundant HA: a synchronous standby in another zone that
 * Azure promotes on its own when the primary's zone fails (60-120 s, no committed transaction
 * lost: RPO 0). Private access only (VNet integration in the data subnet), storage that grows by
 * itself, point-in-time restore for `backupRetentionDays`, and a CanNotDelete lock on top of
 * `protect`, so neither Pulumi nor the portal deletes it by accident.
 *
 * Offer limits: some subscription offers may not create flexible servers in some regions
 * (ProvisionNotSupportedForRegion, Azure-Samples/azuresandbox#171). That is a property of the
 * subscription, not of this program, and no document lists it; `az mysql flexible-server list-skus
 * --location <region>` shows what the subscription may create there, zone-redundant HA included.
 */
export function mysqlServer(name: string, args: MysqlServerArgs, parent: pulumi.Resource): dbformysql.Server {
    const tier = skuTier(args.instanceType);
    const server = new dbformysql.Server(
        `${name}-mysql`,
        {
            resourceGroupName: args.resourceGroupName,
            version: mysqlVersion,
            sku: { name: args.instanceType, tier },
            availabilityZone: dbZones.primary,
            highAvailability: { mode: haMode, standbyAvailabilityZone: dbZones.standby },
            storage: {
                storageSizeGB: args.storageGb,
                // Required with HA (Azure refuses to disable it on an HA server), and a full disk
                // would stop the primary and the standby alike.
                autoGrow: "Enabled",
                autoIoScaling: "Enabled",
                storageRedundancy: storageRedundancy(haMode),
            },
            backup: {
                backupRetentionDays: args.backupRetentionDays,
                geoRedundantBackup: args.geoRedundant ? "Enabled" : "Disabled",
            },
            network: {
                delegatedSubnetResourceId: args.subnetId,
                privateDnsZoneResourceId: args.privateDnsZoneId,
                publicNetworkAccess: "Disabled",
            },
            administratorLogin: args.admin.username,
            administratorLoginPassword: args.admin.password,
            maintenanceWindow,
            ...args.encryption,
            tags: args.tags,
        },
        {
            parent,
            protect: true,
            dependsOn: args.encryptionReady ? [args.encryptionReady] : [],
            // Set only at creation: Azure refuses to change these in place (private vs public
            // access, the HA model, geo backup, storage redundancy), so a change must show up in
            // the preview as a replacement, which `protect` and the lock then refuse.
            replaceOnChanges: [
                "highAvailability.mode",
                "backup.geoRedundantBackup",
                "network.delegatedSubnetResourceId",
                "network.privateDnsZoneResourceId",
                "storage.storageRedundancy",
                "administratorLogin",
            ],
            // Also creation-time, but Azure changes them itself: a failover swaps the primary and
            // standby zones, and auto-grow raises the size (which can never shrink back). Without
            // these, the next `pulumi up --refresh` would try to move the zones back or shrink the
            // disk. To grow storage ahead of auto-grow, resize it with the Azure CLI or portal.
            ignoreChanges: ["availabilityZone", "highAvailability.standbyAvailabilityZone", "storage.storageSizeGB"],
        },
    );
    new authorization.ManagementLockByScope(
        `${name}-mysql-lock`,
        {
            scope: server.id,
            level: "CanNotDelete",
            notes: "Holds the EMR's patient data: remove this lock deliberately before deleting the server.",
        },
        { parent: server },
    );
    return server;
}
