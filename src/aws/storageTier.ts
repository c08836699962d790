// STUB: replaced by the real AwsStorageTier.
import * as pulumi from "@pulumi/pulumi";
import type { StorageTier, StorageTierArgs } from "../tiers/contracts";
import type { AwsNetTier } from "./netTier";

export class AwsStorageTier extends pulumi.ComponentResource implements StorageTier {
    readonly documentsStore = pulumi.output("stub-documents");
    readonly sharedFileSystem = pulumi.output("fs-stub");
    readonly backupTarget = pulumi.output("stub-vault");
    readonly dataKeyArn = pulumi.output("arn:aws:kms:us-east-1:123456789012:key/stub");
    readonly logBucket = pulumi.output("stub-logs");
    readonly logBucketArn = pulumi.output("arn:aws:s3:::stub-logs");
    readonly documentsBucketArn = pulumi.output("arn:aws:s3:::stub-documents");
    readonly fileSystemArn = pulumi.output("arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-stub");
    readonly backupTag = { key: "emr-backup", value: "stub" };
    constructor(name: string, _args: StorageTierArgs<AwsNetTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:aws:StorageTier", name, {}, opts);
        this.registerOutputs({});
    }
}
