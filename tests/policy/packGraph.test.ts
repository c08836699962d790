import { describe, expect, it } from "vitest";
import type { Graph } from "../../src/plan/graph";
import { runRules } from "../../src/policy/engine";
import { deployRules } from "../../src/policy/deploy";
import { packPolicies } from "../../src/policy/pack";
import type { StackRule } from "../../src/policy/types";
import { analyze } from "./packAnalyzer";
import { freshPreview } from "./packPreview";
import { capturedStack } from "./stacks";

/** A stack rule that applies to everything and keeps the Graph the pack built for it. */
function probe(): StackRule & { seen?: Graph } {
    const rule: StackRule & { seen?: Graph } = {
        kind: "stack",
        id: "DEPLOY-TEST-PROBE",
        title: "keeps the graph",
        category: "deploy",
        cloud: "any",
        severity: "error",
        source: ["tests/policy/packGraph.test.ts"],
        appliesTo: ["*"],
        check: (graph) => ((rule.seen = graph), []),
    };
    return rule;
}

/**
 * What a rule can read of a resource, in a comparable form (the pack's values are proxies). The
 * outputs as the engine holds them: a custom resource's carry its `id` (./packAnalyzer.ts).
 */
const view = (graph: Graph, engineOutputs = false) =>
    Object.fromEntries(
        graph.resources.map((r) => [
            r.key,
            JSON.parse(
                JSON.stringify({
                    type: r.type,
                    name: r.name,
                    custom: r.custom,
                    parent: r.parent,
                    protect: r.protect,
                    ignoreChanges: r.ignoreChanges,
                    dependencies: [...r.dependencies].sort(),
                    id: r.id,
                    secretPaths: r.secretPaths,
                    inputs: r.inputs,
                    outputs: engineOutputs && r.custom ? { ...r.outputs, id: r.id } : r.outputs,
                }),
            ),
        ]),
    );

describe("stackGraph: the analyzer's resources become the captured graph", () => {
    for (const stack of ["aws-prod", "azure-prod"]) {
        it(`rebuilds ${stack}: keys, types, custom, parents, dependencies, ids, secret input paths, inputs, outputs, and references between resources`, { timeout: 120_000 }, async () => {
            const captured = await capturedStack(stack);
            const rule = probe();
            await analyze(packPolicies([rule], { config: () => ({}), today: () => "2026-06-01" }), captured, stack);
            const rebuilt = rule.seen!;
            expect(view(rebuilt)).toEqual(view(captured, true));
            expect(rebuilt.resources.filter((r) => r.secretPaths.length > 0).length).toBeGreaterThan(0);
            // References by id, ARN or name resolve to the same resources (the id from the `id`
            // output: src/policy/pack/stackGraph.ts).
            for (const r of captured.resources) {
                for (const ref of [r.id, r.outputs.name, r.outputs.arn]) expect(rebuilt.referenced(ref)?.key, `${r.key} ${ref}`).toBe(captured.referenced(ref)?.key);
            }
        });
    }

    it("in a fresh stack's preview, reading an id the cloud has not assigned is the SDK's can't-run-during-preview, not undefined", { timeout: 120_000 }, async () => {
        const rule = probe();
        const reads: StackRule = { ...rule, check: (graph) => (graph.resources.filter((r) => r.custom).map((r) => r.id), []) };
        const preview = freshPreview(await capturedStack("aws-prod"));
        const ds = await analyze(packPolicies([reads], { config: () => ({}), today: () => "2026-06-01" }), preview, "aws-prod");
        const first = preview.resources.find((r) => r.custom)!;
        expect([...ds]).toEqual([expect.objectContaining({ policy: "DEPLOY-TEST-PROBE", level: "advisory", message: expect.stringContaining(`during preview: string value at .${first.key}.id can't be known during preview`) })]);
    });

    it("applies the same deploy stack rules as the plan's engine on azure-prod", { timeout: 120_000 }, async () => {
        const captured = await capturedStack("azure-prod");
        const stackRules = deployRules.filter((r) => r.kind === "stack");
        const { stackNotApplicable } = await analyze(packPolicies(stackRules, { config: () => ({}), today: () => "2026-06-01" }), captured, "azure-prod");
        const engine = runRules(stackRules, captured).filter((r) => r.status === "not-applicable").map((r) => r.id);
        expect(stackNotApplicable.filter((n) => n !== "emr-compliance-exemptions").sort()).toEqual(engine.sort());
        expect(engine.length).toBeLessThan(stackRules.length);
    });
});
