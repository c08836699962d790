import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["tests/**/*.test.ts"],
        // Each file runs the whole program under mocks; one process per file keeps mocks isolated.
        pool: "forks",
        // Setup hooks run the whole program under mocks too: the same budget as a test.
        testTimeout: 30_000,
        hookTimeout: 30_000,
    },
});
