import { describe, expect, it } from "vitest";
import { packPolicies } from "../../src/policy/pack";
import { complianceRules } from "../../src/policy/compliance";
import { deployRules } from "../../src/policy/deploy";
import type { ResourceRule } from "../../src/policy/types";
import { analyze, type Diagnostic } from "./packAnalyzer";
import { loadStackConfig } from "../../src/plan/stackConfig";
import { capturedStack, withInputs } from "./stacks";

const rules = [...deployRules, ...complianceRules];
const today = "2026-06-01";
/**
 * The pack's policies with a stack's config as the engine hands it to the pack: PULUMI_CONFIG, the
 * stack's config merged with Pulumi.yaml (src/policy/pack/exemptions.ts cites the path), which
 * loadStackConfig reads by the CLI's rules; `change` alters it (a broken exemption list).
 */
const stackConfig = (stack: string, change: Record<string, string> = {}) => ({ ...loadStackConfig(".", stack).config, ...change });
const policies = (config: Record<string, string>) => packPolicies(rules, { config: () => config, today: () => today });
const mandatory = (ds: Diagnostic[]) => ds.filter((d) => d.level === "mandatory");

// The four stacks pass the pack with no mandatory violation: tests/policy/packJudges.test.ts
// ("nothing stops either"), which also holds the pack's verdicts equal to the plan's.

describe("the policy pack on deliberate regressions", () => {
    const dataNsg = "azure-native:network:NetworkSecurityGroup::emr-net-data-nsg";
    const serviceTagInPluralField = async () =>
        withInputs(await capturedStack("azure-dev"), dataNsg, (inputs) => {
            inputs.securityRules[0] = { ...inputs.securityRules[0], sourceAddressPrefix: undefined, sourceAddressPrefixes: ["VirtualNetwork"] };
        });

    it("a resource rule: a service tag in an NSG rule's plural field is a mandatory DEPLOY-AZ-NSG-PLURAL-CIDR-ONLY violation on that NSG", { timeout: 120_000 }, async () => {
        const ds = mandatory(await analyze(policies(stackConfig("azure-dev")), await serviceTagInPluralField(), "azure-dev"));
        expect(ds.map((d) => `${d.policy} ${d.resource}`)).toEqual([`DEPLOY-AZ-NSG-PLURAL-CIDR-ONLY ${dataNsg}`]);
        expect(ds[0].message).toContain('sourceAddressPrefixes holds "VirtualNetwork"');
    });

    it("a stack rule: a parameter group of another engine family is a mandatory DEPLOY-AWS-RDS-GROUPS-FIT-ENGINE violation on the database", { timeout: 120_000 }, async () => {
        const graph = await capturedStack("aws-prod");
        const group = graph.ofType("aws:rds/parameterGroup:ParameterGroup")[0];
        const ds = mandatory(await analyze(policies(stackConfig("aws-prod")), withInputs(graph, group.key, (inputs) => void (inputs.family = "mysql5.7")), "aws-prod"));
        expect(ds.map((d) => `${d.policy} ${d.resource}`)).toEqual([`DEPLOY-AWS-RDS-GROUPS-FIT-ENGINE ${graph.one("aws:rds/instance:Instance").key}`]);
        expect(ds[0].message).toContain('has family "mysql5.7"');
    });

    it("a value preview cannot know makes the rule that reads it advisory (can't run during preview), not a verdict", { timeout: 120_000 }, async () => {
        const unknownArray = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2"; // @pulumi/policy 1.21.0 proxy.js unknownArrayValue
        const graph = withInputs(await capturedStack("azure-dev"), dataNsg, (inputs) => void (inputs.securityRules = unknownArray));
        const ds = (await analyze(policies(stackConfig("azure-dev")), graph, "azure-dev")).filter((d) => d.policy === "DEPLOY-AZ-NSG-PLURAL-CIDR-ONLY");
        expect(ds).toEqual([expect.objectContaining({ level: "advisory", message: expect.stringMatching(/can't run policy 'DEPLOY-AZ-NSG-PLURAL-CIDR-ONLY' .* during preview: Array value at \.securityRules/) })]);
    });
});

describe("the policy pack reads the stack's exemptions", () => {
    const exemptions = (list: unknown) => ({ "emr:complianceExemptions": JSON.stringify(list) });

    // The headline regression's own compliance rule: the database made public.
    const dbPrivate = complianceRules.find((r) => r.id === "EMR-AWS-RDS-NOT-PUBLIC") as ResourceRule;
    const reason = (dbPrivate.check({ key: "k", type: dbPrivate.appliesTo[0], name: "db", inputs: { publiclyAccessible: true } }))[0];
    const withRule = (config: Record<string, string>) => packPolicies(rules, { config: () => stackConfig("aws-prod", config), today: () => today });
    const publicDb = async () => {
        const graph = await capturedStack("aws-prod");
        return withInputs(graph, graph.one("aws:rds/instance:Instance").key, (inputs) => void (inputs.publiclyAccessible = true));
    };
    const waiver = (expires: string) => exemptions([{ rule: dbPrivate.id, reason: "migration window agreed with the auditor", expires }]);
    const verdicts = async (config: Record<string, string>) => (await analyze(withRule(config), await publicDb(), "aws-prod")).filter((d) => d.policy === dbPrivate.id);

    it("a public database is a mandatory violation of the compliance rule, on the database", { timeout: 120_000 }, async () => {
        const graph = await capturedStack("aws-prod");
        expect(await verdicts({})).toEqual([{ policy: dbPrivate.id, level: "mandatory", message: `${dbPrivate.title}\n${reason}`, resource: graph.one("aws:rds/instance:Instance").key }]);
    });

    it("an unexpired exemption makes it advisory, with the exemption's reason and last day", { timeout: 120_000 }, async () => {
        const [d] = await verdicts(waiver(today));
        expect(d.level).toBe("advisory");
        expect(d.message).toBe(`${dbPrivate.title}\n${reason} -- exempt until ${today} (emr:complianceExemptions): migration window agreed with the auditor`);
    });

    it("an expired exemption is mandatory again and says so", { timeout: 120_000 }, async () => {
        const [d] = await verdicts(waiver("2026-05-31"));
        expect(d.level).toBe("mandatory");
        expect(d.message).toContain("its exemption expired after 2026-05-31");
    });

    /** aws-dev's own exemptions (Pulumi.aws-dev.yaml) with one bad entry appended. */
    const ownPlus = (entry: unknown) => exemptions([...JSON.parse(stackConfig("aws-dev")["emr:complianceExemptions"]), entry]);
    /** The rules aws-dev's own exemptions waive: a list the pack refuses waives none of them. */
    const waivedOnAwsDev = ["EMR-AWS-S3-KMS-CMK"];
    const refused = async (entry: unknown) => mandatory(await analyze(policies(stackConfig("aws-dev", ownPlus(entry))), await capturedStack("aws-dev"), "aws-dev"));

    it("an exemption naming no compliance rule is one mandatory violation of emr-compliance-exemptions, and the list waives nothing", { timeout: 120_000 }, async () => {
        const ds = await refused({ rule: "EMR-NO-SUCH-RULE", reason: "a reason long enough to be read", expires: "2027-01-01" });
        expect(ds.filter((d) => d.policy === "emr-compliance-exemptions")).toEqual([expect.objectContaining({ message: expect.stringContaining('config emr:complianceExemptions[1].rule: got "EMR-NO-SUCH-RULE"') })]);
        expect(ds.filter((d) => d.policy !== "emr-compliance-exemptions").map((d) => d.policy).sort()).toEqual(waivedOnAwsDev);
    });

    it("an exemption the program's reader refuses (no expiry) is reported with the program's own message, and the list waives nothing", { timeout: 120_000 }, async () => {
        const ds = await refused({ rule: "EMR-X", reason: "a reason long enough to be read" });
        expect(ds.filter((d) => d.policy === "emr-compliance-exemptions")).toEqual([expect.objectContaining({ message: expect.stringContaining("config emr:complianceExemptions[1].expires: got null") })]);
        expect(ds.filter((d) => d.policy !== "emr-compliance-exemptions").map((d) => d.policy).sort()).toEqual(waivedOnAwsDev);
    });
});
