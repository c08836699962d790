import type { ResourceRule } from "../../types";
import { hipaa } from "../hipaa";

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
        // Azure Policy built-in (Azure/azure-policy@f4a50bac built-in-policies/policyDefinitions/Cache/
        // RedisCacheEnterprise_PrivateEndpoint_AINE.json). The checkov and Azure Cache for Redis ids
        // judge the older service (azurerm_redis_cache, Microsoft.Cache/redis), not Managed Redis.
        controls: { hipaa: [hipaa.accessControl, hipaa.transmission], azurePolicy: ["Azure Cache for Redis Enterprise should use private link (960e650e-9ce3-4316-9590-8ee2c016ca2f)"] },
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
        // No scanner id judges Managed Redis TLS: checkov's CKV_AZURE_91/148 and the "secure
        // connections" built-in are written for Azure Cache for Redis (Microsoft.Cache/redis).
        controls: { hipaa: [hipaa.transmission, hipaa.transmissionEncryption] },
        check({ type, inputs }) {
            if (type === database) return (inputs.clientProtocol ?? "Encrypted") === "Encrypted" ? [] : [`clientProtocol is ${inputs.clientProtocol}: plain-text clients accepted`];
            return inputs.minimumTlsVersion === "1.2" || inputs.minimumTlsVersion === "1.3" ? [] : [`minimumTlsVersion is ${inputs.minimumTlsVersion ?? "unset"}, not 1.2 or later`];
        },
    },
];
