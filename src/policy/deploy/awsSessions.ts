import type { ResourceRule } from "../types";

const replicationGroup = "aws:elasticache/replicationGroup:ReplicationGroup";

/**
 * What ElastiCache refuses in a replication group, as @pulumi/aws 7.48 elasticache/
 * replicationGroup.d.ts states it: "If automaticFailoverEnabled or multiAzEnabled are true,
 * [numCacheClusters] must be at least 2"; automatic failover "If enabled, numCacheClusters must be
 * greater than 1"; Multi-AZ needs automatic failover (ElastiCache user guide AutoFailover.html:
 * "enabling Multi-AZ ... requires automatic failover"); the AUTH token "Can be specified only if
 * transitEncryptionEnabled = true". A group that breaks one is not created, or (Multi-AZ without a
 * replica) would leave the sessions in one zone.
 */
export const sessionMultiAzRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AWS-SESSION-MULTI-AZ",
    title: "An ElastiCache replication group with Multi-AZ has automatic failover and a replica; an AUTH token has TLS",
    category: "deploy",
    cloud: "aws",
    severity: "error",
    source: [
        "node_modules/@pulumi/aws/elasticache/replicationGroup.d.ts (numCacheClusters, automaticFailoverEnabled, authToken)",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
    ],
    appliesTo: [replicationGroup],
    check({ inputs }) {
        const nodes = Number(inputs.numCacheClusters ?? 1);
        const reasons: string[] = [];
        if ((inputs.multiAzEnabled === true || inputs.automaticFailoverEnabled === true) && nodes < 2) reasons.push(`numCacheClusters is ${nodes}: Multi-AZ and automatic failover need a replica (at least 2)`);
        if (inputs.multiAzEnabled === true && inputs.automaticFailoverEnabled !== true) reasons.push("multiAzEnabled without automaticFailoverEnabled: ElastiCache refuses it");
        if (inputs.authToken !== undefined && inputs.transitEncryptionEnabled !== true) reasons.push("an authToken without transitEncryptionEnabled: the provider refuses it");
        const zones: string[] = inputs.preferredCacheClusterAzs ?? [];
        if (zones.length && zones.length !== nodes) reasons.push(`preferredCacheClusterAzs names ${zones.length} zones for ${nodes} nodes: the first is the primary's, one per node`);
        return reasons;
    },
};
