import { createHash } from "node:crypto";
import { covers } from "./exemptions";
import { ruleUrl } from "./ruleUrl";
import type { Rule, RuleResult, Violation } from "./types";

/**
 * Rule results as a SARIF 2.1.0 log (OASIS SARIF 2.1.0 Errata 01; schema vendored in
 * tests/policy/fixtures), shaped for GitHub code scanning's upload
 * (https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support-for-code-scanning):
 * - one run per stack, each with its own `automationDetails.id` (the code scanning "category"):
 *   GitHub stopped combining runs of one tool and category in one file, such an upload fails
 *   (https://github.blog/changelog/label/deprecation, "multiple SARIF runs with the same tool and category");
 * - `tool.driver.rules` lists every rule (reportingDescriptor: id, name, short/full description,
 *   helpUri, defaultConfiguration.level, properties.tags), each result names its `ruleId` and
 *   `ruleIndex` into that list (SARIF 3.27.5-3.27.6);
 * - a result's location: a physicalLocation, the stack file `Pulumi.<stack>.yaml` (relative to the
 *   repository root, where the stack files are; code scanning needs a file to annotate), at line 1
 *   (the errata schema's region requires a startLine), and a logicalLocation, the resource
 *   (`type::name`, kind "resource", SARIF 3.33.7 allows tool-defined kinds);
 * - every result of one stack file sits at line 1, so the line hash the upload action would compute
 *   for a missing fingerprint could not tell two resources apart: each result carries its own
 *   `partialFingerprints.primaryLocationLineHash`, a hash of stack, rule and resource;
 * - a violation covered by an unexpired stack exemption carries a suppression of kind "external"
 *   (declared outside the analysed source: emr:complianceExemptions, SARIF 3.35.2) whose
 *   justification is the exemption's reason and last day; an expired exemption suppresses nothing.
 */

export interface SarifStackRun {
    stack: string;
    results: readonly RuleResult[];
}

export interface SarifTool {
    /** The version of emr-ha that judged the stacks (package.json). */
    version: string;
    /** Where the rules are documented (the repository's README), if known. */
    informationUri?: string;
}

type Level = "error" | "warning" | "note";

const levelOf = (severity: Rule["severity"]): Level => (severity === "error" ? "error" : "warning");

const tags = (rule: Pick<Rule, "category" | "cloud" | "controls">) => [rule.category, rule.cloud, ...(rule.controls?.hipaa ?? []).map((h) => `HIPAA ${h}`)];

function descriptor(rule: Rule) {
    const url = ruleUrl(rule);
    const hipaa = rule.controls ? ` HIPAA Security Rule: 45 CFR ${rule.controls.hipaa.join(", ")}.` : "";
    return {
        id: rule.id,
        name: rule.id,
        shortDescription: { text: rule.title },
        fullDescription: { text: `${rule.title} (${rule.category} rule, ${rule.cloud === "any" ? "every cloud" : rule.cloud}).${hipaa}` },
        ...(url ? { helpUri: url } : {}),
        help: { text: `Sources:\n${rule.source.join("\n")}` },
        defaultConfiguration: { level: levelOf(rule.severity) },
        properties: { tags: tags(rule), category: rule.category, ...(rule.controls ? { controls: rule.controls } : {}) },
    };
}

/** The suppression an unexpired exemption gives a violation it covers; none otherwise. */
function suppression(result: RuleResult, violation: Violation) {
    const e = result.exemption;
    if (!e || e.expired || !covers(e, violation)) return undefined;
    return { kind: "external", status: "accepted", justification: `${e.reason} (emr:complianceExemptions, until ${e.expires})` };
}

function sarifResult(stack: string, result: RuleResult, ruleIndex: number, violation: Violation) {
    const suppressed = suppression(result, violation);
    const expired = result.exemption?.expired && covers(result.exemption, violation) ? ` Its exemption expired after ${result.exemption.expires}.` : "";
    const name = violation.resourceKey.split("::").slice(1).join("::");
    return {
        ruleId: result.id,
        ruleIndex,
        level: levelOf(result.severity),
        message: { text: `${result.id} ${violation.resourceKey}: ${violation.reason}${expired}` },
        locations: [
            {
                physicalLocation: { artifactLocation: { uri: `Pulumi.${stack}.yaml` }, region: { startLine: 1 } },
                logicalLocations: [{ name, fullyQualifiedName: violation.resourceKey, kind: "resource" }],
            },
        ],
        partialFingerprints: { primaryLocationLineHash: createHash("sha256").update(`${stack}\n${result.id}\n${violation.resourceKey}`).digest("hex") },
        ...(suppressed ? { suppressions: [suppressed] } : {}),
        properties: { stack, category: result.category },
    };
}

/** A SARIF 2.1.0 log of the rules' verdicts on each stack: one result per violation. */
export function toSarif(runs: readonly SarifStackRun[], rules: readonly Rule[], tool: SarifTool) {
    const index = new Map(rules.map((r, i) => [r.id, i]));
    const driver = {
        name: "emr-ha",
        version: tool.version,
        ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
        rules: rules.map(descriptor),
    };
    return {
        $schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        version: "2.1.0",
        runs: runs.map(({ stack, results }) => ({
            tool: { driver },
            automationDetails: { id: `emr-ha/${stack}/` },
            results: results.flatMap((result) => {
                const ruleIndex = index.get(result.id);
                if (ruleIndex === undefined) throw new Error(`sarif: result of rule ${result.id}, which is not in the rule list`);
                return result.violations.map((v) => sarifResult(stack, result, ruleIndex, v));
            }),
        })),
    };
}
