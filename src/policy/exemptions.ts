import type { ComplianceExemption } from "../config/types";
import { didYouMean } from "../config/suggest";
import type { RuleResult, Violation } from "./types";

/** An exemption that names no compliance rule: reported as a config error by the plan and the policy pack. */
export class UnknownExemptionError extends Error {}

/** Whether an exemption limited to `resources` (names or `type::name` keys) covers a violation. */
export const covers = (exemption: Pick<ComplianceExemption, "resources">, violation: Violation) =>
    !exemption.resources || exemption.resources.some((r) => violation.resourceKey === r || violation.resourceKey.endsWith(`::${r}`));

/**
 * Applies the stack's exemptions (emr:complianceExemptions) to rule results. A failing compliance
 * rule whose every violation an unexpired exemption covers becomes "exempt"; an expired one is
 * kept on the result (expired: true) and the rule fails, so the report says why it fails again.
 * `today` is YYYY-MM-DD in UTC; an exemption applies up to and including its `expires` day.
 * Deploy rules are never exempted: the cloud would refuse the deploy all the same.
 */
export function applyExemptions(results: readonly RuleResult[], exemptions: readonly ComplianceExemption[], today: string): RuleResult[] {
    const compliance = results.filter((r) => r.category === "compliance").map((r) => r.id);
    exemptions.forEach((e, i) => {
        if (compliance.includes(e.rule)) return;
        const near = didYouMean(e.rule, compliance);
        throw new UnknownExemptionError(
            `config emr:complianceExemptions[${i}].rule: got "${e.rule}"; allowed: a compliance rule id${near ? `; did you mean ${near}?` : " (npm run plan -- --compliance lists them)"}`,
        );
    });
    return results.map((result) => {
        const exemption = exemptions.find((e) => e.rule === result.id);
        if (!exemption) return result;
        const expired = exemption.expires < today;
        const covered = result.violations.filter((v) => covers(exemption, v)).length;
        const applied = { reason: exemption.reason, expires: exemption.expires, ...(exemption.resources ? { resources: exemption.resources } : {}), expired, covers: covered };
        const exempt = result.status === "fail" && !expired && covered === result.violations.length;
        return { ...result, status: exempt ? "exempt" : result.status, exemption: applied };
    });
}

/** Exemptions that cover nothing: the rule passes (or does not apply), so the exemption is stale and should go. */
export const unusedExemptions = (results: readonly RuleResult[]): RuleResult[] => results.filter((r) => r.exemption && !r.exemption.expired && r.exemption.covers === 0);
