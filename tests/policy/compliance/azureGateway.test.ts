import { describe, expect, it } from "vitest";
import { gatewayHttpRedirectsRule, gatewayTlsPolicyRule, gatewayWafRule, gatewayZonesRule, wafPreventionRule } from "../../../src/policy/compliance/azure/gateway";
import { graphOf, judge, reasons, resource } from "../fixtures";

// The gateway and WAF policy of src/azure/webGateway.ts and webFirewall.ts, as captured, cut to what the rules read.
const gw = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationGateways/gw";
const wafPolicy = (changes: Record<string, any> = {}) =>
    resource("azure-native:network:WebApplicationFirewallPolicy", "waf", {
        policySettings: { state: "Enabled", mode: "Prevention", requestBodyCheck: true, ...changes.policySettings },
        managedRules: changes.managedRules ?? { managedRuleSets: [{ ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1" }, { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.1" }] },
    });
const ip = (zones?: string[]) => resource("azure-native:network:PublicIPAddress", "gateway-ip", { sku: { name: "Standard" }, zones });
const gatewayInputs = (waf = wafPolicy(), address = ip(["1", "2", "3"])): Record<string, any> => ({
    sku: { name: "WAF_v2", tier: "WAF_v2" },
    zones: ["1", "2", "3"],
    firewallPolicy: { id: waf.id },
    frontendIPConfigurations: [{ name: "public", publicIPAddress: { id: address.id } }],
    sslPolicy: { policyType: "CustomV2", minProtocolVersion: "TLSv1_2", cipherSuites: ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"] },
    httpListeners: [
        { name: "https", protocol: "Https", frontendPort: { id: `${gw}/frontendPorts/https` } },
        { name: "http", protocol: "Http", frontendPort: { id: `${gw}/frontendPorts/http` } },
    ],
    redirectConfigurations: [{ name: "http-to-https", redirectType: "Permanent", targetListener: { id: `${gw}/httpListeners/https` } }],
    requestRoutingRules: [
        { name: "https-to-web", httpListener: { id: `${gw}/httpListeners/https` }, backendAddressPool: { id: `${gw}/backendAddressPools/web` }, backendHttpSettings: { id: `${gw}/backendHttpSettingsCollection/web` } },
        { name: "http-redirect", httpListener: { id: `${gw}/httpListeners/http` }, redirectConfiguration: { id: `${gw}/redirectConfigurations/http-to-https` } },
    ],
});
const gateway = (change: (inputs: Record<string, any>) => void = () => {}, waf = wafPolicy(), address = ip(["1", "2", "3"])) => {
    const inputs = gatewayInputs(waf, address);
    change(inputs);
    return graphOf(resource("azure-native:network:ApplicationGateway", "gw", inputs), waf, address);
};

describe("EMR-AZ-GATEWAY-TLS12", () => {
    it.each([
        { policyType: "CustomV2", minProtocolVersion: "TLSv1_2", cipherSuites: ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"] },
        { policyType: "Predefined", policyName: "AppGwSslPolicy20220101S" },
        { policyName: "AppGwSslPolicy20170401S" },
        { disabledSslProtocols: ["TLSv1_0", "TLSv1_1"] },
    ])("passes %o", (sslPolicy) => expect(judge(gatewayTlsPolicyRule, gateway((i) => (i.sslPolicy = sslPolicy))).status).toBe("pass"));
    it.each([
        [{ policyType: "Predefined", policyName: "AppGwSslPolicy20150501" }, 'sslPolicy.policyName is "AppGwSslPolicy20150501"'],
        [{ policyType: "CustomV2", minProtocolVersion: "TLSv1_0" }, 'sslPolicy.minProtocolVersion is "TLSv1_0"'],
        [{ policyType: "Custom", minProtocolVersion: "TLSv1_2", cipherSuites: ["TLS_RSA_WITH_AES_128_CBC_SHA256"] }, "cipherSuites enables TLS_RSA_WITH_AES_128_CBC_SHA256"],
        [{ disabledSslProtocols: ["TLSv1_0"] }, "TLSv1_1 stay enabled"],
        [undefined, "sslPolicy is unset"],
    ])("fails %o", (sslPolicy, said) => expect(reasons(judge(gatewayTlsPolicyRule, gateway((i) => (i.sslPolicy = sslPolicy))))).toContain(said));
    it("fails an SSL profile with its own old policy", () => {
        const text = reasons(judge(gatewayTlsPolicyRule, gateway((i) => (i.sslProfiles = [{ name: "legacy", sslPolicy: { policyType: "Predefined", policyName: "AppGwSslPolicy20170401" } }]))));
        expect(text).toContain('sslProfiles "legacy" sslPolicy.policyName');
    });
});

describe("EMR-AZ-GATEWAY-HTTP-REDIRECTS", () => {
    it("passes an HTTP listener that only redirects to the HTTPS listener", () => expect(judge(gatewayHttpRedirectsRule, gateway()).status).toBe("pass"));
    it("fails an HTTP listener routed to the backend", () => {
        const text = reasons(judge(gatewayHttpRedirectsRule, gateway((i) => (i.requestRoutingRules[1] = { ...i.requestRoutingRules[0], name: "http-to-web", httpListener: { id: `${gw}/httpListeners/http` } }))));
        expect(text).toContain('requestRoutingRules "http-to-web" serves HTTP listener "http"');
    });
    it("fails a redirect to another plain-HTTP target", () => {
        const graph = gateway((i) => (i.redirectConfigurations = [{ name: "http-to-https", targetUrl: "http://example.org" }]));
        expect(judge(gatewayHttpRedirectsRule, graph).status).toBe("fail");
    });
});

describe("EMR-AZ-GATEWAY-WAF", () => {
    it("passes WAF_v2 with a policy of the stack", () => expect(judge(gatewayWafRule, gateway()).status).toBe("pass"));
    it("fails Standard_v2 without a policy", () => {
        const text = reasons(judge(gatewayWafRule, gateway((i) => { i.sku = { name: "Standard_v2", tier: "Standard_v2" }; delete i.firewallPolicy; })));
        expect(text).toContain('sku.tier is "Standard_v2"');
        expect(text).toContain("firewallPolicy is unset");
    });
});

describe("EMR-AZ-WAF-PREVENTION", () => {
    it("passes Prevention with the default rule set", () => expect(judge(wafPreventionRule, graphOf(wafPolicy())).status).toBe("pass"));
    it("passes OWASP 3.2", () => expect(judge(wafPreventionRule, graphOf(wafPolicy({ managedRules: { managedRuleSets: [{ ruleSetType: "OWASP", ruleSetVersion: "3.2" }] } }))).status).toBe("pass"));
    it("fails Detection, disabled, bot rules only", () => {
        const text = reasons(judge(wafPreventionRule, graphOf(wafPolicy({ policySettings: { mode: "Detection", state: "Disabled" }, managedRules: { managedRuleSets: [{ ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.1" }] } }))));
        expect(text).toContain('policySettings.mode is "Detection"');
        expect(text).toContain('policySettings.state is "Disabled"');
        expect(text).toContain("managedRules.managedRuleSets lists Microsoft_BotManagerRuleSet 1.1");
    });
});

describe("EMR-AZ-GATEWAY-ZONES", () => {
    it("passes a gateway and address in three zones", () => expect(judge(gatewayZonesRule, gateway()).status).toBe("pass"));
    it("fails a zonal gateway on a non-zonal address", () => {
        const text = reasons(judge(gatewayZonesRule, gateway((i) => (i.zones = ["1"]), wafPolicy(), ip(undefined))));
        expect(text).toContain('zones is ["1"]');
        expect(text).toContain('frontend "public" uses azure-native:network:PublicIPAddress::gateway-ip, whose zones is unset');
    });
});
