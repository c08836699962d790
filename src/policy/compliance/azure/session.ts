import type { ResourceRule } from "../../types";

const cluster = "azure-native:redisenterprise:RedisEnterprise";
const database = "azure-native:redisenterprise:Database";

/**
 * Azure Managed Redis holding the PHP sessions (src/azure/sessionTier.ts). Input names:
 * @pulumi/azure-native redisenterprise/redisEnterprise.d.ts and database.d.ts. No checkov or
 * Azure Policy id is named for Managed Redis in ../shared/facts/compliance.md; the Azure Cache for
 * Redis counterparts are given where the control is the same.
 * The checkov, cdk-nag and Azure Policy ids were recalled from their catalogues, not re-read at
 * their sources for this change (unverified).
 */
export const azureSessionComplianceRules: readonly ResourceRule[] = [
    {
        kind: "resource",
        id: "EMR-AZ-SESSION-PRIVATE",
        title: "The Azure Managed Redis session store is reachable through a private endpoint only",
        category: "compliance",
        cloud: "azure",
        severity: "error",
        source: ["https://learn.microsoft.com/azure/redis/private-link"],
        appliesTo: [cluster],
        controls: { hipaa: ["164.312(a)(1)", "164.312(e)(1)"], checkov: ["CKV_AZURE_89"], azurePolicy: ["Azure Cache for Redis should disable public network access"] },
        check({ inputs }) {
            return inputs.publicNetworkAccess === "Disabled" ? [] : [`publicNetworkAccess is ${inputs.publicNetworkAccess ?? "unset"}, not Disabled`];
        },
    },
    {
        kind: "resource",
        id: "EMR-AZ-SESSION-TLS",
        title: "The Azure Managed Redis session store accepts TLS 1.2 or later only",
        category: "compliance",
        cloud: "azure",
        severity: "error",
        source: ["https://learn.microsoft.com/azure/redis/tls-configuration"],
        appliesTo: [cluster, database],
        controls: { hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"], checkov: ["CKV_AZURE_91", "CKV_AZURE_148"], azurePolicy: ["Azure Cache for Redis should only enable secure connections"] },
        check({ type, inputs }) {
            if (type === database) return (inputs.clientProtocol ?? "Encrypted") === "Encrypted" ? [] : [`clientProtocol is ${inputs.clientProtocol}: plain-text clients accepted`];
            return inputs.minimumTlsVersion === "1.2" || inputs.minimumTlsVersion === "1.3" ? [] : [`minimumTlsVersion is ${inputs.minimumTlsVersion ?? "unset"}, not 1.2 or later`];
        },
    },
];
