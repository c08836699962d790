import { vi } from "vitest";
import { runProgram } from "../src/plan/capture";
import { Graph } from "../src/plan/graph";
import { awsMock, azureMock } from "../src/plan/mocks";

export { Graph };

/**
 * Runs the real program (src/index.ts) for a stack config under the shared mock layer and
 * returns the captured graph. Modules are reset first so the program executes anew each time,
 * while @pulumi/pulumi (external to vitest) keeps its mocks.
 */
export async function runStack(config: Record<string, string>, stack = "test"): Promise<Graph> {
    vi.resetModules();
    const run = await runProgram({ config, stack, clouds: [awsMock, azureMock], load: () => import("../src/index") });
    return new Graph(run);
}

/** Base configs of a minimal valid stack per cloud; tests override keys. */
export const baseConfig = {
    aws: { "emr:cloud": "aws", "aws:region": "us-east-1", "emr:alertEmail": "oncall@example.org" },
    azure: { "emr:cloud": "azure", "azure-native:location": "eastus", "emr:alertEmail": "oncall@example.org" },
} as const;
