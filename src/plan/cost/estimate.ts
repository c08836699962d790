import type { Plan, PlanResource } from "../plan";
import { MissingPriceError, pricer } from "./pricing";
import { awsRules } from "./rules/aws";
import { azureRules } from "./rules/azure";
import { isCatalogued, type CostComponent, type CostReport, type RegionPrices, type RuleContext, type RuleSet } from "./types";
import type { UsageAssumptions } from "../../config/usage";

export { catalogFor } from "./catalog";

const ruleSets: Record<Plan["cloud"], RuleSet> = { aws: awsRules, azure: azureRules };

/** Providers that exist only in Pulumi state on every cloud. */
const logicalProviders: Record<string, string> = {
    "random:": "generated in Pulumi: no cloud resource",
    "tls:": "generated in Pulumi: no cloud resource",
    "time:": "a wait during the deployment: no cloud resource",
};

function context(plan: Plan): RuleContext {
    const byKey = new Map(plan.resources.map((r) => [r.key, r]));
    return {
        plan,
        count: (type) => plan.resources.filter((r) => r.type === type).length,
        dependencies: (r, type) => r.dependsOn.map((k) => byKey.get(k)).filter((d): d is PlanResource => d?.type === type),
        dependents: (r, type) => plan.resources.filter((d) => d.type === type && d.dependsOn.includes(r.key)),
    };
}

/** The sum in cents, or null when any amount is not priced: a partial sum would read as a total. */
function sum(cs: CostComponent[]): number | null {
    let total = 0;
    for (const c of cs) {
        if (c.monthlyUsd === null) return null;
        total += c.monthlyUsd;
    }
    return Math.round(total * 100) / 100;
}

/**
 * Prices every resource of the plan; a type nobody prices is listed in `notPriced`, never $0. In a
 * region without a catalog every line keeps its quantity and every amount and total is null.
 */
export function estimateCost(plan: Plan, prices: RegionPrices, usage: UsageAssumptions): CostReport {
    if (plan.cloud !== prices.cloud) throw new Error(`the ${plan.stack} plan is ${plan.cloud} but the catalog is ${prices.cloud}`);
    const { rules, free, stack } = ruleSets[plan.cloud];
    const price = pricer(prices);
    const ctx = context(plan);
    const catalogued = isCatalogued(prices);
    const report: CostReport = {
        stack: plan.stack,
        cloud: plan.cloud,
        region: prices.region,
        catalogued,
        catalogDate: catalogued ? prices.date : null,
        lines: [],
        notPriced: [],
        free: [],
        tiers: {},
        baselineUsd: null,
        usageUsd: null,
        totalUsd: null,
        usage,
    };

    for (const r of plan.resources.filter((r) => r.placement.kind !== "component")) {
        const freeReason = free[r.type] ?? Object.entries(logicalProviders).find(([prefix]) => r.type.startsWith(prefix))?.[1];
        if (freeReason) {
            report.free.push({ resourceKey: r.key, type: r.type, reason: freeReason });
            continue;
        }
        const rule = rules[r.type];
        if (!rule) {
            report.notPriced.push({ resourceKey: r.key, type: r.type, reason: "no cost rule for this type" });
            continue;
        }
        try {
            report.lines.push({ resourceKey: r.key, type: r.type, name: r.name, tier: r.tier, components: rule(r, price, usage, ctx) });
        } catch (e) {
            if (!(e instanceof MissingPriceError)) throw e;
            report.notPriced.push({ resourceKey: r.key, type: r.type, reason: e.message });
        }
    }
    report.lines.push({ resourceKey: "stack:data-transfer", type: "data transfer", name: "data transfer", tier: null, components: stack(price, usage) });

    const all = report.lines.flatMap((l) => l.components);
    for (const tier of new Set(report.lines.map((l) => l.tier ?? "stack"))) {
        report.tiers[tier] = sum(report.lines.filter((l) => (l.tier ?? "stack") === tier).flatMap((l) => l.components));
    }
    report.baselineUsd = sum(all.filter((c) => !c.usageBased));
    report.usageUsd = sum(all.filter((c) => c.usageBased));
    report.totalUsd = sum(all);
    return report;
}

