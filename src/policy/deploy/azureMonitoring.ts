import type { StackRule } from "../types";

const diagnosticSetting = "azure-native:monitor:DiagnosticSetting";
const applicationGateway = "azure-native:network:ApplicationGateway";
const v2Tiers = ["Standard_v2", "WAF_v2"];

export const appGatewayPerformanceLogRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AZ-APPGW-V2-PERFORMANCE-LOG",
    title: "Diagnostic settings of a v2 Application Gateway do not collect the v1-only performance log",
    category: "deploy",
    cloud: "azure",
    severity: "warning",
    source: [
        // "The Performance log is available only for the v1 SKU." (the category still exists, so creation succeeds)
        "https://learn.microsoft.com/azure/azure-monitor/reference/tables/AGWPerformanceLogs",
    ],
    appliesTo: [diagnosticSetting],
    check(graph) {
        return graph.ofType(diagnosticSetting).flatMap((setting) => {
            const gateway = graph.referenced(setting.inputs.resourceUri);
            const tier = gateway?.type === applicationGateway ? gateway.inputs.sku?.tier : undefined;
            const collects = ((setting.inputs.logs as any[]) ?? []).some((l) => l.category === "ApplicationGatewayPerformanceLog" && l.enabled);
            if (!tier || !v2Tiers.includes(tier) || !collects) return [];
            return [
                {
                    resourceKey: setting.key,
                    reason: `logs enables category "ApplicationGatewayPerformanceLog" for ${gateway!.key}, a ${tier} gateway: that log carries data only for v1 gateways, so it stays empty.`,
                },
            ];
        });
    },
};
