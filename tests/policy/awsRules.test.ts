import { describe, expect, it } from "vitest";
import { asgGraceRule, launchTemplateArchRule } from "../../src/policy/deploy/awsCompute";
import { instanceArch } from "../../src/config/sizes";
import { rdsGroupsFitEngineRule, rdsInsightsClassRule } from "../../src/policy/deploy/awsData";
import { serviceTrustRule } from "../../src/policy/deploy/awsIam";
import { publishedMetrics } from "../../src/aws/publishedMetrics";
import { alarmMetricRule, emittedOnlyWhen } from "../../src/policy/deploy/awsMonitoring";
import { sessionMultiAzRule } from "../../src/policy/deploy/awsSessions";
import { efsArchiveRule, lifecycleEmptyFilterRule, lifecycleSmallObjectsRule } from "../../src/policy/deploy/awsStorage";
import { bootWaitSeconds } from "../../src/policy/deploy/bootTiming";
import { graphOf, judge, reasons, resource } from "./fixtures";

describe("DEPLOY-AWS-ASG-GRACE-COVERS-BOOT", () => {
    const group = (healthCheckGracePeriod?: number) => resource("aws:autoscaling/group:Group", "asg", { healthCheckType: "ELB", healthCheckGracePeriod });

    it("passes a grace of at least the boot's own waits", () => {
        expect(judge(asgGraceRule, graphOf(group(bootWaitSeconds))).status).toBe("pass");
    });

    it("fails a shorter grace, or none, naming the field and both values", () => {
        expect(reasons(judge(asgGraceRule, graphOf(group(2400))))).toContain(`healthCheckGracePeriod is 2400 s, shorter than the ${bootWaitSeconds} s`);
        expect(reasons(judge(asgGraceRule, graphOf(group())))).toContain("healthCheckGracePeriod is not set");
    });
});

describe("DEPLOY-AWS-ALARM-DOCUMENTED-METRIC", () => {
    const alarm = (name: string, namespace: string, metricName: string, dimensions: Record<string, string>) =>
        resource("aws:cloudwatch/metricAlarm:MetricAlarm", name, { namespace, metricName, dimensions, statistic: "Sum" });
    const fs = (performanceMode?: string) => resource("aws:efs/fileSystem:FileSystem", "fs", { performanceMode }, { id: "fs-0123456789" });

    it("passes documented metrics with documented dimension sets", () => {
        const g = graphOf(
            fs(),
            alarm("hosts", "AWS/ApplicationELB", "HealthyHostCount", { TargetGroup: "targetgroup/x/1", LoadBalancer: "app/y/2" }),
            alarm("cpu", "AWS/RDS", "CPUUtilization", { DBInstanceIdentifier: "db" }),
            alarm("io", "AWS/EFS", "PercentIOLimit", { FileSystemId: "fs-0123456789" }),
        );
        expect(judge(alarmMetricRule, g).status).toBe("pass");
    });

    it("fails a dimension set the metric is not published with, naming the sets AWS publishes", () => {
        const text = reasons(judge(alarmMetricRule, graphOf(alarm("hosts", "AWS/ApplicationELB", "HealthyHostCount", { LoadBalancer: "app/y/2" }))));
        expect(text).toContain('namespace "AWS/ApplicationELB", metricName "HealthyHostCount", dimensions {LoadBalancer}');
        expect(text).toContain("by {LoadBalancer, TargetGroup} or {AvailabilityZone, LoadBalancer, TargetGroup} only");
    });

    it("fails a metric name AWS does not publish", () => {
        expect(reasons(judge(alarmMetricRule, graphOf(alarm("cpu", "AWS/RDS", "CPUUtilisation", { DBInstanceIdentifier: "db" }))))).toContain(
            'metricName "CPUUtilisation", dimensions {DBInstanceIdentifier}: not a metric AWS is documented to publish',
        );
    });

    it("passes AWS Backup job failures per vault, a set AWS publishes", () => {
        expect(judge(alarmMetricRule, graphOf(alarm("jobs", "AWS/Backup", "NumberOfBackupJobsFailed", { BackupVaultName: "v" }))).status).toBe("pass");
    });

    it("fails PercentIOLimit on a Max I/O file system, which AWS never publishes it for", () => {
        const text = reasons(judge(alarmMetricRule, graphOf(fs("maxIO"), alarm("io", "AWS/EFS", "PercentIOLimit", { FileSystemId: "fs-0123456789" }))));
        expect(text).toContain('has performanceMode "maxIO"');
    });

    it("passes EFS StorageBytes by storage class over at least its 15-minute interval", () => {
        const storage = (StorageClass: string, period: number) =>
            resource("aws:cloudwatch/metricAlarm:MetricAlarm", "capacity", { namespace: "AWS/EFS", metricName: "StorageBytes", dimensions: { FileSystemId: "fs-0123456789", StorageClass }, statistic: "Maximum", period });
        expect(judge(alarmMetricRule, graphOf(fs(), storage("Total", 3600))).status).toBe("pass");
        expect(reasons(judge(alarmMetricRule, graphOf(fs(), storage("total", 3600))))).toContain('StorageClass "total" is not a value AWS publishes');
        expect(reasons(judge(alarmMetricRule, graphOf(fs(), storage("Total", 300))))).toContain("period 300 s is shorter than the 900 s between the datapoints AWS emits");
        // Without the storage class, the dimension set itself is one AWS never publishes.
        const bare = resource("aws:cloudwatch/metricAlarm:MetricAlarm", "bare", { namespace: "AWS/EFS", metricName: "StorageBytes", dimensions: { FileSystemId: "fs-0123456789" }, period: 3600 });
        expect(reasons(judge(alarmMetricRule, graphOf(fs(), bare)))).toContain("by {FileSystemId, StorageClass} only");
    });

    it("fails CPU credits on a fixed-performance database class, which RDS never publishes them for", () => {
        const db = (instanceClass: string) => resource("aws:rds/instance:Instance", "db", { identifier: "emr-db", instanceClass });
        const credits = alarm("credits", "AWS/RDS", "CPUCreditBalance", { DBInstanceIdentifier: "emr-db" });
        expect(judge(alarmMetricRule, graphOf(db("db.t4g.large"), credits)).status).toBe("pass");
        expect(reasons(judge(alarmMetricRule, graphOf(db("db.m7g.large"), credits)))).toContain("RDS publishes CPUCreditBalance only for burstable classes");
    });

    it("checks every publishing condition of the table against the graph", () => {
        const conditional = Object.entries(publishedMetrics).flatMap(([ns, metrics]) =>
            Object.entries(metrics as Record<string, { emittedWhen?: string }>).filter(([, m]) => m.emittedWhen).map(([name]) => `${ns} ${name}`),
        );
        expect(Object.keys(emittedOnlyWhen).sort()).toEqual(conditional.sort());
    });
});

describe("S3 lifecycle rules", () => {
    const bucket = resource("aws:s3/bucket:Bucket", "logs", {}, { id: "emr-logs-bucket" });
    const alb = resource("aws:lb/loadBalancer:LoadBalancer", "alb", { accessLogs: { bucket: "emr-logs-bucket", enabled: true } });
    const config = (rule: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        resource("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "logs-lifecycle", {
            bucket: "emr-logs-bucket",
            rules: [{ id: "retention", status: "Enabled", transitions: [{ days: 90, storageClass: "GLACIER" }], ...rule }],
            ...extra,
        });

    it("DEPLOY-AWS-S3-LIFECYCLE-EMPTY-FILTER: warns on filter {}, passes a real filter or none", () => {
        const result = judge(lifecycleEmptyFilterRule, graphOf(config({ filter: {} })));
        expect(result.severity).toBe("warning");
        expect(reasons(result)).toContain('rules[0] "retention": filter is {}');
        expect(judge(lifecycleEmptyFilterRule, graphOf(config({ filter: { prefix: "alb/" } }))).status).toBe("pass");
        expect(judge(lifecycleEmptyFilterRule, graphOf(config({})))).toMatchObject({ status: "pass" });
    });

    it("DEPLOY-AWS-S3-LIFECYCLE-SMALL-LOG-OBJECTS: warns on a log bucket's transition that leaves the 128 KB floor unstated", () => {
        const text = reasons(judge(lifecycleSmallObjectsRule, graphOf(bucket, alb, config({}))));
        expect(text).toContain('rules "retention": transitions to GLACIER after 90 days on aws:s3/bucket:Bucket::logs');
        expect(text).toContain("transitionDefaultMinimumObjectSize unset and no object-size filter");
    });

    it.each([
        ["the floor declared as a decision", config({}, { transitionDefaultMinimumObjectSize: "all_storage_classes_128K" })],
        ["Glacier allowed to take small objects", config({}, { transitionDefaultMinimumObjectSize: "varies_by_storage_class" })],
        ["a size filter", config({ filter: { objectSizeGreaterThan: 0 } })],
        ["a size filter inside and", config({ filter: { and: { prefix: "alb/", objectSizeGreaterThan: 1024 } } })],
    ])("passes with %s", (_, lifecycleConfig) => {
        expect(judge(lifecycleSmallObjectsRule, graphOf(bucket, alb, lifecycleConfig)).status).toBe("pass");
    });

    it("leaves alone buckets no service delivers logs to", () => {
        expect(judge(lifecycleSmallObjectsRule, graphOf(bucket, config({}))).status).toBe("pass");
    });
});

describe("DEPLOY-AWS-TRUST-DOCUMENTED-CONDITIONS", () => {
    const role = (service: string, condition?: Record<string, unknown>) =>
        resource("aws:iam/role:Role", "role", {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }],
            }),
        });

    it("fails CloudTrail's log-delivery role scoped with aws:SourceAccount, naming service and key", () => {
        const text = reasons(judge(serviceTrustRule, graphOf(role("cloudtrail.amazonaws.com", { StringEquals: { "aws:SourceAccount": "123456789012" } }))));
        expect(text).toContain("assumeRolePolicy: cloudtrail.amazonaws.com: aws:SourceAccount is not documented for this service");
    });

    it("passes CloudTrail without conditions and flow logs with both documented keys", () => {
        expect(judge(serviceTrustRule, graphOf(role("cloudtrail.amazonaws.com"))).status).toBe("pass");
        const scoped = { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*" } };
        expect(judge(serviceTrustRule, graphOf(role("vpc-flow-logs.amazonaws.com", scoped))).status).toBe("pass");
    });

    it("fails a service nobody has looked up", () => {
        expect(reasons(judge(serviceTrustRule, graphOf(role("lambda.amazonaws.com"))))).toContain("lambda.amazonaws.com: no documented trust row");
    });
});

describe("DEPLOY-AWS-RDS-GROUPS-FIT-ENGINE", () => {
    const params = (family: string, names: string[] = ["require_secure_transport"]) =>
        resource("aws:rds/parameterGroup:ParameterGroup", "params", { family, parameters: names.map((name) => ({ name, value: "1" })) }, { outputs: { name: "params-name" } });
    const options = (majorEngineVersion: string) =>
        resource("aws:rds/optionGroup:OptionGroup", "options", { engineName: "mysql", majorEngineVersion }, { outputs: { name: "options-name" } });
    const db = (engineVersion: string) =>
        resource("aws:rds/instance:Instance", "db", { engine: "mysql", engineVersion, parameterGroupName: "params-name", optionGroupName: "options-name" });

    it("passes groups of the instance's major version, given as a prefix or a full version", () => {
        expect(judge(rdsGroupsFitEngineRule, graphOf(params("mysql8.4"), options("8.4"), db("8.4"))).status).toBe("pass");
        expect(judge(rdsGroupsFitEngineRule, graphOf(params("mysql8.4"), options("8.4"), db("8.4.5"))).status).toBe("pass");
    });

    it("fails a half-done major upgrade: groups left on the old version", () => {
        const text = reasons(judge(rdsGroupsFitEngineRule, graphOf(params("mysql8.0"), options("8.0"), db("8.4"))));
        expect(text).toContain('has family "mysql8.0", not "mysql8.4" of engine mysql 8.4');
        expect(text).toContain("is for mysql 8.0, not mysql 8.4");
    });

    it("fails a variable MySQL 8.4 removed, carried over from an 8.0 group", () => {
        const text = reasons(judge(rdsGroupsFitEngineRule, graphOf(params("mysql8.4", ["default_authentication_plugin"]), options("8.4"), db("8.4"))));
        expect(text).toContain("sets default_authentication_plugin, which mysql8.4 removed");
    });
});

describe("DEPLOY-AWS-RDS-INSIGHTS-ON-SUPPORTED-CLASS", () => {
    const db = (instanceClass: string, performanceInsightsEnabled: boolean) => resource("aws:rds/instance:Instance", "db", { instanceClass, performanceInsightsEnabled });

    it("fails Performance Insights on a class without it, passes it off there or on a class with it", () => {
        expect(reasons(judge(rdsInsightsClassRule, graphOf(db("db.t4g.small", true))))).toContain("performanceInsightsEnabled is true on db.t4g.small");
        expect(judge(rdsInsightsClassRule, graphOf(db("db.t4g.small", false))).status).toBe("pass");
        expect(judge(rdsInsightsClassRule, graphOf(db("db.t4g.large", true))).status).toBe("pass");
    });
});

describe("DEPLOY-AWS-EFS-ARCHIVE-NEEDS-ELASTIC", () => {
    const fs = (inputs: Record<string, unknown>) => resource("aws:efs/fileSystem:FileSystem", "fs", inputs);
    const tiers = (ia: string | undefined, archive: string) => [...(ia ? [{ transitionToIa: ia }] : []), { transitionToArchive: archive }];

    it("passes Archive after IA on an Elastic, General Purpose file system, and a file system without Archive", () => {
        expect(judge(efsArchiveRule, graphOf(fs({ throughputMode: "elastic", lifecyclePolicies: tiers("AFTER_30_DAYS", "AFTER_90_DAYS") }))).status).toBe("pass");
        expect(judge(efsArchiveRule, graphOf(fs({ lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }] }))).status).toBe("pass");
    });

    it("fails Archive on the default (bursting) throughput, naming the mode", () => {
        expect(reasons(judge(efsArchiveRule, graphOf(fs({ lifecyclePolicies: tiers("AFTER_30_DAYS", "AFTER_90_DAYS") }))))).toContain('throughputMode is "bursting"');
    });

    it("fails Archive on Max I/O, without IA, or not later than IA", () => {
        expect(reasons(judge(efsArchiveRule, graphOf(fs({ throughputMode: "elastic", performanceMode: "maxIO", lifecyclePolicies: tiers("AFTER_30_DAYS", "AFTER_90_DAYS") }))))).toContain('performanceMode is "maxIO"');
        expect(reasons(judge(efsArchiveRule, graphOf(fs({ throughputMode: "elastic", lifecyclePolicies: tiers(undefined, "AFTER_90_DAYS") }))))).toContain("no transitionToIa is set");
        expect(reasons(judge(efsArchiveRule, graphOf(fs({ throughputMode: "elastic", lifecyclePolicies: tiers("AFTER_90_DAYS", "AFTER_90_DAYS") }))))).toContain(
            "transitionToArchive AFTER_90_DAYS is not later than transitionToIa AFTER_90_DAYS",
        );
        expect(judge(efsArchiveRule, graphOf(fs({ throughputMode: "elastic", lifecyclePolicies: tiers("AFTER_1_DAY", "AFTER_7_DAYS") }))).status).toBe("pass");
    });
});

describe("DEPLOY-AWS-LT-IMAGE-ARCH-MATCHES-TYPE", () => {
    const lt = (instanceType: string, arch: string) =>
        resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", { instanceType, imageId: `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}` });

    it("passes a Graviton type on the arm64 image and an x86 type on the x86_64 image", () => {
        expect(judge(launchTemplateArchRule, graphOf(lt("t4g.large", "arm64"))).status).toBe("pass");
        expect(judge(launchTemplateArchRule, graphOf(lt("m6i.4xlarge", "x86_64"))).status).toBe("pass");
    });

    it("fails an x86 override on the arm64 image, and the reverse", () => {
        expect(reasons(judge(launchTemplateArchRule, graphOf(lt("t3.large", "arm64"))))).toContain("instanceType t3.large is x86_64 but imageId");
        expect(reasons(judge(launchTemplateArchRule, graphOf(lt("m7g.large", "x86_64"))))).toContain("instanceType m7g.large is arm64");
    });

    it("reads the architecture of the Graviton families AWS lists, and of x86 families with a g elsewhere", () => {
        for (const type of ["a1.large", "c6gn.xlarge", "m7gd.large", "x2gd.large", "im4gn.large", "is4gen.large", "g5g.xlarge", "r8g.large"]) expect(instanceArch("aws", type), type).toBe("arm64");
        for (const type of ["g4dn.xlarge", "t3a.large", "m6i.large", "c7i.large", "mac2-m2.metal"]) expect(instanceArch("aws", type), type).toBe("x86_64");
    });
});

describe("DEPLOY-AWS-SESSION-MULTI-AZ", () => {
    const group = (inputs: Record<string, unknown>) =>
        resource("aws:elasticache/replicationGroup:ReplicationGroup", "sessions", {
            numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true, transitEncryptionEnabled: true, authToken: "x", preferredCacheClusterAzs: ["a", "b"], ...inputs,
        });

    it("passes the stack's shape: two nodes in two zones, failover, TLS with a token", () => {
        expect(reasons(judge(sessionMultiAzRule, graphOf(group({}))))).toBe("");
    });

    it("refuses Multi-AZ without a replica or without failover, and a token without TLS", () => {
        expect(reasons(judge(sessionMultiAzRule, graphOf(group({ numCacheClusters: 1, preferredCacheClusterAzs: ["a"] }))))).toContain("numCacheClusters is 1: Multi-AZ and automatic failover need a replica (at least 2)");
        expect(reasons(judge(sessionMultiAzRule, graphOf(group({ automaticFailoverEnabled: false }))))).toContain("multiAzEnabled without automaticFailoverEnabled: ElastiCache refuses it");
        expect(reasons(judge(sessionMultiAzRule, graphOf(group({ transitEncryptionEnabled: false }))))).toContain("an authToken without transitEncryptionEnabled: the provider refuses it");
    });
});

describe("ElastiCache ReplicationLag is published on replicas only", () => {
    const lagAlarm = resource("aws:cloudwatch/metricAlarm:MetricAlarm", "lag", {
        namespace: "AWS/ElastiCache", metricName: "ReplicationLag", dimensions: { CacheClusterId: "emr-sessions-001", CacheNodeId: "0001" }, period: 300,
    });
    const group = (numCacheClusters: number) => resource("aws:elasticache/replicationGroup:ReplicationGroup", "sessions", { numCacheClusters }, { id: "emr-sessions" });
    it("passes with a replica, fails a single-node group", () => {
        expect(reasons(judge(alarmMetricRule, graphOf(lagAlarm, group(2))))).toBe("");
        expect(reasons(judge(alarmMetricRule, graphOf(lagAlarm, group(1))))).toContain("publishes ReplicationLag only on a replica");
    });
});
