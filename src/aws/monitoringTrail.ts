import * as cloudtrail from "@pulumi/aws/cloudtrail";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { serviceRole } from "./iam";
import type { AwsMonitoringArgs } from "./monitoring";

/**
 * The trail's name is fixed (not auto-named) because the audit key's policy must name the trail
 * ARN (`aws:SourceArn`) before the trail exists: the trail needs the key, so the key cannot wait
 * for the trail's own ARN output.
 */
export function trailName(component: string): string {
    return `${component}-${pulumi.getStack()}`;
}

export interface AuditTrailArgs extends Pick<AwsMonitoringArgs, "net" | "storage" | "tags" | "logRetentionDays"> {
    trailName: string;
    /** The audit key: encrypts the log files (its policy lets CloudTrail use it for this trail). */
    auditKeyArn: pulumi.Input<string>;
}

/**
 * The control-plane audit trail: every region, global services, signed digests, encrypted with the
 * audit key, delivered to the log bucket under `cloudtrail/` and to an encrypted log group.
 * Management events only: the patient documents are files on EFS, whose NFS reads and writes
 * CloudTrail does not record. Access to patient records is in OpenEMR's own audit log (its `log`
 * table; `enable_auditlog` and `audit_events_patient-record` default to on, openemr/openemr
 * library/globals.inc.php; whether it records each document view was not verified). The data-event selector on the former documents bucket recorded nothing,
 * because nothing wrote there (issue 10); its removal saves the $0.10 per 100,000 data events
 * the plan priced (cost-review.md (a), CloudTrail data events).
 */
export function auditTrail(name: string, args: AuditTrailArgs, parent: pulumi.Resource): cloudtrail.Trail {
    const group = new cloudwatch.LogGroup(
        `${name}-trail-logs`,
        { retentionInDays: args.logRetentionDays, kmsKeyId: args.net.logKeyArn, tags: args.tags },
        { parent },
    );
    // No confused-deputy condition: CloudTrail sends neither aws:SourceArn nor aws:SourceAccount
    // when it assumes this role, and CreateTrail fails if it cannot (serviceTrust.ts, CloudTrail row).
    const role = serviceRole(`${name}-trail-role`, { service: "cloudtrail.amazonaws.com", tags: args.tags }, parent);
    // Declared here rather than through serviceRole's `policy` so the trail can wait for it:
    // CloudTrail checks at creation that the role can already write to the group.
    const delivery = new iam.RolePolicy(
        `${name}-trail-role-policy`,
        {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: pulumi.interpolate`${group.arn}:*`,
                    },
                ],
            }),
        },
        { parent: role },
    );
    return new cloudtrail.Trail(
        `${name}-trail`,
        {
            name: args.trailName,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
            kmsKeyId: args.auditKeyArn,
            s3BucketName: args.storage.logBucket,
            // The storage tier's bucket policy grants delivery to `cloudtrail/AWSLogs/<account>/*` only.
            s3KeyPrefix: "cloudtrail",
            // CloudTrail wants the log-stream wildcard on the group ARN.
            cloudWatchLogsGroupArn: pulumi.interpolate`${group.arn}:*`,
            cloudWatchLogsRoleArn: role.arn,
            // Advanced selectors replace the default, so management events are selected explicitly.
            advancedEventSelectors: [{ name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] }],
            tags: args.tags,
        },
        // CloudTrail validates the bucket policy at creation and that policy lives in the storage
        // tier (not exposed as a field), so wait for the whole tier; and for the role's policy.
        { parent, dependsOn: [args.storage, delivery] },
    );
}
