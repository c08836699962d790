import type { CostReport } from "./cost/types";
import type { Plan, PlanResource } from "./plan";
import { verdict } from "./report/text";
import { zoneName } from "./zones";

/** A plan.json as written: the plan and its cost (the cost may be absent from hand-made files). */
export type SavedPlan = Plan & { cost?: Pick<CostReport, "totalUsd"> };

export interface InputChange {
    path: string;
    before: unknown;
    after: unknown;
}

export interface PlanDiff {
    added: Array<Pick<PlanResource, "key" | "type" | "name">>;
    removed: Array<Pick<PlanResource, "key" | "type" | "name">>;
    changed: Array<Pick<PlanResource, "key" | "type" | "name"> & { inputs: InputChange[] }>;
    monthlyUsd: { before: number | null; after: number | null };
    /** Zone x tier cells whose verdict changed, e.g. "us-east-1a egress". */
    zoneLoss: Array<{ zone: string; tier: string; before: string; after: string }>;
    rules: Array<{ id: string; before: string; after: string }>;
    built: Array<{ tier: string; before: string; after: string }>;
}

/** Leaf paths of a value: `a.b[0].c` -> value. */
function leaves(value: unknown, path = "", into = new Map<string, unknown>()): Map<string, unknown> {
    if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${path}[${i}]`, into));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, into);
    else into.set(path, value);
    return into;
}

function inputChanges(before: Record<string, unknown>, after: Record<string, unknown>): InputChange[] {
    const [a, b] = [leaves(before), leaves(after)];
    return [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).map((path) => ({ path, before: a.get(path), after: b.get(path) }));
}

const ref = (r: PlanResource) => ({ key: r.key, type: r.type, name: r.name });

/** What a config change does to a stack: resources, inputs, the bill, zone survival, deploy rules. */
export function diffPlans(before: SavedPlan, after: Plan, afterCost: Pick<CostReport, "totalUsd">): PlanDiff {
    const old = new Map(before.resources.map((r) => [r.key, r]));
    const now = new Map(after.resources.map((r) => [r.key, r]));
    // A plan.json written before `degraded`/`recovers` existed reads as it was meant then.
    const cells = (p: Plan) =>
        new Map<string, string>(p.zoneFailure.flatMap((f) => f.tiers.map((t) => [`${f.zone}\u0000${t.tier}`, verdict({ ...t, degraded: t.degraded ?? false, recovers: t.recovers ?? t.survives })])));
    const [cellsBefore, cellsAfter] = [cells(before), cells(after)];
    const statuses = (p: Plan) => new Map((p.rules ?? []).map((r) => [r.id, r.status as string]));
    const [rulesBefore, rulesAfter] = [statuses(before), statuses(after)];
    const builtOf = (p: Plan) => new Map((p.built ?? []).map((b) => [b.tier as string, b.text]));
    const [builtBefore, builtAfter] = [builtOf(before), builtOf(after)];
    const changedIn = <T>(a: Map<string, T>, b: Map<string, T>) => [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
    return {
        added: after.resources.filter((r) => !old.has(r.key)).map(ref),
        removed: before.resources.filter((r) => !now.has(r.key)).map(ref),
        changed: after.resources.flatMap((r) => {
            const o = old.get(r.key);
            const inputs = o ? inputChanges(o.inputs, r.inputs) : [];
            return inputs.length ? [{ ...ref(r), inputs }] : [];
        }),
        monthlyUsd: { before: before.cost?.totalUsd ?? null, after: afterCost.totalUsd },
        zoneLoss: changedIn(cellsBefore, cellsAfter).map((k) => {
            const [zone, tier] = k.split("\u0000");
            return { zone, tier, before: cellsBefore.get(k) ?? "(no such cell)", after: cellsAfter.get(k) ?? "(no such cell)" };
        }),
        rules: changedIn(rulesBefore, rulesAfter).map((id) => ({ id, before: rulesBefore.get(id) ?? "absent", after: rulesAfter.get(id) ?? "absent" })),
        built: changedIn(builtBefore, builtAfter).map((tier) => ({ tier, before: builtBefore.get(tier) ?? "-", after: builtAfter.get(tier) ?? "-" })),
    };
}

/** A value short enough for a PR comment: long text (boot configs) by its length only. */
function short(v: unknown): string {
    if (v === undefined) return "(unset)";
    const text = typeof v === "string" ? JSON.stringify(v) : String(v);
    return text.length > 48 ? `(${text.length} chars)` : text;
}

const money = (n: number | null) => (n === null ? "not priced" : `$${n.toFixed(2)}`);

/** The diff as a reviewer reads it: + added, - removed, ~ changed, then bill, zones, rules. */
export function renderDiff(d: PlanDiff, oldPath: string, stack: string): string {
    const perResource = 4;
    const lines = [
        `Changes of ${stack} against ${oldPath}: ${d.added.length} resources added, ${d.removed.length} removed, ${d.changed.length} changed`,
        ...d.added.map((r) => `  + ${r.name}  ${r.type}`),
        ...d.removed.map((r) => `  - ${r.name}  ${r.type}`),
        ...d.changed.flatMap((r) => [
            `  ~ ${r.name}  ${r.type}`,
            ...r.inputs.slice(0, perResource).map((c) => `      ${c.path}: ${short(c.before)} -> ${short(c.after)}`),
            ...(r.inputs.length > perResource ? [`      ... and ${r.inputs.length - perResource} more inputs`] : []),
        ]),
    ];
    const { before, after } = d.monthlyUsd;
    const delta = before !== null && after !== null ? ` (${after - before >= 0 ? "+" : "-"}$${Math.abs(after - before).toFixed(2)})` : "";
    lines.push(`Monthly cost: ${money(before)} -> ${money(after)}${delta}`);
    lines.push(
        d.zoneLoss.length
            ? `Zone loss: ${d.zoneLoss.map((z) => `${zoneName(z.zone)} lost, ${z.tier}: ${z.before} -> ${z.after}`).join("; ")}`
            : "Zone loss: unchanged",
    );
    if (d.rules.length) lines.push(`Deploy rules: ${d.rules.map((r) => `${r.id} ${r.before} -> ${r.after}`).join("; ")}`);
    for (const b of d.built) lines.push(`Built, ${b.tier}: ${b.before} -> ${b.after}`);
    return lines.join("\n");
}
