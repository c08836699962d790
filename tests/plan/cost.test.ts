import { beforeAll, describe, expect, it } from "vitest";
import { instanceChoices } from "../../src/config/sizes";
import { cpuArchs } from "../../src/config/types";
import { catalogFor, estimateCost } from "../../src/plan/cost/estimate";
import { renderCost } from "../../src/plan/cost/render";
import type { CostReport } from "../../src/plan/cost/types";
import { defaultUsage } from "../../src/config/usage";
import { buildPlan } from "../../src/plan/plan";
import { loadStackConfig } from "../../src/plan/stackConfig";
import { runStack } from "../harness";

const aws = catalogFor("aws", "us-east-1");
const azure = catalogFor("azure", "eastus");

describe.each([
    ["aws-dev", aws],
    ["azure-dev", azure],
])("estimate of the %s stack", (stack, catalog) => {
    let report: CostReport;
    beforeAll(async () => {
        const g = (await runStack(loadStackConfig(process.cwd(), stack).config, stack)).ok();
        report = estimateCost(buildPlan(g.run, stack), catalog, defaultUsage);
    });

    it("prices every declared type or lists it as free: nothing is silently $0", () => {
        expect(report.notPriced).toEqual([]);
        expect(report.lines.length).toBeGreaterThan(10);
        expect(report.totalUsd).toBeCloseTo(report.baselineUsd + report.usageUsd, 2);
        expect(Object.values(report.tiers).reduce((a, b) => a + b, 0)).toBeCloseTo(report.totalUsd, 1);
    });

    it("renders every usage assumption and the totals", () => {
        const text = renderCost(report);
        expect(text).toContain("documentsHotGb: 5120");
        expect(text).toContain("natProcessedGb: 200");
        expect(text).toContain("internetEgressGb: 300");
        expect(text).toContain("logIngestGb: 30");
        expect(text).toContain(`Total $${report.totalUsd.toFixed(2)}`);
        expect(text).not.toContain("NOT PRICED");
    });
});

describe("RDS for MySQL 8.0 Extended Support", () => {
    it("bills every vCPU of primary and standby once the instance opts in", async () => {
        const g = (await runStack(loadStackConfig(process.cwd(), "aws-dev").config, "aws-dev")).ok();
        const db = estimateCost(buildPlan(g.run, "aws-dev"), aws, defaultUsage).lines.find((l) => l.type === "aws:rds/instance:Instance")!;
        const line = db.components.find((c) => c.priceId === "rds:extended-support-vcpu-hour")!;
        // db.t3.large: 2 vCPU x (primary + standby) x 730 h x $0.10.
        expect(line.quantity).toBe(2 * 2 * 730);
        expect(line.monthlyUsd).toBeCloseTo(292, 2);
        expect(line.status).toBe("unverified");
    });
});

describe("catalogs", () => {
    it.each([
        ["aws", aws, "ec2", "rds-mysql"],
        ["azure", azure, "vm", "mysql"],
    ] as const)("price every %s instance the sizing can pick, in its cheapest-first order", (cloud, catalog, web, db) => {
        const lists = [...cpuArchs.map((arch) => [web, instanceChoices(cloud, "web", arch)] as const), [db, instanceChoices(cloud, "db", "arm64")] as const];
        for (const [prefix, choices] of lists) {
            const prices = choices.map((i) => catalog.prices[`${prefix}:${i.name}`]?.usd);
            expect(prices.every((p) => typeof p === "number" && p > 0)).toBe(true);
            expect(prices).toEqual([...prices].sort((a, b) => a - b));
        }
    });

    it("names the missing region", () => {
        expect(() => catalogFor("aws", "eu-west-1")).toThrow(/no aws price catalog for region "eu-west-1" \(have: us-east-1\)/);
    });
});
