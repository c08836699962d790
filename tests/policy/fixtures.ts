import type { PlannedResource } from "../../src/plan/capture";
import { Graph } from "../../src/plan/graph";
import { runRules } from "../../src/policy/engine";
import type { Rule, RuleResult } from "../../src/policy/types";

/**
 * A crafted resource in the shape the capture produces (src/plan/capture.ts): outputs echo the
 * inputs plus the physical name and id, as the mocks (src/plan/mocks) answer.
 */
export function resource(type: string, name: string, inputs: Record<string, any> = {}, extra: Partial<PlannedResource> = {}): PlannedResource {
    const id = extra.id ?? `/mock/${name}-0001`;
    return {
        key: `${type}::${name}`,
        type,
        name,
        custom: true,
        secretPaths: [],
        protect: false,
        ignoreChanges: [],
        dependsOn: [],
        dependencies: [],
        ...extra,
        inputs,
        id,
        outputs: { ...inputs, name: `${name}-0001`, id, ...extra.outputs },
    };
}

export const graphOf = (...resources: PlannedResource[]) => new Graph({ resources, outputs: {} });

/** The one result of running a single rule. */
export const judge = (rule: Rule, graph: Graph): RuleResult => runRules([rule], graph)[0];

/** The reasons a rule gives, joined, for matching against field names and values. */
export const reasons = (result: RuleResult) => result.violations.map((v) => v.reason).join("\n");

/** Base64, as user data and custom data travel. */
export const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
