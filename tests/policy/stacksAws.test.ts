import { beforeAll, describe, expect, it } from "vitest";
import { runRules } from "../../src/policy/engine";
import { deployRules } from "../../src/policy/deploy";
import { alarmMetricRule } from "../../src/policy/deploy/awsMonitoring";
import { asgGraceRule, asgVolumeKeyRule } from "../../src/policy/deploy/awsCompute";
import { bootMountPointRule } from "../../src/policy/deploy/bootScript";
import { bootWaitSeconds } from "../../src/policy/deploy/bootTiming";
import type { Graph } from "../harness";
import { judge, reasons } from "./fixtures";
import { ruleViolations, capturedStack, decode, encode, withInputs } from "./stacks";

let dev: Graph;
beforeAll(async () => {
    dev = await capturedStack("aws-dev");
}, 60_000);

describe("deploy rules on the real aws-dev graph", () => {
    it("judge the real resources: every AWS and shared rule applies", () => {
        const results = runRules(deployRules, dev);
        expect(results.filter((r) => r.cloud !== "azure").map((r) => [r.id, r.status === "not-applicable"])).toEqual(
            deployRules.filter((r) => r.cloud !== "azure").map((r) => [r.id, false]),
        );
        expect(results.filter((r) => r.cloud === "azure").every((r) => r.status === "not-applicable")).toBe(true);
    });

    it("catch an alarm on a metric AWS does not publish, put into the real stack", () => {
        const key = "aws:cloudwatch/metricAlarm:MetricAlarm::emr-monitoring-db-cpu";
        expect(judge(alarmMetricRule, dev).violations.map((v) => v.resourceKey)).not.toContain(key);
        const broken = withInputs(dev, key, (inputs) => (inputs.metricName = "CPUUtilisation"));
        expect(judge(alarmMetricRule, broken).violations.find((v) => v.resourceKey === key)?.reason).toContain('metricName "CPUUtilisation"');
    });

    it("pass the real group once its grace covers the boot, and fail it below", () => {
        const key = "aws:autoscaling/group:Group::emr-web-asg";
        expect(judge(asgGraceRule, withInputs(dev, key, (inputs) => (inputs.healthCheckGracePeriod = bootWaitSeconds))).status).toBe("pass");
        expect(reasons(judge(asgGraceRule, withInputs(dev, key, (inputs) => (inputs.healthCheckGracePeriod = 600))))).toContain("healthCheckGracePeriod is 600 s");
    });

    it("pass the real group's volumes under the data key, and fail it without its own role or that role's grant", () => {
        const group = "aws:autoscaling/group:Group::emr-web-asg";
        const grant = dev.ofType("aws:kms/grant:Grant")[0];
        const role = dev.ofType("aws:iam/serviceLinkedRole:ServiceLinkedRole")[0];
        expect(role.outputs.arn).toMatch(/^arn:aws:iam::\d{12}:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling_emr-aws-dev-[0-9a-f]{8}$/);
        expect(dev.byKey(group)?.inputs.serviceLinkedRoleArn).toBe(role.outputs.arn);
        // The group waits for the grant to have propagated: a sleep triggered by the grant.
        const wait = dev.ofType("time:index/sleep:Sleep").find((s) => s.inputs.triggers?.grant === grant.id)!;
        expect(wait.inputs.createDuration).toBe("300s");
        expect(dev.dependencies(wait)).toContain(grant.key);
        expect(dev.dependencies(dev.byKey(group)!)).toContain(wait.key);
        expect(grant.inputs.granteePrincipal).toBe(role.outputs.arn);
        expect(judge(asgVolumeKeyRule, dev).status).toBe("pass");
        const key = dev.byKey("aws:ec2/launchTemplate:LaunchTemplate::emr-web-lt")!.inputs.blockDeviceMappings[0].ebs.kmsKeyId;
        expect(key).toBe(dev.ofType("aws:kms/key:Key").find((k) => k.name === "emr-storage-data-key")?.outputs.arn);
        expect(reasons(judge(asgVolumeKeyRule, withInputs(dev, group, (inputs) => delete inputs.serviceLinkedRoleArn)))).toContain("serviceLinkedRoleArn is not set");
        const narrowed = withInputs(dev, grant.key, (inputs) => (inputs.operations = ["Decrypt", "Encrypt"]));
        expect(reasons(judge(asgVolumeKeyRule, narrowed))).toContain("for ReEncryptFrom, ReEncryptTo, GenerateDataKey, GenerateDataKeyWithoutPlaintext, DescribeKey, CreateGrant");
        // Without the wait after the grant, or with a shorter one, or failing on the first refused launch: first-up failures.
        const waitKey = dev.ofType("time:index/sleep:Sleep").find((s) => s.inputs.triggers?.grant === grant.id)!.key;
        const unwaited = withInputs(dev, group, (_, r) => {
            r.dependencies = r.dependencies.filter((k) => k !== waitKey);
            r.dependsOn = r.dependsOn.filter((k) => k !== waitKey);
        });
        expect(reasons(judge(asgVolumeKeyRule, unwaited))).toContain("does not wait for a time:index/sleep:Sleep of createDuration >= 300s");
        expect(reasons(judge(asgVolumeKeyRule, withInputs(dev, waitKey, (inputs) => (inputs.createDuration = "30s"))))).toContain(">= 300s after its role's grant");
        expect(reasons(judge(asgVolumeKeyRule, withInputs(dev, group, (inputs) => delete inputs.ignoreFailedScalingActivities)))).toContain("ignoreFailedScalingActivities is not true");
        // A grant on another key, or to another principal, lets nothing launch.
        const otherKey = dev.ofType("aws:kms/key:Key").find((k) => k.outputs.arn !== key)!.outputs.arn;
        expect(reasons(judge(asgVolumeKeyRule, withInputs(dev, grant.key, (inputs) => (inputs.keyId = otherKey))))).toContain(`has no grant on ${key}`);
        expect(reasons(judge(asgVolumeKeyRule, withInputs(dev, grant.key, (inputs) => (inputs.granteePrincipal = "arn:aws:iam::123456789012:role/other"))))).toContain(`has no grant on ${key}`);
    });

    it("catch the real boot script mounting before it creates the mount point", () => {
        const key = "aws:ec2/launchTemplate:LaunchTemplate::emr-web-lt";
        expect(judge(bootMountPointRule, dev).status).toBe("pass");
        const broken = withInputs(dev, key, (inputs) => {
            const script = decode(inputs.userData);
            expect(script).toMatch(/^\s*mkdir -p "\$SHARED_DIR"$/m);
            inputs.userData = encode(script.replace(/^\s*mkdir -p "\$SHARED_DIR"\n/m, ""));
        });
        expect(reasons(judge(bootMountPointRule, broken))).toMatch(/runs "mount \$SHARED_DIR" onto \/\S+, which nothing creates before it/);
    });
});

describe.each(["aws-dev", "aws-prod"])("%s", (stack) => {
    it("every deploy rule passes", async () => {
        const graph = stack === "aws-dev" ? dev : await capturedStack(stack);
        expect(ruleViolations(graph)).toEqual([]);
    });
});
