import { summarize } from "../../policy";
import type { ChainLink } from "../availability";
import { placementLabel } from "../placement";
import { componentCount, resourceCount, type Plan, type PlanResource } from "../plan";
import { tierNames, zoneName, type TierOutcome } from "../zones";

/** Formats seconds as "60-120 s", "0 s" or "5 min". */
export function duration([min, max]: [number, number]): string {
    const one = (s: number) => (s >= 600 ? `${Math.round(s / 60)} min` : `${s} s`);
    return min === max ? one(max) : `${one(min)}-${one(max)}`;
}

/** Pads columns of a table to equal widths. */
export function table(rows: string[][]): string {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
    return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd()).join("\n");
}

type Outcome = Pick<TierOutcome, "survives" | "degraded" | "recovers" | "recoverySeconds">;

/** What a zone loss does to a tier, in the words the legend explains; one meaning per word. */
export function verdict(o: Outcome): string {
    const t = duration(o.recoverySeconds);
    if (!o.survives) return o.recovers ? `DOWN, back in ${t}` : "DOWN, not recovered";
    if (o.degraded) return o.recovers ? `degraded, full in ${t}` : "degraded, not restored";
    return o.recoverySeconds[1] > 0 ? `switch-over ${t}` : "no interruption";
}

export const verdictLegend = [
    "no interruption: keeps serving as before",
    "switch-over T: keeps serving after requests fail for up to T while traffic moves (the recovery time)",
    "degraded, full in T: keeps serving with fewer servers; T until replacements restore the capacity",
    "DOWN, back in T: stops serving until something in another zone takes over, after T",
    "DOWN, not recovered: stops serving; nothing takes over until the zone returns (or an operator acts)",
].map((l) => `  ${l}`);

/** A link's chain view of the same verdict, from its worst zone loss. */
const linkOutcome = (l: ChainLink): Outcome => ({ ...l, recoverySeconds: l.rtoSeconds });

/** The resource tree, one block per tier, with the zone of every zonal or zone-spread resource. */
export function resourceTree(plan: Plan): string {
    const children = new Map<string | null, PlanResource[]>();
    for (const r of plan.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const lines: string[] = [];
    const walk = (r: PlanResource, depth: number) => {
        const where = ["zonal", "zone-redundant"].includes(r.placement.kind) ? `  [${placementLabel(r.placement)}]` : "";
        const protect = r.protect ? "  (protected)" : "";
        const component = r.placement.kind === "component" ? "  (tier component)" : "";
        lines.push(`${"  ".repeat(depth)}${depth ? "- " : ""}${r.name}  ${r.type}${component}${where}${protect}`);
        for (const child of children.get(r.key) ?? []) walk(child, depth + 1);
    };
    for (const root of children.get(null) ?? []) walk(root, 0);
    return lines.join("\n");
}

export function typeTotals(plan: Plan): string {
    const rows = Object.entries(plan.totalsByType).sort(([a], [b]) => a.localeCompare(b));
    return table([["type", "resources"], ...rows.map(([t, n]) => [t, String(n)]), ["total (tier components not counted)", String(rows.reduce((s, [, n]) => s + n, 0))]]);
}

/** Zone x tier: the verdict per cell, the details of every cell that is not "no interruption", and the legend. */
export function zoneTable(plan: Plan): string {
    const header = ["zone lost", ...tierNames];
    const rows = plan.zoneFailure.map((f) => [zoneName(f.zone), ...tierNames.map((t) => verdict(f.tiers.find((x) => x.tier === t)!))]);
    const notes = plan.zoneFailure.flatMap((f) =>
        f.tiers
            .filter((o) => verdict(o) !== "no interruption")
            .map((o) => `  ${zoneName(f.zone)} lost, ${o.tier}: ${o.detail}; ${o.mechanism}${o.rpo === null ? "" : `; data loss (RPO) ${o.rpo === "0" ? "none" : o.rpo}`}`),
    );
    return [table([header, ...rows]), "", ...notes, ...(notes.length ? [""] : []), ...verdictLegend].join("\n");
}

/** SLA status words: how far each number can be trusted (facts/prices.md, "How to read the status column"). */
export const statusLegend =
    "  verified: read at a primary source (the provider's SLA or price page, a machine-generated price list); corroborated: several secondary sources agree; unverified: one weak source or derived, not read at a source";

export function availabilityTable(plan: Plan): string {
    const a = plan.availability;
    const rows = a.links.map((l) => [l.tier, l.sla.service, `${l.sla.percent}%`, l.sla.status, verdict(linkOutcome(l)), l.rpo === null ? "-" : l.rpo === "0" ? "none" : l.rpo, l.sla.source]);
    return [
        table([["link", "service", "SLA", "status", "worst zone loss", "data loss", "source"], ...rows]),
        "",
        `Composite SLA ${a.compositePercent.toFixed(3)}% (every link is needed, so the SLAs multiply): the monthly uptime below which the providers owe service credits (${a.allowedDowntimeMinutesPerMonth.toFixed(1)} min of a 730 h month). It is not a cap on downtime.`,
        statusLegend,
        "  data loss: what a zone loss can lose (RPO); - for links that hold no data",
    ].join("\n");
}

/** The config stand-ins, first thing in the report so nobody takes the plan for the real config. */
export function placeholderNotice(plan: Plan): string[] {
    if (!plan.configPlaceholders.length) return [];
    return [
        "",
        "CONFIG PLACEHOLDERS: this plan stands in for values it does not have:",
        ...plan.configPlaceholders.map((p) => `  ${p.key} (${p.reason === "not-set" ? "not set" : "encrypted"}): planned with ${p.plannedWith}; ${p.action}`),
    ];
}

/** One line: how the deploy rules came out, naming the failing ones. */
export function deployRulesLine(plan: Pick<Plan, "rules">): string {
    const rules = plan.rules.filter((r) => r.category === "deploy");
    const n = summarize(rules);
    const failing = (severity: string) => rules.filter((r) => r.status === "fail" && r.severity === severity).map((r) => r.id);
    const named = [failing("error").length ? `failing: ${failing("error").join(", ")}` : "", failing("warning").length ? `warnings: ${failing("warning").join(", ")}` : ""];
    return `Deploy rules: ${n.passed} passed, ${n.failed} failed, ${n.warnings} warnings (${n.notApplicable} not applicable)${named.some(Boolean) ? `; ${named.filter(Boolean).join("; ")}; --check lists each violation` : ""}`;
}

/** What the counts count, said the same way everywhere. */
export const countLine = (plan: Plan): string => `${resourceCount(plan)} resources, grouped in ${componentCount(plan)} tier components`;

/** The tree and the per-type table (`--tree`): reference material, plan.json holds the same. */
export function renderTree(plan: Plan): string {
    return [`Resources of ${plan.stack}: ${countLine(plan)}`, "", resourceTree(plan), "", "Resources per type", typeTotals(plan)].join("\n");
}

/** The details after the summary: the zone table and the availability chain. */
export function renderDetails(plan: Plan): string {
    return [
        "Loss of one zone",
        zoneTable(plan),
        plan.unclassified.length ? `\nUnclassified resource types (no placement rule): ${plan.unclassified.join(", ")}` : "",
        "",
        "Availability (SLA chain: load balancer x web servers x database x shared files)",
        availabilityTable(plan),
    ].join("\n");
}
