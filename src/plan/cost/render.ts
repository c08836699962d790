import { table } from "../report/text";
import { catalogs } from "./catalog";
import type { CostReport } from "./types";

const usd = (n: number) => `$${n.toFixed(2)}`;
const qty = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
/** An amount of `r`, or what stands for it where the region has no catalog: never "$0.00". */
const amount = (r: CostReport, n: number | null) => (n === null ? `not priced for ${r.region}` : usd(n));

/** Where the prices come from, or why there are none. */
function priceSource(r: CostReport): string {
    if (r.catalogued) return `${r.region} prices as of ${r.catalogDate}`;
    const have = catalogs.filter((c) => c.cloud === r.cloud).map((c) => c.region);
    return `NOT PRICED: no ${r.cloud} price catalog for ${r.region} (catalogued: ${have.join(", ")})`;
}

/** Infracost-like table: one block per resource, `*` on usage-based lines, subtotals per tier. */
export function renderCost(r: CostReport): string {
    const rows: string[][] = [["Name", "Monthly qty", "Unit", "Monthly cost"]];
    for (const tier of Object.keys(r.tiers)) {
        rows.push([`[${tier}]`, "", "", ""]);
        for (const line of r.lines.filter((l) => (l.tier ?? "stack") === tier && l.components.length)) {
            rows.push([` ${line.name}`, "", "", ""]);
            for (const c of line.components) {
                const flag = c.status === "unverified" ? " (unverified price)" : "";
                rows.push([`  - ${c.name}${flag}`, qty(c.quantity), c.unit, `${amount(r, c.monthlyUsd)}${c.usageBased ? " *" : ""}`]);
            }
        }
        rows.push([`  subtotal ${tier}`, "", "", amount(r, r.tiers[tier])]);
    }
    rows.push(["OVERALL TOTAL", "", "", amount(r, r.totalUsd)]);
    return [
        `Monthly cost: ${r.cloud} ${r.region}, USD, 730 h/month, ${priceSource(r)}`,
        ...(r.catalogued ? [] : ["The quantities are what the stack would be billed for; no amount is priced."]),
        "",
        table(rows),
        "",
        `Baseline ${amount(r, r.baselineUsd)} | Usage* ${amount(r, r.usageUsd)} | Total ${amount(r, r.totalUsd)}`,
        `${r.lines.length - 1} resources ${r.catalogued ? "priced" : `billed (not priced for ${r.region})`}, ${r.free.length} free, ${r.notPriced.length} not priced`,
        "",
        "* usage-based, from these assumptions (override with emr:usage):",
        ...Object.entries(r.usage).map(([k, v]) => `  ${k}: ${v}`),
        ...(r.notPriced.length ? ["", "NOT PRICED (missing from the total):", ...r.notPriced.map((n) => `  ${n.resourceKey}: ${n.reason}`)] : []),
    ].join("\n");
}

/** The few lines the default plan prints: per-tier subtotals and the total. */
export function renderCostSummary(r: CostReport): string {
    const itemised = `npm run plan -- --stack ${r.stack} --cost`;
    if (r.totalUsd === null) {
        return [`Monthly cost (estimate, ${priceSource(r)}): not priced for ${r.region}`, `  what would be billed, with quantities and usage assumptions: ${itemised}`].join("\n");
    }
    const tiers = Object.entries(r.tiers).map(([t, v]) => `${t} ${amount(r, v)}`).join(", ");
    return [
        `Monthly cost (estimate, ${priceSource(r)}): ${usd(r.totalUsd)} = baseline ${amount(r, r.baselineUsd)} + usage* ${amount(r, r.usageUsd)}`,
        `  per tier: ${tiers}`,
        `  ${r.notPriced.length ? `${r.notPriced.length} resources NOT PRICED; ` : ""}itemised table and usage assumptions: ${itemised}`,
    ].join("\n");
}

/** Why the same EMR costs differently on the two clouds: read off the reports, not asserted. */
function differences(a: CostReport, b: CostReport): string[] {
    const has = (r: CostReport, id: RegExp) => r.lines.some((l) => l.components.some((c) => id.test(c.priceId)));
    const notes: string[] = [];
    const [aws, azure] = a.cloud === "aws" ? [a, b] : [b, a];
    if (has(azure, /^appgw-waf/) && has(aws, /^waf:/)) {
        notes.push("Web firewall: Application Gateway WAF_v2 has a fixed hourly price plus reserved capacity units (10 per minimum instance); AWS WAF bills per ACL, rule and request on top of a cheap ALB.");
    }
    if (has(aws, /^rds:.*multi-az/) && has(azure, /^mysql:/)) {
        notes.push("Database: both bill the standby's compute and storage (RDS Multi-AZ, MySQL zone-redundant HA).");
    }
    if (has(aws, /^nat:/) && !has(azure, /^nat:/)) {
        notes.push("Egress: AWS runs one NAT gateway (and public IPv4) per zone; Azure SNATs through one Standard LB outbound rule on a zone-redundant IP.");
    }
    if (has(aws, /^rds:extended-support/)) {
        notes.push("Database: RDS for MySQL 8.0 is past standard support (2026-07-31) and billed Extended Support per vCPU on primary and standby; moving to 8.4 removes that line.");
    }
    if (has(azure, /^log-analytics:/)) notes.push("Logs: Log Analytics ingestion costs several times CloudWatch Logs ingestion per GB.");
    if (has(azure, /^private-endpoint:/)) notes.push("Private access: Azure private endpoints are billed per hour; the AWS S3 gateway endpoint is free.");
    return notes;
}

/** Two estimates side by side per tier, with a short list of why they differ. */
export function renderCostComparison(a: CostReport, b: CostReport): string {
    const tiers = [...new Set([...Object.keys(a.tiers), ...Object.keys(b.tiers)])];
    const col = (r: CostReport) => `${r.cloud} ${r.region}`;
    return [
        table([
            ["Monthly USD", col(a), col(b)],
            // A tier one stack does not have costs it nothing; a region without a catalog prices none.
            ...tiers.map((t) => [t, amount(a, a.tiers[t] ?? (a.catalogued ? 0 : null)), amount(b, b.tiers[t] ?? (b.catalogued ? 0 : null))]),
            ["baseline", amount(a, a.baselineUsd), amount(b, b.baselineUsd)],
            ["usage*", amount(a, a.usageUsd), amount(b, b.usageUsd)],
            ["total", amount(a, a.totalUsd), amount(b, b.totalUsd)],
        ]),
        "",
        "Why they differ:",
        ...differences(a, b).map((n) => `- ${n}`),
    ].join("\n");
}
