import type { PlannedResource, ProgramRun } from "./capture";

/** Queries over a captured run, shared by the tests, the model readers and the reports. */
export class Graph {
    private readonly byRef = new Map<unknown, PlannedResource>();

    constructor(readonly run: ProgramRun) {
        // Any of a resource's identifiers may appear in another's inputs: id, ARN, name.
        for (const r of run.resources) {
            for (const ref of [r.outputs.name, r.outputs.arn, r.id]) if (ref !== undefined && ref !== "") this.byRef.set(ref, r);
        }
    }

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

    /** The resource whose id, ARN or name is `ref`: follows a reference found in an input. */
    referenced(ref: unknown): PlannedResource | undefined {
        return this.byRef.get(ref);
    }

    /** The component (tier) a resource belongs to: its nearest non-custom ancestor. */
    tierOf(resource: PlannedResource): PlannedResource | undefined {
        let parent = resource.parent ? this.byKey(resource.parent) : undefined;
        while (parent && parent.custom) parent = parent.parent ? this.byKey(parent.parent) : undefined;
        return parent;
    }
}
