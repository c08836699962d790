import { describe, expect, it } from "vitest";
import { flowLogWatcherRule, isAddressPrefix, isPortRange, nsgPluralFieldsRule } from "../../src/policy/deploy/azureNetwork";
import { graphOf, judge, reasons, resource } from "./fixtures";

const nsgType = "azure-native:network:NetworkSecurityGroup";
const allow = (name: string, fields: Record<string, unknown>) => ({ name, access: "Allow", direction: "Inbound", priority: 100, protocol: "Tcp", ...fields });

describe("DEPLOY-AZ-NSG-PLURAL-CIDR-ONLY", () => {
    it("passes CIDRs, addresses and port ranges in the plural fields, tags and * in the singular ones", () => {
        const nsg = resource(nsgType, "ok", {
            securityRules: [
                allow("clients", { sourceAddressPrefixes: ["10.0.0.0/8", "203.0.113.7", "2001:db8::/32"], destinationPortRanges: ["443", "65200-65535"], sourcePortRange: "*", destinationAddressPrefix: "*" }),
                allow("gateway-manager", { sourceAddressPrefix: "GatewayManager", destinationPortRange: "65200-65535", sourcePortRange: "*" }),
                allow("lb", { sourceAddressPrefix: "AzureLoadBalancer", destinationPortRange: "*", sourcePortRange: "*" }),
            ],
        });
        expect(judge(nsgPluralFieldsRule, graphOf(nsg)).status).toBe("pass");
    });

    it("fails a service tag or * in a plural field, naming the rule, the field and the value", () => {
        const nsg = resource(nsgType, "edge", {
            securityRules: [
                allow("gateway-manager", { sourceAddressPrefixes: ["GatewayManager"], destinationPortRanges: ["65200-65535"] }),
                allow("lb", { sourceAddressPrefixes: ["10.0.0.0/8"], destinationPortRanges: ["*"] }),
                allow("any", { destinationAddressPrefixes: ["*"], sourcePortRanges: ["1024-80"] }),
            ],
        });
        const result = judge(nsgPluralFieldsRule, graphOf(nsg));
        expect(result.status).toBe("fail");
        expect(result.violations.map((v) => v.resourceKey)).toEqual(Array(4).fill(nsg.key));
        const text = reasons(result);
        expect(text).toContain('securityRules[0] "gateway-manager": sourceAddressPrefixes holds "GatewayManager", a service tag');
        expect(text).toContain('securityRules[1] "lb": destinationPortRanges holds "*"');
        expect(text).toContain('securityRules[2] "any": destinationAddressPrefixes holds "*"');
        expect(text).toContain('sourcePortRanges holds "1024-80", neither a CIDR nor a port range');
        expect(text).toContain("SecurityRuleParameterContainsUnsupportedValue");
    });

    it("judges a standalone SecurityRule the same way", () => {
        const rule = resource("azure-native:network:SecurityRule", "vnet-in", allow("vnet-in", { sourceAddressPrefixes: ["VirtualNetwork"] }));
        expect(reasons(judge(nsgPluralFieldsRule, graphOf(rule)))).toContain('rule "vnet-in": sourceAddressPrefixes holds "VirtualNetwork"');
    });

    it.each([
        ["10.20.0.0/20", true],
        ["0.0.0.0/0", true],
        ["fe80::/10", true],
        ["10.0.0.0/33", false],
        ["300.1.1.1", false],
        ["Internet", false],
        ["*", false],
    ])("address prefix %s -> %s", (value, ok) => expect(isAddressPrefix(value)).toBe(ok));

    it.each([
        ["80", true],
        ["0-65535", true],
        ["65536", false],
        ["90-80", false],
        ["*", false],
    ])("port range %s -> %s", (value, ok) => expect(isPortRange(value)).toBe(ok));
});

describe("DEPLOY-AZ-FLOWLOG-WATCHER-EXISTS", () => {
    const flowLog = (dependencies: string[] = []) =>
        resource("azure-native:network:FlowLog", "flow", { resourceGroupName: "NetworkWatcherRG", networkWatcherName: "NetworkWatcher_eastus", enabled: true }, { dependencies });
    const watcher = resource("azure-native:network:NetworkWatcher", "watcher", { resourceGroupName: "NetworkWatcherRG", networkWatcherName: "NetworkWatcher_eastus" });

    it("passes a flow log that waits for the watcher it lives under", () => {
        expect(judge(flowLogWatcherRule, graphOf(watcher, flowLog([watcher.key]))).status).toBe("pass");
    });

    it("fails a flow log that assumes Azure created the watcher, naming the watcher", () => {
        const result = judge(flowLogWatcherRule, graphOf(flowLog()));
        expect(result.violations[0].resourceKey).toBe("azure-native:network:FlowLog::flow");
        expect(reasons(result)).toContain('networkWatcherName "NetworkWatcher_eastus" in resourceGroupName "NetworkWatcherRG": nothing in the program creates that watcher');
    });

    it("fails when the watcher is declared but the flow log does not wait for it", () => {
        expect(reasons(judge(flowLogWatcherRule, graphOf(watcher, flowLog())))).toContain("creates that watcher, but the flow log does not wait for it");
    });

    it("accepts an ARM template deployment that creates or updates the watcher in NetworkWatcherRG", () => {
        const nested = (name: string) => ({
            type: "Microsoft.Resources/deployments",
            name: "watcher",
            resourceGroup: "NetworkWatcherRG",
            properties: { mode: "Incremental", template: { resources: [{ type: "Microsoft.Network/networkWatchers", name, location: "eastus" }] } },
        });
        const deployment = (name: string) =>
            resource("azure-native:resources:DeploymentAtSubscriptionScope", "watcher-deploy", {
                location: "eastus",
                properties: { mode: "Incremental", template: { resources: [{ type: "Microsoft.Resources/resourceGroups", name: "NetworkWatcherRG" }, nested(name)] } },
            });
        const good = deployment("NetworkWatcher_eastus");
        expect(judge(flowLogWatcherRule, graphOf(good, flowLog([good.key]))).status).toBe("pass");
        const wrong = deployment("NetworkWatcher_westus");
        expect(judge(flowLogWatcherRule, graphOf(wrong, flowLog([wrong.key]))).status).toBe("fail");
    });

    it("does not accept a watcher of another name", () => {
        const other = resource("azure-native:network:NetworkWatcher", "mine", { resourceGroupName: "emr-rg", networkWatcherName: "emr-watcher" });
        expect(judge(flowLogWatcherRule, graphOf(other, flowLog([other.key]))).status).toBe("fail");
    });
});
