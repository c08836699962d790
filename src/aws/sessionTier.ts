import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as elasticache from "@pulumi/aws/elasticache";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as vpcRules from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { sessionPassword, sessionSecretJson } from "../app/sessionStore";
import type { SessionTier, SessionTierArgs } from "../tiers/contracts";
import type { AwsNetTier } from "./netTier";
import type { AwsStorageTier } from "./storageTier";

/** The store's port: Valkey's own (PHP reaches it through the save path the boot hands it: src/app/sessionStore.ts). */
const port = 6379;

/**
 * The shared PHP session store: an ElastiCache for Valkey replication group with cluster mode
 * disabled, a primary and one replica in two zones, Multi-AZ with automatic failover.
 *
 * Why not ElastiCache Serverless (cheaper at a clinic's load: the 100 MB Valkey minimum is about
 * $6 a month against about $19 for two cache.t4g.micro nodes, src/plan/cost/catalog): a serverless
 * cache is cluster mode enabled only ("Amazon ElastiCache Serverless only supports Redis Cluster
 * Mode Enabled (CME)", repost.aws QUXz_Eoe5bTvGs7mzEOkRxNw), which OpenEMR's session handling breaks
 * on (openemr/openemr#10436), and it takes RBAC users only ("Role-Based Access Control is also the
 * only way to control access to serverless caches", ElastiCache user guide Clusters.RBAC), where
 * the boot hands PHP a password alone (src/app/sessionStore.ts).
 *
 * The replication group: one primary endpoint that ElastiCache moves to the promoted replica on
 * failover ("ElastiCache also propagates the DNS name of the promoted replica", user guide
 * AutoFailover.html); Multi-AZ requires automatic failover and at least one replica (provider
 * docs: "If automaticFailoverEnabled or multiAzEnabled are true, [numCacheClusters] must be at
 * least 2"; checked by DEPLOY-AWS-SESSION-MULTI-AZ). TLS required, the AUTH token generated and
 * kept in Secrets Manager (the servers read it at every boot), at rest under the stack's data key.
 * No snapshots: sessions live for hours, and a restored snapshot would bring back logged-out ones.
 */
export class AwsSessionTier extends pulumi.ComponentResource implements SessionTier {
    readonly endpoint: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    /** ARN of the Secrets Manager secret holding the host, port and AUTH token. */
    readonly credentialsSecret: pulumi.Output<string>;
    /** The replication group id (the `ReplicationGroupId` / `CacheClusterId` prefix of its metrics). */
    readonly replicationGroupId: pulumi.Output<string>;
    /** The nodes' ids (`<group>-001`, `-002`: ElastiCache's names for the members), for per-node alarms. */
    readonly nodeIds: pulumi.Output<string[]>;

    constructor(name: string, args: SessionTierArgs<AwsNetTier, AwsStorageTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:aws:SessionTier", name, {}, opts);
        const parent = this;
        const { net, storage } = args;

        const group = new ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: net.networkId, description: "EMR session store", revokeRulesOnDelete: true, tags: { ...args.tags, Name: `${name}-sessions` } },
            { parent },
        );
        const rule = { ipProtocol: "tcp", fromPort: port, toPort: port, description: "web servers to the session store (TLS required by the store)" };
        new vpcRules.SecurityGroupIngressRule(`${name}-from-web`, { ...rule, securityGroupId: group.id, referencedSecurityGroupId: net.securityGroups.web }, { parent: group });
        new vpcRules.SecurityGroupEgressRule(`${name}-web-to-sessions`, { ...rule, securityGroupId: net.securityGroups.web, referencedSecurityGroupId: group.id }, { parent: group });

        const subnets = new elasticache.SubnetGroup(
            `${name}-subnets`,
            { description: "EMR session store: the data subnet of every zone", subnetIds: net.subnetIds.data, tags: args.tags },
            { parent },
        );
        const engineLog = new cloudwatch.LogGroup(
            `${name}-engine-logs`,
            { name: pulumi.interpolate`/emr/${pulumi.getStack()}/sessions/engine`, retentionInDays: args.logRetentionDays, kmsKeyId: net.logKeyArn, tags: args.tags },
            { parent },
        );
        const token = sessionPassword(`${name}-auth-token`, parent);
        const store = new elasticache.ReplicationGroup(
            `${name}-valkey`,
            {
                description: "EMR PHP sessions",
                engine: "valkey",
                engineVersion: "8.0",
                nodeType: "cache.t4g.micro",
                // Primary and replica in the first two zones: losing either zone leaves a copy.
                numCacheClusters: 2,
                preferredCacheClusterAzs: net.zones.apply((zones) => zones.slice(0, 2)),
                automaticFailoverEnabled: true,
                multiAzEnabled: true,
                port,
                subnetGroupName: subnets.name,
                securityGroupIds: [group.id],
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                authToken: token,
                atRestEncryptionEnabled: true,
                kmsKeyId: storage.dataKeyArn,
                snapshotRetentionLimit: 0,
                autoMinorVersionUpgrade: true,
                maintenanceWindow: "sun:05:00-sun:06:00",
                applyImmediately: false,
                logDeliveryConfigurations: [{ destinationType: "cloudwatch-logs", destination: engineLog.name, logFormat: "json", logType: "engine-log" }],
                tags: args.tags,
            },
            { parent },
        );

        this.endpoint = store.primaryEndpointAddress;
        this.port = pulumi.output(port);
        this.replicationGroupId = store.id;
        this.nodeIds = store.memberClusters;
        const secret = new secretsmanager.Secret(
            `${name}-credentials`,
            { description: "EMR session store: host, port and AUTH token (read by the web servers at every boot)", kmsKeyId: storage.dataKeyArn, recoveryWindowInDays: 30, tags: args.tags },
            { parent },
        );
        const version = new secretsmanager.SecretVersion(
            `${name}-credentials-value`,
            { secretId: secret.id, secretString: sessionSecretJson(store.primaryEndpointAddress, port, token) },
            { parent: secret },
        );
        this.credentialsSecret = pulumi.all([secret.arn, version.id]).apply(([arn]) => arn);
        this.registerOutputs({ endpoint: this.endpoint, port: this.port, credentialsSecret: this.credentialsSecret, replicationGroupId: this.replicationGroupId, nodeIds: this.nodeIds });
    }
}
