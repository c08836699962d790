import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Vitest runs the slowest files first once it has timings, and the largest files first before
 * (a clean clone, CI). The boot drill is a small file that runs for 20-30 s: started last, it
 * leaves one worker idle for that long. It always goes first.
 */
class DrillFirst extends BaseSequencer {
    async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
        const sorted = await super.sort(files);
        const drill = (f: TestSpecification) => f.moduleId.endsWith("bootDrill.test.ts");
        return [...sorted.filter(drill), ...sorted.filter((f) => !drill(f))];
    }
}

export default defineConfig({
    test: {
        include: ["tests/**/*.test.ts"],
        pool: "forks",
        // One worker more than cores (vitest leaves one for itself by default: one worker on a
        // 2-core machine). Much of a run waits on child processes (the boot drill's servers, the
        // health service, headless chromium), not on the CPU: measured on 2 cores with a cold run
        // cache, 3 workers take 86 s where 2 take 104 s.
        maxWorkers: availableParallelism() + 1,
        sequence: { sequencer: DrillFirst },
        // Test files share their worker's modules: loading @pulumi/aws and @pulumi/azure-native
        // anew for every file cost more than half of `npm test`. Nothing leaks between runs of the
        // program: each run resets the program's modules and installs its own mocks, config and
        // stack (tests/harness.ts, src/plan/capture.ts).
        isolate: false,
        // Setup hooks run the whole program under mocks too: the same budget as a test.
        testTimeout: 30_000,
        hookTimeout: 30_000,
    },
});
