import type { Graph } from "../plan/graph";
import type { Rule, RuleResult, Violation } from "./types";

/** Whether a type token matches an `appliesTo` entry: the token itself, or a prefix ending in `*`. */
export const appliesTo = (rule: Rule, type: string) => rule.appliesTo.some((p) => (p.endsWith("*") ? type.startsWith(p.slice(0, -1)) : type === p));

/** Runs one rule over the graph: not applicable when none of its resource types is declared. */
function runRule(rule: Rule, graph: Graph): RuleResult {
    const targets = graph.resources.filter((r) => r.custom && appliesTo(rule, r.type));
    let violations: Violation[] = [];
    if (targets.length) {
        violations =
            rule.kind === "resource"
                ? targets.flatMap((r) => rule.check(r).map((reason) => ({ resourceKey: r.key, reason })))
                : rule.check(graph);
    }
    const status = !targets.length ? "not-applicable" : violations.length ? "fail" : "pass";
    const covered = !targets.length ? [] : rule.kind === "stack" && rule.covers ? rule.covers(graph) : targets.map((r) => r.key);
    return { id: rule.id, title: rule.title, cloud: rule.cloud, severity: rule.severity, source: rule.source, status, violations, covered, category: rule.category, ...(rule.controls ? { controls: rule.controls } : {}) };
}

/** Runs a rule set over a captured graph: one result per rule, in the rule set's order. */
export function runRules(rules: readonly Rule[], graph: Graph): RuleResult[] {
    const ids = rules.map((r) => r.id);
    const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (twice.length) throw new Error(`policy: rule id ${twice[0]} is used twice`);
    return rules.map((rule) => runRule(rule, graph));
}

export interface RulesSummary {
    passed: number;
    /** Failing rules of severity "error": `plan --check` fails on these. */
    failed: number;
    /** Failing rules of severity "warning". */
    warnings: number;
    notApplicable: number;
    /** Failing rules every failure of which a stack exemption covers. */
    exempt: number;
}

export function summarize(results: readonly RuleResult[]): RulesSummary {
    const failing = results.filter((r) => r.status === "fail");
    return {
        passed: results.filter((r) => r.status === "pass").length,
        failed: failing.filter((r) => r.severity === "error").length,
        warnings: failing.filter((r) => r.severity === "warning").length,
        notApplicable: results.filter((r) => r.status === "not-applicable").length,
        exempt: results.filter((r) => r.status === "exempt").length,
    };
}

/** The failing rules that gate a deploy (severity "error"). */
export function blocking(results: readonly RuleResult[]): RuleResult[] {
    return results.filter((r) => r.status === "fail" && r.severity === "error");
}

/** One line per violation: `RULE-ID resource-key: reason`. */
export function violationLines(results: readonly RuleResult[]): string[] {
    return results.flatMap((r) => r.violations.map((v) => `${r.id} ${v.resourceKey}: ${v.reason}`));
}
