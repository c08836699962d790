import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../src/plan/capture";
import { mockAccountId } from "../../src/plan/mocks";
import { baseConfig, runStack, type Graph } from "../harness";

interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal: unknown;
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string>>;
}

const statementsOf = (json: string): Statement[] => JSON.parse(json).Statement;
const policyOf = (r: PlannedResource): Statement[] => statementsOf(r.inputs.policy);
const bucket = (g: Graph, role: "logs") => g.byKey(`aws:s3/bucket:Bucket::emr-storage-${role}`)!;
/** The one bucket setting of `type` that configures `b`. */
function settingOf(g: Graph, type: string, b: PlannedResource): PlannedResource {
    const found = g.ofType(type).filter((r) => r.inputs.bucket === b.id);
    expect(found, `${type} of ${b.name}`).toHaveLength(1);
    return found[0];
}
const dataKey = (g: Graph) => g.byKey("aws:kms/key:Key::emr-storage-data-key")!;
const fileSystem = (g: Graph) => g.one("aws:efs/fileSystem:FileSystem");
const primaryVault = (g: Graph) => g.byKey("aws:backup/vault:Vault::emr-storage-backup-vault")!;
const rules = (g: Graph) => g.one("aws:backup/plan:Plan").inputs.rules as Record<string, any>[];
const rule = (g: Graph, name: string) => rules(g).find((r) => r.ruleName === name)!;

/** The TLS-only deny must cover the bucket itself and every object in it. */
function expectTlsOnly(g: Graph, b: PlannedResource) {
    const deny = policyOf(settingOf(g, "aws:s3/bucketPolicy:BucketPolicy", b)).find((s) => s.Effect === "Deny")!;
    expect(deny.Principal).toBe("*");
    expect(deny.Action).toBe("s3:*");
    expect(deny.Resource).toEqual([b.outputs.arn, `${b.outputs.arn}/*`]);
    expect(deny.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
}

function expectPrivateVersioned(g: Graph, b: PlannedResource) {
    expect(settingOf(g, "aws:s3/bucketVersioning:BucketVersioning", b).inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    const block = settingOf(g, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", b).inputs;
    expect([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets]).toEqual([true, true, true, true]);
    expect(settingOf(g, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", b).inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expectTlsOnly(g, b);
}

const lifecycleConfigOf = (g: Graph, b: PlannedResource) => settingOf(g, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", b).inputs;
const lifecycleOf = (g: Graph, b: PlannedResource) => {
    const rules = lifecycleConfigOf(g, b).rules;
    expect(rules).toHaveLength(1);
    return rules[0];
};
/** What terraform-provider-aws accepts without its "Invalid Attribute Combination" warning (#42714). */
const filterPredicates = ["prefix", "tag", "and", "objectSizeGreaterThan", "objectSizeLessThan"];

describe("aws StorageTier, default config (2 zones)", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.aws })).ok();
    });

    it("encrypts with one rotating data key that names no service principal", () => {
        const key = dataKey(g);
        expect(key.inputs.enableKeyRotation).toBe(true);
        expect(policyOf(key).map((s) => s.Principal)).toEqual([{ AWS: `arn:aws:iam::${mockAccountId}:root` }]);
    });

    it("declares no object store for documents: OpenEMR writes them to the shared file system, and the log bucket is the only bucket", () => {
        expect(g.ofType("aws:s3/bucket:Bucket").map((b) => b.name)).toEqual(["emr-storage-logs"]);
        // Nothing sends S3 server access logs any more, so nothing may write them.
        expect(g.ofType("aws:s3/bucketLogging:BucketLogging")).toEqual([]);
    });

    it("keeps the log bucket private and TLS-only, with SSE-S3 as ALB access logs require", () => {
        const logs = bucket(g, "logs");
        expectPrivateVersioned(g, logs);
        const [sse] = settingOf(g, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", logs).inputs.rules;
        expect(sse.applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: "AES256" });
        expect(sse.blockedEncryptionTypes).toEqual(["SSE-C"]);
    });

    it("lets only ALB and CloudTrail of this account write to their prefixes", () => {
        const logs = bucket(g, "logs");
        const allows = policyOf(settingOf(g, "aws:s3/bucketPolicy:BucketPolicy", logs)).filter((s) => s.Effect === "Allow");
        const grant = (principal: unknown, action: string) => allows.filter((s) => JSON.stringify(s.Principal) === JSON.stringify(principal) && s.Action === action);
        const albPath = `${logs.outputs.arn}/alb/AWSLogs/${mockAccountId}/*`;
        // us-east-1's ELB log-delivery account (from aws.elb.getServiceAccount) and the newer service principal.
        expect(grant({ AWS: "arn:aws:iam::127311923021:root" }, "s3:PutObject").map((s) => s.Resource)).toEqual([albPath]);
        expect(grant({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, "s3:PutObject").map((s) => s.Resource)).toEqual([albPath]);

        const [aclCheck] = grant({ Service: "cloudtrail.amazonaws.com" }, "s3:GetBucketAcl");
        expect(aclCheck.Resource).toBe(logs.outputs.arn);
        expect(aclCheck.Condition).toEqual({ StringEquals: { "aws:SourceAccount": mockAccountId } });
        const [trail] = grant({ Service: "cloudtrail.amazonaws.com" }, "s3:PutObject");
        expect(trail.Resource).toBe(`${logs.outputs.arn}/cloudtrail/AWSLogs/${mockAccountId}/*`);
        expect(trail.Condition).toEqual({ StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": mockAccountId } });
        expect(allows).toHaveLength(4);
    });

    it("archives audit logs to Glacier after 90 days and keeps them 7 years", () => {
        const lifecycle = lifecycleOf(g, bucket(g, "logs"));
        expect(lifecycle.transitions).toEqual([{ days: 90, storageClass: "GLACIER" }]);
        expect(lifecycle.expiration).toEqual({ days: 2557 });
        expect(lifecycle.noncurrentVersionExpiration).toEqual({ noncurrentDays: 2557 });
    });

    it("applies every bucket's rule to all objects through one filter predicate, never an empty filter", () => {
        for (const b of [bucket(g, "logs")]) {
            const { filter } = lifecycleOf(g, b);
            expect(Object.keys(filter).filter((k) => filterPredicates.includes(k) && filter[k] !== undefined), b.name).toHaveLength(1);
            // An empty prefix matches every key, so the retention still covers the whole bucket.
            expect(filter, b.name).toEqual({ prefix: "" });
        }
    });

    it("moves no object under 128 KB to a colder class, where it would cost more than it saves", () => {
        for (const b of [bucket(g, "logs")]) {
            expect(lifecycleConfigOf(g, b).transitionDefaultMinimumObjectSize, b.name).toBe("all_storage_classes_128K");
        }
    });

    it("encrypts the shared file system with the data key and leaves its backup to the plan", () => {
        const fs = fileSystem(g);
        expect(fs.inputs.encrypted).toBe(true);
        expect(g.referenced(fs.inputs.kmsKeyId)).toBe(dataKey(g));
        expect(fs.inputs.throughputMode).toBe("elastic");
        expect(fs.inputs.tags["emr:backup-plan"]).toBe("emr-storage-test");
        const efsBackup = g.one("aws:efs/backupPolicy:BackupPolicy").inputs;
        expect(efsBackup).toEqual({ fileSystemId: fs.id, backupPolicy: { status: "DISABLED" } });
    });

    it("moves files unread for 30 days to Infrequent Access and for 90 to Archive, back to Standard on a read", () => {
        // emr:sharedFiles defaults (src/config/validate.ts); Archive needs Elastic throughput (above).
        expect(fileSystem(g).inputs.lifecyclePolicies).toEqual([
            { transitionToIa: "AFTER_30_DAYS" },
            { transitionToArchive: "AFTER_90_DAYS" },
            { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
        ]);
    });

    it("mounts the file system in each app subnet through the files security group", () => {
        const targets = g.ofType("aws:efs/mountTarget:MountTarget");
        const subnets = targets.map((t) => g.referenced(t.inputs.subnetId)!);
        expect(subnets.map((s) => s.inputs.tags["emr:subnet-role"])).toEqual(["app", "app"]);
        expect(new Set(subnets.map((s) => s.inputs.availabilityZone))).toEqual(new Set(["us-east-1a", "us-east-1b"]));
        for (const t of targets) {
            expect(t.inputs.fileSystemId).toBe(fileSystem(g).id);
            expect(t.inputs.securityGroups.map((id: string) => g.referenced(id)?.name)).toEqual(["emr-net-files-sg"]);
        }
    });

    it("lets clients mount only over TLS and with IAM", () => {
        const fs = fileSystem(g);
        const statements = policyOf(g.one("aws:efs/fileSystemPolicy:FileSystemPolicy"));
        expect(statements.find((s) => s.Effect === "Deny")).toMatchObject({
            Principal: { AWS: "*" },
            Resource: fs.outputs.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
        const allows = statements.filter((s) => s.Effect === "Allow");
        expect(allows).toHaveLength(1);
        expect(allows[0].Principal).toEqual({ AWS: `arn:aws:iam::${mockAccountId}:root` });
        expect(allows[0].Action).toEqual(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]);
    });

    it("keeps backups in a locked vault under the data key", () => {
        const vault = primaryVault(g);
        expect(g.referenced(vault.inputs.kmsKeyArn)).toBe(dataKey(g));
        const lock = g.ofType("aws:backup/vaultLockConfiguration:VaultLockConfiguration").find((l) => l.inputs.backupVaultName === vault.outputs.name)!;
        expect(lock.inputs).toEqual({ backupVaultName: vault.outputs.name, minRetentionDays: 7, maxRetentionDays: 2557 });
    });

    it("backs up daily (retention from config), weekly for 90 days and monthly for 7 years", () => {
        // 09:00-10:00 UTC: clear of the hour before and the span of the RDS windows (backupWindows.test.ts).
        expect(rules(g).map((r) => [r.ruleName, r.schedule, r.startWindow, r.lifecycle])).toEqual([
            ["daily", "cron(0 9 * * ? *)", 60, { deleteAfter: 35 }],
            ["weekly", "cron(0 9 ? * SUN *)", 60, { deleteAfter: 90 }],
            ["monthly", "cron(0 9 1 * ? *)", 60, { coldStorageAfter: 90, deleteAfter: 2557 }],
        ]);
        for (const r of rules(g)) {
            expect(r.targetVaultName).toBe(primaryVault(g).outputs.name);
            expect(r.copyActions).toBeUndefined();
        }
    });

    it("selects what to back up by the backup tag, with a role only AWS Backup assumes", () => {
        const selection = g.one("aws:backup/selection:Selection").inputs;
        expect(g.referenced(selection.planId)).toBe(g.one("aws:backup/plan:Plan"));
        expect(selection.selectionTags).toEqual([{ type: "STRINGEQUALS", key: "emr:backup-plan", value: "emr-storage-test" }]);
        const role = g.referenced(selection.iamRoleArn)!;
        expect(statementsOf(role.inputs.assumeRolePolicy)[0].Principal).toEqual({ Service: "backup.amazonaws.com" });
        const attached = g.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role.outputs.name);
        expect(attached.map((a) => a.inputs.policyArn).sort()).toEqual([
            "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
            "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
        ]);
    });

    it("protects every data store and the key", () => {
        for (const r of [bucket(g, "logs"), fileSystem(g), primaryVault(g), dataKey(g)]) {
            expect(r.protect, r.key).toBe(true);
        }
        expect(bucket(g, "logs").inputs.forceDestroy).toBe(false);
        expect(primaryVault(g).inputs.forceDestroy).toBe(false);
    });

    it("exports the file system (which holds the documents) and the vault, and no documents store", () => {
        expect(g.run.outputs.documentsStore).toBeUndefined();
        expect(g.run.outputs.sharedFileSystem).toBe(fileSystem(g).id);
        expect(g.run.outputs.backupTarget).toBe(primaryVault(g).outputs.name);
    });
});

describe("aws StorageTier, 3 zones and custom retention", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (
            await runStack({
                ...baseConfig.aws,
                "emr:zones": "3",
                "emr:backupRetentionDays": "14",
                "emr:sharedFiles": JSON.stringify({ capacityGb: 500, infrequentAfterDays: 60, archiveAfterDays: 180 }),
            })
        ).ok();
    });

    it("mounts the file system in all three app subnets", () => {
        const subnets = g.ofType("aws:efs/mountTarget:MountTarget").map((t) => g.referenced(t.inputs.subnetId)!);
        expect(subnets.map((s) => s.inputs.tags["emr:subnet-role"])).toEqual(["app", "app", "app"]);
        expect(new Set(subnets.map((s) => s.inputs.availabilityZone))).toEqual(new Set(["us-east-1a", "us-east-1b", "us-east-1c"]));
    });

    it("keeps daily backups for emr:backupRetentionDays", () => {
        expect(rule(g, "daily").lifecycle).toEqual({ deleteAfter: 14 });
    });

    it("moves files to Infrequent Access and Archive after the days of emr:sharedFiles", () => {
        expect(fileSystem(g).inputs.lifecyclePolicies).toEqual([
            { transitionToIa: "AFTER_60_DAYS" },
            { transitionToArchive: "AFTER_180_DAYS" },
            { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
        ]);
    });
});

describe("aws StorageTier, geo-redundant", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.aws, "emr:geoRedundant": "true" })).ok();
    });
    const copyVault = () => g.byKey("aws:backup/vault:Vault::emr-storage-backup-copy-vault")!;

    it("keeps a locked, protected copy vault in the paired region under its own key there", () => {
        const vault = copyVault();
        expect(vault.inputs.region).toBe("us-west-2");
        expect(vault.protect).toBe(true);
        const key = g.referenced(vault.inputs.kmsKeyArn)!;
        expect(key.type).toBe("aws:kms/key:Key");
        expect(key.inputs.region).toBe("us-west-2");
        expect(key.inputs.enableKeyRotation).toBe(true);
        const lock = g.ofType("aws:backup/vaultLockConfiguration:VaultLockConfiguration").find((l) => l.inputs.backupVaultName === vault.outputs.name)!;
        expect(lock.inputs).toMatchObject({ region: "us-west-2", minRetentionDays: 7, maxRetentionDays: 2557 });
    });

    it("copies every rule's recovery points there with the same lifecycle", () => {
        for (const r of rules(g)) {
            expect(r.copyActions).toEqual([{ destinationVaultArn: copyVault().outputs.arn, lifecycle: r.lifecycle }]);
        }
    });

    it("leaves the primary region's resources in the provider's region", () => {
        expect(primaryVault(g).inputs.region).toBeUndefined();
        expect(fileSystem(g).inputs.region).toBeUndefined();
    });
});

describe("aws StorageTier, geo-redundant in a region without a pair", () => {
    it("stops with a config error before declaring a copy vault", async () => {
        const g = await runStack({ ...baseConfig.aws, "aws:region": "ap-south-1", "emr:geoRedundant": "true" });
        expect(String(g.run.error)).toMatch(/config emr:geoRedundant: .*got aws:region ap-south-1/);
        expect(g.ofType("aws:backup/vault:Vault")).toHaveLength(0);
    });
});
