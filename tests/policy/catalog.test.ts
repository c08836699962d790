import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { complianceCatalog, readmeRuleTable, withReadmeTable } from "../../src/policy/catalog";
import { complianceRules } from "../../src/policy/compliance";

describe("the compliance rule catalogue", () => {
    it("has at least 40 rules across both clouds, unique ids, each with HIPAA paragraphs and a source", () => {
        expect(complianceRules.length).toBeGreaterThanOrEqual(40);
        const ids = complianceRules.map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const r of complianceRules) {
            expect(r.category, r.id).toBe("compliance");
            expect(r.controls?.hipaa.length, r.id).toBeGreaterThan(0);
            for (const ref of r.controls!.hipaa) expect(ref, r.id).toMatch(/^164\.(308|310|312|316)\([a-e]\)/);
            expect(r.source.length, r.id).toBeGreaterThan(0);
        }
        // Both clouds are covered on their own as well as by the neutral rules.
        for (const cloud of ["any", "aws", "azure"]) expect(complianceRules.some((r) => r.cloud === cloud), cloud).toBe(true);
    });

    it("is what docs/compliance.md and the README's table say (npm run docs:compliance regenerates them)", () => {
        expect(readFileSync("docs/compliance.md", "utf8")).toBe(complianceCatalog());
        const readme = readFileSync("README.md", "utf8");
        expect(withReadmeTable(readme)).toBe(readme);
        expect(readme).toContain(readmeRuleTable().split("\n")[2]);
    });
});
