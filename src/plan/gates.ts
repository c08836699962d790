import { blocking } from "../policy";
import type { CostReport } from "./cost/types";
import type { Plan } from "./plan";
import { verdict } from "./report/text";
import { zoneName } from "./zones";

export interface Gates {
    /** --check: every tier serves after losing any one zone, and no error-severity deploy or compliance rule fails (exempt ones pass). */
    check: boolean;
    /** --max-monthly-usd: the estimate must not be above this. */
    maxMonthlyUsd: number | undefined;
}

/**
 * The CI verdict of one stack in one line (stderr; CI sends stdout to /dev/null): "pass" with what
 * was checked, or "FAIL" with every failure named (tier and zone, rule and resource, cost and budget).
 */
export function gateVerdict(plan: Plan, cost: CostReport, gates: Gates): { failed: boolean; line: string } | undefined {
    if (!gates.check && gates.maxMonthlyUsd === undefined) return undefined;
    const failures: string[] = [];
    const passes: string[] = [];
    if (gates.check) {
        const down = plan.zoneFailure.flatMap((f) => f.tiers.filter((t) => !t.survives).map((t) => `losing ${zoneName(f.zone)} stops ${t.tier} (${verdict(t)})`));
        failures.push(...down);
        if (!down.length) passes.push("every tier serves after losing any one zone");
        const rules = blocking(plan.rules);
        failures.push(...rules.flatMap((r) => r.violations.map((v) => `${r.category} rule ${r.id} fails on ${v.resourceKey}: ${v.reason}`)));
        if (!rules.length) passes.push("no deploy or compliance rule fails");
    }
    const budget = gates.maxMonthlyUsd;
    if (budget !== undefined) {
        const total = cost.totalUsd;
        if (total === null) failures.push(`cost not priced for ${cost.region}, so --max-monthly-usd ${budget} cannot pass`);
        else if (total > budget) failures.push(`$${total.toFixed(2)} a month is above --max-monthly-usd ${budget}`);
        else passes.push(`$${total.toFixed(2)} a month is within ${budget}`);
    }
    const failed = failures.length > 0;
    return { failed, line: `emr plan ${plan.stack}: ${failed ? `FAIL: ${failures.join("; ")}` : `pass: ${passes.join("; ")}`}` };
}
