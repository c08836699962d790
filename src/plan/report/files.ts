import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderCost } from "../cost/render";
import type { CostReport } from "../cost/types";
import type { Plan } from "../plan";
import { tierNames } from "../zones";
import { architectureFacts, type DatabaseFacts } from "./architectureFacts";
import { architectureHtml } from "./architectureHtml";
import { complianceMarkdown } from "./compliance";
import { availabilityTable, verdict, zoneTable } from "./text";

/** A Mermaid id from any text (zone names have dashes). */
const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, "_");
/** A resource's node id: its name (the part of the key after "::"). */
const nodeOf = (key: string) => id(key.split("::").pop()!);
/** A quoted Mermaid label: a double quote would end it, so it becomes Mermaid's entity. */
const quoted = (s: string) => `"${s.replace(/"/g, "#quot;")}"`;
const zoneList = (zones: string[]) => zones.join(", ");

/** The diagram's title: what a reader needs to know which picture this is. */
export const architectureTitle = (plan: Plan, region: string) => `OpenEMR stack ${plan.stack}: ${plan.cloud === "aws" ? "AWS" : "Azure"} ${region}`;

/** The database copies the diagram draws, each in its zone when the plan knows it. */
function databaseNodes(db: DatabaseFacts): Array<{ node: string; zone: string | undefined; label: string }> {
    if (db.primary && db.standby) {
        return [
            { node: "db_primary", zone: db.primary, label: `Database primary, zone ${db.primary}<br/>${db.engine}` },
            { node: "db_standby", zone: db.standby, label: `Database standby, zone ${db.standby}<br/>synchronous copy, promoted on failover` },
        ];
    }
    if (db.primary) return [{ node: "db_primary", zone: db.primary, label: `Database, zone ${db.primary} only<br/>${db.engine}<br/>${db.failover}` }];
    // Multi-AZ without a declared zone: the cloud places both copies; name the candidates and say so.
    const where =
        db.zones.length === 2
            ? `primary in one of zones ${zoneList(db.zones)},<br/>synchronous standby in the other`
            : `primary and synchronous standby in two<br/>different zones of ${zoneList(db.zones)}`;
    return [{ node: "db", zone: undefined, label: `Database: ${db.engine}<br/>${where}<br/>(the cloud picks which; the plan cannot know)<br/>${db.failover}` }];
}

/**
 * Mermaid flowchart of the stack: a title (stack, cloud, region), each zone with its web servers,
 * its zonal egress and the database copies it holds, the load balancer + WAF in front, the
 * zone-redundant egress, the database, the shared file system holding sites/ and the patient
 * documents, and the session store. Syntax: https://mermaid.js.org/syntax/flowchart.html (title front matter:
 * https://mermaid.js.org/config/configuration.html#frontmatter-config).
 */
export function mermaid(plan: Plan, region: string): string {
    const facts = architectureFacts(plan);
    const dbNodes = facts.database ? databaseNodes(facts.database) : [];
    const shape = { box: (s: string) => `[${quoted(s)}]`, store: (s: string) => `[(${quoted(s)})]` };
    // Zonal things inside their zone's box when it is one of the stack's zones; everything else outside.
    const things = [
        ...facts.egress.map((e) => ({ node: nodeOf(e.key), zone: e.placement.kind === "zonal" ? e.placement.zone : undefined, text: shape.box(e.label) })),
        ...dbNodes.map((d) => ({ node: d.node, zone: d.zone, text: shape.store(d.label) })),
    ];
    const inZone = (zone: string) => things.filter((t) => t.zone === zone);
    const lines = ["---", `title: ${JSON.stringify(architectureTitle(plan, region))}`, "---", "flowchart LR", "  internet((Internet))"];
    lines.push(`  lb${shape.box(`${facts.entry.label}<br/>nodes in zones ${zoneList(facts.entry.zones)}`)}`, "  internet -->|HTTPS| lb");
    for (const zone of plan.zones) {
        lines.push(`  subgraph ${id(`zone_${zone}`)}[${quoted(`zone ${zone}`)}]`, `    ${id(`web_${zone}`)}["web servers"]`);
        lines.push(...inZone(zone).map((t) => `    ${t.node}${t.text}`), "  end", `  lb --> ${id(`web_${zone}`)}`);
    }
    lines.push(...things.filter((t) => !t.zone || !plan.zones.includes(t.zone)).map((t) => `  ${t.node}${t.text}`));
    // The web servers reach the database through its endpoint, which follows the primary.
    const dbTarget = dbNodes[0]?.node;
    for (const zone of plan.zones) {
        const web = id(`web_${zone}`);
        lines.push(...facts.egress.filter((e) => e.serves.includes(zone)).map((e) => `  ${web} -.egress.-> ${nodeOf(e.key)}`));
        if (dbTarget) lines.push(`  ${web} --> ${dbTarget}`);
        if (facts.files) lines.push(`  ${web} --> files`);
        if (facts.sessions) lines.push(`  ${web} -.sessions.-> sessions`);
    }
    if (dbNodes.length === 2) lines.push(`  db_primary ==>|${quoted(`synchronous replication<br/>${facts.database!.failover}`)}| db_standby`);
    if (facts.files) {
        const access = facts.files.accessZones.length ? `<br/>mounted from zones ${zoneList(facts.files.accessZones)}` : "";
        lines.push(`  files${shape.store(`Shared file system: sites/ and patient documents<br/>${facts.files.label}${access}`)}`);
    }
    if (facts.sessions) lines.push(`  sessions${shape.store(`Session store (PHP sessions, TLS + password)<br/>${facts.sessions.label}`)}`);
    lines.push(`  monitoring["Monitoring + audit"]`, "  lb -.logs.-> monitoring");
    if (dbTarget) lines.push(`  ${dbTarget} -.logs.-> monitoring`);
    return lines.join("\n") + "\n";
}

/** The zone-loss table's columns, shared by zones.md and architecture.html. */
export const zoneLossHeader = ["zone lost", "tier", "verdict", "what is left", "what takes over", "data loss (RPO)"];

/** One row per zone lost and tier, in request order; the verdict says the time it takes (text.ts `verdict`). */
export function zoneLossRows(plan: Plan): string[][] {
    return plan.zoneFailure.flatMap((f) =>
        tierNames.map((t) => {
            const o = f.tiers.find((x) => x.tier === t)!;
            return [f.zone, t, verdict(o), o.detail, o.mechanism, o.rpo ?? "-"];
        }),
    );
}

/** zones.md: the zone-failure table, the details of every tier per zone, and the availability. */
export function zonesMarkdown(plan: Plan): string {
    const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
    const rows = zoneLossRows(plan).map((cells) => row(cells.map((c, i) => (i === 2 && c.startsWith("DOWN") ? `**${c}**` : c))));
    return [
        `# Zone failure: stack ${plan.stack} (${plan.cloud})`,
        "",
        "Computed offline (no cloud calls) from the resources the program declares.",
        "",
        "```",
        zoneTable(plan),
        "```",
        "",
        row(zoneLossHeader),
        row(zoneLossHeader.map(() => "---")),
        ...rows,
        "",
        "## Availability",
        "",
        "```",
        availabilityTable(plan),
        "```",
        "",
    ].join("\n");
}

/**
 * Writes plan.json (with the cost), cost.txt, architecture.mmd, architecture.html (the diagram
 * drawn offline, with the zone-loss table), zones.md and compliance.md (the evidence report) into `dir`.
 */
export function writePlanFiles(plan: Plan, cost: CostReport, dir: string, today: string): string[] {
    mkdirSync(dir, { recursive: true });
    const diagram = mermaid(plan, cost.region);
    const files: Array<[string, string]> = [
        ["plan.json", JSON.stringify({ ...plan, cost }, null, 2) + "\n"],
        ["cost.txt", renderCost(cost) + "\n"],
        ["architecture.mmd", diagram],
        [
            "architecture.html",
            architectureHtml({
                title: architectureTitle(plan, cost.region),
                diagram,
                zoneLoss: [zoneLossHeader, ...zoneLossRows(plan)],
                availability: availabilityTable(plan),
            }),
        ],
        ["zones.md", zonesMarkdown(plan)],
        ["compliance.md", complianceMarkdown(plan, today)],
    ];
    return files.map(([name, text]) => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
    });
}
