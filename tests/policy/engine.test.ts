import { describe, expect, it } from "vitest";
import { deployRules } from "../../src/policy/deploy";
import { blocking, runRules, summarize, violationLines } from "../../src/policy/engine";
import type { Rule } from "../../src/policy/types";
import { graphOf, resource } from "./fixtures";

const base = { category: "deploy", cloud: "any", source: ["test"] } as const;
const failsOnX: Rule = { ...base, kind: "resource", id: "T-ERR", title: "x is not 1", severity: "error", appliesTo: ["t:a"], check: (r) => (r.inputs.x === 1 ? [] : [`x is ${r.inputs.x}`]) };
const warnsOnY: Rule = { ...base, kind: "stack", id: "T-WARN", title: "no y", severity: "warning", appliesTo: ["t:b"], check: (g) => g.ofType("t:b").map((r) => ({ resourceKey: r.key, reason: "a y" })) };
const neverApplies: Rule = { ...base, kind: "resource", id: "T-NA", title: "about c", severity: "error", appliesTo: ["t:c"], check: () => ["always"] };

describe("policy engine", () => {
    const graph = graphOf(resource("t:a", "good", { x: 1 }), resource("t:a", "bad", { x: 2 }), resource("t:b", "why"));
    const results = runRules([failsOnX, warnsOnY, neverApplies], graph);

    it("judges each resource of a rule's types, and only those", () => {
        expect(results.map((r) => [r.id, r.status])).toEqual([
            ["T-ERR", "fail"],
            ["T-WARN", "fail"],
            ["T-NA", "not-applicable"],
        ]);
        expect(results[0].violations).toEqual([{ resourceKey: "t:a::bad", reason: "x is 2" }]);
        expect(runRules([failsOnX], graphOf(resource("t:a", "good", { x: 1 })))[0].status).toBe("pass");
    });

    it("counts failing errors and warnings apart; only errors block", () => {
        expect(summarize(results)).toEqual({ passed: 0, failed: 1, warnings: 1, notApplicable: 1, exempt: 0 });
        expect(blocking(results).map((r) => r.id)).toEqual(["T-ERR"]);
        expect(violationLines(results)).toEqual(["T-ERR t:a::bad: x is 2", "T-WARN t:b::why: a y"]);
    });

    it("refuses a rule set with a duplicate id", () => {
        expect(() => runRules([failsOnX, failsOnX], graph)).toThrow("rule id T-ERR is used twice");
    });
});

describe("every deploy rule is documented data", () => {
    it.each(deployRules.map((r) => [r.id, r] as const))("%s", (id, rule) => {
        const cloud = { AWS: "aws", AZ: "azure", ANY: "any" }[/^DEPLOY-(AWS|AZ|ANY)-[A-Z0-9-]+$/.exec(id)?.[1] ?? ""];
        expect(cloud, "id is DEPLOY-<AWS|AZ|ANY>-<WHAT>").toBe(rule.cloud);
        expect(rule.category).toBe("deploy");
        expect(rule.source.length).toBeGreaterThan(0);
        expect(rule.appliesTo.length).toBeGreaterThan(0);
        for (const type of rule.appliesTo) expect(type).toMatch(rule.cloud === "any" ? /^(aws|azure-native):/ : rule.cloud === "aws" ? /^aws:/ : /^azure-native:/);
    });
});
