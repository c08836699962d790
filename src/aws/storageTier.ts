import * as awsConfig from "@pulumi/aws/config";
import * as pulumi from "@pulumi/pulumi";
import type { StorageTier, StorageTierArgs } from "../tiers/contracts";
import { encryptionKey } from "./kms";
import type { AwsNetTier } from "./netTier";
import { BackupCopyRegion, backupCopyRegionFor, backupPlan, lockedVault, sevenYearsInDays, type BackupTag } from "./storageBackup";
import { secureBucket } from "./storageBucket";
import { sharedFiles } from "./storageFiles";
import { logDeliveryStatements, logPrefixes } from "./storageLogDelivery";

/**
 * Everything that holds data outside the database: the shared EFS file system (OpenEMR's `sites/`
 * tree, patient documents included: OpenEMR writes them under `sites/<site>/documents` and nowhere
 * else, src/app/bootScript.ts `documentsOnShare`), the access-log bucket, the data key, and AWS
 * Backup (a locked vault, a daily/weekly/monthly plan selecting by tag, and a copy in a second
 * region when geo-redundant). All of it is encrypted, private, TLS-only and protected.
 *
 * No documents bucket: nothing wrote to the one this tier used to declare (issue 10), yet the plan
 * priced 5 TiB of documents there (S3 Standard at $0.023/GB-month: $117.76 a month,
 * cost-review.md (a), (b) #7) and its trail selector and access logs. The documents are on EFS,
 * whose age tiers (storageFiles.ts) price them now.
 */
export class AwsStorageTier extends pulumi.ComponentResource implements StorageTier {
    readonly sharedFileSystem: pulumi.Output<string>;
    readonly backupTarget: pulumi.Output<string>;
    /** The CMK for EFS, RDS storage, Performance Insights, Secrets Manager and the backup vault. */
    readonly dataKeyArn: pulumi.Output<string>;
    /** The access-log bucket (SSE-S3, which ALB access logs require). */
    readonly logBucket: pulumi.Output<string>;
    readonly logBucketArn: pulumi.Output<string>;
    /** Prefixes of the log bucket each service writes under (its bucket policy grants exactly these). */
    readonly logPrefixes = logPrefixes;
    readonly fileSystemArn: pulumi.Output<string>;
    /** The size the shared file system is planned for (emr:sharedFiles capacityGb, GiB): its capacity alarm fires at 80%. */
    readonly filesCapacityGb: number;
    /** AWS Backup backs up every resource carrying this tag (the DB tier tags its instance with it). */
    readonly backupTag: BackupTag;

    constructor(name: string, args: StorageTierArgs<AwsNetTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:aws:StorageTier", name, {}, opts);
        const parent = this;
        // Checked first, so a region without a pair stops the tier before it declares anything.
        // TEMPORARY source: the tier args carry no region yet; awsConfig.region (aws:region) is the default
        // provider's `aws:region`, where every other resource of the stack is created.
        const copyRegion = args.geoRedundant ? backupCopyRegionFor(awsConfig.region) : undefined;
        // Stack in the value: two stacks in one account never back up each other's resources.
        this.backupTag = { key: "emr:backup-plan", value: `${name}-${pulumi.getStack()}` };

        // No service principal in the key policy: EFS, RDS, Secrets Manager and AWS Backup all
        // use the key through the caller's IAM permissions and grants, which the account delegates.
        const dataKey = encryptionKey(
            `${name}-data-key`,
            { description: "Encrypts the EMR's patient data: shared files (documents included), database, secrets, backups", users: [], tags: args.tags },
            parent,
        );

        const logs = secureBucket(
            `${name}-logs`,
            {
                // SSE-S3: ALB access logs cannot be written to an SSE-KMS bucket (storageBucket.ts).
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

        const files = sharedFiles(
            `${name}-files`,
            {
                kmsKeyArn: dataKey.arn,
                tiers: args.files,
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
        // Hand the bucket out only once its policy exists: the ALB checks it can write logs at creation.
        this.logBucket = pulumi.all([logs.bucket.bucket, logs.policy.id]).apply(([bucket]) => bucket);
        this.logBucketArn = logs.bucket.arn;
        this.sharedFileSystem = files.id;
        this.fileSystemArn = files.arn;
        this.filesCapacityGb = args.files.capacityGb;
        this.backupTarget = vault.name;
        this.registerOutputs({
            sharedFileSystem: this.sharedFileSystem,
            backupTarget: this.backupTarget,
            dataKeyArn: this.dataKeyArn,
            logBucket: this.logBucket,
            logBucketArn: this.logBucketArn,
            fileSystemArn: this.fileSystemArn,
        });
    }
}
