import { vi } from "vitest";
import { runProgram, type PlannedResource, type ProgramRun } from "../src/plan/capture";
import { awsMock } from "../src/plan/mocks";

/**
 * Runs the real program (src/index.ts) for a stack config under the shared mock layer and
 * returns the captured graph. Modules are reset first so the program executes anew each time,
 * while @pulumi/pulumi (external to vitest) keeps its mocks.
 */
export async function runStack(config: Record<string, string>, stack = "test"): Promise<Graph> {
    vi.resetModules();
    const run = await runProgram({ config, stack, clouds: [awsMock], load: () => import("../src/index") });
    return new Graph(run);
}

/** Base configs of a minimal valid stack per cloud; tests override keys. */
export const baseConfig = {
    aws: { "emr:cloud": "aws", "aws:region": "us-east-1", "emr:alertEmail": "oncall@example.org" },
    azure: { "emr:cloud": "azure", "azure-native:location": "eastus", "emr:alertEmail": "oncall@example.org" },
} as const;

/** Queries over a captured run. */
export class Graph {
    constructor(readonly run: ProgramRun) {}

    get resources(): PlannedResource[] {
        return this.run.resources;
    }

    /** Throws the program's error, if it stopped with one. */
    ok(): this {
        if (this.run.error) throw this.run.error;
        return this;
    }

    ofType(type: string): PlannedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The single resource of a type (fails if there are none or several). */
    one(type: string): PlannedResource {
        const found = this.ofType(type);
        if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
        return found[0];
    }

    byKey(key: string): PlannedResource | undefined {
        return this.resources.find((r) => r.key === key);
    }

    /** The resource whose mocked id (or ARN / name) equals `ref`: follows a reference in an input. */
    referenced(ref: unknown): PlannedResource | undefined {
        return this.resources.find((r) => r.id === ref || r.outputs.arn === ref || r.outputs.id === ref);
    }

    /** The component (tier) a resource belongs to: its nearest non-custom ancestor. */
    tierOf(resource: PlannedResource): PlannedResource | undefined {
        let parent = resource.parent ? this.byKey(resource.parent) : undefined;
        while (parent && parent.custom) parent = parent.parent ? this.byKey(parent.parent) : undefined;
        return parent;
    }
}
