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
