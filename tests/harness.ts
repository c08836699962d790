import { vi } from "vitest";
import type { ProgramRun } from "../src/plan/capture";
import { Graph } from "../src/plan/graph";
import { cachedRun, computeOnce, runKey, storeRun } from "./runCache";

export { Graph };

/**
 * Runs the real program (src/index.ts) for a stack config under the shared mock layer and
 * returns the captured graph. Modules are reset first so the program executes anew each time,
 * while @pulumi/pulumi (external to vitest) keeps its mocks. A config already run by another test
 * file of this `npm test` is read back instead (tests/runCache.ts); a fresh run takes the same
 * JSON round trip, so a test sees the same graph either way.
 */
export async function runStack(config: Record<string, string>, stack = "test", options: { fresh?: boolean } = {}): Promise<Graph> {
    const key = runKey(stack, config);
    // `fresh`: the test observes the run itself (a mocked tier class recording its arguments).
    const cached = options.fresh ? undefined : cachedRun(key);
    if (cached) return new Graph(cached);
    const fresh = async (): Promise<ProgramRun> => {
        vi.resetModules();
        // Loaded only on a miss: a test file whose runs are all cached never loads the SDK.
        const [{ runProgram }, { awsMock, azureMock }] = await Promise.all([import("../src/plan/capture"), import("../src/plan/mocks")]);
        const run = await runProgram({ config, stack, clouds: [awsMock, azureMock], load: () => import("../src/index") });
        if (run.error !== undefined) return run;
        storeRun(key, run);
        return JSON.parse(JSON.stringify(run)) as ProgramRun;
    };
    // `fresh` observes the run itself, so it never waits for another worker's.
    return new Graph(options.fresh ? await fresh() : await computeOnce(key, fresh));
}

/** Base configs of a minimal valid stack per cloud; tests override keys. */
export const baseConfig = {
    aws: { "emr:cloud": "aws", "aws:region": "us-east-1", "emr:alertEmail": "oncall@example.org" },
    azure: { "emr:cloud": "azure", "azure-native:location": "eastus", "emr:alertEmail": "oncall@example.org" },
} as const;
