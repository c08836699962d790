import { describe, expect, it } from "vitest";
import { applyExemptions, unusedExemptions, UnknownExemptionError } from "../../src/policy/exemptions";
import type { RuleResult } from "../../src/policy/types";

const failing = (id: string, ...keys: string[]): RuleResult => ({
    id, title: id, cloud: "aws", severity: "error", source: ["s"], category: "compliance", controls: { hipaa: ["164.312(b)"] }, covered: keys,
    status: keys.length ? "fail" : "pass",
    violations: keys.map((resourceKey) => ({ resourceKey, reason: "r" })),
});
const exemption = { rule: "EMR-AWS-X", reason: "the clinic's auditor accepted it in writing", expires: "2027-03-31" };

describe("compliance exemptions", () => {
    it("exempt a failing rule until the end of its last day, and keep the rule failing after it", () => {
        const results = [failing("EMR-AWS-X", "aws:s3/bucket:Bucket::logs")];
        expect(applyExemptions(results, [exemption], "2027-03-31")[0]).toMatchObject({ status: "exempt", exemption: { expired: false, covers: 1 } });
        expect(applyExemptions(results, [exemption], "2027-04-01")[0]).toMatchObject({ status: "fail", exemption: { expired: true } });
    });

    it("limited to named resources, leave the rule failing on any other", () => {
        const results = [failing("EMR-AWS-X", "aws:s3/bucket:Bucket::logs", "aws:s3/bucket:Bucket::trail")];
        const only = { ...exemption, resources: ["logs"] };
        expect(applyExemptions(results, [only], "2026-12-01")[0]).toMatchObject({ status: "fail", exemption: { covers: 1 } });
        expect(applyExemptions(results, [{ ...only, resources: ["logs", "aws:s3/bucket:Bucket::trail"] }], "2026-12-01")[0].status).toBe("exempt");
    });

    it("never exempt a deploy rule, and name an unknown rule with a suggestion", () => {
        const deploy = { ...failing("DEPLOY-AWS-X", "k"), category: "deploy" as const };
        expect(() => applyExemptions([deploy, failing("EMR-AWS-RDS-PUBLIC")], [{ ...exemption, rule: "EMR-AWS-RDS-PUBLC" }], "2026-12-01")).toThrow(
            new UnknownExemptionError('config emr:complianceExemptions[0].rule: got "EMR-AWS-RDS-PUBLC"; allowed: a compliance rule id; did you mean EMR-AWS-RDS-PUBLIC?'),
        );
        expect(() => applyExemptions([deploy], [{ ...exemption, rule: "DEPLOY-AWS-X" }], "2026-12-01")).toThrow(UnknownExemptionError);
    });

    it("report an exemption of a passing rule as unused", () => {
        const applied = applyExemptions([failing("EMR-AWS-X")], [exemption], "2026-12-01");
        expect(applied[0].status).toBe("pass");
        expect(unusedExemptions(applied).map((r) => r.id)).toEqual(["EMR-AWS-X"]);
    });
});
