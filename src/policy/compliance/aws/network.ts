import type { Violation } from "../../types";
import { awsResourceRule, awsStackRule, hipaa, isTrue, pointingAt, shown } from "./shared";

/**
 * Network controls. Security group rules come in three shapes (@pulumi/aws 7.48.0): inline
 * `ingress` blocks on ec2 SecurityGroup (ec2/securityGroup.d.ts:235), ec2 SecurityGroupRule with
 * `type: "ingress"` (ec2/securityGroupRule.d.ts:158-210), and the vpc SecurityGroupIngressRule this
 * stack uses (vpc/securityGroupIngressRule.d.ts:76-130).
 */

/**
 * Ports that must never face the internet: remote administration and data stores. 22/3389 are
 * checkov CKV_AWS_24/25; 20, 21, 3389, 3306, 4333 are cdk-nag EC2RestrictedCommonPorts; the rest are
 * the other database, cache and file protocols a stack like this could expose.
 */
const adminPorts: Record<number, string> = {
    20: "FTP data",
    21: "FTP",
    22: "SSH",
    23: "Telnet",
    445: "SMB",
    1433: "SQL Server",
    1521: "Oracle",
    2049: "NFS (EFS)",
    2375: "Docker API",
    2376: "Docker API (TLS)",
    3306: "MySQL",
    3389: "RDP",
    4333: "mSQL",
    5432: "PostgreSQL",
    5900: "VNC",
    5985: "WinRM",
    5986: "WinRM (TLS)",
    6379: "Redis",
    9200: "OpenSearch",
    11211: "Memcached",
    27017: "MongoDB",
};

const anywhere = ["0.0.0.0/0", "::/0"];

/** The open admin ports an ingress from `cidrs` over `protocol` between `from` and `to` exposes to the internet. */
function exposed(cidrs: unknown[], protocol: unknown, from: unknown, to: unknown): string[] {
    const open = cidrs.filter((c) => anywhere.includes(String(c)));
    if (!open.length) return [];
    const all = String(protocol) === "-1" || String(protocol).toLowerCase() === "all";
    if (!all && !["tcp", "6", "udp", "17"].includes(String(protocol).toLowerCase())) return [];
    const lo = all || from === undefined ? 0 : Number(from);
    const hi = all || to === undefined ? 65535 : Number(to);
    return Object.entries(adminPorts)
        .filter(([port]) => Number(port) >= lo && Number(port) <= hi)
        .map(([port, what]) => `${what} ${port} open to ${open.join(", ")}`);
}

export const noPublicAdminPortsRule = awsResourceRule({
    id: "EMR-AWS-SG-NO-PUBLIC-ADMIN-PORTS",
    title: "No security group admits the internet (0.0.0.0/0 or ::/0) to an administration or database port",
    severity: "error",
    controls: {
        hipaa: [hipaa.accessControl, hipaa.transmission],
        checkov: ["CKV_AWS_24", "CKV_AWS_25"],
        cdkNag: ["HIPAA.Security-EC2RestrictedSSH", "HIPAA.Security-EC2RestrictedCommonPorts"],
        trivy: ["AVD-AWS-0107"],
    },
    source: [
        "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        "@pulumi/aws@7.48.0:vpc/securityGroupIngressRule.d.ts:76-130",
        "@pulumi/aws@7.48.0:ec2/securityGroupRule.d.ts:158-210",
    ],
    appliesTo: ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:ec2/securityGroupRule:SecurityGroupRule", "aws:ec2/securityGroup:SecurityGroup"],
    check({ type, inputs }) {
        let found: string[] = [];
        if (type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") found = exposed([inputs.cidrIpv4, inputs.cidrIpv6], inputs.ipProtocol, inputs.fromPort, inputs.toPort);
        else if (type === "aws:ec2/securityGroupRule:SecurityGroupRule")
            found = inputs.type === "ingress" ? exposed([...(inputs.cidrBlocks ?? []), ...(inputs.ipv6CidrBlocks ?? [])], inputs.protocol, inputs.fromPort, inputs.toPort) : [];
        else found = ((inputs.ingress as any[]) ?? []).flatMap((i) => exposed([...(i.cidrBlocks ?? []), ...(i.ipv6CidrBlocks ?? [])], i.protocol, i.fromPort, i.toPort));
        return found.map((f) => `ingress admits ${f}: anyone on the internet can try credentials or exploits on it; reach servers through SSM Session Manager and the database from the app tier only`);
    },
});

export const subnetNoAutoPublicIpRule = awsResourceRule({
    id: "EMR-AWS-SUBNET-NO-AUTO-PUBLIC-IP",
    title: "No subnet gives instances a public IP on launch",
    severity: "error",
    controls: { hipaa: [hipaa.accessControl], checkov: ["CKV_AWS_130"], cdkNag: ["HIPAA.Security-VPCSubnetAutoAssignPublicIpDisabled"], trivy: ["AVD-AWS-0164"] },
    source: ["https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html#subnet-public-ip", "@pulumi/aws@7.48.0:ec2/subnet.d.ts:209"],
    appliesTo: ["aws:ec2/subnet:Subnet"],
    check({ inputs }) {
        return isTrue(inputs.mapPublicIpOnLaunch) ? ["mapPublicIpOnLaunch is true: any instance launched here (by hand, by a future tier) is reachable from the internet"] : [];
    },
});

const vpc = "aws:ec2/vpc:Vpc";

export const vpcFlowLogsRule = awsStackRule({
    id: "EMR-AWS-VPC-FLOW-LOGS",
    title: "Every VPC records flow logs of all traffic (accepted and rejected)",
    severity: "error",
    controls: { hipaa: [hipaa.audit, hipaa.activityReview], checkov: ["CKV2_AWS_11"], cdkNag: ["HIPAA.Security-VPCFlowLogsEnabled"], trivy: ["AVD-AWS-0178"] },
    source: ["https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html", "@pulumi/aws@7.48.0:ec2/flowLog.d.ts:304-318"],
    appliesTo: [vpc],
    check(graph): Violation[] {
        return graph.ofType(vpc).flatMap((v) => {
            const logs = pointingAt(graph, "aws:ec2/flowLog:FlowLog", "vpcId", v);
            if (logs.some((l) => l.inputs.trafficType === "ALL")) return [];
            const reason = logs.length
                ? `its flow logs record trafficType ${shown(logs.map((l) => l.inputs.trafficType))}, not ALL: accepted connections to the servers and database go unrecorded`
                : "no FlowLog names this VPC (vpcId): who connected to the servers and the database is not recorded anywhere";
            return [{ resourceKey: v.key, reason }];
        });
    },
});

export const defaultSecurityGroupClosedRule = awsStackRule({
    id: "EMR-AWS-DEFAULT-SG-CLOSED",
    title: "Every VPC's default security group is adopted and left with no rules",
    severity: "error",
    controls: { hipaa: [hipaa.accessControl], checkov: ["CKV2_AWS_12"] },
    source: [
        "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
        // "When the provider first begins managing the default security group, it immediately removes all ingress and egress rules" (:9)
        "@pulumi/aws@7.48.0:ec2/defaultSecurityGroup.d.ts:9,100-104",
    ],
    appliesTo: [vpc],
    check(graph): Violation[] {
        return graph.ofType(vpc).flatMap((v) => {
            const groups = pointingAt(graph, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "vpcId", v);
            if (!groups.length)
                return [{ resourceKey: v.key, reason: "no DefaultSecurityGroup adopts this VPC's default group: it keeps AWS's rules (all traffic between its members, all egress), and anything launched without a group lands in it" }];
            return groups
                .filter((g) => (g.inputs.ingress ?? []).length || (g.inputs.egress ?? []).length)
                .map((g) => ({ resourceKey: g.key, reason: `the default group keeps ${(g.inputs.ingress ?? []).length} ingress and ${(g.inputs.egress ?? []).length} egress rules: it should have none` }));
        });
    },
});

export const networkRules = [noPublicAdminPortsRule, subnetNoAutoPublicIpRule, vpcFlowLogsRule, defaultSecurityGroupClosedRule];
