import type { Plan } from "../plan";
import type { RuleResult } from "../../policy/types";
import { equivalents, markdownRow } from "../../policy/catalog";
import { unusedExemptions } from "../../policy/exemptions";
import { table } from "./text";

/**
 * The compliance reports: one line for the summary, the table of `--compliance`, and the evidence
 * report (compliance.md) an auditor reads: every control, its HIPAA paragraph, its status on this
 * stack, the resources it judged, and every exemption with its reason and last day.
 */

/** HIPAA Security Rule standards by paragraph (45 CFR Part 164 Subpart C), for grouping controls. */
const standards: Array<[prefix: string, name: string]> = [
    ["164.308(a)(1)", "Security management process: information system activity review"],
    ["164.308(a)(5)", "Security awareness: protection from malicious software"],
    ["164.308(a)(6)", "Security incident procedures: response and reporting"],
    ["164.308(a)(7)", "Contingency plan: backup, disaster recovery, emergency mode"],
    ["164.310(d)", "Device and media controls: data backup and storage"],
    ["164.312(a)", "Access control: unique identity, encryption"],
    ["164.312(b)", "Audit controls"],
    ["164.312(c)", "Integrity"],
    ["164.312(d)", "Person or entity authentication"],
    ["164.312(e)", "Transmission security"],
    ["164.316(b)", "Documentation: retention"],
];

/** The standard a control is filed under: its first (most specific) HIPAA paragraph. */
export const standardOf = (r: Pick<RuleResult, "controls">): string => {
    const ref = r.controls?.hipaa[0] ?? "";
    return standards.find(([prefix]) => ref.startsWith(prefix))?.join(" ") ?? ref;
};

/** The stack's compliance controls: the neutral ones and its own cloud's (the other cloud's rules are not its controls). */
export const complianceResults = (plan: Pick<Plan, "rules" | "cloud">): RuleResult[] =>
    plan.rules.filter((r) => r.category === "compliance" && (r.cloud === "any" || r.cloud === plan.cloud));

function counts(results: RuleResult[]) {
    const n = (s: RuleResult["status"]) => results.filter((r) => r.status === s).length;
    return { pass: n("pass"), fail: n("fail"), exempt: n("exempt"), na: n("not-applicable") };
}

/** The summary's line: counts, the failing and exempt controls by id, stale exemptions. */
export function complianceLine(plan: Pick<Plan, "rules" | "cloud">): string {
    const results = complianceResults(plan);
    const c = counts(results);
    const ids = (s: RuleResult["status"]) => results.filter((r) => r.status === s).map((r) => (s === "exempt" ? `${r.id} (until ${r.exemption!.expires})` : r.id));
    const expired = results.filter((r) => r.exemption?.expired).map((r) => `${r.id} (expired ${r.exemption!.expires})`);
    const unused = unusedExemptions(results).map((r) => r.id);
    return [
        `${c.pass} of ${results.length - c.na} HIPAA controls pass, ${c.fail} fail, ${c.exempt} exempt (${c.na} not applicable)`,
        ...(c.fail ? [`failing: ${ids("fail").join(", ")}`] : []),
        ...(expired.length ? [`exemptions expired: ${expired.join(", ")}`] : []),
        ...(c.exempt ? [`exempt: ${ids("exempt").join(", ")}`] : []),
        ...(unused.length ? [`exemptions covering nothing (remove them): ${unused.join(", ")}`] : []),
        "--compliance lists each control",
    ].join("; ");
}

const statusWord = (r: RuleResult) => (r.status === "not-applicable" ? "n/a" : r.status === "fail" ? "FAIL" : r.status);

/** `--compliance`: one row per control, then each failure and exemption in words. */
export function renderCompliance(plan: Pick<Plan, "stack" | "cloud" | "rules">): string {
    const results = complianceResults(plan);
    const rows = results.map((r) => [r.id, statusWord(r), r.controls?.hipaa.join(", ") ?? "", String(r.covered.length), r.title]);
    const notes = results.flatMap((r) => [
        ...r.violations.map((v) => `${r.status === "exempt" ? "exempt" : "FAIL"} ${r.id} ${v.resourceKey}: ${v.reason}`),
        ...(r.exemption ? [`exemption ${r.id}: "${r.exemption.reason}" until ${r.exemption.expires}${r.exemption.expired ? " (EXPIRED: the control fails again)" : ""}${r.exemption.resources ? `, for ${r.exemption.resources.join(", ")}` : ""}`] : []),
    ]);
    return [
        `Compliance of ${plan.stack}: ${complianceLine(plan)}`,
        "",
        table([["control", "status", "HIPAA (45 CFR)", "resources", "what it checks"], ...rows]),
        ...(notes.length ? ["", ...notes] : []),
    ].join("\n");
}

/** compliance.md: the evidence report of one stack, grouped by HIPAA standard. */
export function complianceMarkdown(plan: Pick<Plan, "stack" | "cloud" | "rules">, today: string): string {
    const results = complianceResults(plan);
    const groups = new Map<string, RuleResult[]>();
    for (const r of results) groups.set(standardOf(r), [...(groups.get(standardOf(r)) ?? []), r]);
    const exempted = results.filter((r) => r.exemption);
    return [
        `# Compliance evidence: stack ${plan.stack} (${plan.cloud})`,
        "",
        `Generated ${today} by \`npm run plan -- --stack ${plan.stack}\` from the resources the program declares (offline, no cloud calls; the same rules run in \`pulumi preview --policy-pack policy\`).`,
        "",
        complianceLine(plan),
        "",
        ...[...groups.entries()].flatMap(([standard, rs]) => [
            `## ${standard}`,
            "",
            markdownRow(["control", "status", "HIPAA", "what it checks", "resources judged", "same control elsewhere"]),
            markdownRow(["---", "---", "---", "---", "---", "---"]),
            ...rs.map((r) => markdownRow([r.id, statusWord(r), r.controls?.hipaa.join(", ") ?? "", r.title, r.covered.map((k) => `\`${k}\``).join("<br>") || "-", equivalents(r)])),
            "",
            ...rs.flatMap((r) => r.violations.map((v) => `- ${r.status === "exempt" ? "Exempt" : "**Fails**"}: ${r.id} on \`${v.resourceKey}\`: ${v.reason}`)),
            ...(rs.some((r) => r.violations.length) ? [""] : []),
        ]),
        "## Exemptions",
        "",
        ...(exempted.length
            ? exempted.map((r) => `- ${r.id}: ${r.exemption!.reason} (until ${r.exemption!.expires}${r.exemption!.expired ? ", EXPIRED" : ""}${r.exemption!.resources ? `; for ${r.exemption!.resources.join(", ")}` : ""}; covers ${r.exemption!.covers} finding(s))`)
            : ["None: every applicable control holds without one."]),
        "",
        "## Sources",
        "",
        ...results.map((r) => `- ${r.id}: ${r.source.join("; ")}`),
        "",
    ].join("\n");
}
