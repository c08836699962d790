import type { PlannedResource } from "../plan/capture";
import type { Graph } from "../plan/graph";

/**
 * What a resource's creation waits for, as Pulumi orders it:
 * - every resource in its registration's dependency list (`dependsOn`, a component standing for its
 *   custom children, and the resources behind its inputs' Outputs: captured off the request, see
 *   src/plan/capture.ts), since the SDK sends a registration only once those URNs have resolved;
 * - its parent, when the parent is a custom resource: the SDK awaits the parent's URN before
 *   registering a child (@pulumi/pulumi 3.248.0 sdk/nodejs/runtime/resource.ts:964-966, "Wait for
 *   the parent to complete"), and a custom resource's URN resolves once it is created.
 */
function directWaits(graph: Graph, resource: PlannedResource): string[] {
    const parent = resource.parent ? graph.byKey(resource.parent) : undefined;
    return [...resource.dependencies, ...(parent?.custom ? [parent.key] : [])];
}

const closures = new WeakMap<Graph, Map<string, Set<string>>>();

/** Keys of every resource created before `resource` starts: the transitive closure of its waits. */
export function createdBefore(graph: Graph, resource: PlannedResource): Set<string> {
    let memo = closures.get(graph);
    if (!memo) closures.set(graph, (memo = new Map()));
    const known = memo.get(resource.key);
    if (known) return known;
    const seen = new Set<string>();
    const stack = directWaits(graph, resource);
    while (stack.length) {
        const key = stack.pop()!;
        if (seen.has(key)) continue;
        seen.add(key);
        const next = graph.byKey(key);
        if (next) stack.push(...directWaits(graph, next));
    }
    memo.set(resource.key, seen);
    return seen;
}

/** `@pulumiverse/time` Sleep (sdk/nodejs/sleep.ts, `__pulumiType = 'time:index/sleep:Sleep'`): creation waits `createDuration`. */
export const sleepType = "time:index/sleep:Sleep";

/** Seconds in a Go duration string ("30s", "5m", "1h30m"), the format Sleep's `createDuration` takes; NaN if malformed. */
export function goDurationSeconds(text: unknown): number {
    if (typeof text !== "string" || !/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(text)) return NaN;
    const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
    return [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}

/** The sleeps of at least `seconds` that `consumer` waits for and that themselves wait for `after`: what "after `after` has settled" means in the graph. */
export function waitsBetween(graph: Graph, after: PlannedResource, consumer: PlannedResource, seconds: number): PlannedResource[] {
    const before = createdBefore(graph, consumer);
    return graph.ofType(sleepType).filter((s) => before.has(s.key) && createdBefore(graph, s).has(after.key) && goDurationSeconds(s.inputs.createDuration) >= seconds);
}
