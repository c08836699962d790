import * as network from "@pulumi/azure-native/network";
import type * as pulumi from "@pulumi/pulumi";
import { healthFolder } from "../app/healthCheck";

/** Requests one client IP may send in 5 minutes before it is blocked (as the AWS web ACL). */
export const rateLimitPer5Minutes = 2000;

/**
 * Upload and body limits, sized for an EMR whose staff upload scanned documents. Azure counts only
 * multipart/form-data file parts as uploads: 100 MB takes a thick multi-page colour scan at 300 dpi
 * or a large CCDA export (the gateway's own ceiling is far higher). Every other body (long encounter
 * forms, HL7/XML posted as a field) may reach 2,000 KB, under the 2 MB ceiling of a v2 gateway;
 * the WAF inspects its first 128 KB, the most it can.
 */
export const bodyLimits = { fileUploadLimitInMb: 100, maxRequestBodySizeInKb: 2000, requestBodyInspectLimitInKB: 128 } as const;

/** Managed rule sets: Microsoft's default rule set (OWASP CRS-based, with Log4j rules) and bot protection. */
export const managedRuleSets = [
    { ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1" },
    { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.1" },
] as const;

export interface WebFirewallArgs {
    resourceGroupName: pulumi.Input<string>;
    /** The servers' readiness path (e.g. /meta/health/readyz): its folder is refused to clients. */
    healthCheckPath: string;
    tags: Record<string, string>;
}

/**
 * The gateway's WAF policy, blocking (Prevention): a per-client-IP rate limit first, OpenEMR's
 * health endpoints refused to clients (healthFolder), then the managed rule sets over every
 * request body. Clinical free text can trip SQL-injection and XSS
 * rules; such false positives show in the firewall log (sent to Log Analytics with the access
 * log) and are answered with a narrow exclusion, never by switching the policy to Detection.
 */
export function webFirewall(name: string, args: WebFirewallArgs, parent: pulumi.Resource): network.WebApplicationFirewallPolicy {
    return new network.WebApplicationFirewallPolicy(
        `${name}-waf`,
        {
            resourceGroupName: args.resourceGroupName,
            policySettings: {
                state: "Enabled",
                mode: "Prevention",
                requestBodyCheck: true,
                requestBodyEnforcement: true,
                fileUploadEnforcement: true,
                ...bodyLimits,
            },
            managedRules: { managedRuleSets: managedRuleSets.map((set) => ({ ...set })) },
            customRules: [
                {
                    name: "RateLimitPerClientIp",
                    priority: 10,
                    ruleType: "RateLimitRule",
                    rateLimitDuration: "FiveMins",
                    rateLimitThreshold: rateLimitPer5Minutes,
                    groupByUserSession: [{ groupByVariables: [{ variableName: "ClientAddr" }] }],
                    // A rate-limit rule counts only the requests its conditions match: every source address.
                    matchConditions: [
                        { matchVariables: [{ variableName: "RemoteAddr" }], operator: "IPMatch", negationConditon: true, matchValues: ["255.255.255.255/32"] },
                    ],
                    action: "Block",
                    state: "Enabled",
                },
                {
                    name: "HideReadinessEndpoint",
                    priority: 20,
                    ruleType: "MatchRule",
                    // RequestUri holds path and query; decoded and lowercased first, so neither
                    // %2F, //, nor /META/ gets past it (custom rule transforms, learn.microsoft.com
                    // web-application-firewall/ag/custom-waf-rules-overview).
                    matchConditions: [
                        { matchVariables: [{ variableName: "RequestUri" }], operator: "Contains", matchValues: [`${healthFolder(args.healthCheckPath)}/`], transforms: ["UrlDecode", "Lowercase"] },
                    ],
                    action: "Block",
                    state: "Enabled",
                },
            ],
            tags: args.tags,
        },
        { parent },
    );
}
