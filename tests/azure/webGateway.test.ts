import { beforeAll, describe, expect, it } from "vitest";
import { baseConfig, runStack, type Graph } from "../harness";

// Log categories that carry data on a v2 (Standard_v2 / WAF_v2) gateway. ApplicationGatewayPerformanceLog
// exists for the resource type but "is available only for the v1 SKU" (Learn, AGWPerformanceLogs).
const v2Categories = ["ApplicationGatewayAccessLog", "ApplicationGatewayFirewallLog"];

describe("azure Application Gateway resource logs", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.azure })).ok();
    }, 60_000);

    it("asks a v2 gateway only for the categories a v2 gateway writes", () => {
        const gateway = g.one("azure-native:network:ApplicationGateway");
        expect(gateway.inputs.sku.tier).toMatch(/_v2$/);
        const settings = g.ofType("azure-native:monitor:DiagnosticSetting").filter((d) => d.inputs.resourceUri === gateway.id);
        expect(settings).toHaveLength(1);
        expect(settings[0].inputs.logs.map((l: { category: string }) => l.category).sort()).toEqual([...v2Categories].sort());
    });
});
