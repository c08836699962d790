import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StorageTier, StorageTierArgs } from "../tiers/contracts";
import { encryptionKey } from "./kms";
import type { AwsNetTier } from "./netTier";
import { BackupCopyRegion, backupCopyRegionFor, backupPlan, lockedVault, sevenYearsInDays, type BackupTag } from "./storageBackup";
import { secureBucket } from "./storageBucket";
import { sharedFiles } from "./storageFiles";
import { logDeliveryStatements, logPrefixes } from "./storageLogDelivery";

/**
 * Everything that holds data outside the database: the documents bucket, the access-log bucket,
 * the shared EFS file system, the data key, and AWS Backup (a locked vault, a daily/weekly/
 * monthly plan selecting by tag, and a copy in a second region when geo-redundant). All of it is
 * encrypted, private, TLS-only and protected.
 */
export class AwsStorageTier extends pulumi.ComponentResource implements StorageTier {
    readonly documentsStore: pulumi.Output<string>;
    readonly sharedFileSystem: pulumi.Output<string>;
    readonly backupTarget: pulumi.Output<string>;
    /** The CMK for S3 documents, EFS, RDS storage, Performance Insights, Secrets Manager and the backup vault. */
    readonly dataKeyArn: pulumi.Output<string>;
    /** The access-log bucket (SSE-S3, which ALB access logs require). */
    readonly logBucket: pulumi.Output<string>;
    readonly logBucketArn: pulumi.Output<string>;
    /** Prefixes of the log bucket each service writes under (its bucket policy grants exactly these). */
    readonly logPrefixes = logPrefixes;
    readonly documentsBucketArn: pulumi.Output<string>;
    readonly fileSystemArn: pulumi.Output<string>;
    /** AWS Backup backs up every resource carrying this tag (the DB tier tags its instance with it). */
    readonly backupTag: BackupTag;

    constructor(name: string, args: StorageTierArgs<AwsNetTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:aws:StorageTier", name, {}, opts);
        const parent = this;
        // Checked first, so a region without a pair stops the tier before it declares anything.
        // TEMPORARY source: the tier args carry no region yet; aws.config.region is the default
        // provider's `aws:region`, where every other resource of the stack is created.
        const copyRegion = args.geoRedundant ? backupCopyRegionFor(aws.config.region) : undefined;
        // Stack in the value: two stacks in one account never back up each other's resources.
        this.backupTag = { key: "emr:backup-plan", value: `${name}-${pulumi.getStack()}` };

        // No service principal in the key policy: S3, EFS, RDS, Secrets Manager and AWS Backup all
        // use the key through the caller's IAM permissions and grants, which the account delegates.
        const dataKey = encryptionKey(
            `${name}-data-key`,
            { description: "Encrypts the EMR's patient data: documents, shared files, database, secrets, backups", users: [], tags: args.tags },
            parent,
        );

        const logs = secureBucket(
            `${name}-logs`,
            {
                // SSE-S3: ALB access logs and S3 server access logs cannot be written to an SSE-KMS bucket.
                retention: {
                    // Audit logs are HIPAA documentation (45 CFR 164.316(b)(2)(i)): kept 7 years, the
                    // 6 required plus margin. GLACIER (Flexible Retrieval) after 90 days, for the
                    // objects of 128 KB and more only: a smaller one costs more archived than in
                    // Standard (storageBucket.ts), and most log files are smaller, so most of this
                    // bucket stays in Standard, as the cost estimate prices it. An audit can wait the
                    // hours a restore of the archived part takes.
                    steps: [{ days: 90, storageClass: "GLACIER" }],
                    expireAfterDays: sevenYearsInDays,
                    noncurrentExpireAfterDays: sevenYearsInDays,
                },
                statements: (arn) => logDeliveryStatements(arn, parent),
                tags: args.tags,
            },
            parent,
        );

        const documents = secureBucket(
            `${name}-documents`,
            {
                kmsKeyArn: dataKey.arn,
                retention: {
                    // GLACIER_IR, not GLACIER: a clinician opening an old chart gets the scan in
                    // milliseconds, through the same API; Flexible Retrieval would need a restore first.
                    steps: [
                        { days: args.files.infrequentAfterDays, storageClass: "STANDARD_IA" },
                        { days: args.files.archiveAfterDays, storageClass: "GLACIER_IR" },
                    ],
                    noncurrentExpireAfterDays: 365,
                },
                tags: args.tags,
            },
            parent,
        );
        // Who read or changed which document: S3 server access logs into the log bucket.
        new aws.s3.BucketLogging(
            `${name}-documents-logging`,
            { bucket: documents.bucket.id, targetBucket: logs.bucket.id, targetPrefix: `${logPrefixes.s3}/documents/` },
            { parent: documents.bucket, dependsOn: [logs.policy] },
        );

        const files = sharedFiles(
            `${name}-files`,
            {
                kmsKeyArn: dataKey.arn,
                zoneCount: args.net.zoneCount,
                appSubnetIds: args.net.subnetIds.app,
                securityGroupId: args.net.securityGroups.files,
                tags: { ...args.tags, [this.backupTag.key]: this.backupTag.value },
            },
            parent,
        );

        const vault = lockedVault(`${name}-backup-vault`, dataKey.arn, args.tags, parent);
        const copy = copyRegion ? new BackupCopyRegion(`${name}-backup-copy`, copyRegion, args.tags, { parent }) : undefined;
        backupPlan(
            `${name}-backup`,
            { vault, copyVault: copy?.vault, dailyRetentionDays: args.backupRetentionDays, selectBy: this.backupTag, tags: args.tags },
            parent,
        );

        this.dataKeyArn = dataKey.arn;
        this.documentsStore = documents.bucket.bucket;
        this.documentsBucketArn = documents.bucket.arn;
        // Hand the bucket out only once its policy exists: the ALB checks it can write logs at creation.
        this.logBucket = pulumi.all([logs.bucket.bucket, logs.policy.id]).apply(([bucket]) => bucket);
        this.logBucketArn = logs.bucket.arn;
        this.sharedFileSystem = files.id;
        this.fileSystemArn = files.arn;
        this.backupTarget = vault.name;
        this.registerOutputs({
            documentsStore: this.documentsStore,
            sharedFileSystem: this.sharedFileSystem,
            backupTarget: this.backupTarget,
            dataKeyArn: this.dataKeyArn,
            logBucket: this.logBucket,
            logBucketArn: this.logBucketArn,
            documentsBucketArn: this.documentsBucketArn,
            fileSystemArn: this.fileSystemArn,
        });
    }
}
