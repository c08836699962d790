import type { PlannedResource } from "../../plan/capture";
import type { Graph } from "../../plan/graph";
import type { StackRule, Violation } from "../types";

const targetGroup = "aws:lb/targetGroup:TargetGroup";
const listener = "aws:lb/listener:Listener";
const loadBalancer = "aws:lb/loadBalancer:LoadBalancer";
const autoscalingGroup = "aws:autoscaling/group:Group";
const launchTemplate = "aws:ec2/launchTemplate:LaunchTemplate";
const securityGroup = "aws:ec2/securityGroup:SecurityGroup";
const ingressRule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const egressRule = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** The ports a load balancer opens to a target group's targets: traffic and health checks. */
function targetPorts(group: PlannedResource): number[] {
    const traffic = Number(group.inputs.port);
    const health = group.inputs.healthCheck?.port;
    // "traffic-port" (the default) probes on the traffic port (TargetGroupHealthCheck.port doc in
    // @pulumi/aws types/input.d.ts).
    return [...new Set([traffic, health === undefined || health === "traffic-port" ? traffic : Number(health)])];
}

/** Security group ids of a load balancer that forwards to `group` (default actions and forward lists). */
function balancerGroups(graph: Graph, group: PlannedResource): string[] {
    const arn = group.outputs.arn;
    const forwards = (l: PlannedResource) =>
        ((l.inputs.defaultActions ?? []) as any[]).some((a) => a.targetGroupArn === arn || (a.forward?.targetGroups ?? []).some((t: any) => t.arn === arn));
    return graph
        .ofType(listener)
        .filter(forwards)
        .flatMap((l) => (graph.referenced(l.inputs.loadBalancerArn)?.type === loadBalancer ? graph.referenced(l.inputs.loadBalancerArn)!.inputs.securityGroups ?? [] : []));
}

/** Security group ids of the servers an Auto Scaling group registers in `group`. */
function serverGroups(graph: Graph, group: PlannedResource): string[] {
    return graph
        .ofType(autoscalingGroup)
        .filter((asg) => (asg.inputs.targetGroupArns ?? []).includes(group.outputs.arn))
        .flatMap((asg) => {
            const template = graph.referenced(asg.inputs.launchTemplate?.id);
            if (template?.type !== launchTemplate) return [];
            return [...(template.inputs.vpcSecurityGroupIds ?? []), ...((template.inputs.networkInterfaces ?? []) as any[]).flatMap((n) => n.securityGroups ?? [])];
        });
}

const covers = (rule: Record<string, any>, port: number) =>
    rule.ipProtocol === "-1" || (String(rule.ipProtocol).toLowerCase() === "tcp" && rule.fromPort <= port && port <= rule.toPort);

/**
 * Whether a rule on one of the groups `on` lets tcp `port` in from (or out to) one of `peers`: a
 * standalone rule resource, or an inline `ingress` / `egress` block of the group itself.
 */
function allowed(graph: Graph, direction: "ingress" | "egress", on: string[], peers: string[], port: number): boolean {
    const standalone = graph
        .ofType(direction === "ingress" ? ingressRule : egressRule)
        .some((r) => on.includes(r.inputs.securityGroupId) && (r.inputs.cidrIpv4 === "0.0.0.0/0" || peers.includes(r.inputs.referencedSecurityGroupId)) && covers(r.inputs, port));
    const inline = graph
        .ofType(securityGroup)
        .filter((g) => on.includes(g.id as string))
        .flatMap((g) => (g.inputs[direction] ?? []) as any[])
        .some((r) => ((r.cidrBlocks ?? []).includes("0.0.0.0/0") || (r.securityGroups ?? []).some((p: string) => peers.includes(p))) && covers({ ...r, ipProtocol: r.protocol }, port));
    return standalone || inline;
}

/**
 * A load balancer reaches its targets on the traffic port and the health-check port: the targets'
 * group admits both from the load balancer's group, and the load balancer's group lets both out.
 * Otherwise every target fails its health check and the site answers 502/503. Egress counts: the
 * provider removes the default allow-all egress rule of every group it creates.
 */
export const balancerReachesTargetsRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AWS-LB-REACHES-TARGET-PORTS",
    title: "The load balancer's and the servers' security groups pass the traffic port and the health-check port",
    category: "deploy",
    cloud: "aws",
    severity: "error",
    source: [
        // "You must ensure that your load balancer can communicate with registered targets on both the listener
        // port and the health check port ... the security groups associated with the load balancer allow traffic
        // on the new port in both directions"; recommended outbound: instance security group on the instance
        // listener port and on the health check port.
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html",
        // Inbound on the instances: the load balancer security group on the instance listener and health check ports.
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-instances-security-groups.html",
        // "By default, AWS creates an ALLOW ALL egress rule when creating a new Security Group inside of a VPC. When
        // creating a new Security Group inside a VPC, Terraform will remove this default rule" (aws_security_group,
        // the resource pulumi-aws bridges).
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group",
    ],
    appliesTo: [targetGroup],
    check(graph) {
        const violations: Violation[] = [];
        for (const group of graph.ofType(targetGroup)) {
            const lb = balancerGroups(graph, group);
            const servers = serverGroups(graph, group);
            if (!lb.length || !servers.length) continue;
            for (const port of targetPorts(group)) {
                if (!allowed(graph, "ingress", servers, lb, port)) {
                    violations.push({ resourceKey: group.key, reason: `no ingress rule on the servers' security group (${servers.join(", ")}) admits tcp ${port} from the load balancer's (${lb.join(", ")}): every target fails its health check` });
                }
                if (!allowed(graph, "egress", lb, servers, port)) {
                    violations.push({ resourceKey: group.key, reason: `no egress rule on the load balancer's security group (${lb.join(", ")}) lets tcp ${port} out to the servers' (${servers.join(", ")})` });
                }
            }
        }
        return violations;
    },
};
