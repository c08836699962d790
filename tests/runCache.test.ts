import { describe, expect, it } from "vitest";
import { baseConfig, runStack } from "./harness";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProgramRun } from "../src/plan/capture";
import { cachedRun, computeOnce, runCacheEnabled, runKey } from "./runCache";

/**
 * The run cache may only ever change how long a test takes. A run read back must equal the run
 * just captured, which holds only if the program is deterministic under the mocks (two runs of
 * the same config give the same graph): checked here by running again with the cache bypassed.
 */
describe("the run cache", () => {
    it.each(["aws", "azure"] as const)("returns for %s exactly what a fresh run captures", { timeout: 60_000 }, async (cloud) => {
        // The base config most test files run too: the cached run is usually there already, and only
        // the fresh run below is paid here.
        const config = { ...baseConfig[cloud] };
        const first = await runStack(config, "test");
        if (runCacheEnabled()) expect(cachedRun(runKey("test", config))).toEqual(first.run);
        process.env.EMR_RUN_CACHE = "0";
        try {
            expect((await runStack(config, "test")).run).toEqual(first.run);
        } finally {
            delete process.env.EMR_RUN_CACHE;
        }
    });

    it.runIf(runCacheEnabled())("computes a run once when workers ask for it together, and ignores the lock of a worker that died", async () => {
        const key = `once-${process.pid}-${Date.now()}`;
        let computed = 0;
        const run = async (): Promise<ProgramRun> => {
            computed++;
            await new Promise((r) => setTimeout(r, 300));
            const value = { resources: [], outputs: { n: computed } } as ProgramRun;
            const { storeRun } = await import("./runCache");
            storeRun(key, value);
            return value;
        };
        const [a, b] = await Promise.all([computeOnce(key, run), computeOnce(key, run)]);
        expect(computed).toBe(1);
        expect(b).toEqual(a);
        // A lock left by a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max default).
        const orphan = `orphan-${process.pid}-${Date.now()}`;
        writeFileSync(join(__dirname, "..", "node_modules", ".cache", "emr-runs", `${orphan}.lock`), String(2 ** 22 + 1));
        const value = { resources: [], outputs: { orphan: true } } as ProgramRun;
        expect(await computeOnce(orphan, async () => value, 5_000)).toBe(value);
    });

    it("keys on the stack name and every config value", () => {
        const a = runKey("s", { "emr:zones": "2", "emr:cloud": "aws" });
        expect(runKey("s", { "emr:cloud": "aws", "emr:zones": "2" })).toBe(a);
        expect(runKey("t", { "emr:cloud": "aws", "emr:zones": "2" })).not.toBe(a);
        expect(runKey("s", { "emr:cloud": "aws", "emr:zones": "3" })).not.toBe(a);
    });
});
