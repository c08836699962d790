import * as s3 from "@pulumi/aws/s3";
import * as types from "@pulumi/aws/types";
import * as pulumi from "@pulumi/pulumi";

/** One storage-class step of a lifecycle: objects move to `storageClass` after `days`. */
export interface StorageStep {
    days: number;
    /** An S3 storage class: STANDARD_IA, GLACIER_IR, GLACIER, ... */
    storageClass: string;
}

/** How long a bucket keeps what it holds, and where it keeps it meanwhile. */
export interface RetentionPlan {
    /** Storage-class steps for current versions; noncurrent versions take the same steps. */
    steps: StorageStep[];
    /** Delete current versions after this many days; undefined keeps them until the application deletes them. */
    expireAfterDays?: number;
    /** Delete a version this many days after it was overwritten or deleted (the soft-delete window). */
    noncurrentExpireAfterDays: number;
}

export interface SecureBucketArgs {
    retention: RetentionPlan;
    /** Policy statements to add next to the TLS-only deny (log delivery grants). */
    statements?: (bucketArn: pulumi.Output<string>) => pulumi.Input<Record<string, unknown>>[];
    tags: Record<string, string>;
}

export interface SecureBucket {
    bucket: s3.Bucket;
    policy: s3.BucketPolicy;
}

/** Multipart uploads never completed are invisible but billed; a week covers any real upload. */
const abortIncompleteUploadsAfterDays = 7;

/**
 * A private, versioned, encrypted, TLS-only S3 bucket with a lifecycle, built from the v7 split
 * resources. SSE-S3 (AES256): the one bucket left, the access-log bucket, receives ALB access logs,
 * which cannot be written to an SSE-KMS bucket. The bucket is protected and its settings are its children, so they inherit the
 * protection: dropping the encryption, the public-access block or the TLS policy needs the same
 * deliberate `unprotect` as deleting the bucket.
 */
export function secureBucket(name: string, args: SecureBucketArgs, parent: pulumi.Resource): SecureBucket {
    // forceDestroy false: a destroy fails while any object or version is left, instead of emptying PHI.
    const bucket = new s3.Bucket(name, { forceDestroy: false, tags: { ...args.tags, Name: name } }, { parent, protect: true });
    const opts = { parent: bucket };

    // Versioning is the soft delete: an overwrite or delete keeps the old version.
    const versioning = new s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        opts,
    );
    new s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        {
            bucket: bucket.id,
            rules: [
                {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
                    // No customer-provided keys: an object sealed with a key we do not hold is lost to us.
                    blockedEncryptionTypes: ["SSE-C"],
                },
            ],
        },
        opts,
    );
    const publicAccess = new s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    // ACLs off: the bucket policy alone decides access, and every object belongs to this account.
    const ownership = new s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);

    const policy = new s3.BucketPolicy(
        `${name}-policy`,
        {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                    ...(args.statements?.(bucket.arn) ?? []),
                ],
            }),
        },
        // S3 answers 409 OperationAborted to concurrent bucket-level writes (pulumi/pulumi-aws#1570).
        { ...opts, dependsOn: [publicAccess, ownership] },
    );

    new s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        {
            bucket: bucket.id,
            rules: [lifecycleRule(args.retention)],
            // Objects under 128 KB never change class. S3 does this by default (@pulumi/aws 7.48.0
            // BucketLifecycleConfiguration: "all_storage_classes_128K (default)"); it is declared so
            // that the floor is a decision, not an accident, for these classes:
            // - STANDARD_IA and GLACIER_IR bill every object as at least 128 KB, so a smaller one
            //   would cost more after the move (S3 User Guide, lifecycle-transition-general-
            //   considerations.html: below 128 KB "it is not cost effective").
            // - GLACIER (Flexible Retrieval) adds 40 KB per object, 8 KB billed at Standard and 32 KB
            //   at Glacier rates (S3 User Guide, lifecycle-transition-general-considerations.html),
            //   and each move is a request ($0.03 per 1,000, aws.amazon.com/s3/pricing; not in
            //   facts/prices.md). At $0.023 and $0.0036 per GB-month (facts/prices.md) an object of
            //   s KB saves (0.0194 s - 0.299) / 2^20 dollars a month in Glacier: below 15 KB it costs
            //   more every month, and in the log bucket's 81 months there (day 90 to 2557) it repays
            //   its $0.00003 move only above 35 KB. Clinic-sized ALB, CloudTrail and S3 access-log
            //   files are mostly smaller, so `varies_by_storage_class` (which lets Glacier take any
            //   size) would raise the bill; between 35 and 128 KB a little saving is left unclaimed.
            transitionDefaultMinimumObjectSize: "all_storage_classes_128K",
        },
        // The provider docs: a versioned bucket's lifecycle must wait for versioning to be on.
        { ...opts, dependsOn: [versioning] },
    );
    return { bucket, policy };
}

/** The one lifecycle rule of a bucket: storage-class steps, expiry, soft-delete window, upload clean-up. */
function lifecycleRule(plan: RetentionPlan): types.input.s3.BucketLifecycleConfigurationRule {
    // A step at or after the expiry would never run (and S3 rejects it), so it is left out.
    const before = (limit: number | undefined) => plan.steps.filter((step) => limit === undefined || step.days < limit);
    return {
        id: "retention",
        status: "Enabled",
        // Every object: an empty prefix, not an empty filter. terraform-provider-aws warns on
        // `filter {}` ("No attribute specified when one (and only one) of [...prefix, tag, and,
        // object_size_*] is required ... will be an error in a future version", #42714, #42515),
        // while its docs allow a filter "with exactly one of prefix, tag, and,
        // object_size_greater_than or object_size_less_than" and an empty prefix matches all keys.
        filter: { prefix: "" },
        transitions: before(plan.expireAfterDays).map((step) => ({ days: step.days, storageClass: step.storageClass })),
        // Without an expiry, clean up the delete markers left once every old version has expired.
        expiration: plan.expireAfterDays !== undefined ? { days: plan.expireAfterDays } : { expiredObjectDeleteMarker: true },
        noncurrentVersionTransitions: before(plan.noncurrentExpireAfterDays).map((step) => ({
            noncurrentDays: step.days,
            storageClass: step.storageClass,
        })),
        noncurrentVersionExpiration: { noncurrentDays: plan.noncurrentExpireAfterDays },
        abortIncompleteMultipartUpload: { daysAfterInitiation: abortIncompleteUploadsAfterDays },
    };
}
