import type { PlannedResource } from "../../../plan/capture";
import type { Graph } from "../../../plan/graph";
import type { Violation } from "../../types";
import { asList, awsResourceRule, awsStackRule, hipaa, isTrue, notCustomerKey, pointingAt, policyStatements, shown } from "./shared";

/**
 * EFS and S3. Since provider v4 a bucket's settings are separate resources naming it in `bucket`
 * (@pulumi/aws 7.48.0 s3/bucketServerSideEncryptionConfiguration.d.ts:105, bucketPublicAccessBlock.d.ts:71,
 * bucketVersioning.d.ts:129, bucketPolicy.d.ts:79), so the S3 rules are stack rules that find them.
 */
const bucket = "aws:s3/bucket:Bucket";
const sse = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const publicAccessBlock = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const versioning = "aws:s3/bucketVersioning:BucketVersioning";
const bucketPolicy = "aws:s3/bucketPolicy:BucketPolicy";
const loadBalancers = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];

export const efsEncryptedRule = awsResourceRule({
    id: "EMR-AWS-EFS-ENCRYPTED-CMK",
    title: "The shared file system is encrypted at rest with a customer managed KMS key",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest], checkov: ["CKV_AWS_42", "CKV_AWS_184"], cdkNag: ["HIPAA.Security-EFSEncrypted"], trivy: ["AVD-AWS-0037"] },
    source: ["https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html", "@pulumi/aws@7.48.0:efs/fileSystem.d.ts:98,102"],
    appliesTo: ["aws:efs/fileSystem:FileSystem"],
    check({ inputs }) {
        if (!isTrue(inputs.encrypted)) return [`encrypted is ${shown(inputs.encrypted)}: the documents on this file system are stored unencrypted, and EFS can only be encrypted when it is created`];
        const key = notCustomerKey("kmsKeyId", inputs.kmsKeyId, "EFS uses the AWS managed key aws/elasticfilesystem");
        return key ? [key] : [];
    },
});

/** Runs `judge` on every bucket with the settings resources of `type` that name it. */
function perBucket(graph: Graph, type: string, judge: (b: PlannedResource, settings: PlannedResource[]) => string | undefined): Violation[] {
    return graph.ofType(bucket).flatMap((b) => {
        const reason = judge(b, pointingAt(graph, type, "bucket", b));
        return reason ? [{ resourceKey: b.key, reason }] : [];
    });
}

/** The default encryption rules of a bucket's SSE configurations. */
const defaults = (configs: PlannedResource[]) => configs.flatMap((c) => ((c.inputs.rules as any[]) ?? []).map((r) => r.applyServerSideEncryptionByDefault ?? {}));

export const s3EncryptionDeclaredRule = awsStackRule({
    id: "EMR-AWS-S3-ENCRYPTION-DECLARED",
    title: "Every bucket declares its default encryption",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest], checkov: ["CKV_AWS_19"], trivy: ["AVD-AWS-0088"] },
    source: [
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html",
        // sseAlgorithm: "Valid values are `AES256`, `aws:kms`, and `aws:kms:dsse`" (types/input.d.ts BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault)
        "@pulumi/aws@7.48.0:s3/bucketServerSideEncryptionConfiguration.d.ts:105-119",
    ],
    appliesTo: [bucket],
    check: (graph) =>
        perBucket(graph, sse, (_, configs) => {
            const algorithms = defaults(configs).map((d) => d.sseAlgorithm);
            if (algorithms.some((a) => ["AES256", "aws:kms", "aws:kms:dsse"].includes(a))) return undefined;
            return configs.length
                ? `its server-side encryption configuration sets sseAlgorithm ${shown(algorithms)}, none of AES256, aws:kms, aws:kms:dsse`
                : "no BucketServerSideEncryptionConfiguration names this bucket: its encryption is whatever the account default or a console change makes it, undeclared and unreviewed";
        }),
});

export const s3KmsRule = awsStackRule({
    id: "EMR-AWS-S3-KMS-CMK",
    title: "Every bucket encrypts by default with a customer managed KMS key",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest], checkov: ["CKV_AWS_145"], cdkNag: ["HIPAA.Security-S3DefaultEncryptionKMS"], trivy: ["AVD-AWS-0132"] },
    source: [
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
        // kmsMasterKeyId: "The default `aws/s3` AWS KMS master key is used if this element is absent while the `sseAlgorithm` is `aws:kms`."
        "@pulumi/aws@7.48.0:types/input.d.ts BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault.kmsMasterKeyId",
    ],
    appliesTo: [bucket],
    check: (graph) =>
        perBucket(graph, sse, (b, configs) => {
            const found = defaults(configs);
            const kms = found.find((d) => d.sseAlgorithm === "aws:kms" || d.sseAlgorithm === "aws:kms:dsse");
            // ALB access logs: "The only server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)"
            // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html; aws/aws-cdk#21947).
            const albLogs = loadBalancers.some((t) => pointingAt(graph, t, "accessLogs.bucket", b).length)
                ? " (it receives ALB access logs, which S3 can only accept under SSE-S3: give them a bucket of their own, or exempt this one)"
                : "";
            if (!kms) return `default encryption is ${shown(found.map((d) => d.sseAlgorithm))}, not aws:kms: objects are sealed with a key S3 holds, not one the account can revoke or audit per use${albLogs}`;
            return notCustomerKey("kmsMasterKeyId", kms.kmsMasterKeyId, "S3 uses the AWS managed key aws/s3");
        }),
});

export const s3PublicAccessBlockRule = awsStackRule({
    id: "EMR-AWS-S3-PUBLIC-ACCESS-BLOCK",
    title: "Every bucket blocks public ACLs and public policies (all four public access block settings)",
    severity: "error",
    controls: {
        hipaa: [hipaa.accessControl],
        checkov: ["CKV2_AWS_6"],
        cdkNag: ["HIPAA.Security-S3BucketLevelPublicAccessProhibited"],
        trivy: ["AVD-AWS-0094", "AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093"],
    },
    source: ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html", "@pulumi/aws@7.48.0:s3/bucketPublicAccessBlock.d.ts:63-83"],
    appliesTo: [bucket],
    check: (graph) =>
        perBucket(graph, publicAccessBlock, (_, blocks) => {
            if (!blocks.length) return "no BucketPublicAccessBlock names this bucket: a public ACL or a bucket policy granting \"*\" would expose its objects";
            const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
            const off = flags.filter((f) => !blocks.some((b) => isTrue(b.inputs[f])));
            return off.length ? `public access block leaves ${off.map((f) => `${f} ${shown(blocks[0].inputs[f])}`).join(", ")}: a public grant on this bucket would take effect` : undefined;
        }),
});

export const s3VersioningRule = awsStackRule({
    id: "EMR-AWS-S3-VERSIONING",
    title: "Every bucket keeps object versions, so an overwrite or delete can be undone",
    severity: "error",
    controls: { hipaa: [hipaa.integrity, hipaa.authenticate], checkov: ["CKV_AWS_21"], cdkNag: ["HIPAA.Security-S3BucketVersioningEnabled"], trivy: ["AVD-AWS-0090"] },
    source: ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html", "@pulumi/aws@7.48.0:s3/bucketVersioning.d.ts:129-147"],
    appliesTo: [bucket],
    check: (graph) =>
        perBucket(graph, versioning, (_, configs) => {
            const status = configs.map((c) => c.inputs.versioningConfiguration?.status);
            return status.includes("Enabled") ? undefined : `versioning status is ${shown(status.length ? status : undefined)}, not Enabled: a deleted or overwritten log or audit object is gone`;
        }),
});

/** Whether a statement denies every S3 action over plain HTTP on the bucket and its objects. */
function deniesInsecureTransport(graph: Graph, statement: Record<string, any>, target: PlannedResource): boolean {
    const principal = statement.Principal;
    const everyone = principal === "*" || asList(principal?.AWS).includes("*");
    const actions = asList(statement.Action);
    const resources = asList(statement.Resource).map(String);
    const names = (ref: string) => graph.referenced(ref)?.key === target.key;
    const condition = statement.Condition?.Bool?.["aws:SecureTransport"];
    return (
        statement.Effect === "Deny" &&
        everyone &&
        (actions.includes("s3:*") || actions.includes("*")) &&
        String(condition) === "false" &&
        resources.some(names) &&
        resources.some((r) => r.endsWith("/*") && names(r.slice(0, -2)))
    );
}

export const s3TlsOnlyRule = awsStackRule({
    id: "EMR-AWS-S3-TLS-ONLY",
    title: "Every bucket's policy denies requests not made over TLS (aws:SecureTransport false)",
    severity: "error",
    controls: { hipaa: [hipaa.transmissionEncryption, hipaa.transmission], cdkNag: ["HIPAA.Security-S3BucketSSLRequestsOnly"] },
    source: [
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit",
        "https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule",
        "@pulumi/aws@7.48.0:s3/bucketPolicy.d.ts:79-83",
    ],
    appliesTo: [bucket],
    check: (graph) =>
        perBucket(graph, bucketPolicy, (b, policies) => {
            const arn = String(b.outputs.arn ?? b.key);
            const ok = policies.some((p) => policyStatements(p.inputs.policy).some((s) => deniesInsecureTransport(graph, s, b)));
            return ok
                ? undefined
                : `no bucket policy denies s3:* to Principal "*" on ${arn} and ${arn}/* when aws:SecureTransport is "false": S3 still answers plain HTTP requests to this bucket`;
        }),
});

export const storageRules = [efsEncryptedRule, s3EncryptionDeclaredRule, s3KmsRule, s3PublicAccessBlockRule, s3TlsOnlyRule, s3VersioningRule];
