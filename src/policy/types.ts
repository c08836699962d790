import type { PlannedResource } from "../plan/capture";
import type { Graph } from "../plan/graph";

/**
 * A rule is data plus a pure function over the captured resource graph (src/plan/capture.ts,
 * src/plan/graph.ts). "deploy" rules encode what a cloud or provider does with a declared
 * resource (it rejects it, or it misbehaves at run time); "compliance" rules (issue 12) will
 * encode what a regulation asks of the same resources, with the same shapes.
 *
 * Built to be wrapped, unchanged, by `@pulumi/policy` 1.21 (facts/pulumi.md section 4):
 * - a {@link ResourceRule} becomes a `ResourceValidationPolicy` whose `validateResource(args, report)`
 *   skips types outside `appliesTo` and reports each reason of
 *   `check({ key: args.urn, type: args.type, name: args.name, inputs: args.props })`;
 * - a {@link StackRule} becomes a `StackValidationPolicy` whose `validateStack(args, report)` builds a
 *   `Graph` from `args.resources` (type, name, props as inputs and outputs, `dependencies` and
 *   `parent` mapped to `type::name` keys) and reports each violation against its resource's URN;
 * - `severity` maps to `enforcementLevel` ("error" -> "mandatory", "warning" -> "advisory"), `id` to
 *   the policy `name`, `title` to `description`, `source[0]` to `url`.
 * The same fields map onto SARIF 2.1.0: `id` -> reportingDescriptor.id, `title` -> shortDescription,
 * `source[0]` -> helpUri, `severity` -> defaultConfiguration.level, a violation -> a result whose
 * logical location is the resource key.
 */

export type RuleCategory = "deploy" | "compliance";
export type RuleCloud = "aws" | "azure" | "any";
/** "error": the deploy fails or the system is broken (gates `plan --check`); "warning": wasteful or inert. */
export type RuleSeverity = "error" | "warning";

/** What a per-resource check sees: what a policy pack's `ResourceValidationArgs` carries too. */
export type ResourceInput = Pick<PlannedResource, "key" | "type" | "name" | "inputs">;

export interface Violation {
    /** `type::name` of the offending resource. */
    resourceKey: string;
    /** What is wrong, naming the field and the value, and what the cloud does with it. */
    reason: string;
}

interface RuleBase {
    /** Stable id, e.g. `DEPLOY-AZ-NSG-PLURAL-CIDR-ONLY`: `<CATEGORY>-<CLOUD>-<WHAT>`. */
    id: string;
    title: string;
    category: RuleCategory;
    cloud: RuleCloud;
    severity: RuleSeverity;
    /** The documented behaviour the rule encodes: URLs or `repo@commit:path:line`, most authoritative first. */
    source: readonly string[];
    /**
     * Resource type tokens the rule looks at (or a prefix ending in `*`, e.g. `azure-native:*`); with
     * none of them in the graph it is not applicable.
     */
    appliesTo: readonly string[];
    /** Compliance rules: the HIPAA paragraphs and scanner ids they correspond to (required for category "compliance"). */
    controls?: ControlRefs;
}

/**
 * Where a compliance rule comes from: the HIPAA Security Rule paragraphs it serves (45 CFR, e.g.
 * "164.312(a)(2)(iv)") and the same control's id in the scanners clinics already know
 * (../shared/facts/compliance.md sections 5.2-5.4), so an auditor can map our ids onto theirs.
 */
export interface ControlRefs {
    /** 45 CFR Part 164 paragraphs, most specific first: "164.312(e)(2)(ii)", "164.308(a)(7)(ii)(A)". */
    hipaa: readonly string[];
    /** bridgecrewio/checkov ids: "CKV_AWS_16", "CKV2_AZURE_1". */
    checkov?: readonly string[];
    /** cdklabs/cdk-nag HIPAA.Security pack rules: "HIPAA.Security-RDSStorageEncrypted". */
    cdkNag?: readonly string[];
    /** aquasecurity/trivy-checks ids: "AVD-AWS-0080". */
    trivy?: readonly string[];
    /** Azure Policy built-in definitions by display name (and GUID where known). */
    azurePolicy?: readonly string[];
}

/** Judges one resource from its own type and inputs. Returns the reasons it is wrong (none: it passes). */
export interface ResourceRule extends RuleBase {
    kind: "resource";
    check(resource: ResourceInput): string[];
}

/** Judges resources in the context of the whole graph (ordering, references between resources). */
export interface StackRule extends RuleBase {
    kind: "stack";
    check(graph: Graph): Violation[];
    /** The resources the rule judges, for the evidence report (default: every resource of its `appliesTo` types). */
    covers?(graph: Graph): string[];
}

export type Rule = ResourceRule | StackRule;

/** "exempt": it fails, and every failure is covered by an exemption in the stack config that has not expired. */
export type RuleStatus = "pass" | "fail" | "exempt" | "not-applicable";

/** An exemption as a report shows it next to the rule it covers. */
export interface AppliedExemption {
    reason: string;
    expires: string;
    /** Resource names or keys it is limited to; absent: every resource. */
    resources?: string[];
    /** Past its last day: it no longer applies, the rule fails. */
    expired: boolean;
    /** Violations it covers (the rest, if any, still fail the rule). */
    covers: number;
}

export interface RuleResult {
    id: string;
    title: string;
    cloud: RuleCloud;
    severity: RuleSeverity;
    source: readonly string[];
    status: RuleStatus;
    violations: Violation[];
    /** Keys of the resources the rule judged: what an auditor reads as the control's scope. */
    covered: string[];
    category: RuleCategory;
    controls?: ControlRefs;
    /** The stack's exemption for this rule, if it has one (src/policy/exemptions.ts). */
    exemption?: AppliedExemption;
}
