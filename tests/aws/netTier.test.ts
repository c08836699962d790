import { describe, expect, it } from "vitest";
import { baseConfig, runStack } from "../harness";

describe("aws NetTier", () => {
    it("declares a subnet per role per zone", async () => {
        const g = await runStack({ ...baseConfig.aws });
        const subnets = g.ofType("aws:ec2/subnet:Subnet");
        console.log(g.run.error, subnets.map((s) => [s.name, s.inputs.availabilityZone, s.inputs.cidrBlock, s.parent]));
        expect(subnets).toHaveLength(6);
    });
});
