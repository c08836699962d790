import type { Rule } from "./types";

/**
 * The first web address among a rule's sources (they are listed most authoritative first, and may
 * also be `repo@commit:path:line` references): what a policy's `url` and a SARIF rule's `helpUri`
 * (format "uri", SARIF 2.1.0 section 3.49.12) can link to. Undefined when the rule cites no URL.
 */
export const ruleUrl = (rule: Pick<Rule, "source">): string | undefined => rule.source.find((s) => /^https?:\/\//.test(s));
