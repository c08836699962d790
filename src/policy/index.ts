/**
 * The rule engine: rules as data plus pure checks over the captured resource graph, and the rule
 * sets built on it. Deploy rules (what clouds and providers do with what the program declares)
 * are in ./deploy; compliance rules (issue 12) are meant to sit beside them with the same types,
 * run by the same engine, and be wrapped by a `@pulumi/policy` pack and a SARIF writer (types.ts).
 */
export { deployRules } from "./deploy";
export { complianceRules } from "./compliance";
export { applyExemptions, unusedExemptions, UnknownExemptionError } from "./exemptions";
export { blocking, runRules, summarize, violationLines, type RulesSummary } from "./engine";
export type { ResourceInput, ResourceRule, Rule, RuleCategory, RuleCloud, RuleResult, RuleSeverity, RuleStatus, StackRule, Violation } from "./types";
