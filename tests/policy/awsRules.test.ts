import { describe, expect, it } from "vitest";
import { asgGraceRule } from "../../src/policy/deploy/awsCompute";
import { alarmMetricRule } from "../../src/policy/deploy/awsMonitoring";
import { lifecycleEmptyFilterRule, lifecycleSmallObjectsRule } from "../../src/policy/deploy/awsStorage";
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
        expect(text).toContain("AWS/ApplicationELB HealthyHostCount with dimensions [LoadBalancer]");
        expect(text).toContain("only with [TargetGroup, LoadBalancer] or [AvailabilityZone, TargetGroup, LoadBalancer]");
    });

    it("fails a metric name the namespace does not document, and a namespace with no table", () => {
        expect(reasons(judge(alarmMetricRule, graphOf(alarm("cpu", "AWS/RDS", "CPUUtilisation", { DBInstanceIdentifier: "db" }))))).toContain('"CPUUtilisation" is not a metric AWS/RDS documents');
        expect(reasons(judge(alarmMetricRule, graphOf(alarm("jobs", "AWS/Backup", "NumberOfBackupJobsFailed", { BackupVaultName: "v" }))))).toContain('namespace "AWS/Backup"');
    });

    it("fails PercentIOLimit on a Max I/O file system, which AWS never publishes it for", () => {
        const text = reasons(judge(alarmMetricRule, graphOf(fs("maxIO"), alarm("io", "AWS/EFS", "PercentIOLimit", { FileSystemId: "fs-0123456789" }))));
        expect(text).toContain('uses performanceMode "maxIO"');
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

    it("DEPLOY-AWS-S3-LIFECYCLE-SMALL-LOG-OBJECTS: warns on a log bucket's transition with the 128 KB default", () => {
        const text = reasons(judge(lifecycleSmallObjectsRule, graphOf(bucket, alb, config({}))));
        expect(text).toContain("transitions to GLACIER after 90 days on aws:s3/bucket:Bucket::logs");
        expect(text).toContain("transitionDefaultMinimumObjectSize unset (all_storage_classes_128K)");
    });

    it("passes varies_by_storage_class for GLACIER, or a size filter below 128 KB, or a bucket nobody delivers logs to", () => {
        expect(judge(lifecycleSmallObjectsRule, graphOf(bucket, alb, config({}, { transitionDefaultMinimumObjectSize: "varies_by_storage_class" }))).status).toBe("pass");
        expect(judge(lifecycleSmallObjectsRule, graphOf(bucket, alb, config({ filter: { objectSizeGreaterThan: 0 } }))).status).toBe("pass");
        expect(judge(lifecycleSmallObjectsRule, graphOf(bucket, config({}))).status).toBe("pass");
    });

    it("still warns for STANDARD_IA under varies_by_storage_class", () => {
        const ia = config({ transitions: [{ days: 30, storageClass: "STANDARD_IA" }] }, { transitionDefaultMinimumObjectSize: "varies_by_storage_class" });
        expect(judge(lifecycleSmallObjectsRule, graphOf(bucket, alb, ia)).status).toBe("fail");
    });
});
