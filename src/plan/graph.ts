import type { PlannedResource, ProgramRun } from "./capture";

/** Queries over a captured run, shared by the tests, the model readers and the reports. */
export class Graph {
    private readonly byRef = new Map<unknown, PlannedResource>();

    constructor(readonly run: ProgramRun) {
        // Any of a resource's identifiers may appear in another's inputs: id, ARN, name. One
        // claimed by several resources (Azure's singleton `default` children) identifies none.
        const ambiguous = new Set<unknown>();
        for (const r of run.resources) {
            for (const ref of new Set([r.outputs.name, r.outputs.arn, r.id])) {
                if (typeof ref !== "string" || ref.length < 6) continue;
                if (this.byRef.has(ref)) ambiguous.add(ref);
                this.byRef.set(ref, r);
            }
        }
        for (const ref of ambiguous) this.byRef.delete(ref);
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

    /**
     * What a resource depends on: the dependencies the SDK sent the engine (explicit `dependsOn`
     * and the resources behind its inputs' Outputs, even inside an `apply`, such as a template that
     * names a workspace), plus every resource whose id, ARN or name appears in its inputs (alone,
     * or inside a policy document or an interpolated string).
     */
    dependencies(resource: PlannedResource): string[] {
        const found = new Set([...resource.dependsOn, ...resource.dependencies.filter((k) => k !== resource.key && this.byKey(k))]);
        const visit = (value: unknown): void => {
            if (typeof value === "string") {
                for (const token of [value, ...value.split(/[\s"',{}[\]()]+/)]) {
                    // `${arn}:*` and `${arn}/*` grant on what is inside a resource.
                    const target = this.byRef.get(token) ?? this.byRef.get(token.replace(/[:/]\*$/, ""));
                    if (target && target.key !== resource.key) found.add(target.key);
                }
            } else if (Array.isArray(value)) {
                value.forEach(visit);
            } else if (value && typeof value === "object") {
                Object.values(value).forEach(visit);
            }
        };
        visit(resource.inputs);
        return [...found].sort();
    }

    /** The component (tier) a resource belongs to: its nearest non-custom ancestor. */
    tierOf(resource: PlannedResource): PlannedResource | undefined {
        let parent = resource.parent ? this.byKey(resource.parent) : undefined;
        while (parent && parent.custom) parent = parent.parent ? this.byKey(parent.parent) : undefined;
        return parent;
    }
}
