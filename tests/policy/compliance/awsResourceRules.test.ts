import { describe, expect, it } from "vitest";
import { awsSessionComplianceRules } from "../../../src/policy/compliance/aws/session";
import { awsComplianceRules } from "../../../src/policy/compliance/aws";
import type { ResourceRule } from "../../../src/policy/types";
import { graphOf, judge, reasons, resource } from "../fixtures";

/**
 * Every per-resource AWS compliance rule against crafted resources: one that passes, and for each way
 * it can fail, inputs that fail with the field and value named. Input shapes are the ones the stack
 * sends (captured aws-prod graph) and @pulumi/aws 7.48.0 declares (each rule cites its .d.ts lines).
 */
const cmk = "arn:aws:kms:us-east-1:123456789012:key/71f39ee6-0000-4000-8000-71f39ee6dedf";

interface Case {
    good: Record<string, any>;
    /** More inputs that pass (optional behaviour worth pinning). */
    alsoGood?: Record<string, any>[];
    /** Inputs that fail, each with a text the reason must contain. */
    bad: [Record<string, any>, string][];
    /** The resource type when the rule applies to several. */
    type?: string;
}

const database = {
    engine: "mysql",
    storageEncrypted: true,
    kmsKeyId: cmk,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: cmk,
    publiclyAccessible: false,
    multiAz: true,
    backupRetentionPeriod: 7,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "db-final",
    deleteAutomatedBackups: false,
    iamDatabaseAuthenticationEnabled: true,
};
const db = (change: Record<string, any>) => ({ ...database, ...change });

const launch = {
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    networkInterfaces: [{ associatePublicIpAddress: "false", deviceIndex: 0 }],
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: cmk, volumeType: "gp3" } }],
    iamInstanceProfile: { arn: "arn:aws:iam::123456789012:instance-profile/web" },
};
const lt = (change: Record<string, any>) => ({ ...launch, ...change });
const disk = (ebs: Record<string, any>) => ({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs }] });

const balancer = { loadBalancerType: "application", internal: false, dropInvalidHeaderFields: true, enableDeletionProtection: true, desyncMitigationMode: "defensive", accessLogs: { bucket: "logs", enabled: true } };
const lb = (change: Record<string, any>) => ({ ...balancer, ...change });

const cloudTrail = {
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    enableLogging: true,
    enableLogFileValidation: true,
    cloudWatchLogsGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:trail:*",
    cloudWatchLogsRoleArn: "arn:aws:iam::123456789012:role/trail",
    kmsKeyId: cmk,
};
const trail = (change: Record<string, any>) => ({ ...cloudTrail, ...change });

const https = (sslPolicy?: string) => ({ protocol: "HTTPS", port: 443, sslPolicy });

const cases: Record<string, Case> = {
    "EMR-AWS-RDS-ENCRYPTED-CMK": {
        good: database,
        bad: [
            [db({ storageEncrypted: undefined }), "storageEncrypted is not set (default false)"],
            [db({ kmsKeyId: undefined }), "kmsKeyId is not set, so RDS uses the AWS managed key aws/rds"],
            [db({ kmsKeyId: "alias/aws/rds" }), 'kmsKeyId is "alias/aws/rds", an AWS managed key'],
        ],
    },
    "EMR-AWS-RDS-INSIGHTS-CMK": {
        good: database,
        alsoGood: [db({ performanceInsightsEnabled: false, performanceInsightsKmsKeyId: undefined })],
        bad: [
            [db({ performanceInsightsKmsKeyId: undefined }), "performanceInsightsKmsKeyId is not set"],
            [db({ performanceInsightsEnabled: false, databaseInsightsMode: "advanced", performanceInsightsKmsKeyId: undefined }), "Performance Insights is on"],
        ],
    },
    "EMR-AWS-RDS-NOT-PUBLIC": { good: database, alsoGood: [db({ publiclyAccessible: undefined })], bad: [[db({ publiclyAccessible: true }), "publiclyAccessible is true"]] },
    "EMR-AWS-RDS-MULTI-AZ": { good: database, bad: [[db({ multiAz: false }), "multiAz is false"]] },
    "EMR-AWS-RDS-BACKUP-RETENTION": {
        good: database,
        bad: [
            [db({ backupRetentionPeriod: 1 }), "backupRetentionPeriod is 1"],
            [db({ backupRetentionPeriod: undefined }), "backupRetentionPeriod is not set (provider default 0"],
        ],
    },
    "EMR-AWS-RDS-DELETION-PROTECTION": { good: database, bad: [[db({ deletionProtection: undefined }), "deletionProtection is not set (default false)"]] },
    "EMR-AWS-RDS-FINAL-SNAPSHOT": {
        good: database,
        bad: [
            [db({ skipFinalSnapshot: true }), "skipFinalSnapshot is true"],
            [db({ finalSnapshotIdentifier: undefined }), "finalSnapshotIdentifier is not set"],
            [db({ deleteAutomatedBackups: undefined }), "deleteAutomatedBackups is not set (default true)"],
        ],
    },
    "EMR-AWS-RDS-IAM-AUTH": { good: database, bad: [[db({ iamDatabaseAuthenticationEnabled: false }), "iamDatabaseAuthenticationEnabled is false"]] },
    "EMR-AWS-EFS-ENCRYPTED-CMK": {
        good: { encrypted: true, kmsKeyId: cmk },
        bad: [
            [{ encrypted: false, kmsKeyId: cmk }, "encrypted is false"],
            [{ encrypted: true }, "kmsKeyId is not set, so EFS uses the AWS managed key aws/elasticfilesystem"],
        ],
    },
    "EMR-AWS-KMS-ROTATION": {
        good: { enableKeyRotation: true },
        alsoGood: [{ customerMasterKeySpec: "RSA_2048" }, { keySpec: "HMAC_256" }],
        bad: [
            [{}, "enableKeyRotation is not set (default false)"],
            [{ enableKeyRotation: false, keySpec: "SYMMETRIC_DEFAULT" }, "enableKeyRotation is false"],
        ],
    },
    "EMR-AWS-KMS-DELETION-WINDOW": { good: { deletionWindowInDays: 30 }, alsoGood: [{}], bad: [[{ deletionWindowInDays: 7 }, "deletionWindowInDays is 7"]] },
    "EMR-AWS-SECRETS-CMK": { good: { kmsKeyId: cmk }, bad: [[{}, "kmsKeyId is not set, so Secrets Manager uses the AWS managed key aws/secretsmanager"]] },
    "EMR-AWS-SNS-CMK": {
        good: { kmsMasterKeyId: cmk },
        bad: [
            [{ kmsMasterKeyId: "alias/aws/sns" }, 'kmsMasterKeyId is "alias/aws/sns", an AWS managed key'],
            [{}, "kmsMasterKeyId is not set"],
        ],
    },
    "EMR-AWS-LOGS-CMK": { good: { kmsKeyId: cmk, retentionInDays: 365 }, bad: [[{ retentionInDays: 365 }, "kmsKeyId is not set, so CloudWatch Logs encrypts with a key the service owns"]] },
    "EMR-AWS-BACKUP-RETENTION": {
        good: { rules: [{ ruleName: "daily", lifecycle: { deleteAfter: 35 } }, { ruleName: "forever" }] },
        bad: [[{ rules: [{ ruleName: "daily", lifecycle: { deleteAfter: 3 } }] }, 'rule "daily": lifecycle.deleteAfter is 3 days']],
    },
    "EMR-AWS-BACKUP-VAULT-CMK": { good: { kmsKeyArn: cmk }, bad: [[{}, "kmsKeyArn is not set, so AWS Backup uses the AWS managed key aws/backup"]] },
    "EMR-AWS-SG-NO-PUBLIC-ADMIN-PORTS": {
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        good: { cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 },
        alsoGood: [
            { referencedSecurityGroupId: "sg-0123456789", ipProtocol: "tcp", fromPort: 3306, toPort: 3306 },
            { cidrIpv4: "10.20.0.0/16", ipProtocol: "tcp", fromPort: 22, toPort: 22 },
        ],
        bad: [
            [{ cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 22, toPort: 22 }, "ingress admits SSH 22 open to 0.0.0.0/0"],
            [{ cidrIpv6: "::/0", ipProtocol: "-1" }, "MySQL 3306 open to ::/0"],
            [{ cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 1024, toPort: 65535 }, "PostgreSQL 5432 open to 0.0.0.0/0"],
        ],
    },
    "EMR-AWS-SUBNET-NO-AUTO-PUBLIC-IP": { good: { mapPublicIpOnLaunch: false }, alsoGood: [{}], bad: [[{ mapPublicIpOnLaunch: true }, "mapPublicIpOnLaunch is true"]] },
    "EMR-AWS-LT-IMDSV2": {
        good: launch,
        alsoGood: [lt({ metadataOptions: { httpEndpoint: "disabled" } })],
        bad: [
            [lt({ metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } }), 'metadataOptions.httpTokens is "optional"'],
            [lt({ metadataOptions: undefined }), "metadataOptions.httpTokens is not set"],
        ],
    },
    "EMR-AWS-LT-IMDS-HOP-LIMIT": {
        good: launch,
        bad: [
            [lt({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } }), "metadataOptions.httpPutResponseHopLimit is 2"],
            [lt({ metadataOptions: { httpTokens: "required" } }), "metadataOptions.httpPutResponseHopLimit is not set"],
        ],
    },
    "EMR-AWS-LT-NO-PUBLIC-IP": { good: launch, bad: [[lt({ networkInterfaces: [{ associatePublicIpAddress: "true" }] }), 'networkInterfaces[0].associatePublicIpAddress is "true"']] },
    "EMR-AWS-LT-EBS-ENCRYPTED": {
        good: launch,
        bad: [
            [lt(disk({ encrypted: "false" })), 'blockDeviceMappings "/dev/xvda": ebs.encrypted is "false"'],
            [lt({ blockDeviceMappings: undefined }), "blockDeviceMappings declares no EBS volume"],
        ],
    },
    "EMR-AWS-LT-EBS-CMK": {
        good: launch,
        bad: [
            [lt(disk({ encrypted: "true" })), 'blockDeviceMappings "/dev/xvda": ebs.kmsKeyId is not set, so EC2 uses the AWS managed key aws/ebs'],
            [lt(disk({ encrypted: "true", kmsKeyId: "alias/aws/ebs" })), 'ebs.kmsKeyId is "alias/aws/ebs"'],
        ],
    },
    "EMR-AWS-LT-INSTANCE-PROFILE": { good: launch, alsoGood: [lt({ iamInstanceProfile: { name: "web" } })], bad: [[lt({ iamInstanceProfile: undefined }), "iamInstanceProfile is not set"]] },
    "EMR-AWS-ASG-ELB-HEALTH-CHECK": {
        good: { targetGroupArns: ["arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/1"], healthCheckType: "ELB" },
        alsoGood: [{ healthCheckType: "EC2" }],
        bad: [[{ targetGroupArns: ["arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/1"] }, "healthCheckType is not set (default EC2) on a group behind a load balancer"]],
    },
    "EMR-AWS-ALB-TLS12": {
        good: https("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"),
        alsoGood: [
            ...["ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-FS-1-2-Res-2020-10", "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"].map(https),
            { protocol: "HTTP", port: 80 },
        ],
        bad: [
            [https("ELBSecurityPolicy-2016-08"), 'sslPolicy is "ELBSecurityPolicy-2016-08", which still negotiates TLS 1.0/1.1'],
            [https(), 'sslPolicy is "ELBSecurityPolicy-2016-08" (the provider default)'],
            ...["ELBSecurityPolicy-TLS-1-1-2017-01", "ELBSecurityPolicy-TLS13-1-0-2021-06", "ELBSecurityPolicy-TLS13-1-1-2021-06", "ELBSecurityPolicy-FS-1-1-2019-08", "ELBSecurityPolicy-FS-2018-06", "ELBSecurityPolicy-2015-05"].map(
                (p): [Record<string, any>, string] => [https(p), `sslPolicy is "${p}"`],
            ),
        ],
    },
    "EMR-AWS-ALB-DROP-INVALID-HEADERS": {
        good: balancer,
        alsoGood: [{ loadBalancerType: "network" }],
        bad: [
            [lb({ dropInvalidHeaderFields: false }), "dropInvalidHeaderFields is false"],
            [lb({ loadBalancerType: undefined, dropInvalidHeaderFields: undefined }), "dropInvalidHeaderFields is not set (default false)"],
        ],
    },
    "EMR-AWS-ALB-DESYNC-MITIGATION": { good: balancer, alsoGood: [lb({ desyncMitigationMode: undefined })], bad: [[lb({ desyncMitigationMode: "monitor" }), 'desyncMitigationMode is "monitor"']] },
    "EMR-AWS-ALB-DELETION-PROTECTION": { good: balancer, bad: [[lb({ enableDeletionProtection: undefined }), "enableDeletionProtection is not set (default false)"]] },
    "EMR-AWS-ALB-ACCESS-LOGS": {
        good: balancer,
        bad: [
            [lb({ accessLogs: { bucket: "logs" } }), 'accessLogs is {"bucket":"logs"}'],
            [lb({ accessLogs: undefined }), "accessLogs is not set"],
        ],
    },
    "EMR-AWS-CLOUDTRAIL-MULTI-REGION": {
        good: cloudTrail,
        bad: [
            [trail({ isMultiRegionTrail: undefined }), "isMultiRegionTrail is not set (default false)"],
            [trail({ includeGlobalServiceEvents: false }), "includeGlobalServiceEvents is false"],
            [trail({ enableLogging: false }), "enableLogging is false"],
        ],
    },
    "EMR-AWS-CLOUDTRAIL-LOG-VALIDATION": { good: cloudTrail, bad: [[trail({ enableLogFileValidation: undefined }), "enableLogFileValidation is not set (default false)"]] },
    "EMR-AWS-CLOUDTRAIL-CLOUDWATCH": { good: cloudTrail, bad: [[trail({ cloudWatchLogsRoleArn: undefined }), "cloudWatchLogsRoleArn not set"]] },
    "EMR-AWS-CLOUDTRAIL-CMK": { good: cloudTrail, bad: [[trail({ kmsKeyId: undefined }), "kmsKeyId is not set, so log files carry only the bucket's SSE-S3 encryption"]] },
};

// The session store's rules have their fixtures in tests/policy/session.test.ts.
const sessionRuleIds = awsSessionComplianceRules.map((r) => r.id);
const resourceRules = awsComplianceRules.filter((r): r is ResourceRule => r.kind === "resource" && !sessionRuleIds.includes(r.id));

it("covers every per-resource AWS compliance rule with fixtures (here or, for the session store, in session.test.ts)", () => {
    expect(Object.keys(cases).sort()).toEqual(resourceRules.map((r) => r.id).sort());
    expect(sessionRuleIds.length).toBeGreaterThan(0);
});

for (const rule of resourceRules) {
    const c = cases[rule.id];
    if (!c) continue;
    const type = c.type ?? rule.appliesTo[0];
    const run = (inputs: Record<string, any>) => judge(rule, graphOf(resource(type, "subject", inputs)));
    describe(rule.id, () => {
        it("passes the compliant inputs", () => {
            for (const inputs of [c.good, ...(c.alsoGood ?? [])]) expect(run(inputs).violations, JSON.stringify(inputs)).toEqual([]);
        });
        it.each(c.bad.map(([inputs, text]) => ({ inputs, text })))("fails naming the field and value: $text", ({ inputs, text }) => {
            const result = run(inputs);
            expect(result.status).toBe("fail");
            expect(reasons(result)).toContain(text);
        });
    });
}

describe("EMR-AWS-SG-NO-PUBLIC-ADMIN-PORTS on the other two rule shapes", () => {
    const rule = resourceRules.find((r) => r.id === "EMR-AWS-SG-NO-PUBLIC-ADMIN-PORTS")!;
    it("fails an inline ingress block of a security group and an ec2 SecurityGroupRule", () => {
        const group = resource("aws:ec2/securityGroup:SecurityGroup", "sg", { ingress: [{ protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["0.0.0.0/0"] }] });
        const rule22 = resource("aws:ec2/securityGroupRule:SecurityGroupRule", "r", { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] });
        const text = reasons(judge(rule, graphOf(group, rule22)));
        expect(text).toContain("RDP 3389 open to 0.0.0.0/0");
        expect(text).toContain("SSH 22 open to 0.0.0.0/0");
    });
    it("passes an egress SecurityGroupRule to anywhere", () => {
        const egress = resource("aws:ec2/securityGroupRule:SecurityGroupRule", "r", { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] });
        expect(judge(rule, graphOf(egress)).status).toBe("pass");
    });
});
