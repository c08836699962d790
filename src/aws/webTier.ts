import * as pulumi from "@pulumi/pulumi";
import { renderCloudInit } from "../app/cloudInit";
import type { WebTier, WebTierArgs } from "../tiers/contracts";
import type { AwsDbTier } from "./dbTier";
import type { AwsNetTier } from "./netTier";
import type { AwsStorageTier } from "./storageTier";
import { awsBootSteps } from "./webBoot";
import { webFirewall } from "./webFirewall";
import { webLoadBalancer } from "./webLoadBalancer";
import { webServerRole } from "./webServerRole";
import { webServers } from "./webServers";

/**
 * The EMR's front door and servers: a WAF-protected, https-only ALB over the edge subnets of every
 * zone, and an Auto Scaling group of OpenEMR servers over the app subnets of every zone, each
 * booting from the shared cloud-init with its own identity (no credentials in the user data).
 */
export class AwsWebTier extends pulumi.ComponentResource implements WebTier {
    readonly url: pulumi.Output<string>;
    /** The ALB's ARN. */
    readonly loadBalancerId: pulumi.Output<string>;
    /** The Auto Scaling group's name. */
    readonly serverGroupId: pulumi.Output<string>;
    /** `app/<name>/<id>`: the ALB's CloudWatch dimension. */
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    /** `targetgroup/<name>/<id>`: the target group's CloudWatch dimension. */
    readonly targetGroupArnSuffix: pulumi.Output<string>;
    readonly autoScalingGroupName: pulumi.Output<string>;

    constructor(name: string, args: WebTierArgs<AwsNetTier, AwsStorageTier, AwsDbTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:aws:WebTier", name, {}, opts);
        const parent = this;
        const { net, storage, db } = args;

        const edge = webLoadBalancer(
            name,
            {
                vpcId: net.networkId,
                subnetIds: net.subnetIds.edge,
                securityGroupId: net.securityGroups.alb,
                logBucket: storage.logBucket,
                logPrefix: storage.logPrefixes.alb,
                // The ALB test-writes to the log bucket when created, so the bucket policy must exist
                // first. Pulumi waits for the storage tier's direct children only, so that policy must
                // be one of them, or `logBucket` must resolve after it.
                logBucketReady: [storage],
                healthCheckPath: args.healthCheckPath,
                tls: args.tls,
                tags: args.tags,
            },
            parent,
        );
        webFirewall(
            name,
            { loadBalancerArn: edge.loadBalancer.arn, logKeyArn: net.logKeyArn, logRetentionDays: args.logRetentionDays, tags: args.tags },
            parent,
        );

        const profile = webServerRole(
            `${name}-servers`,
            { region: net.region, secretArn: db.credentialsSecret, dataKeyArn: storage.dataKeyArn, fileSystemArn: storage.fileSystemArn, tags: args.tags },
            parent,
        );
        // Only the secret's ARN goes into the user data; the server reads the secret with its role.
        const userData = pulumi
            .all([net.region, storage.sharedFileSystem, db.credentialsSecret, db.endpoint, db.port, db.databaseName])
            .apply(([region, fileSystemId, secretArn, dbHost, dbPort, dbName]) => {
                const cloudInit = renderCloudInit(
                    { image: args.image, dbHost, dbPort, dbName, healthCheckPath: args.healthCheckPath },
                    awsBootSteps({ region, fileSystemId, secretArn }),
                );
                return Buffer.from(cloudInit, "utf8").toString("base64");
            });
        const group = webServers(
            name,
            {
                instanceType: args.instanceType,
                minServers: args.minServers,
                maxServers: args.maxServers,
                subnetIds: net.subnetIds.app,
                securityGroupId: net.securityGroups.web,
                instanceProfileArn: profile.arn,
                userData,
                targetGroup: edge.targetGroup,
                loadBalancer: edge.loadBalancer,
                // Booting needs egress, the file system and the database secret. Pulumi waits for
                // each tier's direct children; the user data's database endpoint already holds the
                // servers back until the database instance exists, which outlasts NAT and mount targets.
                // The target group must be in use by the ALB before the group attaches it and
                // request-count scaling names the pair.
                dependsOn: [net, storage, db, edge.httpsListener],
                tags: args.tags,
            },
            parent,
        );

        this.url = edge.url;
        this.loadBalancerId = edge.loadBalancer.arn;
        this.loadBalancerArnSuffix = edge.loadBalancer.arnSuffix;
        this.targetGroupArnSuffix = edge.targetGroup.arnSuffix;
        this.autoScalingGroupName = group.name;
        this.serverGroupId = group.name;
        this.registerOutputs({
            url: this.url,
            loadBalancerId: this.loadBalancerId,
            serverGroupId: this.serverGroupId,
            loadBalancerArnSuffix: this.loadBalancerArnSuffix,
            targetGroupArnSuffix: this.targetGroupArnSuffix,
            autoScalingGroupName: this.autoScalingGroupName,
        });
    }
}
