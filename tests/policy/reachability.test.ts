import { beforeAll, describe, expect, it } from "vitest";
import type { Graph } from "../../src/plan/graph";
import { balancerReachesTargetsRule } from "../../src/policy/deploy/awsNetwork";
import { cidrContains, gatewayReachesBackendsRule } from "../../src/policy/deploy/azureGateway";
import { graphOf, judge, reasons, resource } from "./fixtures";
import { capturedStack, withInputs } from "./stacks";

/** A minimal ALB -> target group <- ASG wiring with the given security-group rules. */
function albStack(healthPort: string | undefined, rules: { dir: "in" | "out"; on: string; peer: string; port: number }[]) {
    const tg = resource("aws:lb/targetGroup:TargetGroup", "tg", { port: 80, healthCheck: healthPort === undefined ? undefined : { port: healthPort } }, { outputs: { arn: "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg" } });
    const lb = resource("aws:lb/loadBalancer:LoadBalancer", "alb", { securityGroups: ["sg-lb"] }, { outputs: { arn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/alb" } });
    const listener = resource("aws:lb/listener:Listener", "https", { loadBalancerArn: lb.outputs.arn, defaultActions: [{ type: "forward", targetGroupArn: tg.outputs.arn }] });
    const template = resource("aws:ec2/launchTemplate:LaunchTemplate", "web", { networkInterfaces: [{ securityGroups: ["sg-web"] }] }, { id: "lt-0123456789" });
    const asg = resource("aws:autoscaling/group:Group", "web", { targetGroupArns: [tg.outputs.arn], launchTemplate: { id: "lt-0123456789" } });
    const sgRules = rules.map((r, i) =>
        resource(`aws:vpc/securityGroup${r.dir === "in" ? "Ingress" : "Egress"}Rule:SecurityGroup${r.dir === "in" ? "Ingress" : "Egress"}Rule`, `r${i}`, {
            securityGroupId: r.on,
            referencedSecurityGroupId: r.peer,
            ipProtocol: "tcp",
            fromPort: r.port,
            toPort: r.port,
        }),
    );
    return graphOf(tg, lb, listener, template, asg, ...sgRules);
}

const both = (port: number) => [
    { dir: "in" as const, on: "sg-web", peer: "sg-lb", port },
    { dir: "out" as const, on: "sg-lb", peer: "sg-web", port },
];

describe("DEPLOY-AWS-LB-REACHES-TARGET-PORTS", () => {
    it("passes when both groups pass the traffic port and the health-check port", () => {
        expect(judge(balancerReachesTargetsRule, albStack("8080", [...both(80), ...both(8080)])).status).toBe("pass");
        expect(judge(balancerReachesTargetsRule, albStack("traffic-port", both(80))).status).toBe("pass");
    });

    it("fails a health-check port the servers' group does not admit or the balancer's group does not let out", () => {
        const result = judge(balancerReachesTargetsRule, albStack("8080", [...both(80), { dir: "in", on: "sg-web", peer: "sg-lb", port: 8080 }]));
        expect(result.status).toBe("fail");
        expect(reasons(result)).toContain("no egress rule on the load balancer's security group (sg-lb) lets tcp 8080 out");
        expect(reasons(judge(balancerReachesTargetsRule, albStack("8080", both(80))))).toContain("admits tcp 8080 from the load balancer's (sg-lb)");
    });
});

describe("DEPLOY-AZ-GATEWAY-REACHES-BACKEND-PORTS", () => {
    const subnetId = (n: string) => `/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/${n}`;
    function gatewayStack(appRules: object[], probePort?: number) {
        const nsg = resource("azure-native:network:NetworkSecurityGroup", "app-nsg", { securityRules: appRules }, { id: "/nsg/app" });
        const edge = resource("azure-native:network:Subnet", "edge", { addressPrefix: "10.20.0.0/20" }, { id: subnetId("edge") });
        const app = resource("azure-native:network:Subnet", "app", { addressPrefix: "10.20.64.0/20", networkSecurityGroup: { id: "/nsg/app" } }, { id: subnetId("app") });
        const gatewayId = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/applicationGateways/gw";
        const gateway = resource(
            "azure-native:network:ApplicationGateway",
            "gw",
            { gatewayIPConfigurations: [{ subnet: { id: edge.id } }], backendHttpSettingsCollection: [{ port: 80 }], probes: [{ port: probePort }] },
            { id: gatewayId },
        );
        const ipConfig = { subnet: { id: app.id }, applicationGatewayBackendAddressPools: [{ id: `${gatewayId}/backendAddressPools/web` }] };
        const vmss = resource("azure-native:compute:VirtualMachineScaleSet", "web", { virtualMachineProfile: { networkProfile: { networkInterfaceConfigurations: [{ ipConfigurations: [ipConfig] }] } } });
        return graphOf(nsg, edge, app, gateway, vmss);
    }
    const allow = (ports: string[], priority = 100) => ({ name: "gateway-to-web", priority, access: "Allow", direction: "Inbound", protocol: "Tcp", sourceAddressPrefix: "10.20.0.0/20", destinationPortRanges: ports });
    const denyAll = { name: "deny-all", priority: 4000, access: "Deny", direction: "Inbound", protocol: "*", sourceAddressPrefix: "*", destinationPortRange: "*" };

    it("passes when the backend and probe ports are admitted before the deny", () => {
        expect(judge(gatewayReachesBackendsRule, gatewayStack([allow(["80", "8080"]), denyAll], 8080)).status).toBe("pass");
        // A probe without a port uses its backend settings' port.
        expect(judge(gatewayReachesBackendsRule, gatewayStack([allow(["80"]), denyAll])).status).toBe("pass");
    });

    it("fails a probe port that falls through to a deny, naming the port and the deciding rule", () => {
        const result = judge(gatewayReachesBackendsRule, gatewayStack([allow(["80"]), denyAll], 8080));
        expect(result.status).toBe("fail");
        expect(reasons(result)).toContain('tcp 8080 from the gateway subnet 10.20.0.0/20 to web is decided by rule "deny-all" (Deny, priority 4000)');
    });

    it("applies ARM's priority order: a deny with a lower number wins over a later allow", () => {
        const deny8080 = { ...denyAll, name: "deny-health", priority: 50, destinationPortRange: "8080" };
        expect(reasons(judge(gatewayReachesBackendsRule, gatewayStack([deny8080, allow(["80", "8080"]), denyAll], 8080)))).toContain('rule "deny-health"');
    });

    it("contains CIDRs as IPv4 arithmetic does", () => {
        expect(cidrContains("10.20.0.0/16", "10.20.64.0/20")).toBe(true);
        expect(cidrContains("10.20.0.0/20", "10.20.64.0/20")).toBe(false);
        expect(cidrContains("10.20.0.0/20", "10.20.0.0/16")).toBe(false);
    });
});

describe("on the real stacks", () => {
    let aws: Graph;
    let azure: Graph;
    beforeAll(async () => {
        [aws, azure] = [await capturedStack("aws-dev"), await capturedStack("azure-dev")];
    }, 60_000);

    it("both clouds' load balancers reach their servers as declared", () => {
        expect(judge(balancerReachesTargetsRule, aws).status).toBe("pass");
        expect(judge(gatewayReachesBackendsRule, azure).status).toBe("pass");
    });

    it("catch the health port dropped from the real app subnet's NSG (a gateway answering 502)", () => {
        const key = "azure-native:network:NetworkSecurityGroup::emr-net-app-nsg";
        const broken = withInputs(azure, key, (inputs) => {
            const rule = inputs.securityRules.find((r: any) => r.name === "gateway-to-web");
            rule.destinationPortRanges = undefined;
            rule.destinationPortRange = "80";
        });
        expect(reasons(judge(gatewayReachesBackendsRule, broken))).toContain('tcp 8080 from the gateway subnet 10.20.0.0/20 to emr-web-servers is decided by rule "deny-other-inbound" (Deny, priority 4000)');
    });

    it("catch the real ALB's health-check egress removed", () => {
        const key = aws.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").find((r) => r.inputs.fromPort === 8080)!.key;
        const broken = withInputs(aws, key, (inputs) => (inputs.fromPort = inputs.toPort = 8443));
        expect(reasons(judge(balancerReachesTargetsRule, broken))).toContain("lets tcp 8080 out to the servers'");
    });
});
