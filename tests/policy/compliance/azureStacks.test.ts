import { beforeAll, describe, expect, it } from "vitest";
import type { Graph } from "../../../src/plan/graph";
import { azureComplianceRules } from "../../../src/policy/compliance/azure";
import { runRules, violationLines } from "../../../src/policy/engine";
import { capturedStack, withInputs } from "../stacks";

/** The repository's Azure stacks, captured from the real program under mocks (tests/policy/stacks.ts). */
const stacks: Record<string, Graph> = {};
beforeAll(async () => {
    for (const name of ["azure-dev", "azure-prod"]) stacks[name] = await capturedStack(name);
}, 300_000);

/** The ids of the Azure compliance rules that fail on a graph. */
const failing = (graph: Graph) => runRules(azureComplianceRules, graph).filter((r) => r.status === "fail");

describe("the Azure stacks pass every Azure compliance rule", () => {
    it.each(["azure-dev", "azure-prod"])("%s", (name) => {
        const results = runRules(azureComplianceRules, stacks[name]);
        expect(violationLines(results)).toEqual([]);
        // Every rule looks at something the stack declares: none is vacuously "not applicable".
        expect(results.filter((r) => r.status === "not-applicable").map((r) => r.id)).toEqual([]);
    });
});

const server = "azure-native:dbformysql:Server::emr-db-mysql";
const filesAccount = "azure-native:storage:StorageAccount::emrstoragefiles";
const gateway = "azure-native:network:ApplicationGateway::emr-web-gateway";

/**
 * Deliberate regressions on the real prod graph: one property broken, and the rule that guards it
 * (and no other Azure rule that has nothing to do with it) must fail.
 */
describe("a regression on the real azure-prod graph fails the rule that guards it", () => {
    const regressions: Array<[string, string, string, (inputs: Record<string, any>) => void]> = [
        ["the database made public", "EMR-AZ-MYSQL-NO-PUBLIC-ACCESS", server, (i) => (i.network.publicNetworkAccess = "Enabled")],
        ["the database taken off its delegated subnet", "EMR-AZ-MYSQL-PRIVATE-ACCESS", server, (i) => delete i.network.delegatedSubnetResourceId],
        ["the database without its customer-managed key", "EMR-AZ-MYSQL-CMK", server, (i) => delete i.dataEncryption],
        ["the database without zone-redundant HA", "EMR-AZ-MYSQL-ZONE-REDUNDANT-HA", server, (i) => (i.highAvailability = { mode: "Disabled" })],
        ["the database TLS enforcement off", "EMR-AZ-MYSQL-SECURE-TRANSPORT", "azure-native:dbformysql:Configuration::emr-db-require-secure-transport", (i) => (i.value = "OFF")],
        ["the database accepting TLS 1.0", "EMR-AZ-MYSQL-TLS-VERSION", "azure-native:dbformysql:Configuration::emr-db-tls-version", (i) => (i.value = "TLSv1,TLSv1.2")],
        ["the database audit log off", "EMR-AZ-MYSQL-AUDIT-LOG", "azure-native:dbformysql:Configuration::emr-db-audit-log-enabled", (i) => (i.value = "OFF")],
        ["the share's account on TLS 1.0", "EMR-AZ-STORAGE-MIN-TLS", filesAccount, (i) => (i.minimumTlsVersion = "TLS1_0")],
        ["the share's account accepting plain HTTP", "EMR-AZ-STORAGE-HTTPS-ONLY", filesAccount, (i) => (i.enableHttpsTrafficOnly = false)],
        ["the share's account on Microsoft-managed keys", "EMR-AZ-STORAGE-CMK", filesAccount, (i) => (i.encryption = { keySource: "Microsoft.Storage" })],
        ["the share's account open to the internet", "EMR-AZ-STORAGE-NETWORK-DENY", filesAccount, (i) => (i.publicNetworkAccess = "Enabled")],
        ["the share's account accepting account keys", "EMR-AZ-STORAGE-ENTRA-ONLY", filesAccount, (i) => delete i.allowSharedKeyAccess],
        ["the gateway on the 2015 TLS 1.0 policy", "EMR-AZ-GATEWAY-TLS12", gateway, (i) => (i.sslPolicy = { policyType: "Predefined", policyName: "AppGwSslPolicy20150501" })],
        ["the gateway's custom policy lowered to TLS 1.0", "EMR-AZ-GATEWAY-TLS12", gateway, (i) => (i.sslPolicy.minProtocolVersion = "TLSv1_0")],
        ["the HTTP listener serving the site", "EMR-AZ-GATEWAY-HTTP-REDIRECTS", gateway, (i) => (i.requestRoutingRules[1] = { ...i.requestRoutingRules[0], name: "http-serves", priority: 200, httpListener: i.requestRoutingRules[1].httpListener })],
        ["the WAF switched to Detection", "EMR-AZ-WAF-PREVENTION", "azure-native:network:WebApplicationFirewallPolicy::emr-web-waf", (i) => (i.policySettings.mode = "Detection")],
        ["the key vault without purge protection", "EMR-AZ-KV-PURGE-PROTECTION", "azure-native:keyvault:Vault::emr-storage-kv", (i) => delete i.properties.enablePurgeProtection],
        ["the web servers with password SSH", "EMR-AZ-VMSS-SSH-KEYS-ONLY", "azure-native:compute:VirtualMachineScaleSet::emr-web-servers", (i) => (i.virtualMachineProfile.osProfile.linuxConfiguration.disablePasswordAuthentication = false)],
        ["the web servers without encryption at host", "EMR-AZ-VMSS-ENCRYPTION-AT-HOST", "azure-native:compute:VirtualMachineScaleSet::emr-web-servers", (i) => (i.virtualMachineProfile.securityProfile.encryptionAtHost = false)],
        ["SSH opened to the internet on the data subnet", "EMR-AZ-NSG-NO-INTERNET-ADMIN-PORTS", "azure-native:network:NetworkSecurityGroup::emr-net-data-nsg", (i) =>
            i.securityRules.push({ name: "ssh-anywhere", access: "Allow", direction: "Inbound", priority: 200, protocol: "Tcp", sourceAddressPrefix: "Internet", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "22" })],
        ["the database audit log no longer exported", "EMR-AZ-MYSQL-AUDIT-EXPORT", "azure-native:monitor:DiagnosticSetting::emr-db-diagnostics", (i) => (i.logs = i.logs.filter((l: any) => l.category !== "MySqlAuditLogs"))],
        ["the activity log export dropping Administrative", "EMR-AZ-ACTIVITY-LOG-EXPORT", "azure-native:monitor:DiagnosticSetting::emr-monitoring-activity-log", (i) => (i.logs = i.logs.filter((l: any) => l.category !== "Administrative"))],
    ];

    it.each(regressions)("%s fails %s", (_what, rule, key, change) => {
        const broken = withInputs(stacks["azure-prod"], key, change);
        const failed = failing(broken);
        if (!failed.some((r) => r.id === rule)) console.log(violationLines(failed).join("\n"));
        expect(failed.map((r) => r.id)).toContain(rule);
        expect(failed.find((r) => r.id === rule)!.violations.length).toBeGreaterThan(0);
    });
});
