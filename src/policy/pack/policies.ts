import type { EnforcementLevel, Policies, PolicyComplianceFramework, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { RawConfig } from "../../config/defaults";
import type { ComplianceExemption } from "../../config/types";
import { Graph } from "../../plan/graph";
import { runRules } from "../engine";
import { applyExemptions } from "../exemptions";
import { ruleUrl } from "../ruleUrl";
import type { Rule, RuleResult, Violation } from "../types";
import { stackExemptions } from "./exemptions";
import { secretPathsOf, stackGraph, type Recorded } from "./stackGraph";

/**
 * The rules as `@pulumi/policy` 1.21.0 policies, without starting the policy server (only
 * `new PolicyPack` in policy/index.ts does), so tests import them. The mapping is the one
 * src/policy/types.ts describes:
 * - a ResourceRule is a ResourceValidationPolicy: it judges each resource of a type in its
 *   `appliesTo` from the inputs the engine's Analyze call carries (step_generator.go:1284-1353);
 * - a StackRule is a StackValidationPolicy over the Graph of the whole stack (./stackGraph.ts);
 * - severity "error" is "mandatory" (the deploy stops), "warning" is "advisory"; `id` is the
 *   policy name, `title` its description, the first URL among `source` its `url`;
 * - a violation an unexpired stack exemption covers (emr:complianceExemptions) is reported
 *   "advisory" with the exemption's reason and last day; an expired one is mandatory again, and
 *   says so; an exemption config the program would refuse, or naming no compliance rule, is one
 *   mandatory violation of the `emr-compliance-exemptions` policy.
 */
export interface PackOptions {
    /** The stack config the program reads: `pulumi.runtime.allConfig()` in the pack (./index.ts). */
    config: () => RawConfig;
    /** Today, YYYY-MM-DD in UTC: the day exemptions are judged against. */
    today: () => string;
}

/** A violation as the pack reports it. */
interface Verdict {
    level: EnforcementLevel;
    message: string;
}

const levelOf = (rule: Pick<Rule, "severity">): EnforcementLevel => (rule.severity === "error" ? "mandatory" : "advisory");

/**
 * One violation judged against the stack's exemptions, with the same rules the plan uses
 * (applyExemptions: covered resources, expiry day inclusive). Judged one violation at a time: the
 * covered ones are advisory, the rest keep the rule's level, so the deploy stops exactly when the
 * plan's rule would fail.
 */
function judge(result: RuleResult, violation: Violation, exemptions: readonly ComplianceExemption[], today: string): Verdict {
    const own = exemptions.filter((e) => e.rule === result.id);
    const [judged] = applyExemptions([{ ...result, status: "fail", violations: [violation] }], own, today);
    const exemption = judged.exemption;
    if (judged.status === "exempt" && exemption) {
        return { level: "advisory", message: `${violation.reason} -- exempt until ${exemption.expires} (emr:complianceExemptions): ${exemption.reason}` };
    }
    const expired = exemption?.expired ? ` -- its exemption expired after ${exemption.expires} (emr:complianceExemptions)` : "";
    return { level: levelOf(result), message: `${violation.reason}${expired}` };
}

/**
 * Reports a verdict. At the rule's own level, the typed `reportViolation(message, urn)`; an exempt
 * violation of a mandatory rule needs a lower level for that one diagnostic, which the 1.21.0
 * server takes as an object `{ message, urn, enforcementLevel }` (server.js:674-688; the engine
 * judges each diagnostic by its own level, step_generator.go AnalyzeResources and analyzeResource).
 */
function report(reportViolation: ReportViolation, rule: Rule, verdict: Verdict, urn: string | undefined): void {
    if (verdict.level === levelOf(rule)) return reportViolation(verdict.message, urn);
    (reportViolation as unknown as (info: { message: string; urn?: string; enforcementLevel: EnforcementLevel }) => void)({
        message: `${rule.title}\n${verdict.message}`,
        urn,
        enforcementLevel: verdict.level,
    });
}

/** HIPAA Security Rule reference of a compliance rule, for the policy's `framework`. */
const hipaa = (rule: Rule): PolicyComplianceFramework | undefined =>
    rule.controls && {
        name: "HIPAA Security Rule",
        version: "45 CFR Part 164 Subpart C",
        reference: rule.controls.hipaa.join(", "),
        specification: "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C",
    };

function describe(rule: Rule) {
    const url = ruleUrl(rule);
    const framework = hipaa(rule);
    return {
        name: rule.id,
        description: rule.title,
        enforcementLevel: levelOf(rule),
        tags: [rule.category, rule.cloud, ...(rule.controls?.hipaa ?? []).map((h) => `HIPAA ${h}`)],
        ...(url ? { url } : {}),
        ...(framework ? { framework } : {}),
    };
}

/** Every rule as a policy, the input recorder the stack rules need, and the exemptions' own check. */
export function packPolicies(rules: readonly Rule[], options: PackOptions): Policies {
    const ids = rules.map((r) => r.id);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) throw new Error(`policy: rule id ${twice} is used twice`);
    // Each resource's inputs and secret input paths by URN, recorded by `emr-resource-inputs` during the
    // Remediate and Analyze calls that precede the stack's AnalyzeStack in the same analyzer process
    // (step_generator.go:1288-1353; deployment_executor.go:408).
    const recorded = new Map<string, Recorded>();
    const record = (urn: string, what: Recorded) => void recorded.set(urn, { ...recorded.get(urn), ...what });
    const exemptions = () => stackExemptions(options.config(), rules, options.today());

    // "remediate": the engine's Remediate runs only remediation policies (server.js:553, 561), and it is
    // the one call whose props still tell secrets apart (./stackGraph.ts secretPathsOf). It changes
    // nothing (no result: server.js:620-633 reports none) and its validateResource reports nothing.
    const recorder: ResourceValidationPolicy = {
        name: "emr-resource-inputs",
        description: "Records each resource's inputs and which of them are secret, for the stack rules, which otherwise see only outputs with secrets unwrapped (reports and changes nothing)",
        enforcementLevel: "remediate",
        remediateResource: (args) => void record(args.urn, { secretPaths: secretPathsOf(args.props) }),
        validateResource: (args) => void record(args.urn, { inputs: args.props }),
    };
    const exemptionCheck: StackValidationPolicy = {
        name: "emr-compliance-exemptions",
        description: "emr:complianceExemptions is valid and names only compliance rules",
        enforcementLevel: "mandatory",
        validateStack: (_, reportViolation) => {
            const problem = exemptions().problem;
            if (problem) reportViolation(problem);
        },
    };

    const policies = rules.map((rule): ResourceValidationPolicy | StackValidationPolicy => {
        if (rule.kind === "resource") {
            return {
                ...describe(rule),
                validateResource: (args, reportViolation) => {
                    const resource = { key: `${args.type}::${args.name}`, type: args.type, name: args.name, custom: true, inputs: args.props, secretPaths: recorded.get(args.urn)?.secretPaths ?? [], protect: args.opts.protect, ignoreChanges: args.opts.ignoreChanges, dependsOn: [], dependencies: [], outputs: {} };
                    const [result] = runRules([rule], new Graph({ resources: [resource], outputs: {} }));
                    if (result.status === "not-applicable") args.notApplicable(`applies to ${rule.appliesTo.join(", ")}`);
                    const { exemptions: granted } = exemptions();
                    for (const v of result.violations) report(reportViolation, rule, judge(result, v, granted, options.today()), args.urn);
                },
            };
        }
        return {
            ...describe(rule),
            validateStack: (args, reportViolation) => {
                const [result] = runRules([rule], stackGraph(args.resources, (urn) => recorded.get(urn)));
                if (result.status === "not-applicable") args.notApplicable(`no ${rule.appliesTo.join(", ")} in the stack`);
                const urns = new Map(args.resources.map((r) => [`${r.type}::${r.name}`, r.urn]));
                const { exemptions: granted } = exemptions();
                for (const v of result.violations) report(reportViolation, rule, judge(result, v, granted, options.today()), urns.get(v.resourceKey));
            },
        };
    });
    return [recorder, exemptionCheck, ...policies];
}
