import type { PlannedResource } from "../../../plan/capture";
import type { StackRule } from "../../types";
import { against, hipaa, list, resolve, said, types } from "./refs";

/** Network security groups and flow logs. */

const policyRepo = "Azure/azure-policy@f4a50bacae07ddb096943c597669bcae494a6e29:built-in-policies/policyDefinitions";
const checkovRepo = "bridgecrewio/checkov@03d5fdad:checkov/terraform/checks/resource/azure";

/**
 * Ports an internet client must never reach: remote administration (SSH, RDP, WinRM) and data
 * services (MySQL and its X protocol, SQL Server, PostgreSQL, NFS and its portmapper, SMB).
 */
export const sensitivePorts: Record<number, string> = {
    22: "SSH",
    3389: "RDP",
    5985: "WinRM",
    5986: "WinRM over HTTPS",
    3306: "MySQL",
    33060: "MySQL X",
    1433: "SQL Server",
    5432: "PostgreSQL",
    2049: "NFS",
    111: "portmapper",
    445: "SMB",
};

/**
 * Source prefixes that mean "any internet address": `*` / `Any` (every source), the `Internet`
 * service tag ("the address space that's outside the virtual network and reachable by the public
 * internet", Learn virtual-network/service-tags-overview) and the all-addresses CIDRs.
 */
const internetSources = new Set(["*", "any", "internet", "0.0.0.0/0", "0.0.0.0", "::/0"]);

/** Whether an NSG port expression (`*`, `22`, `1000-2000`) covers `port`. */
export function coversPort(range: string, port: number): boolean {
    if (range.trim() === "*") return true;
    const [low, high = low] = range.split("-").map((p) => Number(p.trim()));
    return port >= low && port <= high;
}

/** The security rules a resource declares: inline in a NetworkSecurityGroup, or a standalone SecurityRule. */
function securityRules(resource: PlannedResource): Record<string, any>[] {
    return resource.type === types.nsg ? list(resource.inputs.securityRules) : [resource.inputs];
}

export const nsgNoInternetAdminPortsRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-NSG-NO-INTERNET-ADMIN-PORTS",
    title: "No network security group admits the internet to an administration or database port",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.accessControl, hipaa.transmission],
        checkov: ["CKV_AZURE_9", "CKV_AZURE_10"],
        trivy: ["AVD-AZU-0047", "AVD-AZU-0048", "AVD-AZU-0050"],
        azurePolicy: [
            "Management ports should be closed on your virtual machines (22730e10-96f6-4aac-ad84-9383d35b5917)",
            "All network ports should be restricted on network security groups associated to your virtual machine (9daedab3-fb2d-461e-b861-71790eead4f6)",
        ],
    },
    source: [
        "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules",
        "https://learn.microsoft.com/azure/virtual-network/service-tags-overview",
        "@pulumi/azure-native@3.28.0:types/input.d.ts network.SecurityRuleArgs (access, direction, sourceAddressPrefix(es), destinationPortRange(s))",
        `${checkovRepo}/NSGRuleSSHAccessRestricted.py`,
        `${checkovRepo}/NSGRuleRDPAccessRestricted.py`,
    ],
    appliesTo: [types.nsg, types.securityRule],
    check(graph) {
        return [...graph.ofType(types.nsg), ...graph.ofType(types.securityRule)].flatMap((owner) =>
            securityRules(owner).flatMap((rule) => {
                if (rule.access !== "Allow" || rule.direction !== "Inbound") return [];
                const sources = [rule.sourceAddressPrefix, ...list(rule.sourceAddressPrefixes)].filter((s): s is string => typeof s === "string");
                const open = sources.filter((s) => internetSources.has(s.toLowerCase()));
                if (!open.length) return [];
                const ranges = [rule.destinationPortRange, ...list(rule.destinationPortRanges)].filter((r): r is string => typeof r === "string");
                const exposed = Object.entries(sensitivePorts).filter(([port]) => ranges.some((r) => coversPort(r, Number(port))));
                if (!exposed.length) return [];
                const ports = exposed.map(([port, what]) => `${port} (${what})`).join(", ");
                return against(owner, [`security rule "${rule.name}" allows inbound from ${open.join(", ")} to ${ports}: administration and data ports must be reachable only from inside the virtual network.`]);
            }),
        );
    },
};

/** Flow-log retention floor: checkov CKV_AZURE_12 and trivy AVD-AZU-0049 ask for at least 90 days. */
export const minimumFlowLogDays = 90;

export const vnetFlowLogsRule: StackRule = {
    kind: "stack",
    id: "EMR-AZ-VNET-FLOW-LOGS",
    title: `Every virtual network has an enabled flow log kept at least ${minimumFlowLogDays} days`,
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.audit, hipaa.activityReview],
        checkov: ["CKV_AZURE_12"],
        trivy: ["AVD-AZU-0049", "AVD-AZU-0073"],
        azurePolicy: [
            "Audit flow logs configuration for every virtual network (4c3c6c5f-0d47-4402-99b8-aa543dd8bcee)",
            "All flow log resources should be in enabled state (27960feb-a23c-4577-8d36-ef8b5f35e0be)",
        ],
    },
    source: [
        // VNet flow logs replace NSG flow logs ("NSG flow logs ... retire on 30 September 2027"); retentionPolicy.days 0 keeps forever.
        "https://learn.microsoft.com/azure/network-watcher/vnet-flow-logs-overview",
        "@pulumi/azure-native@3.28.0:network/flowLog.d.ts (enabled, targetResourceId, retentionPolicy)",
        `${policyRepo}/Network/VirtualNetwork_FlowLog_Audit.json`,
        `${checkovRepo}/NetworkWatcherFlowLogPeriod.py`,
    ],
    appliesTo: [types.virtualNetwork],
    check(graph) {
        const flowLogs = graph.ofType(types.flowLog);
        return graph.ofType(types.virtualNetwork).flatMap((vnet) => {
            const logs = flowLogs.filter((f) => resolve(graph, f.inputs.targetResourceId)?.key === vnet.key);
            if (!logs.length) return against(vnet, ["no FlowLog targets this virtual network: nobody can tell afterwards which addresses reached the servers or the database."]);
            return logs.flatMap((log) => {
                const problems: string[] = [];
                if (log.inputs.enabled === false) problems.push("enabled is false: the flow log records nothing.");
                const retention = log.inputs.retentionPolicy;
                const keepsForever = retention?.enabled === true && retention.days === 0;
                if (!keepsForever && !(retention?.enabled === true && typeof retention.days === "number" && retention.days >= minimumFlowLogDays))
                    problems.push(`retentionPolicy ${said(retention)}: keep flow records at least ${minimumFlowLogDays} days (enabled with days >= ${minimumFlowLogDays}, or 0 for ever).`);
                return against(log, problems);
            });
        });
    },
};

export const networkRules = [nsgNoInternetAdminPortsRule, vnetFlowLogsRule];
