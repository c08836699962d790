import type { PlannedResource } from "../../../plan/capture";
import type { ResourceRule, StackRule } from "../../types";
import { against, hipaa, lastSegment, list, refId, resolve, said, types } from "./refs";

/** Application Gateway (the one public entry) and its WAF policy. */

const gatewayArgs = "@pulumi/azure-native@3.28.0:network/applicationGateway.d.ts (ApplicationGatewayArgs)";
const policyRepo = "Azure/azure-policy@f4a50bacae07ddb096943c597669bcae494a6e29:built-in-policies/policyDefinitions";
const checkovRepo = "bridgecrewio/checkov@03d5fdad:checkov/terraform/checks";
const sslPolicyOverview = "https://learn.microsoft.com/azure/application-gateway/application-gateway-ssl-policy-overview";

/** Predefined policies whose minimum protocol is TLS 1.2 (ssl-policy-overview: 20170401S, 20220101, 20220101S). */
const tls12Predefined = ["AppGwSslPolicy20170401S", "AppGwSslPolicy20220101", "AppGwSslPolicy20220101S"];
const modernProtocols = ["TLSv1_2", "TLSv1_3"];
/** Ciphers checkov CKV_AZURE_218 rejects in a custom policy: CBC modes, static-RSA and DHE key exchange, 3DES. */
const weakCipher = /_CBC_|^TLS_RSA_|^TLS_DHE_|3DES/;

/** What is wrong with one TLS policy (the gateway's own, or an SSL profile's). */
export function sslPolicyProblems(policy: Record<string, any> | undefined, where: string): string[] {
    if (!policy)
        return [`${where} is unset: the gateway then takes the default of the API version that created it, AppGwSslPolicy20150501 (TLS 1.0) before 2023-02-01; name a TLS 1.2 policy.`];
    const type = policy.policyType ?? (policy.policyName ? "Predefined" : undefined);
    if (type === "Predefined")
        return tls12Predefined.includes(policy.policyName) ? [] : [`${where}.policyName ${said(policy.policyName)}: that predefined policy accepts TLS older than 1.2; use one of ${tls12Predefined.join(", ")}.`];
    if (type === "Custom" || type === "CustomV2") {
        const problems: string[] = [];
        if (!modernProtocols.includes(policy.minProtocolVersion))
            problems.push(`${where}.minProtocolVersion ${said(policy.minProtocolVersion)}: clients may negotiate TLS 1.0 or 1.1 (deprecated, RFC 8996); set "TLSv1_2" or "TLSv1_3".`);
        const weak = list<string>(policy.cipherSuites).filter((c) => weakCipher.test(c));
        if (weak.length) problems.push(`${where}.cipherSuites enables ${weak.join(", ")}: CBC, static-RSA or DHE suites without forward secrecy or AEAD.`);
        return problems;
    }
    // Only disabledSslProtocols: the legacy shape; both old protocols must be listed.
    const disabled = list<string>(policy.disabledSslProtocols);
    const missing = ["TLSv1_0", "TLSv1_1"].filter((p) => !disabled.includes(p));
    return missing.length ? [`${where}.disabledSslProtocols ${said(policy.disabledSslProtocols)}: ${missing.join(" and ")} stay enabled.`] : [];
}

export const gatewayTlsPolicyRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-GATEWAY-TLS12",
    title: "The Application Gateway negotiates TLS 1.2 or newer with strong ciphers only",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.transmissionEncryption, hipaa.transmissionIntegrity], checkov: ["CKV_AZURE_218"] },
    source: [
        // Predefined policy table (minimum protocol 1.0 / 1.1 / 1.2 ...); "If no TLS policy is selected, a default TLS
        // policy is applied based on the API version used to create the resource."
        sslPolicyOverview,
        `${gatewayArgs}; types/input.d.ts network.ApplicationGatewaySslPolicyArgs (policyType, policyName, minProtocolVersion, cipherSuites, disabledSslProtocols)`,
        `${checkovRepo}/resource/azure/AppGWDefinesSecureProtocols.py`,
    ],
    appliesTo: [types.gateway],
    check({ inputs }) {
        return [
            ...sslPolicyProblems(inputs.sslPolicy, "sslPolicy"),
            ...list(inputs.sslProfiles).flatMap((p) => (p.sslPolicy ? sslPolicyProblems(p.sslPolicy, `sslProfiles "${p.name}" sslPolicy`) : [])),
        ];
    },
};

export const gatewayHttpRedirectsRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-GATEWAY-HTTP-REDIRECTS",
    title: "A plain-HTTP listener of the Application Gateway only redirects to an HTTPS listener",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.transmissionEncryption, hipaa.transmission], checkov: ["CKV_AZURE_217"] },
    source: [
        "https://learn.microsoft.com/azure/application-gateway/redirect-http-to-https-portal",
        `${gatewayArgs}; types/input.d.ts network.ApplicationGatewayHttpListenerArgs.protocol, ApplicationGatewayRequestRoutingRuleArgs (httpListener, redirectConfiguration, backendAddressPool), ApplicationGatewayRedirectConfigurationArgs (targetListener, targetUrl)`,
        `${checkovRepo}/resource/azure/AppGWUsesHttps.py`,
    ],
    appliesTo: [types.gateway],
    check({ inputs }) {
        const listeners = list(inputs.httpListeners);
        const httpsListeners = new Set(listeners.filter((l) => String(l.protocol).toLowerCase() === "https").map((l) => l.name));
        const redirects = new Map(list(inputs.redirectConfigurations).map((r) => [r.name, r]));
        const plain = new Set(listeners.filter((l) => String(l.protocol).toLowerCase() === "http").map((l) => l.name));
        return list(inputs.requestRoutingRules)
            .filter((rule) => plain.has(lastSegment(refId(rule.httpListener))))
            .flatMap((rule) => {
                const redirect = redirects.get(lastSegment(refId(rule.redirectConfiguration)));
                const toHttps = redirect && (httpsListeners.has(lastSegment(refId(redirect.targetListener))) || /^https:\/\//i.test(String(redirect.targetUrl ?? "")));
                return toHttps && !rule.backendAddressPool && !rule.urlPathMap
                    ? []
                    : [`requestRoutingRules "${rule.name}" serves HTTP listener "${lastSegment(refId(rule.httpListener))}" without redirecting to an HTTPS listener: sign-in pages and patient data would travel unencrypted.`];
            });
    },
};

export const gatewayWafRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-GATEWAY-WAF",
    title: "The Application Gateway runs the WAF_v2 tier with a WAF policy attached",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.malware, hipaa.riskManagement],
        checkov: ["CKV_AZURE_120"],
        azurePolicy: [
            "Web Application Firewall (WAF) should be enabled for Application Gateway (564feb30-bf6a-4854-b4bb-0d2d2d1e6c66)",
            "Azure Application Gateway should be deployed with Azure WAF (ff1f1879-a60d-4f23-9641-41e7391ec19a)",
        ],
    },
    source: [
        "https://learn.microsoft.com/azure/web-application-firewall/ag/policy-overview",
        `${gatewayArgs} (sku.tier, firewallPolicy, webApplicationFirewallConfiguration)`,
        `${policyRepo}/Network/WAF_AppGatewayEnabled_Audit.json`,
        `${checkovRepo}/graph_checks/azure/ApplicationGatewayEnablesWAF.yaml`,
    ],
    appliesTo: [types.gateway],
    check(graph) {
        return graph.ofType(types.gateway).flatMap((gateway) => {
            const problems: string[] = [];
            if (gateway.inputs.sku?.tier !== "WAF_v2") problems.push(`sku.tier ${said(gateway.inputs.sku?.tier)}: only the WAF_v2 tier inspects requests for SQL injection, XSS and known exploits.`);
            const policy = resolve(graph, refId(gateway.inputs.firewallPolicy));
            const legacy = gateway.inputs.webApplicationFirewallConfiguration?.enabled === true;
            if (policy?.type !== types.wafPolicy && !legacy)
                problems.push(`firewallPolicy ${said(refId(gateway.inputs.firewallPolicy))} names no WebApplicationFirewallPolicy of the stack: no rule set inspects the traffic.`);
            return against(gateway, problems);
        });
    },
};

/** Managed rule sets that carry the OWASP core rules (and the Log4Shell rule 944240 checkov CKV_AZURE_135 asks for). */
const coreRuleSets = ["OWASP", "Microsoft_DefaultRuleSet"];

export const wafPreventionRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-WAF-PREVENTION",
    title: "The WAF policy is enabled in Prevention mode with a core managed rule set",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.malware, hipaa.riskManagement],
        checkov: ["CKV_AZURE_122", "CKV_AZURE_135"],
        azurePolicy: ["Web Application Firewall (WAF) should use the specified mode for Application Gateway (12430be1-6cc8-4527-a9a8-e3d38f250096)"],
    },
    source: [
        // "Detection mode: Monitors and logs all threat alerts ... Prevention mode: Blocks intrusions and attacks"
        "https://learn.microsoft.com/azure/web-application-firewall/ag/ag-overview#waf-modes",
        "https://learn.microsoft.com/azure/web-application-firewall/ag/application-gateway-crs-rulegroups-rules",
        "@pulumi/azure-native@3.28.0:types/input.d.ts network.PolicySettingsArgs (state, mode), ManagedRulesDefinitionArgs.managedRuleSets",
        `${checkovRepo}/resource/azure/AppGatewayWAFACLCVE202144228.py`,
    ],
    appliesTo: [types.wafPolicy],
    check({ inputs }) {
        const settings = inputs.policySettings ?? {};
        const problems: string[] = [];
        if (settings.state === "Disabled") problems.push('policySettings.state is "Disabled": the policy inspects nothing.');
        if (settings.mode !== "Prevention") problems.push(`policySettings.mode ${said(settings.mode)}: Detection only logs attacks; "Prevention" blocks them.`);
        const sets = list(inputs.managedRules?.managedRuleSets);
        if (!sets.some((s) => coreRuleSets.includes(s.ruleSetType)))
            problems.push(`managedRules.managedRuleSets lists ${sets.map((s) => `${s.ruleSetType} ${s.ruleSetVersion}`).join(", ") || "nothing"}: add an OWASP or Microsoft_DefaultRuleSet core rule set.`);
        return problems;
    },
};

const zonesOf = (resource: PlannedResource | undefined) => new Set(list(resource?.inputs.zones));

export const gatewayZonesRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-GATEWAY-ZONES",
    title: "The Application Gateway and its public IP span at least two availability zones",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.emergencyMode, hipaa.disasterRecovery],
        azurePolicy: [
            "[Preview]: Application Gateways should be Zone Resilient (493c215c-0553-4976-bc81-57d2c04fc8c1)",
            "[Preview]: Public IP addresses should be Zone Resilient (682e4ab9-59fe-4871-9839-265b54c568c4)",
        ],
    },
    source: [
        "https://learn.microsoft.com/azure/reliability/reliability-application-gateway-v2",
        `${gatewayArgs}.zones; network/publicIPAddress.d.ts (zones)`,
        `${policyRepo}/Resilience/Network_applicationGateways_ZoneResilient_Audit.json`,
    ],
    appliesTo: [types.gateway],
    check(graph) {
        return graph.ofType(types.gateway).flatMap((gateway) => {
            const problems: string[] = [];
            if (zonesOf(gateway).size < 2) problems.push(`zones ${said(gateway.inputs.zones)}: a gateway in one zone (or none chosen) goes down with that zone, and with it every clinic's access.`);
            for (const frontend of list(gateway.inputs.frontendIPConfigurations)) {
                const ip = resolve(graph, refId(frontend.publicIPAddress));
                if (ip?.type === types.publicIp && zonesOf(ip).size < 2)
                    problems.push(`frontend "${frontend.name}" uses ${ip.key}, whose zones ${said(ip.inputs.zones)}: a zonal or non-zonal address fails with its zone.`);
            }
            return against(gateway, problems);
        });
    },
};

export const gatewayRules = [gatewayTlsPolicyRule, gatewayHttpRedirectsRule, gatewayWafRule, wafPreventionRule, gatewayZonesRule];
