import { summarize } from "../../policy";
import { placementLabel } from "../placement";
import type { Plan, PlanResource } from "../plan";
import { tierNames } from "../zones";

/** Formats seconds as "60-120 s", "0 s" or "5 min". */
export function duration([min, max]: [number, number]): string {
    const one = (s: number) => (s >= 600 ? `${Math.round(s / 60)} min` : `${s} s`);
    if (max === 0) return "none";
    return min === max ? one(max) : `${one(min)}-${one(max)}`;
}

/** Pads columns of a table to equal widths. */
export function table(rows: string[][]): string {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
    return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd()).join("\n");
}

/** The resource tree, one block per tier, with the zone of every zonal or zone-spread resource. */
export function resourceTree(plan: Plan): string {
    const children = new Map<string | null, PlanResource[]>();
    for (const r of plan.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const lines: string[] = [];
    const walk = (r: PlanResource, depth: number) => {
        const where = ["zonal", "zone-redundant"].includes(r.placement.kind) ? `  [${placementLabel(r.placement)}]` : "";
        const protect = r.protect ? "  (protected)" : "";
        lines.push(`${"  ".repeat(depth)}${depth ? "- " : ""}${r.name}  ${r.type}${where}${protect}`);
        for (const child of children.get(r.key) ?? []) walk(child, depth + 1);
    };
    for (const root of children.get(null) ?? []) walk(root, 0);
    return lines.join("\n");
}

export function typeTotals(plan: Plan): string {
    const rows = Object.entries(plan.totalsByType).sort(([a], [b]) => a.localeCompare(b));
    return table([["type", "count"], ...rows.map(([t, n]) => [t, String(n)]), ["total", String(rows.reduce((s, [, n]) => s + n, 0))]]);
}

/** Zone x tier: the verdict, what takes over and how long it takes. */
export function zoneTable(plan: Plan): string {
    const header = ["zone lost", ...tierNames];
    const rows = plan.zoneFailure.map((f) => [
        f.zone,
        ...tierNames.map((t) => {
            const o = f.tiers.find((x) => x.tier === t)!;
            return `${o.survives ? "ok" : "DOWN"} ${duration(o.recoverySeconds)}`;
        }),
    ]);
    const notes = plan.zoneFailure.flatMap((f) =>
        f.tiers.filter((o) => !o.survives || o.recoverySeconds[1] > 0).map((o) => `  ${f.zone} ${o.tier}: ${o.detail}; ${o.mechanism}; RPO ${o.rpo}`),
    );
    return [table([header, ...rows]), "", ...notes].join("\n");
}

export function availabilityTable(plan: Plan): string {
    const a = plan.availability;
    const rows = a.links.map((l) => [l.tier, l.sla.service, `${l.sla.percent}%`, l.sla.status, duration(l.rtoSeconds), l.rpo, l.sla.source]);
    return [
        table([["link", "service", "SLA", "status", "RTO (zone loss)", "RPO", "source"], ...rows]),
        "",
        `Composite (serial chain): ${a.compositePercent.toFixed(3)}%  ->  up to ${a.allowedDowntimeMinutesPerMonth.toFixed(1)} min of downtime a month`,
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
export function deployRulesLine(plan: Plan): string {
    const n = summarize(plan.rules);
    const failing = (severity: string) => plan.rules.filter((r) => r.status === "fail" && r.severity === severity).map((r) => r.id);
    const named = [failing("error").length ? `failing: ${failing("error").join(", ")}` : "", failing("warning").length ? `warnings: ${failing("warning").join(", ")}` : ""];
    return `Deploy rules: ${n.passed} passed, ${n.failed} failed, ${n.warnings} warnings (${n.notApplicable} not applicable)${named.some(Boolean) ? `; ${named.filter(Boolean).join("; ")}; --check lists each violation` : ""}`;
}

/** The whole printed plan. */
export function renderText(plan: Plan): string {
    const failing = plan.zoneFailure.filter((f) => f.tiers.some((t) => !t.survives));
    return [
        `Offline plan of stack ${plan.stack} (${plan.cloud}, zones ${plan.zones.join(", ")}): ${plan.resources.length} resources, computed under mocks`,
        ...placeholderNotice(plan),
        "",
        resourceTree(plan),
        "",
        "Resources per type",
        typeTotals(plan),
        "",
        "Loss of one zone",
        zoneTable(plan),
        failing.length
            ? `\nNOT zone-redundant: losing ${failing.map((f) => `${f.zone} (${f.tiers.filter((t) => !t.survives).map((t) => t.tier).join(", ")})`).join("; ")} takes a tier down.`
            : "\nEvery tier survives the loss of any one zone.",
        plan.unclassified.length ? `Unclassified resource types (no placement rule): ${plan.unclassified.join(", ")}` : "",
        "",
        "Availability",
        availabilityTable(plan),
        "",
        deployRulesLine(plan),
    ].join("\n");
}
