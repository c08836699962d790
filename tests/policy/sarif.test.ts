import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deployRules } from "../../src/policy/deploy";
import { runRules } from "../../src/policy/engine";
import { applyExemptions } from "../../src/policy/exemptions";
import { toSarif } from "../../src/policy/sarif";
import { complianceRules } from "../../src/policy/compliance";
import type { ResourceRule, RuleResult } from "../../src/policy/types";
import { capturedStack, withInputs } from "./stacks";
import { validateConfig } from "../../src/config";
import { loadStackConfig } from "../../src/plan/stackConfig";

/**
 * The official SARIF 2.1.0 (Errata 01) schema, tests/policy/fixtures/README.md. It declares draft-04
 * and names itself with `id`; ajv 8 reads draft-07, where that is `$id` (no other keyword it uses
 * changed meaning). Formats are checked: ajv 8 has none built in.
 */
const official = JSON.parse(readFileSync("tests/policy/fixtures/sarif-schema-2.1.0.json", "utf8"));
const { id, $schema: _draft04, ...body } = official;
const isUri = (s: string) => URL.canParse(s);
const validate = new Ajv({
    allErrors: true,
    formats: { uri: isUri, "uri-reference": (s: string) => URL.canParse(s, "https://example.org/"), "date-time": (s: string) => !Number.isNaN(Date.parse(s)) },
}).compile({ ...body, $id: id });

/** The headline regression's own compliance rule: the database made public. */
const dbPrivate = complianceRules.find((r) => r.id === "EMR-AWS-RDS-NOT-PUBLIC") as ResourceRule;
const rules = [...deployRules, ...complianceRules];
const dataNsg = "azure-native:network:NetworkSecurityGroup::emr-net-data-nsg";
const tool = { version: "0.1.0" };

async function regressions() {
    const azure = withInputs(await capturedStack("azure-dev"), dataNsg, (inputs) => {
        inputs.securityRules[0] = { ...inputs.securityRules[0], sourceAddressPrefix: undefined, sourceAddressPrefixes: ["VirtualNetwork"] };
    });
    const aws = await capturedStack("aws-prod");
    const db = aws.one("aws:rds/instance:Instance");
    const publicDb = withInputs(aws, db.key, (inputs) => void (inputs.publiclyAccessible = true));
    return { azure: runRules(rules, azure), aws: runRules(rules, publicDb), db: db.key };
}

const exempt = (results: RuleResult[], expires: string) =>
    applyExemptions(results, [{ rule: dbPrivate.id, reason: "migration window agreed with the auditor", expires }], "2026-06-01");

describe("toSarif", () => {
    it("writes a log the official SARIF 2.1.0 schema accepts, one run per stack with its own category", { timeout: 120_000 }, async () => {
        const { azure, aws } = await regressions();
        const log = toSarif([{ stack: "azure-dev", results: azure }, { stack: "aws-prod", results: exempt(aws, "2026-12-31") }], rules, tool);
        expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
        expect(log.runs.map((r) => r.automationDetails.id)).toEqual(["emr-ha/azure-dev/", "emr-ha/aws-prod/"]);
        const descriptor = log.runs[1].tool.driver.rules.find((r) => r.id === dbPrivate.id)!;
        expect(descriptor).toMatchObject({ shortDescription: { text: dbPrivate.title }, helpUri: dbPrivate.source[0], defaultConfiguration: { level: "error" }, properties: { tags: ["compliance", "aws", ...dbPrivate.controls!.hipaa.map((h) => `HIPAA ${h}`)], category: "compliance" } });
    });

    it("names the failing rule, the resource and the stack file of a deliberate regression", { timeout: 120_000 }, async () => {
        const { azure } = await regressions();
        const log = toSarif([{ stack: "azure-dev", results: azure }], rules, tool);
        const [result] = log.runs[0].results;
        expect(log.runs[0].results).toHaveLength(1);
        expect(result).toMatchObject({
            ruleId: "DEPLOY-AZ-NSG-PLURAL-CIDR-ONLY",
            level: "error",
            locations: [{ physicalLocation: { artifactLocation: { uri: "Pulumi.azure-dev.yaml" }, region: { startLine: 1 } }, logicalLocations: [{ name: "emr-net-data-nsg", fullyQualifiedName: dataNsg, kind: "resource" }] }],
        });
        expect(log.runs[0].tool.driver.rules[result.ruleIndex].id).toBe("DEPLOY-AZ-NSG-PLURAL-CIDR-ONLY");
        expect(result.message.text).toContain('sourceAddressPrefixes holds "VirtualNetwork"');
        expect(result).not.toHaveProperty("suppressions");
    });

    it("suppresses an exempt violation with the exemption's reason, and an expired one no longer", { timeout: 120_000 }, async () => {
        const { aws, db } = await regressions();
        const of = (expires: string) => toSarif([{ stack: "aws-prod", results: exempt(aws, expires) }], rules, tool).runs[0].results.find((r) => r.ruleId === dbPrivate.id)!;
        const current = of("2026-12-31");
        expect(current).toMatchObject({ ruleId: dbPrivate.id, locations: [{ logicalLocations: [{ fullyQualifiedName: db }] }], suppressions: [{ kind: "external", status: "accepted", justification: "migration window agreed with the auditor (emr:complianceExemptions, until 2026-12-31)" }] });
        const lapsed = of("2026-05-31");
        expect(lapsed).not.toHaveProperty("suppressions");
        expect(lapsed.message.text).toContain("Its exemption expired after 2026-05-31.");
    });

    it("gives every result its own fingerprint, though all sit at line 1 of a stack file", () => {
        const { id, title, cloud, severity, source, category } = dbPrivate;
        const failing = (keys: string[]): RuleResult => ({ id, title, cloud, severity, source, category, covered: keys, status: "fail", violations: keys.map((k) => ({ resourceKey: k, reason: "publiclyAccessible is true" })) });
        const log = toSarif([{ stack: "aws-prod", results: [failing(["aws:rds/instance:Instance::a", "aws:rds/instance:Instance::b"])] }, { stack: "aws-dev", results: [failing(["aws:rds/instance:Instance::a"])] }], rules, tool);
        const prints = log.runs.flatMap((r) => r.results.map((x) => x.partialFingerprints.primaryLocationLineHash));
        expect(new Set(prints).size).toBe(3);
    });

    it("the schema check is real: a result without a message is refused", async () => {
        const { azure } = await regressions();
        const log = toSarif([{ stack: "azure-dev", results: azure }], rules, tool) as any;
        delete log.runs[0].results[0].message;
        expect(validate(log)).toBe(false);
    });

    it("has no unsuppressed result for the repository's stacks as they stand: only their documented exemptions, suppressed", { timeout: 120_000 }, async () => {
        for (const stack of ["aws-dev", "azure-dev"]) {
            const { complianceExemptions } = validateConfig(loadStackConfig(".", stack).config);
            const results = applyExemptions(runRules(rules, await capturedStack(stack)), complianceExemptions, "2026-12-01");
            const log = toSarif([{ stack, results }], rules, tool);
            expect(log.runs[0].results.filter((r) => !r.suppressions?.length)).toEqual([]);
            expect(log.runs[0].results.map((r) => r.ruleId).sort()).toEqual(complianceExemptions.map((e) => e.rule).sort());
            expect(validate(log)).toBe(true);
        }
    });
});
