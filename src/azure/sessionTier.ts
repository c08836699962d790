import * as redisenterprise from "@pulumi/azure-native/redisenterprise";
import * as pulumi from "@pulumi/pulumi";
import { sessionSecretJson } from "../app/sessionStore";
import type { SessionTier, SessionTierArgs } from "../tiers/contracts";
import { installSecret } from "./installSecrets";
import type { AzureNetTier } from "./netTier";
import { privateLink } from "./storageEndpoint";
import type { AzureStorageTier } from "./storageTier";

/**
 * Azure Managed Redis listens on 10000, TLS only ("Azure Managed Redis uses port 10000",
 * learn.microsoft.com/azure/redis/architecture). PHP gets it in the save path the boot hands it
 * (src/app/sessionStore.ts), not through the image's REDIS_SERVER, which one entrypoint generation
 * would turn into host:10000:6379.
 */
const port = 10000;

/**
 * The shared PHP session store: Azure Managed Redis, Balanced B0 (the smallest SKU, 0.5 GB) with
 * high availability, which replicates every shard to a second node in another zone where the
 * region has zones (learn.microsoft.com/azure/redis/high-availability: "zone redundant by default"
 * with high availability in regions with availability zones; read through Microsoft's mapping of
 * Standard C0 to Balanced_B0 in microsoft/simplechat PR #1438, 2026-09: not re-read at the page).
 *
 * Why not Azure Cache for Redis: Microsoft retires Basic, Standard and Premium on 2028-09-30 and
 * the Enterprise tiers on 2027-03-31 (Azure Cache for Redis "What's new", October 2025; retirement
 * FAQ), and its zone redundancy needs Premium (about $400 a month) or Standard's preview.
 *
 * The database uses the Enterprise clustering policy: one endpoint behind Redis's proxy that
 * non-cluster clients use as a single server (learn.microsoft.com/azure/redis/architecture,
 * "Cluster policies"), not OSS clustering, which OpenEMR's session handling breaks on
 * (openemr/openemr#10436). Eviction only among keys with an expiry (every PHP session has one).
 * Access keys authenticate (the boot hands PHP a password alone; Entra tokens expire hourly and the
 * image cannot renew them); the key goes to Key Vault and the servers read it at every boot.
 * Private endpoint only, public network access off.
 *
 * At rest: the platform's key, not the stack's (checked, not forgotten). Azure Managed Redis takes
 * a customer key on Balanced (articles/redis/how-to-encryption.md, MicrosoftDocs/azure-docs, "Scope
 * of availability": CMK "Yes" for Balanced), through a user-assigned identity only, an RSA key
 * (ours is RSA-HSM 3072), a vault with soft delete and purge protection (ours has both) and
 * "When you use firewall rules in the Azure Key Vault, the Key Vault instance must be configured to
 * allow trusted services". Our vault is firewalled (public network access off, defaultAction Deny,
 * bypass AzureServices: storageVault.ts), so the cache would reach it only as a trusted service, and
 * Key Vault's list of trusted services (articles/key-vault/general/overview-vnet-service-endpoints.md,
 * "Trusted services", both stored revisions) names Storage, MySQL flexible server, SQL, Event Hubs
 * ... but neither Azure Managed Redis nor Azure Cache for Redis. Nothing confirms the key would be
 * reachable on a first `pulumi up`; a cluster whose key is unreachable does not come up, and
 * switching MMK to CMK later "triggers a long-running maintenance operation ... a service
 * disruption occurs" (same page). What it would protect is small here: CMK covers the OS and
 * persistence disks and export files, and this store persists nothing (no persistence, no export:
 * sessions live in memory only). To close it: a deployment test of CMK against a firewalled vault
 * (or Microsoft adding Managed Redis to the trusted list), then `encryption.customerManagedKeyEncryption`
 * {keyEncryptionKeyIdentity {identityType "userAssignedIdentity", userAssignedIdentityResourceId:
 * storage.encryptionIdentityId}, keyEncryptionKeyUrl: storage.dataKeyUri (versioned)} with
 * `identity` {type "UserAssigned"} and dependsOn storage.encryptionReady.
 */
export class AzureSessionTier extends pulumi.ComponentResource implements SessionTier {
    readonly endpoint: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    /** URL of the Key Vault secret holding host, port and access key. */
    readonly credentialsSecret: pulumi.Output<string>;
    /** The secret's name in the storage tier's vault (the web tier grants its servers read on it). */
    readonly secretName: pulumi.Output<string>;
    /** The cluster's resource id (its metrics' scope). */
    readonly clusterId: pulumi.Output<string>;

    constructor(name: string, args: SessionTierArgs<AzureNetTier, AzureStorageTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:azure:SessionTier", name, {}, opts);
        const parent = this;
        const { net, storage } = args;
        const resourceGroupName = net.resourceGroupName;

        const cluster = new redisenterprise.RedisEnterprise(
            `${name}-redis`,
            {
                resourceGroupName,
                sku: { name: "Balanced_B0" },
                highAvailability: "Enabled",
                minimumTlsVersion: "1.2",
                publicNetworkAccess: "Disabled",
                tags: args.tags,
            },
            { parent, dependsOn: [net.subscriptionReady] },
        );
        const database = new redisenterprise.Database(
            `${name}-db`,
            {
                resourceGroupName,
                clusterName: cluster.name,
                databaseName: "default",
                clientProtocol: "Encrypted",
                clusteringPolicy: "EnterpriseCluster",
                evictionPolicy: "VolatileLRU",
                port,
                accessKeysAuthentication: "Enabled",
            },
            { parent: cluster },
        );
        privateLink(
            `${name}-endpoint`,
            { resourceGroupName, subnetId: net.endpointSubnetId, targetId: cluster.id, groupId: "redisEnterprise", privateZoneId: net.privateZoneIds.redis, tags: args.tags },
            parent,
        );
        const keys = redisenterprise.listDatabaseKeysOutput({ resourceGroupName, clusterName: cluster.name, databaseName: database.name }, { parent });
        const secret = installSecret(
            `${name}-credentials`,
            { secretName: `${name}-credentials`, value: sessionSecretJson(cluster.hostName, port, keys.primaryKey), keyVaultName: storage.keyVaultName, keyVaultId: storage.keyVaultId, tags: args.tags },
            parent,
        );

        this.endpoint = cluster.hostName;
        this.port = pulumi.output(port);
        this.secretName = secret.name;
        this.clusterId = cluster.id;
        this.credentialsSecret = pulumi.unsecret(secret.properties.secretUri);
        this.registerOutputs({ endpoint: this.endpoint, port: this.port, credentialsSecret: this.credentialsSecret, secretName: this.secretName, clusterId: this.clusterId });
    }
}
