import { expect } from "vitest";
import type { Graph } from "../harness";

/** The retention the stack's ARM deployment sets on a Log Analytics table (src/azure/logRetention.ts). */
export function tableRetentionOf(g: Graph, table: string): { retentionInDays: number; totalRetentionInDays: number } {
    const deployment = g.byKey("azure-native:resources:Deployment::emr-net-log-retention");
    expect(deployment, "the log retention deployment").toBeDefined();
    const workspace = g.one("azure-native:operationalinsights:Workspace");
    const entry = (deployment!.inputs.properties.template.resources as any[]).find((r) => r.name === `${workspace.outputs.name}/${table}`);
    expect(entry, table).toBeDefined();
    expect(entry.type).toBe("Microsoft.OperationalInsights/workspaces/tables");
    return entry.properties;
}
