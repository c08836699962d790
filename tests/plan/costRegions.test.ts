import Ajv from "ajv";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import schema from "../../src/plan/plan.schema.json";
import type { CliIo } from "../../src/plan/cli";
import { awsMock } from "../../src/plan/mocks";
import { catalogs } from "../../src/plan/cost/catalog";
import { catalogFor, estimateCost } from "../../src/plan/cost/estimate";
import { renderCost, renderCostSummary } from "../../src/plan/cost/render";
import { validateConfig } from "../../src/config";
import { buildPlan, type Plan } from "../../src/plan/plan";
import { loadStackConfig } from "../../src/plan/stackConfig";
import { runStack } from "../harness";

/**
 * Issue 11, "every region plans": a region with a catalog is priced with the same rules as the
 * reference one; a real region without one plans fully, `--check` included, with every amount
 * "not priced for <region>" and never $0.
 */

const presets = ["aws-dev", "aws-prod", "azure-dev", "azure-prod"];
const plans: Record<string, Plan> = {};
// Four program runs (shared with the other test files through the run cache when they ran first).
beforeAll(async () => {
    for (const stack of presets) plans[stack] = buildPlan((await runStack(loadStackConfig(process.cwd(), stack).config, stack)).ok().run, stack);
}, 180_000);

describe.each(catalogs.map((c) => [`${c.cloud} ${c.region}`, c] as const))("the presets priced in %s", (_name, catalog) => {
    it("price every resource each preset of that cloud declares: every price id the rules use exists", () => {
        for (const stack of presets.filter((s) => s.startsWith(catalog.cloud))) {
            const usage = validateConfig({ ...loadStackConfig(process.cwd(), stack).config, "emr:alertEmail": "oncall@clinic.example" }).usage;
            const report = estimateCost(plans[stack], catalog, usage);
            expect(report.notPriced, stack).toEqual([]);
            expect(report.totalUsd).toBeGreaterThan(0);
        }
    });
});

describe("a real region without a catalog", () => {
    const report = () => estimateCost(plans["aws-dev"], catalogFor("aws", "ca-central-1"), plans["aws-dev"] && validateConfig({ ...loadStackConfig(process.cwd(), "aws-dev").config }).usage);

    it("still lists every billed line with its quantity and unit; every amount is null, none is $0", () => {
        const r = report();
        const priced = estimateCost(plans["aws-dev"], catalogFor("aws", "us-east-1"), r.usage);
        expect(r.catalogued).toBe(false);
        expect(r.notPriced).toEqual([]);
        expect(r.lines.map((l) => [l.resourceKey, l.components.map((c) => [c.priceId, c.quantity, c.unit])])).toEqual(
            priced.lines.map((l) => [l.resourceKey, l.components.map((c) => [c.priceId, c.quantity, c.unit])]),
        );
        const components = r.lines.flatMap((l) => l.components);
        expect(components.length).toBeGreaterThan(20);
        expect(components.every((c) => c.unitUsd === null && c.monthlyUsd === null && c.status === "not priced")).toBe(true);
        expect([r.totalUsd, r.baselineUsd, r.usageUsd, r.catalogDate, ...Object.values(r.tiers)].every((v) => v === null)).toBe(true);
    });

    it("reads \"not priced for <region>\" in the table and the summary, and shows no dollar amount", () => {
        const r = report();
        const table = renderCost(r);
        expect(table).toContain("NOT PRICED: no aws price catalog for ca-central-1 (catalogued: us-east-1");
        expect(table).toMatch(/OVERALL TOTAL +not priced for ca-central-1/);
        expect(table).not.toMatch(/\$\d/);
        expect(renderCostSummary(r)).toMatch(/^Monthly cost \(estimate, NOT PRICED: .*\): not priced for ca-central-1$/m);
        expect(renderCostSummary(r)).not.toMatch(/\$\d/);
    });
});

describe("the AWS mock answers each real region as AWS does", () => {
    const call = (token: string, region: string) => awsMock.calls[token]({}, region);

    it("lists the region's own zones and zone ids", () => {
        expect(call("aws:index/getAvailabilityZones:getAvailabilityZones", "eu-central-1")).toMatchObject({
            names: ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
            zoneIds: ["euc1-az1", "euc1-az2", "euc1-az3"],
        });
        expect(call("aws:index/getAvailabilityZones:getAvailabilityZones", "ap-northeast-1")).toMatchObject({ zoneIds: ["apne1-az1", "apne1-az2", "apne1-az3"] });
        // us-west-1 offers new accounts two zones: a 3-zone stack cannot be built there.
        expect(call("aws:index/getAvailabilityZones:getAvailabilityZones", "us-west-1")).toMatchObject({ names: ["us-west-1a", "us-west-1b"] });
    });

    it("answers the region's ELB log-delivery account, and refuses a region that has none, as the provider does", () => {
        expect(call("aws:elb/getServiceAccount:getServiceAccount", "eu-central-1")).toMatchObject({ id: "054676820928" });
        expect(() => call("aws:elb/getServiceAccount:getServiceAccount", "eu-south-2")).toThrow("unsupported AWS Region: eu-south-2");
    });
});

/** Stack files in a temporary project: two catalogued regions, two real regions without a catalog. */
const root = mkdtempSync(join(tmpdir(), "emr-regions-"));
copyFileSync("Pulumi.yaml", join(root, "Pulumi.yaml"));
const stackFile = (name: string, lines: string[]) => writeFileSync(join(root, `Pulumi.${name}.yaml`), ["config:", ...lines.map((l) => `  ${l}`), ""].join("\n"));
// Every AWS stack carries the AWS design's two documented compliance exemptions (Pulumi.aws-dev.yaml).
const awsDevLines = readFileSync("Pulumi.aws-dev.yaml", "utf8").trimEnd().split("\n");
// The block closes the file: from its key to the end.
const awsExemptions = awsDevLines.slice(awsDevLines.findIndex((l) => l.startsWith("  emr:complianceExemptions:"))).map((l) => l.slice(2));
stackFile("frankfurt", ["aws:region: eu-central-1", "emr:cloud: aws", ...awsExemptions]);
stackFile("amsterdam", ["azure-native:location: westeurope", "emr:cloud: azure"]);
stackFile("montreal", ["aws:region: ca-central-1", "emr:cloud: aws", ...awsExemptions]);
stackFile("montreal-single-nat", ["aws:region: ca-central-1", "emr:cloud: aws", "emr:egress: single-nat"]);
stackFile("stockholm", ["azure-native:location: swedencentral", "emr:cloud: azure"]);

async function plan(stack: string, ...flags: string[]) {
    vi.resetModules();
    const { runCli } = await import("../../src/plan/cli");
    const out: string[] = [];
    const err: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), `emr-regions-${stack}-`));
    const io: CliIo = {
        root,
        print: (t) => out.push(t),
        error: (t) => err.push(t),
        loadProgram: () => Promise.reject(new Error("runs come from io.run")),
        run: async (config, s) => (await runStack(config, s)).run,
    };
    const code = await runCli(["--stack", stack, "--out", dir, ...flags], io);
    const json = code === 2 ? undefined : JSON.parse(readFileSync(join(dir, "plan.json"), "utf8"));
    return { code, out: out.join("\n"), err, json, costText: code === 2 ? "" : readFileSync(join(dir, "cost.txt"), "utf8") };
}

const validPlan = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe("the plan command in any real region", () => {
    it.each([
        ["frankfurt", "eu-central-1", ["eu-central-1a", "eu-central-1b"]],
        ["amsterdam", "westeurope", ["1", "2"]],
    ])("%s plans fully and priced, with the region's zones, and passes --check", async (stack, region, zones) => {
        const { code, out, json } = await plan(stack, "--check");
        expect(code).toBe(0);
        expect(json.zones).toEqual(zones);
        expect(json.cost).toMatchObject({ region, catalogued: true, notPriced: [] });
        expect(json.cost.totalUsd).toBeGreaterThan(0);
        expect(out).toMatch(new RegExp(`^Monthly cost  \\$[\\d,.]+ a month .*\\(${region} list prices of `, "m"));
        expect(validPlan(json), JSON.stringify(validPlan.errors)).toBe(true);
    });

    it.each([
        ["montreal", "ca-central-1"],
        ["stockholm", "swedencentral"],
    ])("%s has no catalog: it still plans fully, --check passes, and every cost reads not priced", async (stack, region) => {
        const { code, out, json, costText } = await plan(stack, "--check");
        expect(code).toBe(0);
        expect(out).toContain("every tier keeps serving after the loss of any one zone");
        expect(out).toMatch(new RegExp(`^Monthly cost  not priced for ${region}`, "m"));
        expect(json.zoneFailure.length).toBe(2);
        expect(json.cost).toMatchObject({ region, catalogued: false, totalUsd: null, catalogDate: null });
        expect(json.cost.lines.flatMap((l: { components: unknown[] }) => l.components)).not.toContainEqual(expect.objectContaining({ monthlyUsd: expect.any(Number) }));
        expect(costText).toContain(`OVERALL TOTAL`);
        expect(costText).not.toMatch(/\$\d/);
        expect(validPlan(json), JSON.stringify(validPlan.errors)).toBe(true);
    });

    it("--check still fails a stack that does not survive a zone loss where nothing is priced", async () => {
        const { code, json } = await plan("montreal-single-nat", "--check");
        expect(code).toBe(1);
        expect(json.cost.catalogued).toBe(false);
    });
});
