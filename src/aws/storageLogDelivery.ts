import * as awsConfig from "@pulumi/aws/config";
import * as elb from "@pulumi/aws/elb";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as pulumi from "@pulumi/pulumi";

/** Where each AWS service writes in the log bucket (the web and monitoring tiers use the same prefixes). */
export const logPrefixes = { alb: "alb", cloudtrail: "cloudtrail" } as const;

/**
 * The regions where ELB delivers access logs as a regional AWS account: those opened before
 * August 2022 (AWS docs, "Enable access logs for your Application Load Balancer", step 2: "Regions
 * available before August 2022" use the ELB account, later ones the log-delivery service
 * principal). The list is the one `aws.elb.getServiceAccount` answers from
 * (hashicorp/terraform-provider-aws internal/service/elb/service_account_data_source.go,
 * accountIDPerRegionMap); in any other region it fails with "unsupported AWS Region", so asking
 * there would stop `pulumi up` in eu-south-2, ca-west-1, il-central-1 and the like.
 */
const elbAccountRegions = new Set([
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1",
    "ap-southeast-2", "ap-southeast-3", "ca-central-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-north-1",
    "eu-south-1", "eu-west-1", "eu-west-2", "eu-west-3", "me-south-1", "sa-east-1", "us-east-1", "us-east-2",
    "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2",
]);

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
    // The stack's region: the default provider's aws:region, where every resource is created.
    const region = awsConfig.region ?? "";
    return [
        ...(elbAccountRegions.has(region)
            ? [
                  {
                      // Regions opened before August 2022 (us-east-1 among them) deliver as the regional ELB account.
                      Sid: "AlbLogsFromElbAccount",
                      Effect: "Allow",
                      Principal: { AWS: elb.getServiceAccountOutput({}, { parent }).arn },
                      Action: "s3:PutObject",
                      Resource: albLogs,
                  },
              ]
            : []),
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
