import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

/** The env flag that includes each own-step suite (package.json scripts policy:pack, plan:runtime). */
const ownSteps: Record<string, string[]> = {
    EMR_PACK: ["tests/policy/pack*.test.ts"],
    EMR_RUNTIME: ["tests/plan/planRuntime.test.ts"],
};

export default defineConfig({
    test: {
        include: ["tests/**/*.test.ts"],
        // Suites that drive another runtime over every stack run as their own CI steps, as the boot
        // drill does, so `npm test` stays within its 90 s budget on 2 cores: the policy pack's
        // (@pulumi/policy's own analyzer; about 80 s of worker time: `npm run policy:pack`) and the
        // plan's runtime guard (child node processes of the compiled plan: `npm run plan:runtime`).
        exclude: [...configDefaults.exclude, ...Object.entries(ownSteps).flatMap(([flag, files]) => (process.env[flag] === "1" ? [] : files))],
        pool: "forks",
        // One worker more than cores (vitest leaves one for itself by default: one worker on a
        // 2-core machine). Much of a run waits on child processes (the health service's, the boot
        // drill's servers when it runs): measured on 2 cores with a cold run cache, 3 workers took
        // 86 s where 2 took 104 s (drill included).
        maxWorkers: availableParallelism() + 1,
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
