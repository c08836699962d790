import Ajv from "ajv";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import schema from "../../src/plan/plan.schema.json";
import { defaultUsage } from "../../src/config";
import { catalogFor, estimateCost } from "../../src/plan/cost/estimate";
import { buildPlan, type Plan } from "../../src/plan/plan";
import { writePlanFiles } from "../../src/plan/report/files";
import { loadStackConfig } from "../../src/plan/stackConfig";
import { runStack, type Graph } from "../harness";

const devStack = async (stack: string, overrides: Record<string, string> = {}) =>
    (await runStack({ ...loadStackConfig(process.cwd(), stack).config, ...overrides }, stack)).ok();

const downs = (plan: Plan) =>
    plan.zoneFailure.flatMap((f) => f.tiers.filter((t) => !t.survives).map((t) => `${f.zone}:${t.tier}`));

describe.each(["aws-dev", "azure-dev"])("offline plan of %s", (stack) => {
    let g: Graph;
    let plan: Plan;
    beforeAll(async () => {
        g = await devStack(stack);
        plan = buildPlan(g.run, stack);
    });

    it("says every tier survives the loss of every single zone", () => {
        expect(plan.zoneFailure.map((f) => f.zone)).toEqual(plan.zones);
        expect(plan.zones).toHaveLength(2);
        expect(downs(plan)).toEqual([]);
    });

    it("classifies every resource it declares (no unclassified type)", () => {
        expect(plan.unclassified).toEqual([]);
        const kinds = new Set(plan.resources.map((r) => r.placement.kind));
        expect(kinds.has("zonal") || kinds.has("zone-redundant")).toBe(true);
    });

    it("writes a plan.json that validates against its schema, a Mermaid diagram and zones.md", () => {
        const dir = mkdtempSync(join(tmpdir(), "emr-plan-"));
        const region = stack === "aws-dev" ? "us-east-1" : "eastus";
        writePlanFiles(plan, estimateCost(plan, catalogFor(plan.cloud, region), defaultUsage), dir, "2026-12-01");
        const json = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8"));
        expect(json.cost.totalUsd).toBeGreaterThan(0);
        const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
        expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
        const mermaid = readFileSync(join(dir, "architecture.mmd"), "utf8");
        expect(mermaid).toMatch(/^---\ntitle: .+\n---\nflowchart LR\n/);
        for (const zone of plan.zones) expect(mermaid).toContain(`zone ${zone}`);
        expect(mermaid).toMatch(/internet -->\|HTTPS\| lb/);
        expect(readFileSync(join(dir, "zones.md"), "utf8")).toContain("| zone lost | tier |");
    });

    it("masks secret inputs and records inferred dependencies", () => {
        const text = JSON.stringify(plan.resources.map((r) => r.inputs));
        for (const r of g.resources.filter((r) => r.type.startsWith("random:"))) expect(text).not.toContain(r.outputs.result);
        expect(text).toContain("[secret]");
        const withDeps = plan.resources.filter((r) => r.dependsOn.length > 0);
        expect(withDeps.length).toBeGreaterThan(plan.resources.length / 3);
    });

    it("calls a web tier that lost servers degraded (still serving), with the time to restore capacity", () => {
        for (const f of plan.zoneFailure) {
            const web = f.tiers.find((t) => t.tier === "web")!;
            expect([web.survives, web.degraded, web.recovers]).toEqual([true, true, true]);
            expect(web.recoverySeconds[1]).toBeGreaterThan(web.recoverySeconds[0]);
            const files = f.tiers.find((t) => t.tier === "shared-files")!;
            expect([files.survives, files.degraded, files.recoverySeconds]).toEqual([true, false, [0, 0]]);
        }
        expect(plan.availability.links.find((l) => l.tier === "web servers")!.degraded).toBe(true);
    });

    it("gives no recovery point to stateless tiers, and names Azure's numbered zones as zones", () => {
        for (const f of plan.zoneFailure) {
            expect(f.tiers.filter((t) => t.rpo === null).map((t) => t.tier)).toEqual(["ingress", "web", "egress"]);
            const ingress = f.tiers.find((t) => t.tier === "ingress")!.detail;
            if (stack === "azure-dev") expect(ingress).toMatch(/^load balancer nodes left in zone [123]$/);
        }
        expect(plan.availability.links.filter((l) => l.rpo === null).map((l) => l.tier)).toEqual(["load balancer", "web servers"]);
    });

    it("says what is built in words, per tier, from the declared resources", () => {
        expect(plan.built.map((b) => b.tier)).toEqual(["ingress", "web", "sessions", "egress", "database", "shared-files"]);
        expect(plan.built.find((b) => b.tier === "sessions")!.text).toMatch(/^shared session store, replica in another zone, automatic failover \(.+\), TLS, password$/);
        const web = plan.built.find((b) => b.tier === "web")!.text;
        expect(web).toMatch(stack === "aws-dev" ? /^2-6 Arm servers \(t4g\.\w+\) over us-east-1a, us-east-1b/ : /^2-6 Arm servers \(Standard_D\d+ps_v6\) over zones 1, 2/);
        expect(plan.servers).toMatchObject({ min: 2, max: 6 });
        expect(plan.built.find((b) => b.tier === "ingress")!.text).toContain("with WAF (blocking");
    });

    it("computes the composite availability as the product of the chain's SLAs", () => {
        const product = plan.availability.links.reduce((a, l) => a * l.sla.percent / 100, 1) * 100;
        expect(plan.availability.compositePercent).toBeCloseTo(product, 10);
        expect(plan.availability.links.map((l) => l.tier)).toEqual(["load balancer", "web servers", "session store", "database", "shared files"]);
        expect(plan.availability.links.find((l) => l.tier === "database")!.rpo).toBe("0");
    });
});

describe("the zone simulation catches what is not zone-redundant", () => {
    it("reports single-nat egress as lost with the NAT's zone", async () => {
        for (const stack of ["aws-dev", "azure-dev"]) {
            const plan = buildPlan((await devStack(stack, { "emr:egress": "single-nat" })).run, stack);
            const natZone = plan.zones[0];
            expect(downs(plan)).toEqual([`${natZone}:egress`]);
            // Nothing takes over: "not recovered", never a recovery time of "none".
            const egress = plan.zoneFailure[0].tiers.find((t) => t.tier === "egress")!;
            expect([egress.survives, egress.recovers]).toEqual([false, false]);
        }
    });

    it("reports a single-AZ database as lost with its zone", async () => {
        const g = await devStack("aws-dev");
        // A crafted graph: the same stack with Multi-AZ switched off on the database.
        const db = g.one("aws:rds/instance:Instance");
        db.inputs = { ...db.inputs, multiAz: false, availabilityZone: "us-east-1b" };
        const plan = buildPlan(g.run, "crafted");
        expect(downs(plan)).toEqual(["us-east-1b:database"]);
        expect(plan.zoneFailure[1].tiers.find((t) => t.tier === "database")!.rpo).not.toBe("0");
    });
});
