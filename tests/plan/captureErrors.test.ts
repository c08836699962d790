import { describe, expect, it } from "vitest";

/**
 * A failure nothing in the program awaits (here an invoke the provider refuses while a resource's
 * input is being serialized) must end the run with that error, as the language host ends a real
 * `pulumi up` on an unhandled rejection (src/plan/capture.ts): before, the run waited for ever on
 * the resource's outputs and the plan hung.
 */
describe("a program that fails outside any await", () => {
    it("ends the run with the error instead of hanging", { timeout: 20_000 }, async () => {
        const { runProgram } = await import("../../src/plan/capture");
        const { awsMock, azureMock } = await import("../../src/plan/mocks");
        const started = Date.now();
        const run = await runProgram({
            config: { "emr:cloud": "aws", "aws:region": "eu-south-2" },
            stack: "refused-invoke",
            clouds: [awsMock, azureMock],
            load: async () => {
                const elb = await import("@pulumi/aws/elb");
                const s3 = await import("@pulumi/aws/s3");
                // eu-south-2 has no ELB log-delivery account: the provider answers "unsupported AWS Region".
                const bucket = new s3.Bucket("logs", { tags: { elb: elb.getServiceAccountOutput({}).arn } });
                return { bucket: bucket.id };
            },
        });
        expect(String(run.error)).toMatch(/error serializing property "tags"/);
        expect(Date.now() - started).toBeLessThan(10_000);
    });
});
