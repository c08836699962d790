import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/plan/plan";
import { mermaid } from "../../src/plan/report/files";
import { stackPlan } from "./architectureStacks";

/** The lines between `subgraph <id>[...]` and its `end`: what the diagram draws inside that zone. */
function insideZone(diagram: string, zone: string): string[] {
    const lines = diagram.split("\n");
    const start = lines.findIndex((l) => l.includes(`["zone ${zone}"]`) && l.trim().startsWith("subgraph "));
    expect(start, `no subgraph for zone ${zone}`).toBeGreaterThanOrEqual(0);
    return lines.slice(start + 1, lines.indexOf("  end", start));
}

/** Edges `from --> to` (any arrow) of the diagram, as [from, to]. */
const edges = (diagram: string) =>
    [...diagram.matchAll(/^\s*(\w+)\s+(?:-->|-\.\w*\.->|==>)(?:\|[^|]*\|)?\s*(\w+)\s*$/gm)].map((m) => [m[1], m[2]] as const);
const nodeId = (diagram: string, label: RegExp) => diagram.split("\n").find((l) => label.test(l))?.trim().split(/[[(]/)[0];

describe("architecture.mmd", () => {
    let aws: Plan;
    let azure: Plan;
    beforeAll(async () => {
        [aws, azure] = [await stackPlan("aws-dev"), await stackPlan("azure-dev")];
    }, 120_000);

    it("opens with a title naming the stack, the cloud and the region (Mermaid front matter)", () => {
        expect(mermaid(aws, "us-east-1")).toMatch(/^---\ntitle: "OpenEMR stack aws-dev: AWS us-east-1"\n---\nflowchart LR\n/);
        expect(mermaid(azure, "eastus")).toMatch(/^---\ntitle: "OpenEMR stack azure-dev: Azure eastus"\n---\nflowchart LR\n/);
    });

    it("Azure: draws the database primary in its declared zone and the synchronous standby in the other", () => {
        const diagram = mermaid(azure, "eastus");
        const server = azure.resources.find((r) => r.type === "azure-native:dbformysql:Server")!;
        const primary = server.inputs.availabilityZone as string;
        const standby = (server.inputs.highAvailability as { standbyAvailabilityZone: string }).standbyAvailabilityZone;
        expect(primary).not.toEqual(standby);
        expect(insideZone(diagram, primary).join("\n")).toContain(`db_primary[("Database primary, zone ${primary}`);
        expect(insideZone(diagram, standby).join("\n")).toContain(`db_standby[("Database standby, zone ${standby}`);
        expect(edges(diagram)).toContainEqual(["db_primary", "db_standby"]);
        for (const zone of azure.zones) expect(edges(diagram)).toContainEqual([`web_${zone}`, "db_primary"]);
    });

    it("Azure: draws the egress (outbound rule on a zone-redundant IP) outside every zone, used by every zone's servers", () => {
        const diagram = mermaid(azure, "eastus");
        const egress = nodeId(diagram, /Outbound rule of a Standard load balancer<br\/>zone-redundant public IP \(zones 1, 2, 3\)/);
        expect(egress).toBeDefined();
        for (const zone of azure.zones) {
            expect(insideZone(diagram, zone).join("\n")).not.toContain("Outbound rule");
            expect(edges(diagram)).toContainEqual([`web_${zone}`, egress]);
        }
    });

    it("AWS: names the Multi-AZ database's candidate zones and says the plan cannot know which holds the primary", () => {
        const diagram = mermaid(aws, "us-east-1");
        expect(diagram).toContain(`primary in one of zones ${aws.zones.join(", ")},<br/>synchronous standby in the other`);
        expect(diagram).toContain("the plan cannot know");
        for (const zone of aws.zones) expect(edges(diagram)).toContainEqual([`web_${zone.replace(/-/g, "_")}`, "db"]);
    });

    it("AWS: each zone's servers leave through the NAT gateway in their own zone", () => {
        const diagram = mermaid(aws, "us-east-1");
        for (const zone of aws.zones) {
            const nat = insideZone(diagram, zone).find((l) => l.includes('["NAT gateway"]'))?.trim().split("[")[0];
            expect(nat, `no NAT gateway drawn in ${zone}`).toBeDefined();
            expect(edges(diagram)).toContainEqual([`web_${zone.replace(/-/g, "_")}`, nat]);
        }
    });

    it("AWS single-nat: every zone's servers route through the one NAT, drawn in its zone (the route tables, not a guess)", async () => {
        const plan = await stackPlan("aws-dev", { "emr:egress": "single-nat" });
        const diagram = mermaid(plan, "us-east-1");
        const [natZone, other] = plan.zones;
        expect(insideZone(diagram, natZone).some((l) => l.includes('["NAT gateway"]'))).toBe(true);
        expect(insideZone(diagram, other).some((l) => l.includes("NAT gateway"))).toBe(false);
        for (const zone of plan.zones) expect(edges(diagram)).toContainEqual([`web_${zone.replace(/-/g, "_")}`, "emr_net_nat_0"]);
    }, 60_000);

    it("draws the load balancer + WAF and the shared file system holding sites/ and the patient documents", () => {
        for (const [plan, region] of [[aws, "us-east-1"], [azure, "eastus"]] as const) {
            const diagram = mermaid(plan, region);
            expect(diagram).toMatch(/lb\["Application (Load Balancer \+ AWS WAF|Gateway \+ WAF policy)<br\/>nodes in zones /);
            expect(diagram).toContain(`nodes in zones ${plan.zones.join(", ")}`);
            expect(diagram).toContain("Shared file system: sites/ and patient documents");
            expect(diagram).toContain(`mounted from zones ${plan.zones.join(", ")}`);
            for (const zone of plan.zones) expect(edges(diagram)).toContainEqual([`web_${zone.replace(/-/g, "_")}`, "files"]);
        }
    });

    it("draws the session store every zone's servers keep sessions in, with its copies' zones and failover", () => {
        const drawn = (plan: Plan, region: string) => {
            const diagram = mermaid(plan, region);
            for (const zone of plan.zones) expect(edges(diagram)).toContainEqual([`web_${zone.replace(/-/g, "_")}`, "sessions"]);
            return diagram.split("\n").find((l) => l.trim().startsWith("sessions["));
        };
        expect(drawn(aws, "us-east-1")).toContain(`ElastiCache for Valkey<br/>copies in zones ${aws.zones.join(", ")}, automatic failover`);
        expect(drawn(azure, "eastus")).toMatch(/Azure Managed Redis<br\/>copies in zones 1, 2, 3, automatic failover/);
        // A store without a standby is drawn as the single copy it is.
        const single: Plan = { ...aws, resources: aws.resources.map((r) => (r.type === "aws:elasticache/replicationGroup:ReplicationGroup" ? { ...r, inputs: { ...r.inputs, automaticFailoverEnabled: false } } : r)) };
        expect(drawn(single, "us-east-1")).toContain("ElastiCache for Valkey<br/>one copy");
    });
});
