import { beforeAll, describe, expect, it } from "vitest";
import { runRules } from "../../src/policy/engine";
import { deployRules } from "../../src/policy/deploy";
import { alarmMetricRule } from "../../src/policy/deploy/awsMonitoring";
import { asgGraceRule } from "../../src/policy/deploy/awsCompute";
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
