import * as elb from "@pulumi/aws/elb";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as pulumi from "@pulumi/pulumi";

/** Where each AWS service writes in the log bucket (the web and monitoring tiers use the same prefixes). */
export const logPrefixes = { alb: "alb", cloudtrail: "cloudtrail" } as const;

/**
 * The bucket-policy grants that let AWS deliver logs into the log bucket: ALB access logs and
 * CloudTrail (S3 server access logs went with the documents bucket, the only bucket that sent
 * them). Each grant is limited to its own prefix and, where the service sends it, to this account
 * (`aws:SourceAccount`), so no other account's resources can write here through the same service
 * (confused-deputy protection).
 */
export function logDeliveryStatements(bucketArn: pulumi.Output<string>, parent: pulumi.Resource): pulumi.Input<Record<string, unknown>>[] {
    const accountId = getCallerIdentityOutput({}, { parent }).accountId;
    // ALB access logs land under <prefix>/AWSLogs/<load balancer owner>/, so the path pins this account.
    const albLogs = pulumi.interpolate`${bucketArn}/${logPrefixes.alb}/AWSLogs/${accountId}/*`;
    const fromThisAccount = { StringEquals: { "aws:SourceAccount": accountId } };
    return [
        {
            // Regions opened before August 2022 (us-east-1 among them) deliver as the regional ELB account.
            Sid: "AlbLogsFromElbAccount",
            Effect: "Allow",
            Principal: { AWS: elb.getServiceAccountOutput({}, { parent }).arn },
            Action: "s3:PutObject",
            Resource: albLogs,
        },
        {
            // Newer regions deliver as this service principal (AWS docs, "Enable access logs for your ALB").
            Sid: "AlbLogsFromLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: albLogs,
        },
        {
            Sid: "CloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: bucketArn,
            Condition: fromThisAccount,
        },
        {
            Sid: "CloudTrailWrite",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucketArn}/${logPrefixes.cloudtrail}/AWSLogs/${accountId}/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": accountId } },
        },
    ];
}
