import { at } from "../inputs";
import type { ResourceInput, ResourceRule, StackRule } from "../types";

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

/**
 * Log Analytics table total retention values the Tables API takes: "between 4 and 730; or 1095,
 * 1460, 1826, 2191, 2556, 2922, 3288, 3653, 4018, or 4383" (data-retention-configure.md).
 */
const totalRetentionYears = [1095, 1460, 1826, 2191, 2556, 2922, 3288, 3653, 4018, 4383];
export function allowedTotalRetention(days: unknown): boolean {
    return Number.isInteger(days) && (((days as number) >= 4 && (days as number) <= 730) || totalRetentionYears.includes(days as number));
}

const tableType = "Microsoft.OperationalInsights/workspaces/tables";

/** The table retention settings a resource declares: a Table resource, or the tables an ARM template deployment PUTs. */
function tableSettings(resource: ResourceInput): Array<{ where: string; properties: Record<string, any> }> {
    if (resource.type === "azure-native:operationalinsights:Table") return [{ where: `table ${resource.inputs.tableName}`, properties: resource.inputs }];
    const template = at(resource.inputs, "properties.template") as { resources?: any[] } | undefined;
    return (template?.resources ?? []).filter((r) => r.type === tableType).map((r) => ({ where: `template resource "${r.name}"`, properties: r.properties ?? {} }));
}

export const tableRetentionRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AZ-LA-TABLE-RETENTION",
    title: "Log Analytics table retention uses values the Tables API accepts, total no shorter than interactive",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // retentionInDays "between 4 and 730"; totalRetentionInDays "between 4 and 730; or 1095, 1460, 1826, 2191, 2556,
        // 2922, 3288, 3653, 4018, or 4383" (ms.date 2025-05-05).
        "MicrosoftDocs/azure-monitor-docs:articles/azure-monitor/logs/data-retention-configure.md (Configure table-level retention)",
        "@pulumi/azure-native@3.28.0:operationalinsights/table.d.ts (TableArgs.retentionInDays, totalRetentionInDays)",
    ],
    appliesTo: ["azure-native:operationalinsights:Table", "azure-native:resources:Deployment"],
    check(resource) {
        return tableSettings(resource).flatMap(({ where, properties }) => {
            const { retentionInDays: interactive, totalRetentionInDays: total } = properties;
            const problems: string[] = [];
            const interactiveOk = interactive === undefined || interactive === -1 || (Number.isInteger(interactive) && interactive >= 4 && interactive <= 730);
            if (!interactiveOk) problems.push(`${where}: retentionInDays ${JSON.stringify(interactive)} is not between 4 and 730`);
            if (total !== undefined && total !== -1) {
                if (!allowedTotalRetention(total)) {
                    problems.push(`${where}: totalRetentionInDays ${JSON.stringify(total)} is neither 4-730 nor a whole number of years (${totalRetentionYears.join(", ")}): the API rejects it`);
                } else if (Number.isInteger(interactive) && total < interactive) {
                    problems.push(`${where}: totalRetentionInDays ${total} is shorter than retentionInDays ${interactive}`);
                }
            }
            return problems;
        });
    },
};
