import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["tests/**/*.test.ts"],
        pool: "forks",
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
