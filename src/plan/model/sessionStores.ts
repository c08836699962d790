import type { PlannedResource } from "../capture";
import type { Graph } from "../graph";
import type { Placement, SessionStoreModel } from "./types";

/** Its boot configs hand a session secret declared beside the store (same tier component) to every server group. */
const handedToServers = (g: Graph, store: PlannedResource, secretRefs: (secret: PlannedResource) => string[], boots: string[], secretType: string): boolean => {
    const refs = g.ofType(secretType).filter((s) => s.parent === store.parent).flatMap(secretRefs);
    return boots.length > 0 && refs.length > 0 && boots.every((boot) => refs.some((ref) => boot.includes(ref)));
};

/**
 * AWS: ElastiCache replication groups. TLS when transit encryption is `required` (`preferred`
 * also accepts plain connections: ElastiCache user guide in-transit-encryption.html), auth when an
 * AUTH token (or RBAC user group) is set; never public (ElastiCache nodes get no public address).
 */
export function awsSessionStores(g: Graph, placement: (r: PlannedResource) => Placement, boots: string[]): SessionStoreModel[] {
    return g.ofType("aws:elasticache/replicationGroup:ReplicationGroup").map((rg) => ({
        key: rg.key,
        placement: placement(rg),
        tls: rg.inputs.transitEncryptionEnabled === true && (rg.inputs.transitEncryptionMode ?? "required") === "required",
        auth: !!rg.inputs.authToken || (rg.inputs.userGroupIds ?? []).length > 0,
        encrypted: rg.inputs.atRestEncryptionEnabled === true,
        customerManagedKey: !!rg.inputs.kmsKeyId,
        public: false,
        usedByServers: handedToServers(g, rg, (s) => [s.outputs.arn as string], boots, "aws:secretsmanager/secret:Secret"),
    }));
}

/**
 * Azure: Azure Managed Redis clusters and their databases. TLS when every database speaks
 * `Encrypted` only, auth when access keys are on (Entra-only would lock the image out: it passes a
 * password), public unless public network access is disabled. Encrypted at rest always (platform
 * key); a customer key when `encryption.customerManagedKeyEncryption` names one.
 */
export function azureSessionStores(g: Graph, placement: (r: PlannedResource) => Placement, boots: string[]): SessionStoreModel[] {
    return g.ofType("azure-native:redisenterprise:RedisEnterprise").map((cluster) => {
        const databases = g.ofType("azure-native:redisenterprise:Database").filter((d) => d.inputs.clusterName === cluster.outputs.name);
        return {
            key: cluster.key,
            placement: placement(cluster),
            tls: databases.length > 0 && databases.every((d) => (d.inputs.clientProtocol ?? "Encrypted") === "Encrypted"),
            auth: databases.length > 0 && databases.every((d) => d.inputs.accessKeysAuthentication === "Enabled"),
            encrypted: true,
            customerManagedKey: !!cluster.inputs.encryption?.customerManagedKeyEncryption?.keyEncryptionKeyUrl,
            public: cluster.inputs.publicNetworkAccess !== "Disabled",
            usedByServers: handedToServers(g, cluster, (s) => [`/secrets/${s.outputs.name}`], boots, "azure-native:keyvault:Secret"),
        };
    });
}
