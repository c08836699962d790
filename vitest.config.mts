import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["tests/**/*.test.ts"],
        // Each file runs the whole program under mocks; one process per file keeps mocks isolated.
        pool: "forks",
        testTimeout: 30_000,
    },
});
