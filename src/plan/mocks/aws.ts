import { awsZoneIds, awsZoneNames, elbLogAccount } from "./awsRegions";
import { hex, mockAccountId, type CloudMock } from "./shared";

/** EC2-style ids (`vpc-0a1b...`) for the types whose ids users recognise by prefix. */
const awsIdPrefix: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:efs/fileSystem:FileSystem": "fs",
    "aws:efs/mountTarget:MountTarget": "fsmt",
};

/** ARN service names where they differ from the SDK module name. */
const awsArnService: Record<string, string> = {
    lb: "elasticloadbalancing",
    efs: "elasticfilesystem",
    cloudwatch: "cloudwatch",
};

export const awsMock: CloudMock = {
    prefix: "aws:",
    resource({ type, name, inputs }, region) {
        const module = type.slice(4, type.indexOf("/"));
        const kind = type.slice(type.lastIndexOf(":") + 1);
        // `bucket` names the bucket itself only on a Bucket; the split S3 resources name their bucket.
        const ownName = inputs.name ?? (type === "aws:s3/bucket:Bucket" ? inputs.bucket : undefined) ?? inputs.identifier;
        const physical: string = ownName ?? `${name}-${hex(name, 7)}`;
        const prefix = awsIdPrefix[type];
        const id = prefix ? `${prefix}-0${hex(type + name, 16)}` : physical;
        const service = awsArnService[module] ?? module;
        const arnRegion = module === "iam" || module === "s3" ? "" : region;
        const arnAccount = module === "s3" ? "" : mockAccountId;
        const resourcePath = module === "s3" ? physical : `${kind.charAt(0).toLowerCase() + kind.slice(1)}/${physical}`;
        const state: Record<string, unknown> = {
            ...inputs,
            name: physical,
            arn: `arn:aws:${service}:${arnRegion}:${arnAccount}:${resourcePath}`,
        };
        switch (type) {
            case "aws:s3/bucket:Bucket":
                state.bucket = physical;
                state.arn = `arn:aws:s3:::${physical}`;
                state.bucketRegionalDomainName = `${physical}.s3.${region}.amazonaws.com`;
                break;
            case "aws:cloudwatch/logGroup:LogGroup":
                state.arn = `arn:aws:logs:${region}:${mockAccountId}:log-group:${physical}`;
                break;
            case "aws:kms/key:Key":
                state.keyId = hex(name, 8) + "-0000-4000-8000-" + hex(name, 12);
                state.arn = `arn:aws:kms:${region}:${mockAccountId}:key/${state.keyId}`;
                break;
            case "aws:ec2/eip:Eip":
                state.allocationId = id;
                state.publicIp = `198.51.100.${parseInt(hex(name, 2), 16) % 250}`;
                break;
            case "aws:lb/loadBalancer:LoadBalancer":
                state.dnsName = `${physical}-${parseInt(hex(name, 6), 16)}.${region}.elb.amazonaws.com`;
                state.arnSuffix = `app/${physical}/${hex(name, 16)}`;
                state.zoneId = "Z35SXDOTRQ7X7K";
                break;
            case "aws:lb/targetGroup:TargetGroup":
                state.arnSuffix = `targetgroup/${physical}/${hex(name, 16)}`;
                break;
            case "aws:rds/instance:Instance":
                state.address = `${physical}.c${hex(name, 10)}.${region}.rds.amazonaws.com`;
                state.endpoint = `${state.address}:${inputs.port ?? 3306}`;
                state.port = inputs.port ?? 3306;
                state.resourceId = `db-${hex(name, 26).toUpperCase()}`;
                break;
            case "aws:elasticache/replicationGroup:ReplicationGroup":
                // master.<group>.<id>.<region-short>.cache.amazonaws.com with transit encryption on
                // (ElastiCache user guide, Endpoints.html: primary endpoint of a cluster-mode-disabled group).
                state.primaryEndpointAddress = `master.${physical}.${hex(name, 6)}.${region}.cache.amazonaws.com`;
                state.memberClusters = Array.from({ length: Number(inputs.numCacheClusters ?? 1) }, (_, i) => `${physical}-00${i + 1}`);
                break;
            case "aws:iam/serviceLinkedRole:ServiceLinkedRole": {
                // Its name is the service's fixed role name with `_<customSuffix>`, under the path
                // /aws-service-role/<service>/ (EC2 Auto Scaling user guide, autoscaling-service-linked-role:
                // "AWSServiceRoleForAutoScaling_mysuffix"). Only the services the program uses are known here.
                const roleNames: Record<string, string> = { "autoscaling.amazonaws.com": "AWSServiceRoleForAutoScaling" };
                const base = roleNames[inputs.awsServiceName];
                if (!base) throw new Error(`the plan's mock does not know the service-linked role name of ${inputs.awsServiceName}`);
                state.name = inputs.customSuffix ? `${base}_${inputs.customSuffix}` : base;
                state.path = `/aws-service-role/${inputs.awsServiceName}/`;
                state.arn = `arn:aws:iam::${mockAccountId}:role${state.path}${state.name}`;
                // Its id is its ARN (terraform-provider-aws iam/service_linked_role.go: d.SetId(aws.ToString(output.Role.Arn))).
                return { id: state.arn as string, state };
            }
            case "aws:kms/grant:Grant": {
                // Its id is "<key id>:<grant id>" (kms/grant.go grantCreateResourceID); a grant has no ARN.
                state.grantId = hex(name, 64);
                delete state.arn;
                return { id: `${inputs.keyId}:${state.grantId}`, state };
            }
            case "aws:ec2/launchTemplate:LaunchTemplate":
                state.latestVersion = 1;
                break;
            case "aws:efs/fileSystem:FileSystem":
                state.dnsName = `${id}.efs.${region}.amazonaws.com`;
                break;
            case "aws:acm/certificate:Certificate":
                state.domainValidationOptions = inputs.domainName
                    ? [{
                          domainName: inputs.domainName,
                          resourceRecordName: `_${hex(name, 32)}.${inputs.domainName}.`,
                          resourceRecordType: "CNAME",
                          resourceRecordValue: `_${hex(name + "v", 32)}.acm-validations.aws.`,
                      }]
                    : [];
                break;
        }
        return { id, state };
    },
    calls: {
        "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, region) => ({
            id: region,
            names: awsZoneNames(region),
            zoneIds: awsZoneIds(region),
            state: "available",
        }),
        "aws:index/getCallerIdentity:getCallerIdentity": () => ({
            accountId: mockAccountId,
            arn: `arn:aws:iam::${mockAccountId}:user/planner`,
            userId: "AIDAEXAMPLE",
            id: mockAccountId,
        }),
        "aws:index/getRegion:getRegion": (_inputs, region) => ({ name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com` }),
        "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
        // The region's ELB log-delivery account, or the provider's refusal (./awsRegions.ts).
        "aws:elb/getServiceAccount:getServiceAccount": (_inputs, region) => ({ arn: `arn:aws:iam::${elbLogAccount(region)}:root`, id: elbLogAccount(region) }),
    },
};

