import { describe, expect, it } from "vitest";
import { azureComplianceRules } from "../../../src/policy/compliance/azure";
import { complianceRules } from "../../../src/policy/compliance";

describe("the Azure compliance rules", () => {
    it("are at least 22, with unique EMR-AZ- ids, all in the compliance registry", () => {
        const ids = azureComplianceRules.map((r) => r.id);
        expect(ids.length).toBeGreaterThanOrEqual(22);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.filter((id) => !/^EMR-AZ-[A-Z0-9-]+$/.test(id))).toEqual([]);
        expect(complianceRules.filter((r) => ids.includes(r.id))).toHaveLength(ids.length);
    });

    it.each(azureComplianceRules.map((r) => [r.id, r] as const))("%s: category compliance, cloud azure, HIPAA paragraphs, a source, azure-native types", (_id, rule) => {
        expect(rule.category).toBe("compliance");
        expect(rule.cloud).toBe("azure");
        expect(rule.controls?.hipaa.length).toBeGreaterThan(0);
        // 45 CFR 164.308 (administrative) or 164.312 (technical) paragraphs, e.g. 164.312(a)(2)(iv).
        for (const ref of rule.controls!.hipaa) expect(ref).toMatch(/^164\.3(08|12)(\([a-z0-9]+\))+$/i);
        expect(rule.source.length).toBeGreaterThan(0);
        expect(rule.source[0]).toMatch(/^https:\/\/|^@pulumi\/|^[\w-]+\/[\w.-]+@/);
        expect(rule.appliesTo.every((t) => t.startsWith("azure-native:"))).toBe(true);
        for (const id of rule.controls!.checkov ?? []) expect(id).toMatch(/^CKV2?_AZURE_\d+$/);
        for (const id of rule.controls!.trivy ?? []) expect(id).toMatch(/^AVD-AZU-\d{4}$/);
        for (const name of rule.controls!.azurePolicy ?? []) expect(name).toMatch(/\([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)$/);
    });
});
