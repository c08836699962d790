import { describe, expect, it } from "vitest";
import { baseConfig, runStack } from "./harness";
import { cachedRun, runCacheEnabled, runKey } from "./runCache";

/**
 * The run cache may only ever change how long a test takes. A run read back must equal the run
 * just captured, which holds only if the program is deterministic under the mocks (two runs of
 * the same config give the same graph): checked here by running again with the cache bypassed.
 */
describe("the run cache", () => {
    it.each(["aws", "azure"] as const)("returns for %s exactly what a fresh run captures", { timeout: 60_000 }, async (cloud) => {
        const config = { ...baseConfig[cloud], "emr:zones": "3" };
        const first = await runStack(config, "test");
        if (runCacheEnabled()) expect(cachedRun(runKey("test", config))).toEqual(first.run);
        process.env.EMR_RUN_CACHE = "0";
        try {
            expect((await runStack(config, "test")).run).toEqual(first.run);
        } finally {
            delete process.env.EMR_RUN_CACHE;
        }
    });

    it("keys on the stack name and every config value", () => {
        const a = runKey("s", { "emr:zones": "2", "emr:cloud": "aws" });
        expect(runKey("s", { "emr:cloud": "aws", "emr:zones": "2" })).toBe(a);
        expect(runKey("t", { "emr:cloud": "aws", "emr:zones": "2" })).not.toBe(a);
        expect(runKey("s", { "emr:cloud": "aws", "emr:zones": "3" })).not.toBe(a);
    });
});
