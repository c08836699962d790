import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as pulumi from "@pulumi/pulumi";
import { subnetCidr } from "../tiers/addressing";
import type { NetTier, NetTierArgs, SubnetRole } from "../tiers/contracts";
import { serviceRole } from "./iam";
import { encryptionKey } from "./kms";
import { securityGroups, type TierSecurityGroups } from "./securityGroups";

/**
 * The private network: a VPC over `zoneCount` zones with a public (edge), an app and a data subnet
 * per zone, NAT per zone (or one, in `single-nat`), flow logs, and the security groups of every
 * tier so that each rule can name its peer group (3306 only from the web servers, and so on).
 */
export class AwsNetTier extends pulumi.ComponentResource implements NetTier {
    readonly zoneCount: number;
    readonly zones: pulumi.Output<string[]>;
    readonly networkId: pulumi.Output<string>;
    readonly subnetIds: Record<SubnetRole, pulumi.Output<string[]>>;
    readonly securityGroups: TierSecurityGroups;
    /** ARN of the key that encrypts every CloudWatch log group of the stack. */
    readonly logKeyArn: pulumi.Output<string>;
    readonly region: pulumi.Output<string>;

    constructor(name: string, args: NetTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("emr:aws:NetTier", name, {}, opts);
        const parent = this;
        this.zoneCount = args.zoneCount;
        const tags = (role: string) => ({ ...args.tags, Name: `${name}-${role}` });
        this.region = getRegionOutput({}, { parent }).region;

        // Zone count comes from config (known now), zone names from the region (an output).
        const available = getAvailabilityZonesOutput(
            { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
            { parent },
        );
        const zoneIndexes = [...Array(args.zoneCount).keys()];
        const zoneName = (i: number) => available.names[i];

        const vpc = new ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: args.networkCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tags("vpc") },
            { parent },
        );
        // Adopt the default security group and leave it without rules, so nothing can use it.
        new ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: tags("default-closed") }, { parent: vpc });

        const subnet = (role: SubnetRole, i: number) =>
            new ec2.Subnet(
                `${name}-${role}-${i}`,
                {
                    vpcId: vpc.id,
                    availabilityZone: zoneName(i),
                    cidrBlock: subnetCidr(args.networkCidr, role, i),
                    // Even edge subnets hand out no public IPs: only the ALB and NAT EIPs face the internet.
                    mapPublicIpOnLaunch: false,
                    tags: { ...tags(`${role}-${i}`), "emr:subnet-role": role },
                },
                { parent: vpc },
            );
        const edge = zoneIndexes.map((i) => subnet("edge", i));
        const app = zoneIndexes.map((i) => subnet("app", i));
        const data = zoneIndexes.map((i) => subnet("data", i));

        const igw = new ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags("igw") }, { parent: vpc });
        const publicRoutes = new ec2.RouteTable(
            `${name}-edge-rt`,
            { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: tags("edge-rt") },
            { parent: vpc },
        );
        edge.forEach((s, i) => new ec2.RouteTableAssociation(`${name}-edge-rta-${i}`, { subnetId: s.id, routeTableId: publicRoutes.id }, { parent: s }));

        // One NAT per zone so a zone's loss never cuts the others' egress; `single-nat` trades that for cost.
        const natZones = args.egress === "nat-per-zone" ? zoneIndexes : [0];
        const nats = natZones.map((i) => {
            const eip = new ec2.Eip(`${name}-nat-eip-${i}`, { domain: "vpc", tags: tags(`nat-eip-${i}`) }, { parent: edge[i] });
            return new ec2.NatGateway(
                `${name}-nat-${i}`,
                { subnetId: edge[i].id, allocationId: eip.allocationId, connectivityType: "public", tags: tags(`nat-${i}`) },
                { parent: edge[i], dependsOn: [igw] },
            );
        });
        const appRoutes = zoneIndexes.map((i) => {
            const nat = nats[natZones.indexOf(i)] ?? nats[0];
            const table = new ec2.RouteTable(
                `${name}-app-rt-${i}`,
                { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags: tags(`app-rt-${i}`) },
                { parent: app[i] },
            );
            new ec2.RouteTableAssociation(`${name}-app-rta-${i}`, { subnetId: app[i].id, routeTableId: table.id }, { parent: app[i] });
            return table;
        });
        // Data subnets have no route out at all: the database needs none.
        const dataRoutes = new ec2.RouteTable(`${name}-data-rt`, { vpcId: vpc.id, tags: tags("data-rt") }, { parent: vpc });
        data.forEach((s, i) => new ec2.RouteTableAssociation(`${name}-data-rta-${i}`, { subnetId: s.id, routeTableId: dataRoutes.id }, { parent: s }));

        // S3 traffic of the private subnets stays on the AWS network and off the NAT bill; a gateway endpoint is free.
        new ec2.VpcEndpoint(
            `${name}-s3-endpoint`,
            {
                vpcId: vpc.id,
                serviceName: pulumi.interpolate`com.amazonaws.${this.region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: [...appRoutes.map((t) => t.id), dataRoutes.id],
                tags: tags("s3-endpoint"),
            },
            { parent: vpc },
        );

        const accountId = getCallerIdentityOutput({}, { parent }).accountId;
        const logKey = encryptionKey(
            `${name}-logs-key`,
            {
                description: "Encrypts the EMR stack's CloudWatch log groups",
                users: [
                    {
                        service: pulumi.interpolate`logs.${this.region}.amazonaws.com`,
                        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                        condition: {
                            ArnLike: {
                                "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:aws:logs:${this.region}:${accountId}:log-group:*`,
                            },
                        },
                    },
                ],
                tags: args.tags,
            },
            parent,
        );
        this.logKeyArn = logKey.arn;
        this.flowLogs(name, vpc, args);

        this.securityGroups = securityGroups(name, vpc, args.allowedCidrs, args.tags);
        this.zones = pulumi.output(zoneIndexes.map(zoneName));
        this.networkId = vpc.id;
        this.subnetIds = {
            edge: pulumi.output(edge.map((s) => s.id)),
            app: pulumi.output(app.map((s) => s.id)),
            data: pulumi.output(data.map((s) => s.id)),
        };
        this.registerOutputs({ zones: this.zones, networkId: this.networkId, subnetIds: this.subnetIds });
    }

    /** Every packet's metadata (accepted and rejected) to an encrypted log group with retention. */
    private flowLogs(name: string, vpc: ec2.Vpc, args: NetTierArgs): void {
        const group = new cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { retentionInDays: args.logRetentionDays, kmsKeyId: this.logKeyArn, tags: args.tags },
            { parent: vpc },
        );
        const accountId = getCallerIdentityOutput({}, { parent: vpc }).accountId;
        const role = serviceRole(
            `${name}-flow-logs-role`,
            {
                service: "vpc-flow-logs.amazonaws.com",
                // The flow log's ID is not known before the role exists, so the pattern leaves it
                // open (AWS: "replace that portion of the ARN with a wildcard"); the account pins it.
                sourceArn: pulumi.interpolate`arn:aws:ec2:${this.region}:${accountId}:vpc-flow-log/*`,
                // AWS: the role's policy "must include at least" CreateLogGroup, CreateLogStream,
                // PutLogEvents, DescribeLogGroups and DescribeLogStreams
                // (docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html). All but
                // CreateLogGroup: the group exists, and one the role recreated would lack its key
                // and retention.
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            Resource: pulumi.interpolate`${group.arn}:*`,
                        },
                        {
                            // DescribeLogGroups is a list call, not authorised against one group's
                            // ARN; this account's groups in this region is the narrowest scope.
                            Effect: "Allow",
                            Action: "logs:DescribeLogGroups",
                            Resource: pulumi.interpolate`arn:aws:logs:${this.region}:${accountId}:log-group:*`,
                        },
                    ],
                }),
                tags: args.tags,
            },
            vpc,
        );
        new ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: group.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags: args.tags,
            },
            { parent: vpc },
        );
    }
}
