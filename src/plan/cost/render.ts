import { table } from "../report/text";
import type { CostReport } from "./types";

const usd = (n: number) => `$${n.toFixed(2)}`;
const qty = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** Infracost-like table: one block per resource, `*` on usage-based lines, subtotals per tier. */
export function renderCost(r: CostReport): string {
    const rows: string[][] = [["Name", "Monthly qty", "Unit", "Monthly cost"]];
    for (const tier of Object.keys(r.tiers)) {
        rows.push([`[${tier}]`, "", "", ""]);
        for (const line of r.lines.filter((l) => (l.tier ?? "stack") === tier && l.components.length)) {
            rows.push([` ${line.name}`, "", "", ""]);
            for (const c of line.components) {
                const flag = c.status === "unverified" ? " (unverified price)" : "";
                rows.push([`  - ${c.name}${flag}`, qty(c.quantity), c.unit, `${usd(c.monthlyUsd)}${c.usageBased ? " *" : ""}`]);
            }
        }
        rows.push([`  subtotal ${tier}`, "", "", usd(r.tiers[tier])]);
    }
    rows.push(["OVERALL TOTAL", "", "", usd(r.totalUsd)]);
    return [
        `Monthly cost: ${r.cloud} ${r.region}, USD, 730 h/month, prices as of ${r.catalogDate}`,
        "",
        table(rows),
        "",
        `Baseline ${usd(r.baselineUsd)} | Usage* ${usd(r.usageUsd)} | Total ${usd(r.totalUsd)}`,
        `${r.lines.length - 1} resources priced, ${r.free.length} free, ${r.notPriced.length} not priced`,
        "",
        "* usage-based, from these assumptions (override with emr:usage):",
        ...Object.entries(r.usage).map(([k, v]) => `  ${k}: ${v}`),
        ...(r.notPriced.length ? ["", "NOT PRICED (missing from the total):", ...r.notPriced.map((n) => `  ${n.resourceKey}: ${n.reason}`)] : []),
    ].join("\n");
}

/** The few lines the default plan prints: per-tier subtotals and the total. */
export function renderCostSummary(r: CostReport): string {
    const tiers = Object.entries(r.tiers).map(([t, v]) => `${t} ${usd(v)}`).join(", ");
    return [
        `Monthly cost (estimate, ${r.region} prices as of ${r.catalogDate}): ${usd(r.totalUsd)} = baseline ${usd(r.baselineUsd)} + usage* ${usd(r.usageUsd)}`,
        `  per tier: ${tiers}`,
        `  ${r.notPriced.length ? `${r.notPriced.length} resources NOT PRICED; ` : ""}itemised table and usage assumptions: npm run plan -- --stack ${r.stack} --cost`,
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
            ...tiers.map((t) => [t, usd(a.tiers[t] ?? 0), usd(b.tiers[t] ?? 0)]),
            ["baseline", usd(a.baselineUsd), usd(b.baselineUsd)],
            ["usage*", usd(a.usageUsd), usd(b.usageUsd)],
            ["total", usd(a.totalUsd), usd(b.totalUsd)],
        ]),
        "",
        "Why they differ:",
        ...differences(a, b).map((n) => `- ${n}`),
    ].join("\n");
}
