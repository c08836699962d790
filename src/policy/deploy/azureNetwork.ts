import { isIP } from "node:net";
import type { PlannedResource } from "../../plan/capture";
import type { Graph } from "../../plan/graph";
import { at } from "../inputs";
import { createdBefore } from "../order";
import type { ResourceRule, StackRule, Violation } from "../types";

const nsg = "azure-native:network:NetworkSecurityGroup";
const securityRule = "azure-native:network:SecurityRule";
const flowLog = "azure-native:network:FlowLog";
const networkWatcher = "azure-native:network:NetworkWatcher";

/** An IPv4 or IPv6 address, alone or as a CIDR: what the plural prefix fields take. */
export function isAddressPrefix(value: string): boolean {
    const [address, bits, extra] = value.split("/");
    const family = isIP(address);
    if (!family || extra !== undefined) return false;
    if (bits === undefined) return true;
    return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** A port (0-65535) or a range "low-high": what the plural port fields take. */
export function isPortRange(value: string): boolean {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(value);
    if (!match) return false;
    const [low, high] = [Number(match[1]), Number(match[2] ?? match[1])];
    return high <= 65535 && low <= high;
}

const pluralFields = [
    { field: "sourceAddressPrefixes", singular: "sourceAddressPrefix", valid: isAddressPrefix },
    { field: "destinationAddressPrefixes", singular: "destinationAddressPrefix", valid: isAddressPrefix },
    { field: "sourcePortRanges", singular: "sourcePortRange", valid: isPortRange },
    { field: "destinationPortRanges", singular: "destinationPortRange", valid: isPortRange },
] as const;

function kindOf(value: string): string {
    if (value === "*") return `"*"`;
    return /^[A-Za-z]/.test(value) ? `"${value}", a service tag,` : `"${value}", neither a CIDR nor a port range,`;
}

function ruleProblems(rule: Record<string, unknown>, where: string): string[] {
    return pluralFields.flatMap(({ field, singular, valid }) =>
        ((rule[field] as unknown[] | undefined) ?? [])
            .map(String)
            .filter((value) => !valid(value))
            .map(
                (value) =>
                    `${where}: ${field} holds ${kindOf(value)} but the plural field takes only ` +
                    `${field.endsWith("Prefixes") ? "IP addresses and CIDRs" : "ports and port ranges"}; ARM rejects the rule ` +
                    `(SecurityRuleParameterContainsUnsupportedValue). Tags and "*" go alone in ${singular}.`,
            ),
    );
}

export const nsgPluralFieldsRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AZ-NSG-PLURAL-CIDR-ONLY",
    title: "NSG rules' plural prefix and port fields hold only CIDRs and port ranges, never service tags or *",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // sourceAddressPrefix: "Default tags such as 'VirtualNetwork', 'AzureLoadBalancer' and 'Internet' can also be
        // used"; sourceAddressPrefixes: only "The CIDR or source IP ranges" (likewise destination, and "*" for the
        // singular port fields only), from the network 2024-05-01 REST spec.
        "@pulumi/azure-native@3.28.0:types/input.d.ts:140680-140746 (SecurityRuleArgs)",
        // "Security rule parameter SourceAddressPrefixes for rule ... cannot specify existing VIRTUALNETWORK, INTERNET,
        // AZURELOADBALANCER, '*' or system tags" (SecurityRuleParameterContainsUnsupportedValue)
        "https://github.com/hashicorp/terraform-provider-azurerm/issues/5617",
        // Maintainer: "source_port_range support "*" ... but source_port_ranges doesn't support"; #44: destination_port_ranges
        // "doesn't take "*" as a valid value".
        "https://github.com/Azure/terraform-azurerm-network-security-group/issues/21",
        "https://github.com/Azure/terraform-azurerm-network-security-group/issues/44",
    ],
    appliesTo: [nsg, securityRule],
    check(resource) {
        if (resource.type === securityRule) return ruleProblems(resource.inputs, `rule "${resource.inputs.name ?? resource.name}"`);
        return ((resource.inputs.securityRules as Record<string, unknown>[] | undefined) ?? []).flatMap((rule, i) =>
            ruleProblems(rule, `securityRules[${i}] "${rule.name}"`),
        );
    },
};

/** The watcher a flow log is created under: `<resourceGroupName>/<networkWatcherName>`. */
const watcherOf = (r: PlannedResource) => `${r.inputs.resourceGroupName}/${r.inputs.networkWatcherName}`;

/** ARM template deployments, which create or update what their template declares (PUT semantics). */
const deploymentTypes = ["azure-native:resources:Deployment", "azure-native:resources:DeploymentAtSubscriptionScope"];

/**
 * The `<group>/<name>` of every network watcher an ARM template declares, following nested
 * `Microsoft.Resources/deployments` into the resource group they name.
 */
function templateWatchers(template: any, group: string | undefined): string[] {
    return ((template?.resources as any[]) ?? []).flatMap((r) => {
        if (String(r.type).toLowerCase() === "microsoft.network/networkwatchers") return [`${group}/${r.name}`];
        if (String(r.type).toLowerCase() === "microsoft.resources/deployments") return templateWatchers(r.properties?.template, r.resourceGroup ?? group);
        return [];
    });
}

/** Resources that create (or create-or-update) a given watcher. */
function watcherCreators(graph: Graph, watcher: string): PlannedResource[] {
    const declared = graph.ofType(networkWatcher).filter((w) => `${w.inputs.resourceGroupName}/${w.inputs.networkWatcherName ?? w.outputs.name}` === watcher);
    const deployed = deploymentTypes
        .flatMap((t) => graph.ofType(t))
        .filter((d) => templateWatchers(at(d.inputs, "properties.template"), d.inputs.resourceGroupName).includes(watcher));
    return [...declared, ...deployed];
}

export const flowLogWatcherRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AZ-FLOWLOG-WATCHER-EXISTS",
    title: "A flow log is created only after something in the program has made sure its Network Watcher exists",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // "ResourceGroupNotFound ... Resource group 'NetworkWatcherRG' could not be found"; fix PR #425: "This resource
        // group wasn't created at the time the NSG flow logs were getting enabled".
        "https://github.com/Azure/AKS-Construction/issues/410",
        // "Before any calls can be made into the APIs below, you must create a Network Watcher resource ... one Network
        // Watcher resource per subscription per region."
        "https://learn.microsoft.com/rest/api/network-watcher",
        // NetworkWatcherRG appears on its own after the first network resource of a region (auto-enablement).
        "https://github.com/Azure/azure-cli/issues/8222",
        // A template deployment creates what its template declares, and leaves what exists as it is (incremental mode).
        "https://learn.microsoft.com/azure/azure-resource-manager/templates/deployment-modes",
    ],
    appliesTo: [flowLog],
    check(graph: Graph): Violation[] {
        return graph.ofType(flowLog).flatMap((log) => {
            const watcher = watcherOf(log);
            const before = createdBefore(graph, log);
            const creators = watcherCreators(graph, watcher);
            if (creators.some((w) => before.has(w.key))) return [];
            const why = creators.length
                ? `${creators[0].key} creates that watcher, but the flow log does not wait for it`
                : "nothing in the program creates that watcher (a NetworkWatcher resource, or an ARM template deployment declaring it)";
            return [
                {
                    resourceKey: log.key,
                    reason:
                        `networkWatcherName "${at(log.inputs, "networkWatcherName")}" in resourceGroupName "${at(log.inputs, "resourceGroupName")}": ${why}. ` +
                        "Azure creates that watcher asynchronously after the first VNet (or never, once a subscription opts out), " +
                        "so on a fresh subscription the flow log fails with ResourceGroupNotFound / ParentResourceNotFound.",
                },
            ];
        });
    },
};
