import * as efs from "@pulumi/aws/efs";
import * as types from "@pulumi/aws/types";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as pulumi from "@pulumi/pulumi";
import type { SharedFilesConfig } from "../config";

export interface SharedFilesArgs {
    kmsKeyArn: pulumi.Input<string>;
    /** After how many days without a read a file moves to Infrequent Access, then to Archive. */
    tiers: Pick<SharedFilesConfig, "infrequentAfterDays" | "archiveAfterDays">;
    /** How many zones (and app subnets) there are: known now, so one mount target per zone is declared. */
    zoneCount: number;
    appSubnetIds: pulumi.Output<string[]>;
    /** The group that admits NFS (2049) from the web servers only. */
    securityGroupId: pulumi.Input<string>;
    /** Tags, including the one AWS Backup selects by. */
    tags: Record<string, string>;
}

/**
 * The EFS file system for OpenEMR's shared `sites/` tree: regional (its data survives a zone),
 * encrypted with the data key, reachable from every app subnet, TLS-only and IAM-authorised.
 */
export function sharedFiles(name: string, args: SharedFilesArgs, parent: pulumi.Resource): efs.FileSystem {
    const fileSystem = new efs.FileSystem(
        name,
        {
            encrypted: true,
            kmsKeyId: args.kmsKeyArn,
            performanceMode: "generalPurpose",
            // Elastic throughput follows the load: no burst credits to run out of during a busy clinic
            // day. It is also what Archive needs: "The Archive storage class is available only for
            // file systems that use the Elastic throughput mode and the General Purpose performance
            // mode" (EFS API PutLifecycleConfiguration; DEPLOY-AWS-EFS-ARCHIVE-NEEDS-ELASTIC checks it).
            throughputMode: "elastic",
            lifecyclePolicies: lifecyclePolicies(args.tiers),
            tags: { ...args.tags, Name: name },
        },
        { parent, protect: true },
    );

    // AWS Backup covers the file system through the plan's tag selection; EFS's own automatic
    // backup would add a second daily copy in a vault outside the plan, its lock and its key.
    new efs.BackupPolicy(`${name}-backup-policy`, { fileSystemId: fileSystem.id, backupPolicy: { status: "DISABLED" } }, { parent: fileSystem });

    for (let i = 0; i < args.zoneCount; i++) {
        new efs.MountTarget(
            `${name}-mount-${i}`,
            {
                fileSystemId: fileSystem.id,
                subnetId: args.appSubnetIds.apply((ids) => ids[i]),
                securityGroups: [args.securityGroupId],
            },
            // Mount targets hold no data: a zone change must be able to replace them.
            { parent: fileSystem, protect: false },
        );
    }

    const accountId = getCallerIdentityOutput({}, { parent }).accountId;
    new efs.FileSystemPolicy(
        `${name}-policy`,
        {
            fileSystemId: fileSystem.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: { AWS: "*" },
                        Action: "*",
                        Resource: fileSystem.arn,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                    {
                        // Granted to the account, not to `*`: a client must mount with IAM (`-o tls,iam`)
                        // as a role whose own policy allows these actions; anonymous NFS clients get nothing.
                        Sid: "MountWithIamThroughMountTargets",
                        Effect: "Allow",
                        Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
                        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                        Resource: fileSystem.arn,
                        Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
                    },
                ],
            }),
        },
        { parent: fileSystem },
    );
    return fileSystem;
}

/**
 * The EFS lifecycle for `tiers`: files not read for `infrequentAfterDays` move to Infrequent Access,
 * for `archiveAfterDays` to Archive, and back to Standard on their first read (a chart being worked
 * on again is read at Standard latency and price). Metadata operations such as listing a directory
 * do not count as a read (EFS API LifecyclePolicy). One policy object per transition, as
 * PutLifecycleConfiguration requires. Days are among the values EFS accepts (config checks:
 * src/config/defaults.ts fileTierDays) and Archive comes after IA ("TransitionToArchive must either
 * not be set or must be later than TransitionToIA", EFS API PutLifecycleConfiguration).
 *
 * Cost (cost-review.md (a): Standard $0.30, IA $0.016, Archive $0.008 per GB-month; (b) #8): the
 * article's 5 TiB of documents, growing ~100 GB a month, sits at steady state as ~100 GB Standard,
 * ~200 GB IA and ~4.8 TB Archive: $30 + $3.20 + $38.56 = ~$72 a month, against $1,536 all in
 * Standard. Reads from IA or Archive cost per GB (unpriced in cost-review.md); EFS rounds files under
 * 128 KiB up to 128 KiB in IA and Archive (efs-metrics.html, StorageBytes). AWS Backup copies every
 * class and reads IA and Archive without access charges (efs/latest/ug/awsbackup.html: "You don't
 * incur data access charges when backing up an EFS file system that has lifecycle management
 * enabled and has data in the Infrequent Access (IA) or Archive storage class").
 */
export function lifecyclePolicies(tiers: SharedFilesArgs["tiers"]): types.input.efs.FileSystemLifecyclePolicy[] {
    return [
        { transitionToIa: efsAge(tiers.infrequentAfterDays) },
        { transitionToArchive: efsAge(tiers.archiveAfterDays) },
        { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
    ];
}

/** EFS's spelling of an age: AFTER_1_DAY, AFTER_7_DAYS, ... (EFS API LifecyclePolicy, valid values). */
const efsAge = (days: number) => (days === 1 ? "AFTER_1_DAY" : `AFTER_${days}_DAYS`);
