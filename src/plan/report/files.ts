import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderCost } from "../cost/render";
import type { CostReport } from "../cost/types";
import type { Plan } from "../plan";
import { tierNames } from "../zones";
import { availabilityTable, verdict, zoneTable } from "./text";

/** Mermaid: the tiers, the zones and the data flow internet -> load balancer -> web -> db/storage. */
export function mermaid(plan: Plan): string {
    const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, "_");
    const zoneWord = (zones: string[]) => zones.join(", ");
    const lines = ["flowchart LR", "  internet((Internet))"];
    const lb = plan.zoneFailure.length ? plan.zones : [];
    lines.push(`  lb["Load balancer + WAF<br/>zones ${zoneWord(lb)}"]`, "  internet -->|HTTPS| lb");
    for (const zone of plan.zones) {
        const here = plan.resources.filter((r) => r.placement.kind === "zonal" && r.placement.zone === zone).map((r) => r.type.split(":").pop());
        const nat = here.some((t) => t === "NatGateway");
        lines.push(`  subgraph ${id(`zone_${zone}`)}["zone ${zone}"]`, `    ${id(`web_${zone}`)}["web servers"]`);
        if (nat) lines.push(`    ${id(`nat_${zone}`)}["NAT gateway"]`);
        lines.push("  end", `  lb --> ${id(`web_${zone}`)}`);
        if (nat) lines.push(`  ${id(`web_${zone}`)} -.egress.-> ${id(`nat_${zone}`)}`);
        lines.push(`  ${id(`web_${zone}`)} --> db`, `  ${id(`web_${zone}`)} --> files`);
    }
    lines.push(
        `  db[("Database<br/>synchronous standby, automatic failover")]`,
        `  files[("Shared file system<br/>sites/ and patient documents")]`,
        `  monitoring["Monitoring + audit"]`,
        "  lb -.logs.-> monitoring",
        "  db -.logs.-> monitoring",
    );
    return lines.join("\n") + "\n";
}

/** zones.md: the zone-failure table, the details of every tier per zone, and the availability. */
export function zonesMarkdown(plan: Plan): string {
    const rows = plan.zoneFailure.flatMap((f) =>
        tierNames.map((t) => {
            const o = f.tiers.find((x) => x.tier === t)!;
            return `| ${f.zone} | ${t} | ${o.survives ? verdict(o) : `**${verdict(o)}**`} | ${o.detail} | ${o.mechanism} | ${o.rpo ?? "-"} |`;
        }),
    );
    return [
        `# Zone failure: stack ${plan.stack} (${plan.cloud})`,
        "",
        "Computed offline (no cloud calls) from the resources the program declares.",
        "",
        "```",
        zoneTable(plan),
        "```",
        "",
        "| zone lost | tier | verdict | what is left | what takes over | data loss (RPO) |",
        "|---|---|---|---|---|---|",
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

/** Writes plan.json (with the cost), architecture.mmd, zones.md and cost.txt into `dir`. */
export function writePlanFiles(plan: Plan, cost: CostReport, dir: string): string[] {
    mkdirSync(dir, { recursive: true });
    const files: Array<[string, string]> = [
        ["plan.json", JSON.stringify({ ...plan, cost }, null, 2) + "\n"],
        ["cost.txt", renderCost(cost) + "\n"],
        ["architecture.mmd", mermaid(plan)],
        ["zones.md", zonesMarkdown(plan)],
    ];
    return files.map(([name, text]) => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
    });
}
