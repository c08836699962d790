import type { PlannedResource } from "../../plan/capture";
import type { Graph } from "../../plan/graph";
import type { ResourceRule, StackRule, Violation } from "../types";

const gatewayType = "azure-native:network:ApplicationGateway";
const scaleSetType = "azure-native:compute:VirtualMachineScaleSet";

/** An NSG rule as ARM evaluates it (singular and plural fields alike). */
type NsgRule = { name: string; priority: number; access: string; direction: string; protocol: string; sources: string[]; ports: string[] };

/**
 * Azure's default inbound rules, below every rule a user can add: "AllowVNetInBound 65000
 * VirtualNetwork ... Allow; AllowAzureLoadBalancerInBound 65001; DenyAllInBound 65500"
 * (learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules).
 */
const defaultInbound: NsgRule[] = [
    { name: "AllowVNetInBound", priority: 65000, access: "Allow", direction: "Inbound", protocol: "*", sources: ["VirtualNetwork"], ports: ["*"] },
    { name: "AllowAzureLoadBalancerInBound", priority: 65001, access: "Allow", direction: "Inbound", protocol: "*", sources: ["AzureLoadBalancer"], ports: ["*"] },
    { name: "DenyAllInBound", priority: 65500, access: "Deny", direction: "Inbound", protocol: "*", sources: ["*"], ports: ["*"] },
];

const ipv4 = (address: string) => address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);

/** Whether CIDR (or address) `outer` contains all of CIDR `inner`. */
export function cidrContains(outer: string, inner: string): boolean {
    const [oa, ob = "32"] = outer.split("/");
    const [ia, ib = "32"] = inner.split("/");
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(oa) || !/^\d+\.\d+\.\d+\.\d+$/.test(ia) || Number(ob) > Number(ib)) return false;
    const size = 2 ** (32 - Number(ob));
    return Math.floor(ipv4(oa) / size) === Math.floor(ipv4(ia) / size);
}

const portCovers = (range: string, port: number) => {
    if (range === "*") return true;
    const [low, high = low] = range.split("-").map(Number);
    return low <= port && port <= high;
};

function rulesOf(nsg: PlannedResource | undefined): NsgRule[] {
    const declared = ((nsg?.inputs.securityRules ?? []) as any[]).map((r) => ({
        name: r.name,
        priority: r.priority,
        access: r.access,
        direction: r.direction,
        protocol: r.protocol,
        sources: r.sourceAddressPrefixes ?? [r.sourceAddressPrefix],
        ports: r.destinationPortRanges ?? [r.destinationPortRange],
    }));
    return [...declared, ...defaultInbound].sort((a, b) => a.priority - b.priority);
}

/** The rule that decides a tcp connection from `source` (a CIDR inside the VNet) to `port`: ARM takes the first match by priority. */
function deciding(rules: NsgRule[], source: string, port: number): NsgRule | undefined {
    return rules.find(
        (r) =>
            r.direction === "Inbound" &&
            ["*", "Tcp"].includes(r.protocol) &&
            r.sources.some((s) => s === "*" || s === "VirtualNetwork" || cidrContains(s, source)) &&
            r.ports.some((p) => portCovers(p, port)),
    );
}

/** Where a scale set's NICs joined to `gateway`'s pools are, and which NSGs filter their traffic. */
function backendsOf(graph: Graph, gateway: PlannedResource): { scaleSet: PlannedResource; nsgs: PlannedResource[] }[] {
    const poolPrefix = `${gateway.id}/backendAddressPools/`;
    return graph.ofType(scaleSetType).flatMap((scaleSet) =>
        ((scaleSet.inputs.virtualMachineProfile?.networkProfile?.networkInterfaceConfigurations ?? []) as any[]).flatMap((nic) =>
            ((nic.ipConfigurations ?? []) as any[])
                .filter((ip) => (ip.applicationGatewayBackendAddressPools ?? []).some((p: any) => String(p.id).startsWith(poolPrefix)))
                .map((ip) => {
                    const subnet = graph.referenced(ip.subnet?.id);
                    const nsgIds = [subnet?.inputs.networkSecurityGroup?.id, nic.networkSecurityGroup?.id].filter(Boolean);
                    return { scaleSet, nsgs: nsgIds.map((id) => graph.referenced(id)).filter((n): n is PlannedResource => !!n) };
                }),
        ),
    );
}

/**
 * An Application Gateway reaches its backends on the backend settings' ports and its probes' ports
 * (a probe without a port uses its backend settings' port): every NSG on the way (the backend
 * subnet's, the NIC's) must let them in from the gateway's subnet, or every server is Unhealthy and
 * the gateway answers 502.
 */
export const gatewayReachesBackendsRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AZ-GATEWAY-REACHES-BACKEND-PORTS",
    title: "The backend servers' NSGs admit the Application Gateway's backend and probe ports from the gateway subnet",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // "By default, Application gateway sends the health probes with the same port that is defined in the back-end
        // HTTP settings. A custom probe port can be configured using a custom health probe."
        "https://learn.microsoft.com/en-us/training/modules/load-balancing-https-traffic-azure/3-configure-azure-application-gateway",
        // Rule evaluation: "Rules are processed in priority order, with lower numbers processed before higher numbers
        // ... Once traffic matches a rule, processing stops"; the default rules (AllowVNetInBound ... DenyAllInBound).
        "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
        // "Bad gateway ... Back-end VMs or instances of VM Scale Set are not responding to the default health probe."
        "https://github.com/uglide/azure-content/blob/master/articles/application-gateway/application-gateway-troubleshooting-502.md",
    ],
    appliesTo: [gatewayType],
    check(graph) {
        const violations: Violation[] = [];
        for (const gateway of graph.ofType(gatewayType)) {
            const sources = ((gateway.inputs.gatewayIPConfigurations ?? []) as any[])
                .map((c) => graph.referenced(c.subnet?.id)?.inputs.addressPrefix)
                .filter((p): p is string => typeof p === "string");
            const settings = (gateway.inputs.backendHttpSettingsCollection ?? []) as any[];
            const ports = [...new Set([...settings.map((b) => Number(b.port)), ...((gateway.inputs.probes ?? []) as any[]).map((p) => Number(p.port ?? settings[0]?.port))])];
            for (const { scaleSet, nsgs } of backendsOf(graph, gateway)) {
                for (const nsg of nsgs) {
                    for (const source of sources) {
                        for (const port of ports) {
                            const rule = deciding(rulesOf(nsg), source, port);
                            if (rule?.access !== "Allow") {
                                violations.push({
                                    resourceKey: nsg.key,
                                    reason: `tcp ${port} from the gateway subnet ${source} to ${scaleSet.name} is decided by rule "${rule?.name}" (${rule?.access}, priority ${rule?.priority}): the gateway cannot reach its backends on that port`,
                                });
                            }
                        }
                    }
                }
            }
        }
        return violations;
    },
};

/** Application Gateway v2 autoscale instance counts Azure accepts. */
export const gatewayInstanceRange = { min: 0, max: 125 } as const;

export const gatewayAutoscaleBoundsRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AZ-APPGW-AUTOSCALE-BOUNDS",
    title: "A v2 Application Gateway autoscales between 0 and 125 instances, its maximum above its minimum",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // "The instance counts can range from 0 to 125. The default value for maximum instance count is 20 if not specified."
        "MicrosoftDocs/azure-docs:articles/application-gateway/application-gateway-autoscaling-zone-redundant.md (Scaling Application Gateway and WAF v2)",
    ],
    appliesTo: [gatewayType],
    check(resource) {
        const scale = resource.inputs.autoscaleConfiguration;
        if (!scale) return [];
        const { min, max } = gatewayInstanceRange;
        const low = scale.minCapacity;
        const high = scale.maxCapacity ?? 20;
        const inRange = (n: unknown) => Number.isInteger(n) && (n as number) >= min && (n as number) <= max;
        const problems: string[] = [];
        if (!inRange(low)) problems.push(`autoscaleConfiguration.minCapacity ${JSON.stringify(low)} is outside ${min}-${max}`);
        if (!inRange(high)) problems.push(`autoscaleConfiguration.maxCapacity ${JSON.stringify(high)} is outside ${min}-${max}`);
        if (problems.length === 0 && high <= low) {
            problems.push(`autoscaleConfiguration.maxCapacity ${high} is not above minCapacity ${low}: the gateway cannot scale out under load`);
        }
        return problems.map((p) => `${p} (Azure accepts instance counts ${min}-${max}).`);
    },
};
