import { describe, expect, it } from "vitest";
import { baseConfig, runStack } from "../harness";

/**
 * ALB access logs: regions opened before August 2022 deliver as a regional ELB account, later
 * ones as the log-delivery service principal (AWS docs, "Enable access logs for your Application
 * Load Balancer"). `aws.elb.getServiceAccount` knows only the former and fails elsewhere (the mock
 * answers as the provider does: src/plan/mocks/awsRegions.ts), so the grant follows the region.
 */
const logBucketPolicy = async (region: string) => {
    const g = (await runStack({ ...baseConfig.aws, "aws:region": region })).ok();
    const policy = g.ofType("aws:s3/bucketPolicy:BucketPolicy").map((p) => JSON.parse(p.inputs.policy) as { Statement: Array<{ Sid: string; Principal: unknown }> })[0];
    return policy.Statement.filter((s) => s.Sid.startsWith("AlbLogs")).map((s) => [s.Sid, s.Principal]);
};

describe("ALB access-log delivery into the log bucket", () => {
    it("grants the regional ELB account and the service principal in a region opened before August 2022", async () => {
        expect(await logBucketPolicy("us-east-1")).toEqual([
            ["AlbLogsFromElbAccount", { AWS: "arn:aws:iam::127311923021:root" }],
            ["AlbLogsFromLogDelivery", { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }],
        ]);
    });

    it("grants only the service principal in a newer region, where there is no ELB account to ask for", async () => {
        expect(await logBucketPolicy("eu-south-2")).toEqual([["AlbLogsFromLogDelivery", { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }]]);
    });
});
