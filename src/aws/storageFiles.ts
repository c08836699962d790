import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface SharedFilesArgs {
    kmsKeyArn: pulumi.Input<string>;
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
export function sharedFiles(name: string, args: SharedFilesArgs, parent: pulumi.Resource): aws.efs.FileSystem {
    const fileSystem = new aws.efs.FileSystem(
        name,
        {
            encrypted: true,
            kmsKeyId: args.kmsKeyArn,
            performanceMode: "generalPurpose",
            // Elastic throughput follows the load: no burst credits to run out of during a busy clinic day.
            throughputMode: "elastic",
            lifecyclePolicies: [
                // Old scanned documents move to Infrequent Access, and back on first read.
                { transitionToIa: "AFTER_30_DAYS" },
                { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
            ],
            tags: { ...args.tags, Name: name },
        },
        { parent, protect: true },
    );

    // AWS Backup covers the file system through the plan's tag selection; EFS's own automatic
    // backup would add a second daily copy in a vault outside the plan, its lock and its key.
    new aws.efs.BackupPolicy(`${name}-backup-policy`, { fileSystemId: fileSystem.id, backupPolicy: { status: "DISABLED" } }, { parent: fileSystem });

    for (let i = 0; i < args.zoneCount; i++) {
        new aws.efs.MountTarget(
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

    const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;
    new aws.efs.FileSystemPolicy(
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
