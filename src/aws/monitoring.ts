import * as sns from "@pulumi/aws/sns";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as pulumi from "@pulumi/pulumi";
import type { Monitoring, MonitoringArgs } from "../tiers/contracts";
import type { AwsDbTier } from "./dbTier";
import { encryptionKey } from "./kms";
import { alarmSpecs, metricAlarms } from "./monitoringAlarms";
import { auditTrail, trailName } from "./monitoringTrail";
import type { AwsNetTier } from "./netTier";
import type { AwsSessionTier } from "./sessionTier";
import type { AwsStorageTier } from "./storageTier";
import type { AwsWebTier } from "./webTier";

export type AwsMonitoringArgs = MonitoringArgs<AwsNetTier, AwsStorageTier, AwsDbTier, AwsWebTier, AwsSessionTier>;

/**
 * Who is told when the EMR breaks, and the record of who did what: an encrypted SNS topic mailing
 * the alert address, alarms on every tier notifying it, and a multi-region CloudTrail encrypted
 * with its own audit key.
 */
export class AwsMonitoring extends pulumi.ComponentResource implements Monitoring {
    /** ARN of the SNS topic every alarm notifies. */
    readonly alertTopic: pulumi.Output<string>;
    /** ARN of the CloudTrail trail. */
    readonly auditTrail: pulumi.Output<string>;

    constructor(name: string, args: AwsMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("emr:aws:Monitoring", name, {}, opts);
        const parent = this;
        const accountId = getCallerIdentityOutput({}, { parent }).accountId;
        const trail = trailName(name);
        const trailArn = pulumi.interpolate`arn:aws:cloudtrail:${args.net.region}:${accountId}:trail/${trail}`;

        // The services below encrypt with the key themselves, so the key policy must name them
        // (the statements are the ones the CloudTrail and SNS/CloudWatch guides document).
        const auditKey = encryptionKey(
            `${name}-audit-key`,
            {
                description: "Encrypts the EMR stack's CloudTrail log files and its alert topic",
                users: [
                    {
                        // Alarms publishing to an encrypted topic need a data key for each message.
                        service: "cloudwatch.amazonaws.com",
                        actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
                        condition: { StringEquals: { "aws:SourceAccount": accountId } },
                    },
                    {
                        service: "cloudtrail.amazonaws.com",
                        actions: ["kms:GenerateDataKey*"],
                        condition: {
                            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:aws:cloudtrail:*:${accountId}:trail/*` },
                            StringEquals: { "aws:SourceArn": trailArn },
                        },
                    },
                    {
                        service: "cloudtrail.amazonaws.com",
                        actions: ["kms:DescribeKey"],
                        condition: { StringEquals: { "aws:SourceArn": trailArn } },
                    },
                ],
                tags: args.tags,
            },
            parent,
        );

        const topic = notificationTopic(name, args, auditKey.arn, accountId, parent);
        metricAlarms(name, alarmSpecs(args), topic.arn, args.tags, parent);
        const trailResource = auditTrail(name, { ...args, trailName: trail, auditKeyArn: auditKey.arn }, parent);

        this.alertTopic = topic.arn;
        this.auditTrail = trailResource.arn;
        this.registerOutputs({ alertTopic: this.alertTopic, auditTrail: this.auditTrail });
    }
}

/**
 * The topic the alarms publish to, encrypted with the audit key, publishable only by this account's
 * CloudWatch alarms and only over TLS, with the alert address subscribed by e-mail.
 */
function notificationTopic(
    name: string,
    args: AwsMonitoringArgs,
    keyArn: pulumi.Output<string>,
    accountId: pulumi.Output<string>,
    parent: pulumi.Resource,
): sns.Topic {
    const topic = new sns.Topic(
        `${name}-alerts`,
        { displayName: `EMR alerts (${pulumi.getStack()})`, kmsMasterKeyId: keyArn, tags: args.tags },
        { parent },
    );
    new sns.TopicPolicy(
        `${name}-alerts-policy`,
        {
            arn: topic.arn,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "AlarmsOfThisAccountPublish",
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: {
                            StringEquals: { "aws:SourceAccount": accountId },
                            ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:aws:cloudwatch:${args.net.region}:${accountId}:alarm:*` },
                        },
                    },
                    {
                        Sid: "DenyPublishWithoutTls",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            }),
        },
        { parent: topic },
    );
    // E-mail subscriptions stay "PendingConfirmation" until the recipient clicks the link AWS sends:
    // no alert reaches them before that, so confirming is part of the deployment checklist.
    new sns.TopicSubscription(
        `${name}-alerts-email`,
        { topic: topic.arn, protocol: "email", endpoint: args.alertEmail },
        { parent: topic },
    );
    return topic;
}
