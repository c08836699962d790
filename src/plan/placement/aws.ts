import { regional, spread, type PlacementRule } from "./types";

/** Resources that live in the zone of the subnet they name. */
const inSubnet: PlacementRule = (r, ctx) => spread([ctx.subnetZone(r.inputs.subnetId)]);

/**
 * AWS placement rules by type token. Modules whose every resource is a regional service (IAM,
 * KMS, S3, CloudWatch, ...) are listed by prefix; other types one by one. S3 and EFS Regional
 * store data in several zones and are regional services: no single zone takes them down.
 */
export const awsTypeRules: Record<string, PlacementRule> = {
    "aws:ec2/subnet:Subnet": (r) => spread([r.inputs.availabilityZone]),
    "aws:ec2/natGateway:NatGateway": inSubnet,
    "aws:ec2/routeTableAssociation:RouteTableAssociation": inSubnet,
    "aws:efs/mountTarget:MountTarget": inSubnet,
    "aws:lb/loadBalancer:LoadBalancer": (r, ctx) => spread((r.inputs.subnets ?? []).map(ctx.subnetZone)),
    "aws:autoscaling/group:Group": (r, ctx) => spread((r.inputs.vpcZoneIdentifiers ?? []).map(ctx.subnetZone)),
    "aws:rds/instance:Instance": (r, ctx) => {
        const group = ctx.g.referenced(r.inputs.dbSubnetGroupName);
        const zones = (group?.inputs.subnetIds ?? []).map(ctx.subnetZone);
        // Multi-AZ keeps a synchronous standby in another zone of the subnet group.
        return r.inputs.multiAz === true ? spread(zones) : spread([r.inputs.availabilityZone ?? zones[0]]);
    },
    // A replication group keeps its primary and replicas in the zones it names; without automatic
    // failover a replica is not promoted, so only the primary's zone counts.
    "aws:elasticache/replicationGroup:ReplicationGroup": (r) => {
        const zones: string[] = r.inputs.preferredCacheClusterAzs ?? [];
        const failsOver = r.inputs.automaticFailoverEnabled === true && r.inputs.multiAzEnabled === true && Number(r.inputs.numCacheClusters ?? 1) >= 2;
        return failsOver ? spread(zones) : spread([zones[0] ?? "unknown (ElastiCache picks)"]);
    },
    "aws:elasticache/subnetGroup:SubnetGroup": regional,
    "aws:efs/fileSystem:FileSystem": (r) => (r.inputs.availabilityZoneName ? spread([r.inputs.availabilityZoneName]) : { kind: "regional" }),
    // VPC-wide constructs: they exist in every zone of the VPC.
    "aws:ec2/vpc:Vpc": regional,
    "aws:ec2/internetGateway:InternetGateway": regional,
    "aws:ec2/routeTable:RouteTable": regional,
    "aws:ec2/securityGroup:SecurityGroup": regional,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": regional,
    "aws:ec2/eip:Eip": regional,
    "aws:ec2/vpcEndpoint:VpcEndpoint": regional,
    "aws:ec2/flowLog:FlowLog": regional,
    "aws:ec2/launchTemplate:LaunchTemplate": regional,
    "aws:lb/listener:Listener": regional,
    "aws:lb/targetGroup:TargetGroup": regional,
    "aws:autoscaling/policy:Policy": regional,
    "aws:rds/subnetGroup:SubnetGroup": regional,
    "aws:rds/parameterGroup:ParameterGroup": regional,
    "aws:rds/optionGroup:OptionGroup": regional,
    "aws:efs/fileSystemPolicy:FileSystemPolicy": regional,
    "aws:efs/backupPolicy:BackupPolicy": regional,
};

/** Modules made only of regional (or global) services. */
export const awsRegionalModules = [
    "aws:vpc/",
    "aws:iam/",
    "aws:kms/",
    "aws:s3/",
    "aws:cloudwatch/",
    "aws:sns/",
    "aws:secretsmanager/",
    "aws:wafv2/",
    "aws:cloudtrail/",
    "aws:backup/",
    "aws:acm/",
    "aws:route53/",
];
