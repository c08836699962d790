import { describe, expect, it } from "vitest";
import { awsComplianceRules } from "../../../src/policy/compliance/aws";
import type { PlannedResource } from "../../../src/plan/capture";
import type { Rule } from "../../../src/policy/types";
import { graphOf, judge, reasons, resource } from "../fixtures";

/**
 * The AWS compliance rules that read references between resources (bucket settings, backup
 * selections, flow logs, listeners, WAF), on crafted graphs. Crafted resources reference each other
 * the way the captured graph does: by the other's id, ARN or physical name (tests/policy/fixtures.ts
 * gives `<name>-0001` and `/mock/<name>-0001`).
 */
const rule = (id: string): Rule => {
    const found = awsComplianceRules.find((r) => r.id === id);
    if (!found) throw new Error(`no rule ${id}`);
    return found;
};
const cmk = "arn:aws:kms:us-east-1:123456789012:key/71f39ee6-0000-4000-8000-71f39ee6dedf";
const passes = (id: string, ...resources: PlannedResource[]) => expect(judge(rule(id), graphOf(...resources)).violations).toEqual([]);
const failure = (id: string, ...resources: PlannedResource[]) => {
    const result = judge(rule(id), graphOf(...resources));
    expect(result.status).toBe("fail");
    return { text: reasons(result), keys: result.violations.map((v) => v.resourceKey) };
};

describe("database stack rules", () => {
    const params = (value: string, name = "require_secure_transport") => resource("aws:rds/parameterGroup:ParameterGroup", "params", { family: "mysql8.4", parameters: [{ name, value }] });
    const options = (plugin: boolean) =>
        resource("aws:rds/optionGroup:OptionGroup", "options", { engineName: "mysql", options: plugin ? [{ optionName: "MARIADB_AUDIT_PLUGIN" }] : [] });
    const db = (inputs: Record<string, any> = {}) =>
        resource("aws:rds/instance:Instance", "db", { engine: "mysql", parameterGroupName: "params-0001", optionGroupName: "options-0001", enabledCloudwatchLogsExports: ["audit", "error", "slowquery"], ...inputs });

    it("EMR-AWS-RDS-REQUIRES-TLS passes require_secure_transport 1 (MySQL) and rds.force_ssl 1 (PostgreSQL)", () => {
        passes("EMR-AWS-RDS-REQUIRES-TLS", db(), params("1"));
        passes("EMR-AWS-RDS-REQUIRES-TLS", db({ engine: "postgres" }), params("1", "rds.force_ssl"));
    });
    it("EMR-AWS-RDS-REQUIRES-TLS fails TLS off, the engine's default group, and an engine it does not know", () => {
        expect(failure("EMR-AWS-RDS-REQUIRES-TLS", db(), params("0")).text).toContain('sets require_secure_transport to "0"');
        expect(failure("EMR-AWS-RDS-REQUIRES-TLS", db({ parameterGroupName: "default.mysql8.4" }), params("1")).text).toContain(
            'parameterGroupName is "default.mysql8.4", not a parameter group this stack declares',
        );
        expect(failure("EMR-AWS-RDS-REQUIRES-TLS", db({ engine: "oracle-ee" }), params("1")).text).toContain('engine "oracle-ee"');
    });
    it("EMR-AWS-RDS-AUDIT-LOG passes audit and error exports with the audit plugin", () => {
        passes("EMR-AWS-RDS-AUDIT-LOG", db(), options(true));
    });
    it("EMR-AWS-RDS-AUDIT-LOG fails a missing export, and an audit export with no plugin to write it", () => {
        expect(failure("EMR-AWS-RDS-AUDIT-LOG", db({ enabledCloudwatchLogsExports: ["error"] }), options(true)).text).toContain('leaves out "audit"');
        expect(failure("EMR-AWS-RDS-AUDIT-LOG", db(), options(false)).text).toContain('optionGroupName "options-0001" does not add MARIADB_AUDIT_PLUGIN');
    });
});

describe("S3 bucket settings (separate resources naming the bucket)", () => {
    const bucket = () => resource("aws:s3/bucket:Bucket", "logs", {}, { outputs: { arn: "arn:aws:s3:::logs-0001" } });
    const sse = (byDefault: Record<string, any>) =>
        resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "logs-sse", { bucket: "logs-0001", rules: [{ applyServerSideEncryptionByDefault: byDefault }] });
    const block = (restrictPublicBuckets = true) =>
        resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "logs-pab", { bucket: "logs-0001", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets });
    const versioning = (status: string) => resource("aws:s3/bucketVersioning:BucketVersioning", "logs-versioning", { bucket: "logs-0001", versioningConfiguration: { status } });
    const denyPlainHttp = (resources: string[], condition: Record<string, any> = { Bool: { "aws:SecureTransport": "false" } }) =>
        resource("aws:s3/bucketPolicy:BucketPolicy", "logs-policy", {
            bucket: "logs-0001",
            policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resources, Condition: condition }] }),
        });
    const both = ["arn:aws:s3:::logs-0001", "arn:aws:s3:::logs-0001/*"];

    it("EMR-AWS-S3-ENCRYPTION-DECLARED passes SSE-S3 and fails a bucket with no SSE configuration", () => {
        passes("EMR-AWS-S3-ENCRYPTION-DECLARED", bucket(), sse({ sseAlgorithm: "AES256" }));
        const { text, keys } = failure("EMR-AWS-S3-ENCRYPTION-DECLARED", bucket());
        expect(text).toContain("no BucketServerSideEncryptionConfiguration names this bucket");
        expect(keys).toEqual(["aws:s3/bucket:Bucket::logs"]);
    });
    it("EMR-AWS-S3-KMS-CMK passes aws:kms with a customer key, fails SSE-S3 and the aws/s3 key", () => {
        passes("EMR-AWS-S3-KMS-CMK", bucket(), sse({ sseAlgorithm: "aws:kms", kmsMasterKeyId: cmk }));
        expect(failure("EMR-AWS-S3-KMS-CMK", bucket(), sse({ sseAlgorithm: "AES256" })).text).toContain('default encryption is ["AES256"], not aws:kms');
        expect(failure("EMR-AWS-S3-KMS-CMK", bucket(), sse({ sseAlgorithm: "aws:kms" })).text).toContain("kmsMasterKeyId is not set, so S3 uses the AWS managed key aws/s3");
    });
    it("EMR-AWS-S3-KMS-CMK says when the bucket takes ALB access logs, which only SSE-S3 allows", () => {
        const alb = resource("aws:lb/loadBalancer:LoadBalancer", "alb", { accessLogs: { bucket: "logs-0001", enabled: true } });
        expect(failure("EMR-AWS-S3-KMS-CMK", bucket(), sse({ sseAlgorithm: "AES256" }), alb).text).toContain("it receives ALB access logs");
    });
    it("EMR-AWS-S3-PUBLIC-ACCESS-BLOCK passes all four flags, fails one off or no block", () => {
        passes("EMR-AWS-S3-PUBLIC-ACCESS-BLOCK", bucket(), block());
        expect(failure("EMR-AWS-S3-PUBLIC-ACCESS-BLOCK", bucket(), block(false)).text).toContain("restrictPublicBuckets false");
        expect(failure("EMR-AWS-S3-PUBLIC-ACCESS-BLOCK", bucket()).text).toContain("no BucketPublicAccessBlock names this bucket");
    });
    it("EMR-AWS-S3-VERSIONING passes Enabled, fails Suspended", () => {
        passes("EMR-AWS-S3-VERSIONING", bucket(), versioning("Enabled"));
        expect(failure("EMR-AWS-S3-VERSIONING", bucket(), versioning("Suspended")).text).toContain('versioning status is ["Suspended"], not Enabled');
    });
    it("EMR-AWS-S3-TLS-ONLY passes a deny of plain HTTP on the bucket and its objects", () => {
        passes("EMR-AWS-S3-TLS-ONLY", bucket(), denyPlainHttp(both));
    });
    it("EMR-AWS-S3-TLS-ONLY fails no policy, a deny that misses the objects, and one without the SecureTransport condition", () => {
        for (const graph of [[bucket()], [bucket(), denyPlainHttp(both.slice(0, 1))], [bucket(), denyPlainHttp(both, { Bool: { "aws:SecureTransport": "true" } })]]) {
            expect(failure("EMR-AWS-S3-TLS-ONLY", ...graph).text).toContain('no bucket policy denies s3:* to Principal "*" on arn:aws:s3:::logs-0001');
        }
    });
});

describe("AWS Backup and protect", () => {
    const tags = { "emr:backup-plan": "p" };
    const database = (t: Record<string, string> = tags) => resource("aws:rds/instance:Instance", "db", { tags: t }, { outputs: { arn: "arn:aws:rds:us-east-1:1:db:emr-db" } });
    const files = (t: Record<string, string> = tags) => resource("aws:efs/fileSystem:FileSystem", "files", { tags: t }, { outputs: { arn: "arn:aws:elasticfilesystem:us-east-1:1:file-system/fs-1" } });
    const plan = (rules = [{ ruleName: "daily", lifecycle: { deleteAfter: 35 } }]) => resource("aws:backup/plan:Plan", "plan", { rules });
    const byTag = () => resource("aws:backup/selection:Selection", "sel", { planId: "/mock/plan-0001", selectionTags: [{ type: "STRINGEQUALS", key: "emr:backup-plan", value: "p" }] });
    const byArn = (resources: string[]) => resource("aws:backup/selection:Selection", "sel", { planId: "/mock/plan-0001", resources });

    it("EMR-AWS-BACKUP-COVERS-STORES passes stores selected by tag, by ARN, or by an ARN wildcard", () => {
        passes("EMR-AWS-BACKUP-COVERS-STORES", database(), files(), plan(), byTag());
        passes("EMR-AWS-BACKUP-COVERS-STORES", database({}), files({}), plan(), byArn(["arn:aws:rds:us-east-1:1:db:emr-db", "arn:aws:elasticfilesystem:*"]));
    });
    it("EMR-AWS-BACKUP-COVERS-STORES fails an untagged store, and a plan with no rules", () => {
        const { keys, text } = failure("EMR-AWS-BACKUP-COVERS-STORES", database(), files({}), plan(), byTag());
        expect(keys).toEqual(["aws:efs/fileSystem:FileSystem::files"]);
        expect(text).toContain("no AWS Backup selection of a plan with rules picks this store");
        expect(failure("EMR-AWS-BACKUP-COVERS-STORES", database(), plan([]), byTag()).keys).toEqual(["aws:rds/instance:Instance::db"]);
    });
    it("EMR-AWS-BACKUP-COVERS-STORES applies a selection's conditions on top of resources: all must hold", () => {
        const conditional = (value: string) =>
            resource("aws:backup/selection:Selection", "sel", { planId: "/mock/plan-0001", resources: ["*"], conditions: [{ stringEquals: [{ key: "aws:ResourceTag/emr:backup-plan", value }] }] });
        passes("EMR-AWS-BACKUP-COVERS-STORES", database(), plan(), conditional("p"));
        expect(failure("EMR-AWS-BACKUP-COVERS-STORES", database(), plan(), conditional("other")).keys).toEqual(["aws:rds/instance:Instance::db"]);
    });

    const vault = () => resource("aws:backup/vault:Vault", "vault", { kmsKeyArn: cmk });
    const lock = (minRetentionDays?: number) => resource("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "lock", { backupVaultName: "vault-0001", minRetentionDays });
    it("EMR-AWS-BACKUP-VAULT-LOCK passes a lock of at least 7 days, fails none or a shorter one", () => {
        passes("EMR-AWS-BACKUP-VAULT-LOCK", vault(), lock(7));
        expect(failure("EMR-AWS-BACKUP-VAULT-LOCK", vault()).text).toContain("no VaultLockConfiguration names this vault");
        expect(failure("EMR-AWS-BACKUP-VAULT-LOCK", vault(), lock(1)).text).toContain("minRetentionDays 1");
    });

    it("EMR-AWS-DATA-PROTECTED passes protected stores and keys, fails an unprotected one", () => {
        const key = (protect: boolean) => resource("aws:kms/key:Key", "key", {}, { protect });
        passes("EMR-AWS-DATA-PROTECTED", key(true), resource("aws:efs/fileSystem:FileSystem", "files", {}, { protect: true }));
        const { keys, text } = failure("EMR-AWS-DATA-PROTECTED", key(false), resource("aws:efs/fileSystem:FileSystem", "files", {}, { protect: true }));
        expect(keys).toEqual(["aws:kms/key:Key::key"]);
        expect(text).toContain("protect is false");
    });
});

describe("network stack rules", () => {
    const vpc = () => resource("aws:ec2/vpc:Vpc", "vpc", {}, { id: "vpc-0123456789" });
    const flowLog = (trafficType: string) => resource("aws:ec2/flowLog:FlowLog", "flow", { vpcId: "vpc-0123456789", trafficType });
    it("EMR-AWS-VPC-FLOW-LOGS passes ALL traffic, fails REJECT only or no flow log", () => {
        passes("EMR-AWS-VPC-FLOW-LOGS", vpc(), flowLog("ALL"));
        expect(failure("EMR-AWS-VPC-FLOW-LOGS", vpc(), flowLog("REJECT")).text).toContain('trafficType ["REJECT"], not ALL');
        expect(failure("EMR-AWS-VPC-FLOW-LOGS", vpc()).text).toContain("no FlowLog names this VPC");
    });
    const defaultGroup = (ingress: unknown[] = []) => resource("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default-sg", { vpcId: "vpc-0123456789", ingress });
    it("EMR-AWS-DEFAULT-SG-CLOSED passes an adopted empty default group, fails none or one with rules", () => {
        passes("EMR-AWS-DEFAULT-SG-CLOSED", vpc(), defaultGroup());
        expect(failure("EMR-AWS-DEFAULT-SG-CLOSED", vpc()).text).toContain("no DefaultSecurityGroup adopts this VPC's default group");
        const { keys, text } = failure("EMR-AWS-DEFAULT-SG-CLOSED", vpc(), defaultGroup([{ protocol: "-1", self: true }]));
        expect(keys).toEqual(["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup::default-sg"]);
        expect(text).toContain("keeps 1 ingress and 0 egress rules");
    });
});

describe("load balancer stack rules", () => {
    const alb = (inputs: Record<string, any> = {}) => resource("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", ...inputs }, { outputs: { arn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/alb/1" } });
    const http = (action: Record<string, any>) =>
        resource("aws:lb/listener:Listener", "http", { protocol: "HTTP", port: 80, defaultActions: [action] }, { outputs: { arn: "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/alb/1/http" } });
    const redirect = { type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } };

    it("EMR-AWS-ALB-HTTP-REDIRECTS passes an HTTP listener that only redirects to HTTPS, and ignores HTTPS listeners", () => {
        passes("EMR-AWS-ALB-HTTP-REDIRECTS", alb(), http(redirect), resource("aws:lb/listener:Listener", "https", { protocol: "HTTPS", defaultActions: [{ type: "forward" }] }));
    });
    it("EMR-AWS-ALB-HTTP-REDIRECTS fails a forward, a redirect that keeps HTTP, and a forwarding rule on the HTTP listener", () => {
        expect(failure("EMR-AWS-ALB-HTTP-REDIRECTS", http({ type: "forward", targetGroupArn: "tg" })).text).toContain('defaultActions[0]: an action of type "forward"');
        expect(failure("EMR-AWS-ALB-HTTP-REDIRECTS", http({ type: "redirect", redirect: { port: "8080" } })).text).toContain("a redirect to protocol not set keeps the client on HTTP");
        const forwardRule = resource("aws:lb/listenerRule:ListenerRule", "rule", { listenerArn: "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/alb/1/http", actions: [{ type: "forward" }] });
        const { keys } = failure("EMR-AWS-ALB-HTTP-REDIRECTS", http(redirect), forwardRule);
        expect(keys).toEqual(["aws:lb/listenerRule:ListenerRule::rule"]);
    });

    const association = () => resource("aws:wafv2/webAclAssociation:WebAclAssociation", "waf-alb", { resourceArn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/alb/1", webAclArn: "arn:waf" });
    it("EMR-AWS-ALB-WAF passes an associated or internal load balancer, fails an unprotected internet-facing one", () => {
        passes("EMR-AWS-ALB-WAF", alb(), association());
        passes("EMR-AWS-ALB-WAF", alb({ internal: true }));
        expect(failure("EMR-AWS-ALB-WAF", alb()).text).toContain("no WebAclAssociation names this internet-facing load balancer");
    });

    const acl = () => resource("aws:wafv2/webAcl:WebAcl", "waf", {}, { outputs: { arn: "arn:aws:wafv2:us-east-1:1:regional/webacl/waf/1" } });
    const logging = (logDestinationConfigs: string[]) =>
        resource("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "waf-logging", { resourceArn: "arn:aws:wafv2:us-east-1:1:regional/webacl/waf/1", logDestinationConfigs });
    it("EMR-AWS-WAF-LOGGING passes a logging configuration with a destination, fails none", () => {
        passes("EMR-AWS-WAF-LOGGING", acl(), logging(["arn:aws:logs:us-east-1:1:log-group:aws-waf-logs-emr"]));
        expect(failure("EMR-AWS-WAF-LOGGING", acl()).text).toContain("no WebAclLoggingConfiguration with a log destination names this web ACL");
        failure("EMR-AWS-WAF-LOGGING", acl(), logging([]));
    });
});

describe("EMR-AWS-CLOUDTRAIL-PRESENT", () => {
    it("passes a stack with a logging trail", () => {
        passes("EMR-AWS-CLOUDTRAIL-PRESENT", resource("aws:s3/bucket:Bucket", "logs"), resource("aws:cloudtrail/trail:Trail", "trail", { enableLogging: true }));
    });
    it("fails an AWS stack without one, and does not apply to a graph with no AWS resource", () => {
        expect(failure("EMR-AWS-CLOUDTRAIL-PRESENT", resource("aws:s3/bucket:Bucket", "logs")).text).toContain("no CloudTrail trail is declared");
        failure("EMR-AWS-CLOUDTRAIL-PRESENT", resource("aws:s3/bucket:Bucket", "logs"), resource("aws:cloudtrail/trail:Trail", "trail", { enableLogging: false }));
        expect(judge(rule("EMR-AWS-CLOUDTRAIL-PRESENT"), graphOf(resource("azure-native:storage:StorageAccount", "sa"))).status).toBe("not-applicable");
    });
});

it("covers every stack-level AWS compliance rule with fixtures", () => {
    const exercised = [
        "EMR-AWS-RDS-REQUIRES-TLS",
        "EMR-AWS-RDS-AUDIT-LOG",
        "EMR-AWS-S3-ENCRYPTION-DECLARED",
        "EMR-AWS-S3-KMS-CMK",
        "EMR-AWS-S3-PUBLIC-ACCESS-BLOCK",
        "EMR-AWS-S3-VERSIONING",
        "EMR-AWS-S3-TLS-ONLY",
        "EMR-AWS-BACKUP-COVERS-STORES",
        "EMR-AWS-BACKUP-VAULT-LOCK",
        "EMR-AWS-DATA-PROTECTED",
        "EMR-AWS-VPC-FLOW-LOGS",
        "EMR-AWS-DEFAULT-SG-CLOSED",
        "EMR-AWS-ALB-HTTP-REDIRECTS",
        "EMR-AWS-ALB-WAF",
        "EMR-AWS-WAF-LOGGING",
        "EMR-AWS-CLOUDTRAIL-PRESENT",
    ];
    expect(exercised.sort()).toEqual(awsComplianceRules.filter((r) => r.kind === "stack").map((r) => r.id).sort());
});
