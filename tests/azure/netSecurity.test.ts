import { beforeAll, describe, expect, it } from "vitest";
import { allowRule, portFields, sourceFields } from "../../src/azure/netSecurity";
import { baseConfig, runStack, type Graph } from "../harness";

// What ARM accepts in the plural fields of a security rule (SDK SecurityRuleArgs docs, REST spec
// network 2024-05-01): CIDRs / IP ranges and port ranges, never a service tag or "*".
const cidr = /^[0-9a-fA-F.:]+(\/\d{1,3})?$/;
const portRange = /^\d{1,5}(-\d{1,5})?$/;

describe("security rule fields", () => {
    it("puts a lone service tag or * in the singular fields", () => {
        expect(sourceFields(["GatewayManager"])).toEqual({ sourceAddressPrefix: "GatewayManager" });
        expect(sourceFields(["*"])).toEqual({ sourceAddressPrefix: "*" });
        expect(portFields(["*"])).toEqual({ destinationPortRange: "*" });
        const rule = allowRule({ name: "lb", from: ["AzureLoadBalancer"], ports: ["*"] }, 0);
        expect(rule).toMatchObject({ sourceAddressPrefix: "AzureLoadBalancer", destinationPortRange: "*", protocol: "*" });
        expect(rule.sourceAddressPrefixes).toBeUndefined();
        expect(rule.destinationPortRanges).toBeUndefined();
    });

    it("uses the plural fields only for several CIDRs or port ranges", () => {
        expect(sourceFields(["10.0.0.0/24", "192.168.1.7"])).toEqual({ sourceAddressPrefixes: ["10.0.0.0/24", "192.168.1.7"] });
        expect(portFields(["443", "80"])).toEqual({ destinationPortRanges: ["443", "80"] });
    });

    it("refuses a tag or * mixed into a list instead of sending what ARM rejects", () => {
        expect(() => sourceFields(["10.0.0.0/24", "AzureLoadBalancer"])).toThrow(/AzureLoadBalancer cannot share a rule/);
        expect(() => portFields(["443", "*"])).toThrow(/\* cannot share a rule/);
    });
});

describe("every security group of an Azure stack", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.azure, "emr:allowedCidrs": '["203.0.113.0/24","198.51.100.0/24"]' })).ok();
    });

    it("holds only CIDRs and port ranges in its plural fields", () => {
        const rules = g.ofType("azure-native:network:NetworkSecurityGroup").flatMap((n) => n.inputs.securityRules as any[]);
        expect(rules.length).toBeGreaterThan(5);
        for (const r of rules) {
            for (const v of [...(r.sourceAddressPrefixes ?? []), ...(r.destinationAddressPrefixes ?? [])]) expect(v, r.name).toMatch(cidr);
            for (const v of [...(r.sourcePortRanges ?? []), ...(r.destinationPortRanges ?? [])]) expect(v, r.name).toMatch(portRange);
        }
    });

    it("admits the Application Gateway's control ports and probes through the singular fields", () => {
        const edge = g.ofType("azure-native:network:NetworkSecurityGroup").find((n) => n.name.endsWith("edge-nsg"))!;
        const byName = (n: string) => (edge.inputs.securityRules as any[]).find((r) => r.name === n);
        expect(byName("gateway-manager")).toMatchObject({ sourceAddressPrefix: "GatewayManager", destinationPortRange: "65200-65535" });
        expect(byName("azure-load-balancer")).toMatchObject({ sourceAddressPrefix: "AzureLoadBalancer", destinationPortRange: "*" });
        expect(byName("clients-https")).toMatchObject({ sourceAddressPrefixes: ["203.0.113.0/24", "198.51.100.0/24"], destinationPortRanges: ["443", "80"] });
    });
});
