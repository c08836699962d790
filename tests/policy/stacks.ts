import type { PlannedResource } from "../../src/plan/capture";
import { loadStackConfig } from "../../src/plan/stackConfig";
import { runRules } from "../../src/policy/engine";
import { deployRules } from "../../src/policy/deploy";
import { Graph, runStack } from "../harness";

/** The real program's graph for one of the repository's stacks (Pulumi.<stack>.yaml). */
export async function capturedStack(stack: string): Promise<Graph> {
    return (await runStack(loadStackConfig(".", stack).config, stack)).ok();
}

/** A copy of a captured graph with one resource's inputs changed: the real stack, one property broken (or fixed). */
export function withInputs(graph: Graph, key: string, change: (inputs: Record<string, any>, resource: PlannedResource) => void): Graph {
    const run = structuredClone(graph.run);
    const resource = run.resources.find((r) => r.key === key);
    if (!resource) throw new Error(`no ${key} in the captured graph`);
    change(resource.inputs, resource);
    return new Graph(run);
}

/** Every violation of a deploy rule (errors and warnings), as `RULE-ID resource-key` lines. */
export const ruleViolations = (graph: Graph) => runRules(deployRules, graph).flatMap((r) => r.violations.map((v) => `${r.id} ${v.resourceKey}`));

/** The user data of a captured machine, decoded. */
export const decode = (encoded: string) => Buffer.from(encoded, "base64").toString("utf8");
export const encode = (text: string) => Buffer.from(text, "utf8").toString("base64");
