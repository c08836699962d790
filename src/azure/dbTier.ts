import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import type { DbTier, DbTierArgs } from "../tiers/contracts";
import { dbLogins, openemrDatabase } from "../app/dbLogins";
import { credentialsSecrets } from "./dbCredentials";
import { dbParameters } from "./dbParameters";
import { dataEncryption, mysqlServer, type DataKey } from "./dbServer";
import { dbLogCategories, mysqlPort } from "./dbSettings";
import type { AzureNetTier } from "./netTier";
import type { AzureStorageTier } from "./storageTier";

/**
 * What the database needs from the storage tier for customer-managed encryption: the key's URI in
 * Key Vault (not its ARM id) and the user-assigned identity allowed to use it, plus the same pair
 * in the paired region for geo-redundant backups. Read as optional, so that this tier builds
 * against any stage of the storage tier and encrypts with the key as soon as it is offered.
 */
export interface StorageDataKeys {
    dataKeyUri?: pulumi.Output<string>;
    encryptionIdentityId?: pulumi.Output<string>;
    geoDataKeyUri?: pulumi.Output<string>;
    geoEncryptionIdentityId?: pulumi.Output<string>;
    /** The wait after the identity's grant on the key(s) has propagated. */
    encryptionReady?: pulumi.Resource;
}

const keyPair = (keyUri?: pulumi.Output<string>, identityId?: pulumi.Output<string>): DataKey | undefined =>
    keyUri && identityId ? { keyUri, identityId } : undefined;

/**
 * The EMR database: Azure Database for MySQL flexible server with zone-redundant HA in the data
 * subnet, reachable only inside the VNet, TLS required, audited, with point-in-time restore and a
 * delete lock. The database and OpenEMR's user are NOT created here: the shared cloud-init lets
 * OpenEMR's installer create both with the admin login, and a pre-existing database makes that
 * install fail. The web servers read the logins from a Key Vault secret at boot.
 */
export class AzureDbTier extends pulumi.ComponentResource implements DbTier {
    /** The server's FQDN; it follows the primary across a failover. */
    readonly endpoint: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly databaseName: pulumi.Output<string>;
    /** URI of the Key Vault secret holding OpenEMR's login (resolves once the server settings are applied). */
    readonly credentialsSecret: pulumi.Output<string>;
    /** URI of the Key Vault secret holding the server administrator login (first install only). */
    readonly adminLoginSecret: pulumi.Output<string>;
    /** The app login secret's name in the storage tier's Key Vault. */
    readonly secretName: pulumi.Output<string>;
    /** The administrator login secret's name in the storage tier's Key Vault. */
    readonly adminSecretName: pulumi.Output<string>;
    readonly serverId: pulumi.Output<string>;

    constructor(name: string, args: DbTierArgs<AzureNetTier, AzureStorageTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:azure:DbTier", name, {}, opts);
        const parent = this;
        const resourceGroupName = args.net.resourceGroupName;
        const keys: StorageDataKeys = args.storage as AzureStorageTier & StorageDataKeys;
        const logins = dbLogins(name, parent);

        const server = mysqlServer(
            name,
            {
                resourceGroupName,
                instanceType: args.instanceType,
                storageGb: args.storageGb,
                backupRetentionDays: args.backupRetentionDays,
                geoRedundant: args.geoRedundant,
                subnetId: args.net.subnetIds.data.apply((ids) => ids[0]),
                privateDnsZoneId: args.net.privateZoneIds.mysql,
                admin: logins.admin,
                encryptionReady: keys.encryptionReady,
                encryption: dataEncryption(
                    keyPair(keys.dataKeyUri, keys.encryptionIdentityId),
                    { geoRedundant: args.geoRedundant, geoKey: keyPair(keys.geoDataKeyUri, keys.geoEncryptionIdentityId) },
                    parent,
                ),
                tags: args.tags,
            },
            parent,
        );
        const parameters = dbParameters(name, server, resourceGroupName);

        // Audit and slow query logs plus platform metrics, kept for the workspace's retention.
        new monitor.DiagnosticSetting(
            `${name}-diagnostics`,
            {
                resourceUri: server.id,
                workspaceId: args.net.workspaceId,
                logs: dbLogCategories.map((category) => ({ category, enabled: true })),
                metrics: [{ category: "AllMetrics", enabled: true }],
            },
            { parent: server },
        );

        const secrets = credentialsSecrets(
            name,
            { logins, host: server.fullyQualifiedDomainName, keyVaultName: args.storage.keyVaultName, keyVaultId: args.storage.keyVaultId, tags: args.tags },
            parent,
        );

        this.endpoint = server.fullyQualifiedDomainName;
        this.port = pulumi.output(mysqlPort);
        this.databaseName = pulumi.output(openemrDatabase);
        this.secretName = secrets.app.name;
        this.adminSecretName = secrets.admin.name;
        this.serverId = server.id;
        // Servers boot only against a written secret and a server that already requires TLS. The
        // URI is not sensitive, but the engine marks the whole `properties` output secret because
        // its input holds the value: unsecret it so the plan and later tiers can show it.
        const lastParameter = parameters[parameters.length - 1];
        const readyUri = (secret: typeof secrets.app) =>
            pulumi.unsecret(pulumi.all([secret.properties.secretUri, lastParameter.id]).apply(([uri]) => uri));
        this.credentialsSecret = readyUri(secrets.app);
        this.adminLoginSecret = readyUri(secrets.admin);
        this.registerOutputs({
            endpoint: this.endpoint,
            port: this.port,
            databaseName: this.databaseName,
            credentialsSecret: this.credentialsSecret,
            adminLoginSecret: this.adminLoginSecret,
            secretName: this.secretName,
            adminSecretName: this.adminSecretName,
            serverId: this.serverId,
        });
    }
}
