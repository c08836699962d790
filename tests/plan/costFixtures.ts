import type { Plan, PlanResource } from "../../src/plan/plan";

/** A Plan-shaped resource: only what the cost rules read. */
export const res = (type: string, name: string, inputs: Record<string, unknown> = {}, dependsOn: string[] = []): PlanResource => ({
    key: `${type}::${name}`,
    type,
    name,
    tier: "t",
    parent: null,
    placement: { kind: "regional" },
    protect: false,
    dependsOn,
    inputs,
});

/** A synthetic plan around `resources`. */
export const planOf = (cloud: Plan["cloud"], resources: PlanResource[]): Plan =>
    ({ schemaVersion: 1, stack: "synthetic", cloud, zones: [], resources, totalsByType: {}, unclassified: [], zoneFailure: [], outputs: {} }) as unknown as Plan;

export const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
