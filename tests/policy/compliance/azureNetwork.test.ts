import { describe, expect, it } from "vitest";
import { coversPort, nsgNoInternetAdminPortsRule, vnetFlowLogsRule } from "../../../src/policy/compliance/azure/network";
import { graphOf, judge, reasons, resource } from "../fixtures";

// The security rules of src/azure/netSecurity.ts, as captured (edge and data subnets).
const rule = (changes: Record<string, unknown>) => ({
    name: "r",
    access: "Allow",
    direction: "Inbound",
    priority: 100,
    protocol: "Tcp",
    sourceAddressPrefix: "0.0.0.0/0",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRanges: ["443", "80"],
    ...changes,
});
const nsg = (...securityRules: Record<string, unknown>[]) => graphOf(resource("azure-native:network:NetworkSecurityGroup", "nsg", { securityRules }));

describe("coversPort", () => {
    it.each([["*", 22, true], ["22", 22, true], ["20-30", 22, true], ["23-3000", 22, false], ["3306", 22, false]] as const)("%s covers %i: %s", (range, port, covers) => {
        expect(coversPort(range, port)).toBe(covers);
    });
});

describe("EMR-AZ-NSG-NO-INTERNET-ADMIN-PORTS", () => {
    it("passes HTTPS from the internet, MySQL from the web subnet and a deny-all", () => {
        const graph = nsg(
            rule({ name: "clients-https" }),
            rule({ name: "web-to-mysql", sourceAddressPrefix: "10.20.64.0/20", destinationPortRanges: undefined, destinationPortRange: "3306" }),
            rule({ name: "lb", sourceAddressPrefix: "AzureLoadBalancer", destinationPortRanges: undefined, destinationPortRange: "*" }),
            rule({ name: "deny", access: "Deny", sourceAddressPrefix: "*", destinationPortRanges: undefined, destinationPortRange: "*" }),
        );
        expect(judge(nsgNoInternetAdminPortsRule, graph).status).toBe("pass");
    });
    it.each([
        [{ sourceAddressPrefix: "Internet", destinationPortRanges: ["22"] }, "22 (SSH)"],
        [{ sourceAddressPrefix: "*", destinationPortRanges: undefined, destinationPortRange: "3000-3400" }, "3306 (MySQL), 3389 (RDP)"],
        [{ sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.0.0.0/8", "0.0.0.0/0"], destinationPortRanges: ["2049"] }, "2049 (NFS)"],
        [{ destinationPortRanges: undefined, destinationPortRange: "*" }, "22 (SSH)"],
    ])("fails %o", (changes, ports) => {
        expect(reasons(judge(nsgNoInternetAdminPortsRule, nsg(rule({ name: "open", ...changes }))))).toContain(ports);
    });
    it("reads a standalone SecurityRule too", () => {
        const standalone = resource("azure-native:network:SecurityRule", "ssh", rule({ name: "ssh", sourceAddressPrefix: "Internet", destinationPortRanges: undefined, destinationPortRange: "22" }));
        expect(reasons(judge(nsgNoInternetAdminPortsRule, graphOf(standalone)))).toContain('security rule "ssh" allows inbound from Internet to 22 (SSH)');
    });
});

describe("EMR-AZ-VNET-FLOW-LOGS", () => {
    const vnet = resource("azure-native:network:VirtualNetwork", "vnet", { addressSpace: { addressPrefixes: ["10.20.0.0/16"] } });
    const flowLog = (changes: Record<string, unknown> = {}) =>
        resource("azure-native:network:FlowLog", "flow", { targetResourceId: vnet.id, storageId: "/accounts/logs", enabled: true, retentionPolicy: { enabled: true, days: 365 }, ...changes });
    it.each([{}, { retentionPolicy: { enabled: true, days: 0 } }])("passes an enabled flow log kept long enough %o", (changes) => {
        expect(judge(vnetFlowLogsRule, graphOf(vnet, flowLog(changes))).status).toBe("pass");
    });
    it("fails a virtual network without a flow log", () => {
        expect(reasons(judge(vnetFlowLogsRule, graphOf(vnet)))).toContain("no FlowLog targets this virtual network");
    });
    it("fails a disabled flow log kept 30 days", () => {
        const text = reasons(judge(vnetFlowLogsRule, graphOf(vnet, flowLog({ enabled: false, retentionPolicy: { enabled: true, days: 30 } }))));
        expect(text).toContain("enabled is false");
        expect(text).toContain("retentionPolicy is");
    });
});
