import { describe, expect, it } from "vitest";
import { defaultUsage } from "../../../src/config/usage";
import { catalogFor, estimateCost } from "../../../src/plan/cost/estimate";
import { buildPlan } from "../../../src/plan/plan";
import { renderSummary } from "../../../src/plan/report/summary";
import { isCatalogued } from "../../../src/plan/cost/types";
import { loadStackConfig } from "../../../src/plan/stackConfig";
import { runStack } from "../../harness";

async function summaryOf(stack: string, region: string) {
    const g = (await runStack(loadStackConfig(process.cwd(), stack).config, stack)).ok();
    const plan = buildPlan(g.run, stack);
    const catalog = catalogFor(plan.cloud, region);
    if (!isCatalogued(catalog)) throw new Error(`no ${plan.cloud} ${region} catalog`);
    const cost = estimateCost(plan, catalog, defaultUsage);
    return { cost, lines: renderSummary(plan, cost, []).split("\n") };
}

describe("the summary's cost lines", () => {
    it("names the dollars and the share of the total that rest on unverified prices", async () => {
        const { cost, lines } = await summaryOf("azure-dev", "eastus");
        const unverified = cost.lines.flatMap((l) => l.components).filter((c) => c.status === "unverified").reduce((s, c) => s + c.monthlyUsd!, 0);
        expect(unverified).toBeGreaterThan(0);
        const line = lines[lines.findIndex((l) => l.startsWith("Monthly cost ")) + 1].trim();
        expect(line).toBe(`$${unverified.toFixed(2)} of it (${Math.round((100 * unverified) / cost.totalUsd!)}%) rests on unverified prices (one weak source or derived)`);
    });

    it("says so when no part of the total rests on an unverified price", async () => {
        const { cost, lines } = await summaryOf("aws-dev", "us-east-1");
        expect(cost.lines.flatMap((l) => l.components).filter((c) => c.status === "unverified")).toEqual([]);
        expect(lines[lines.findIndex((l) => l.startsWith("Monthly cost ")) + 1].trim()).toBe("none of it rests on an unverified price (each read at a source or agreed by several)");
    });
});
