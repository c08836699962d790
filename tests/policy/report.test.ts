import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/plan/plan";
import { deployRulesLine } from "../../src/plan/report/text";
import type { RuleResult } from "../../src/policy/types";

const result = (id: string, severity: RuleResult["severity"], status: RuleResult["status"]): RuleResult => ({
    id, title: id, cloud: "any", severity, source: ["s"], status, category: "deploy", covered: ["k"], violations: status === "fail" ? [{ resourceKey: "k", reason: "r" }] : [],
});

describe("the deploy-rules line of the plan report", () => {
    it("counts passes, failures, warnings and names what fails", () => {
        const rules = [result("A", "error", "pass"), result("B", "error", "fail"), result("C", "warning", "fail"), result("D", "error", "not-applicable")];
        expect(deployRulesLine({ rules } as Plan)).toBe(
            "Deploy rules: 1 passed, 1 failed, 1 warnings (1 not applicable); failing: B; warnings: C; --check lists each violation",
        );
    });

    it("is short when everything passes", () => {
        expect(deployRulesLine({ rules: [result("A", "error", "pass")] } as Plan)).toBe("Deploy rules: 1 passed, 0 failed, 0 warnings (0 not applicable)");
    });
});
