import { describe, expect, it } from "vitest";
import { scalingRoleSuffix } from "../../src/aws/webScalingRole";

describe("the Auto Scaling role's custom suffix", () => {
    it("fits IAM's 64-character role names after AWSServiceRoleForAutoScaling_, for any stack name", () => {
        const long = scalingRoleSuffix("emr-ha", "a-very-long-stack-name-for-the-prod-clinic-east", "ap-southeast-2");
        expect(`AWSServiceRoleForAutoScaling_${long}`.length).toBeLessThanOrEqual(64);
        expect(long).toMatch(/^emr-a-very-long-stack--[0-9a-f]{8}$/);
    });

    it("holds no underscore, which the provider would misread when it splits the role name (a replacement on every up)", () => {
        const suffix = scalingRoleSuffix("emr-ha", "clinic_prod", "us-east-1");
        expect(suffix).not.toContain("_");
        expect(suffix).toMatch(/^emr-clinic-prod-[0-9a-f]{8}$/);
        // IAM's allowed characters for a role name ([\w+=,.@-]), minus the underscore.
        expect(suffix).toMatch(/^[A-Za-z0-9+=,.@-]+$/);
    });

    it("differs between regions and stacks, so two stacks in one account never claim one role", () => {
        const a = scalingRoleSuffix("emr-ha", "aws-dev", "us-east-1");
        expect(scalingRoleSuffix("emr-ha", "aws-dev", "eu-west-1")).not.toBe(a);
        expect(scalingRoleSuffix("emr-ha", "aws-prod", "us-east-1")).not.toBe(a);
        expect(scalingRoleSuffix("emr-ha", "aws-dev", "us-east-1")).toBe(a);
    });
});
