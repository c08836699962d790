import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["tests/**/*.test.ts"],
        // The policy pack's suites drive @pulumi/policy's own analyzer over every stack (about 80 s
        // of worker time on 2 cores): they run as their own CI step, `npm run policy:pack`
        // (EMR_PACK=1), as the boot drill does, so `npm test` stays within its 90 s budget.
        exclude: [...configDefaults.exclude, ...(process.env.EMR_PACK === "1" ? [] : ["tests/policy/pack*.test.ts"])],
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
