import { beforeAll, describe, expect, it } from "vitest";
import { mockAccountId } from "../../src/plan/mocks";
import { baseConfig, runStack, type Graph } from "../harness";

const SUBNET = "aws:ec2/subnet:Subnet";
const NAT = "aws:ec2/natGateway:NatGateway";
const ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";

const subnetsOf = (g: Graph, role: string) => g.ofType(SUBNET).filter((s) => s.inputs.tags["emr:subnet-role"] === role);
/** The route table associated with a subnet. */
const routeTableOf = (g: Graph, subnetId: string) =>
    g.referenced(g.ofType(ASSOCIATION).find((a) => a.inputs.subnetId === subnetId)?.inputs.routeTableId)!;

describe.each([2, 3])("aws NetTier over %i zones", (zones) => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.aws, "emr:zones": String(zones) })).ok();
    });

    it("has a public, an app and a data subnet in every zone, none handing out public IPs", () => {
        const expectedZones = ["us-east-1a", "us-east-1b", "us-east-1c"].slice(0, zones);
        for (const role of ["edge", "app", "data"]) {
            const subnets = subnetsOf(g, role);
            expect(subnets.map((s) => s.inputs.availabilityZone)).toEqual(expectedZones);
            expect(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false)).toBe(true);
        }
        const cidrs = g.ofType(SUBNET).map((s) => s.inputs.cidrBlock);
        expect(new Set(cidrs).size).toBe(cidrs.length);
        expect(cidrs.every((c: string) => c.startsWith("10.20.") && c.endsWith("/20"))).toBe(true);
    });

    it("puts a NAT gateway with its own EIP in the public subnet of every zone", () => {
        const nats = g.ofType(NAT);
        expect(nats).toHaveLength(zones);
        const natZones = nats.map((n) => g.referenced(n.inputs.subnetId)!).map((s) => [s.inputs.tags["emr:subnet-role"], s.inputs.availabilityZone]);
        expect(natZones).toEqual(subnetsOf(g, "edge").map((s) => ["edge", s.inputs.availabilityZone]));
        expect(new Set(nats.map((n) => n.inputs.allocationId)).size).toBe(zones);
    });

    it("routes each app subnet's egress through the NAT of its own zone", () => {
        for (const app of subnetsOf(g, "app")) {
            const routes = routeTableOf(g, app.id!).inputs.routes;
            expect(routes).toHaveLength(1);
            const nat = g.referenced(routes[0].natGatewayId)!;
            expect(g.referenced(nat.inputs.subnetId)!.inputs.availabilityZone).toBe(app.inputs.availabilityZone);
        }
    });

    it("gives data subnets no route out and public subnets a route to the internet gateway", () => {
        for (const data of subnetsOf(g, "data")) expect(routeTableOf(g, data.id!).inputs.routes ?? []).toEqual([]);
        const igw = g.one("aws:ec2/internetGateway:InternetGateway");
        for (const edge of subnetsOf(g, "edge")) {
            expect(routeTableOf(g, edge.id!).inputs.routes).toEqual([{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }]);
        }
    });
});

describe("aws NetTier controls", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.aws, "emr:logRetentionDays": "90" })).ok();
    });

    it("closes the default security group", () => {
        const sg = g.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        expect(sg.inputs.ingress ?? []).toEqual([]);
        expect(sg.inputs.egress ?? []).toEqual([]);
    });

    it("logs ALL flows to a KMS-encrypted log group with the configured retention", () => {
        const flowLog = g.one("aws:ec2/flowLog:FlowLog");
        expect(flowLog.inputs).toMatchObject({ trafficType: "ALL", logDestinationType: "cloud-watch-logs" });
        expect(g.referenced(flowLog.inputs.vpcId)!.type).toBe("aws:ec2/vpc:Vpc");
        const group = g.referenced(flowLog.inputs.logDestination)!;
        expect(group.inputs.retentionInDays).toBe(90);
        const key = g.referenced(group.inputs.kmsKeyId)!;
        expect(key.inputs.enableKeyRotation).toBe(true);
        expect(key.protect).toBe(true);
    });

    it("lets the flow-log role do what AWS says delivery needs, on the flow-log group only where it can", () => {
        const flowLog = g.one("aws:ec2/flowLog:FlowLog");
        const role = g.referenced(flowLog.inputs.iamRoleArn)!;
        const group = g.referenced(flowLog.inputs.logDestination)!;
        const grants = g.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === role.id);
        // docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html, less CreateLogGroup (the group exists).
        expect(grants.flatMap((p) => JSON.parse(p.inputs.policy).Statement)).toEqual([
            { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: `${group.outputs.arn}:*` },
            { Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: `arn:aws:logs:us-east-1:${mockAccountId}:log-group:*` },
        ]);
    });

    it("keeps S3 traffic of the private subnets on the gateway endpoint", () => {
        const endpoint = g.one("aws:ec2/vpcEndpoint:VpcEndpoint");
        expect(endpoint.inputs).toMatchObject({ vpcEndpointType: "Gateway", serviceName: "com.amazonaws.us-east-1.s3" });
        const tables = endpoint.inputs.routeTableIds.map((id: string) => g.referenced(id)!.name);
        expect(tables.sort()).toEqual(["emr-net-app-rt-0", "emr-net-app-rt-1", "emr-net-data-rt"]);
    });

    it("opens the database only to the web servers, on 3306", () => {
        const ingress = g.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        const dbSg = g.byKey("aws:ec2/securityGroup:SecurityGroup::emr-net-db-sg")!;
        const webSg = g.byKey("aws:ec2/securityGroup:SecurityGroup::emr-net-web-sg")!;
        const intoDb = ingress.filter((r) => r.inputs.securityGroupId === dbSg.id);
        expect(intoDb.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4])).toEqual([
            [3306, 3306, webSg.id, undefined],
        ]);
        const fromInternet = ingress.filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0").map((r) => g.referenced(r.inputs.securityGroupId)!.name);
        expect(new Set(fromInternet)).toEqual(new Set(["emr-net-alb-sg"]));
    });
});

describe("aws NetTier in single-nat mode", () => {
    it("shares one NAT between the zones' app subnets", async () => {
        const g = (await runStack({ ...baseConfig.aws, "emr:zones": "3", "emr:egress": "single-nat" })).ok();
        const nats = g.ofType(NAT);
        expect(nats).toHaveLength(1);
        for (const app of subnetsOf(g, "app")) {
            expect(routeTableOf(g, app.id!).inputs.routes[0].natGatewayId).toBe(nats[0].id);
        }
    });
});
