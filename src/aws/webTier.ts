import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import { renderCloudInit } from "../app/cloudInit";
import { emrAdminLogin, emrAdminSecretJson } from "../app/dbLogins";
import type { WebTier, WebTierArgs } from "../tiers/contracts";
import type { AwsDbTier } from "./dbTier";
import type { AwsNetTier } from "./netTier";
import type { AwsSessionTier } from "./sessionTier";
import type { AwsStorageTier } from "./storageTier";
import { installSecret } from "./installSecrets";
import { awsBootSteps } from "./webBoot";
import { webFirewall } from "./webFirewall";
import { webLoadBalancer } from "./webLoadBalancer";
import { scalingRole } from "./webScalingRole";
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
    /** ARN of the Secrets Manager secret holding the first OpenEMR administrator's login. */
    readonly adminPasswordSecret: pulumi.Output<string>;

    constructor(name: string, args: WebTierArgs<AwsNetTier, AwsStorageTier, AwsDbTier, AwsSessionTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:aws:WebTier", name, {}, opts);
        const parent = this;
        const { net, storage, db, session } = args;

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
            { healthCheckPath: args.healthCheckPath, loadBalancerArn: edge.loadBalancer.arn, logKeyArn: net.logKeyArn, logRetentionDays: args.logRetentionDays, tags: args.tags },
            parent,
        );

        // OpenEMR's first administrator: generated, stored next to the database logins, handed to
        // the installer only (never the image's admin / pass, openemr-boot-review.md D2).
        this.adminPasswordSecret = installSecret(
            `${name}-emr-admin`,
            {
                description: "EMR: the first OpenEMR administrator's login (change the password after the first login)",
                value: emrAdminSecretJson(emrAdminLogin(name, parent)),
                keyArn: storage.dataKeyArn,
                tags: args.tags,
            },
            parent,
        );
        const secrets = { dbAdmin: db.adminLoginSecret, dbApp: db.credentialsSecret, emrAdmin: this.adminPasswordSecret };
        // The serving containers' output (Apache, PHP): encrypted with the log key, kept for the stack's retention.
        const containerLogs = new cloudwatch.LogGroup(
            `${name}-container-logs`,
            { name: pulumi.interpolate`/emr/${pulumi.getStack()}/web/containers`, retentionInDays: args.logRetentionDays, kmsKeyId: net.logKeyArn, tags: args.tags },
            { parent },
        );

        const profile = webServerRole(
            `${name}-servers`,
            {
                region: net.region,
                installSecretArns: [secrets.dbAdmin, secrets.dbApp, secrets.emrAdmin],
                sessionSecretArn: session.credentialsSecret,
                dataKeyArn: storage.dataKeyArn,
                fileSystemArn: storage.fileSystemArn,
                containerLogGroupArn: containerLogs.arn,
                tags: args.tags,
            },
            parent,
        );
        // Only the secrets' ARNs go into the user data; the server reads the secrets with its role.
        const userData = pulumi
            .all([net.region, storage.sharedFileSystem, secrets.dbAdmin, secrets.dbApp, secrets.emrAdmin, containerLogs.name, pulumi.all([db.endpoint, db.port, db.databaseName]), session.credentialsSecret])
            .apply(([region, fileSystemId, dbAdmin, dbApp, emrAdmin, containerLogGroup, [dbHost, dbPort, dbName], sessionSecret]) => {
                const cloudInit = renderCloudInit(
                    { image: args.image, dbHost, dbPort, dbName, readinessPath: args.healthCheckPath },
                    awsBootSteps({ region, fileSystemId, secrets: { dbAdmin, dbApp, emrAdmin }, sessionSecret, containerLogGroup }),
                );
                return Buffer.from(cloudInit, "utf8").toString("base64");
            });
        const group = webServers(
            name,
            {
                instanceType: args.instanceType,
                cpuArch: args.cpuArch,
                minServers: args.minServers,
                maxServers: args.maxServers,
                subnetIds: net.subnetIds.app,
                securityGroupId: net.securityGroups.web,
                instanceProfileArn: profile.arn,
                volumeKeyArn: storage.dataKeyArn,
                scalingRole: scalingRole(name, { region: net.region, dataKeyArn: storage.dataKeyArn, tags: args.tags }, parent),
                userData,
                targetGroup: edge.targetGroup,
                loadBalancer: edge.loadBalancer,
                // Booting needs egress, the file system and the database secret. Pulumi waits for
                // each tier's direct children; the user data's database endpoint already holds the
                // servers back until the database instance exists, which outlasts NAT and mount targets.
                // The target group must be in use by the ALB before the group attaches it and
                // request-count scaling names the pair.
                dependsOn: [net, storage, db, session, edge.httpsListener],
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
            adminPasswordSecret: this.adminPasswordSecret,
        });
    }
}
