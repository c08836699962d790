import { basename, dirname } from "node:path";
import type { CostReport } from "../cost/types";
import type { Plan } from "../plan";
import { tierNames, worstOutcome, zoneName, type TierName } from "../zones";
import { complianceLine } from "./compliance";
import { countLine, deployRulesLine, duration, placeholderNotice, verdict } from "./text";

const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const tierLabel: Record<TierName, string> = { ingress: "Ingress", web: "Web", sessions: "Sessions", egress: "Egress", database: "Database", "shared-files": "Shared files" };
/** Cost tiers are the tier components (emr-net, ...); "stack" holds the stack-wide data transfer lines. */
const costTierLabel = (t: string) => (t === "stack" ? "data transfer" : t.replace(/^emr-/, ""));

const sumUsd = (xs: Array<number | null>): number | null => (xs.some((x) => x === null) ? null : xs.reduce<number>((s, x) => s + (x ?? 0), 0));

/** The monthly total at minimum servers, what the maximum would cost, and how much rests on unverified prices. */
export function costFigures(plan: Plan, cost: CostReport): { total: number; atMax: number | null; unverified: number } | null {
    if (cost.totalUsd === null) return null;
    const components = cost.lines.flatMap((l) => l.components);
    const serverUsd = sumUsd(cost.lines.filter((l) => plan.servers.keys.includes(l.resourceKey)).flatMap((l) => l.components.map((c) => c.monthlyUsd)));
    // Every line of a server group scales with its server count (instances, disks, per-instance metrics).
    const { min, max } = plan.servers;
    const atMax = max > min && min > 0 && serverUsd !== null ? cost.totalUsd + (serverUsd * (max - min)) / min : null;
    const unverified = sumUsd(components.filter((c) => c.status === "unverified").map((c) => c.monthlyUsd)) ?? 0;
    return { total: cost.totalUsd, atMax, unverified };
}

function costLines(plan: Plan, cost: CostReport): string[] {
    const f = costFigures(plan, cost);
    if (!f) return [`not priced for ${cost.region} (no price catalog for this region); what would be billed: npm run plan -- --stack ${plan.stack} --cost`];
    const range = f.atMax === null ? "" : ` at ${plan.servers.min} servers, up to ${usd(f.atMax)} at ${plan.servers.max}`;
    const share = f.total > 0 ? Math.round((100 * f.unverified) / f.total) : 0;
    const tiers = Object.entries(cost.tiers).map(([t, v]) => `${costTierLabel(t)} ${v === null ? "not priced" : usd(v)}`);
    return [
        `${usd(f.total)} a month${range} (${cost.region} list prices of ${cost.catalogDate})`,
        `${f.unverified > 0 ? `${usd(f.unverified)} of it (${share}%) rests on unverified prices (one weak source or derived)` : "none of it rests on an unverified price (each read at a source or agreed by several)"}${cost.notPriced.length ? `; ${cost.notPriced.length} resources NOT PRICED, missing from the total` : ""}`,
        `by tier: ${tiers.join(", ")}; itemised: --cost`,
    ];
}

/** One sentence on a zone loss: the verdict, then what is slower or smaller meanwhile. */
export function zoneVerdict(plan: Plan): string {
    const down = plan.zoneFailure.flatMap((f) => f.tiers.filter((t) => !t.survives).map((t) => `losing ${zoneName(f.zone)} stops ${t.tier} (${verdict(t)})`));
    if (down.length) return `NOT zone-redundant: ${down.join("; ")}`;
    const effects = tierNames.flatMap((tier) => {
        const o = worstOutcome(plan.zoneFailure.map((f) => f.tiers.find((t) => t.tier === tier)!));
        if (o.degraded) return [`${tier} degraded (${o.detail.replace(/ \(at minimum capacity\)/, "")})${o.recovers ? ` until replacements serve, ${duration(o.recoverySeconds)}` : ", not restored"}`];
        // Sessions surviving is what clinicians notice: said in so many words, with the store's switch-over.
        if (tier === "sessions") return [`sessions kept, clinicians stay signed in${o.recoverySeconds[1] > 0 ? ` (store switch-over ${duration(o.recoverySeconds)})` : ""}`];
        return o.recoverySeconds[1] > 0 ? [`${tier} switch-over ${duration(o.recoverySeconds)}`] : [];
    });
    return `every tier keeps serving after the loss of any one zone${effects.length ? `; ${effects.join("; ")}` : ""}`;
}

/** The stack outputs: their names are real, their values offline stand-ins. */
function outputLines(plan: Plan): string[] {
    const value = (v: unknown) => (Array.isArray(v) ? v.map(String).join(", ") : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
    // The address to open first, then the rest in a stable order.
    const keys = Object.keys(plan.outputs).sort((a, b) => Number(b === "url") - Number(a === "url") || a.localeCompare(b));
    return keys.map((k) => `${k}: ${value(plan.outputs[k])}`);
}

/** Label, then lines indented under it. */
function block(label: string, lines: string[]): string[] {
    const pad = " ".repeat(14);
    return lines.map((l, i) => (i === 0 ? label.padEnd(14) : pad) + l);
}

/** The first screen: what is built, where, what it costs, what a zone loss does, the outputs, the files. */
export function renderSummary(plan: Plan, cost: CostReport, written: string[]): string {
    const dir = written.length ? dirname(written[0]) : "";
    return [
        `Plan of stack ${plan.stack}: ${plan.cloud.toUpperCase()} ${cost.region} over zones ${plan.zones.join(", ")} (offline, no cloud calls)`,
        ...placeholderNotice(plan),
        "",
        ...plan.built.flatMap((b) => block(tierLabel[b.tier], [b.text])),
        ...block("", [`${countLine(plan)}; tree and per-type table: --tree`]),
        "",
        ...block("Monthly cost", costLines(plan, cost)),
        ...block("Zone loss", [zoneVerdict(plan)]),
        ...block("Availability", [`composite SLA ${plan.availability.compositePercent.toFixed(3)}%: the level below which the providers owe service credits, not a cap on downtime`]),
        ...block("Deploy rules", [deployRulesLine(plan).replace(/^Deploy rules: /, "")]),
        ...block("Compliance", [complianceLine(plan)]),
        ...block("Outputs", [...outputLines(plan), "(offline stand-ins; after `pulumi up`: pulumi stack output)"]),
        ...(written.length ? block("Wrote", [`${dir}/: ${written.map((w) => basename(w)).join(", ")}`]) : []),
    ].join("\n");
}
