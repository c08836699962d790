import { instanceCatalog } from "../../../config/sizes";
import type { PlanResource } from "../../plan";
import type { CostComponent, CostRule, Pricer, RuleSet } from "../types";
import { share } from "./share";

const T = {
    asg: "aws:autoscaling/group:Group",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    nat: "aws:ec2/natGateway:NatGateway",
    bucket: "aws:s3/bucket:Bucket",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    kmsKey: "aws:kms/key:Key",
} as const;

/** The web servers: the group's minimum runs all month; extra scale-out is not assumed. */
const autoscalingGroup: CostRule = (r, price, _usage, ctx) => {
    const n = Number(r.inputs.minSize ?? 0);
    const lt = ctx.dependencies(r, T.launchTemplate)[0];
    const type = String(lt?.inputs.instanceType);
    const volumes = ((lt?.inputs.blockDeviceMappings ?? []) as Array<{ ebs?: { volumeSize?: number; volumeType?: string } }>).flatMap((m) => (m.ebs ? [m.ebs] : []));
    return [
        price.hourly(`Instances (${type}, min ${n})`, `ec2:${type}`, n),
        ...volumes.map((v) => price.monthly(`Root volume ${v.volumeType} (${n} x ${v.volumeSize} GB)`, `ebs:${v.volumeType}-gb`, n * Number(v.volumeSize))),
        // Detailed monitoring publishes 7 EC2 metrics per instance at 1-minute resolution.
        ...((lt?.inputs.monitoring as { enabled?: boolean })?.enabled ? [price.monthly(`Detailed monitoring (${n} x 7 metrics)`, "cloudwatch:metric", 7 * n)] : []),
    ];
};

/** Multi-AZ bills the standby's instance hours and its storage (AWS RDS billing doc). */
/** vCPUs of an RDS class, from the sizing catalog (Extended Support is billed per vCPU). */
const dbVcpus = (cls: string) => instanceCatalog.aws.db.find((i) => i.name === cls)?.vcpu;

/**
 * RDS for MySQL 8.0 left standard support on 2026-07-31: an instance that opts into Extended
 * Support (engineLifecycleSupport) pays per vCPU-hour on primary and standby until it moves to 8.4.
 */
const extendedSupport = (r: PlanResource, price: Pricer, cls: string, copies: number): CostComponent[] => {
    const vcpus = dbVcpus(cls);
    if (r.inputs.engineLifecycleSupport !== "open-source-rds-extended-support" || !String(r.inputs.engineVersion).startsWith("8.0") || !vcpus) return [];
    return [price.hourly(`Extended Support, MySQL 8.0 (${vcpus} vCPU x ${copies})`, "rds:extended-support-vcpu-hour", vcpus * copies)];
};

const rdsInstance: CostRule = (r, price) => {
    const multiAz = r.inputs.multiAz === true;
    const cls = String(r.inputs.instanceClass);
    const gb = Number(r.inputs.allocatedStorage ?? 0);
    const storage = String(r.inputs.storageType ?? "gp2");
    // gp2 and gp3 storage share one price (the golden prices both at $0.115 / $0.23).
    const priceId = `rds:${storage === "gp2" ? "gp3" : storage}-storage${multiAz ? "-multi-az" : ""}`;
    return [
        price.hourly(multiAz ? `Instance (${cls}, Multi-AZ: primary + standby)` : `Instance (${cls})`, `rds-${r.inputs.engine}:${cls}`, multiAz ? 2 : 1),
        price.monthly(`Storage ${storage}${multiAz ? " (Multi-AZ)" : ""}`, priceId, gb),
        ...extendedSupport(r, price, cls, multiAz ? 2 : 1),
    ];
};

/** Hours + capacity units, and one public IPv4 per zone the internet-facing balancer has a node in. */
const loadBalancer: CostRule = (r, price, usage) => {
    const zones = ((r.inputs.subnets ?? []) as string[]).length;
    return [
        price.hourly("Application load balancer", "alb:hour"),
        price.monthly(`Capacity units (${usage.albLcu} LCU avg)`, "alb:lcu-hour", usage.albLcu * 730, true),
        ...(r.inputs.internal === true ? [] : [price.hourly(`Public IPv4 (one per zone: ${zones})`, "public-ipv4:hour", zones)]),
    ];
};

const nat: CostRule = (_r, price, usage, ctx) => [
    price.hourly("NAT gateway", "nat:hour"),
    price.monthly("Data processed", "nat:gb", share(usage.natProcessedGb, ctx.count(T.nat)), true),
];

/**
 * Buckets hold logs only (documents live on the file system), split evenly, priced in Standard:
 * log files are mostly under the 128 KB below which the lifecycle moves nothing
 * (src/aws/storageBucket.ts), so their Glacier step barely applies.
 */
const bucket: CostRule = (_r, price, usage, ctx) => [price.monthly("Standard storage (logs)", "s3:standard-gb", share(usage.logArchiveGb, ctx.count(T.bucket)), true)];

/** Days in the `AFTER_<n>_DAY(S)` value of an EFS lifecycle policy field, or undefined. */
const lifecycleDays = (r: PlanResource, field: string): number | undefined => {
    const value = ((r.inputs.lifecyclePolicies ?? []) as Array<Record<string, string>>).map((p) => p[field]).find(Boolean);
    const m = /^AFTER_(\d+)_DAYS?$/.exec(value ?? "");
    return m ? Number(m[1]) : undefined;
};

/**
 * EFS bills what is stored, by class. The documents arrive at a steady `documentsAddedGbPerMonth`,
 * so the ones younger than the Infrequent Access step are in Standard, those younger than the
 * Archive step in IA, the rest in Archive: the age mix follows from the lifecycle the file system
 * declares, not from an assumption. The rest of sites/ is read every day and stays in Standard.
 */
const fileSystem: CostRule = (r, price, usage) => {
    const months = (days: number | undefined) => (days === undefined ? Infinity : days / (365 / 12));
    const hot = Math.min(usage.documentsGb, usage.documentsAddedGbPerMonth * months(lifecycleDays(r, "transitionToIa")));
    const cool = Math.min(usage.documentsGb - hot, usage.documentsAddedGbPerMonth * (months(lifecycleDays(r, "transitionToArchive")) - months(lifecycleDays(r, "transitionToIa"))));
    const archive = usage.documentsGb - hot - cool;
    const round = (gb: number) => Math.round(gb * 100) / 100;
    return [
        price.monthly("Standard storage (sites/ and recent documents)", "efs:standard-gb", round(usage.siteFilesGb + hot), true),
        ...(cool > 0 ? [price.monthly("Infrequent Access storage (documents)", "efs:ia-gb", round(cool), true)] : []),
        ...(archive > 0 ? [price.monthly("Archive storage (documents)", "efs:archive-gb", round(archive), true)] : []),
    ];
};

/**
 * CloudWatch Logs keeps what a group ingests for its retention, billed compressed: a month's
 * ingestion times the months kept times the compression ratio (cost-review.md (b) #3: 30 GB a
 * month kept 365 days is about 72 GB, a ratio of 0.2).
 */
const logGroup: CostRule = (r, price, usage, ctx) => {
    const ingested = share(usage.logIngestGb, ctx.count(T.logGroup));
    const months = Number(r.inputs.retentionInDays ?? 3653) / (365 / 12);
    return [
        price.monthly("Data ingested", "cloudwatch:logs-ingest-gb", ingested, true),
        price.monthly(`Archival storage (${r.inputs.retentionInDays ?? "no"} days retention, compressed)`, "cloudwatch:logs-stored-gb", Math.round(ingested * months * 0.2 * 100) / 100, true),
    ];
};

/**
 * The vault holds the backups of the file system (warm) and, when the plan's selection also takes
 * the RDS instance (its tags match), the plan's weekly and monthly database snapshots, billed at
 * the snapshot rate: the free allowance is used by the 35-day automated backups (cost-review.md (b) #1).
 */
const backupVault: CostRule = (_r, price, usage, ctx) => {
    const selectors = ctx.plan.resources.filter((s) => s.type === "aws:backup/selection:Selection").flatMap((s) => (s.inputs.selectionTags ?? []) as Array<{ key: string; value: string }>);
    const takesRds = ctx.plan.resources.some((db) => db.type === "aws:rds/instance:Instance" && selectors.some((t) => (db.inputs.tags as Record<string, string> | undefined)?.[t.key] === t.value));
    return [
        price.monthly("Warm backup storage (file system)", "backup:efs-warm-gb", usage.fileBackupGb, true),
        ...(takesRds ? [price.monthly("RDS snapshot storage (weekly and monthly copies)", "backup:rds-snapshot-gb", usage.dbSnapshotGb, true)] : []),
    ];
};

const webAcl: CostRule = (r, price, usage) => [
    price.monthly("Web ACL", "waf:acl", 1),
    price.monthly("Rules and rule groups", "waf:rule", ((r.inputs.rules ?? []) as unknown[]).length),
    price.monthly("Requests", "waf:1m-requests", usage.requestsMillions, true),
];

/** Bills S3 object-level data events only; the first copy of management events is free. */
const trail: CostRule = (r, price, usage) => {
    const selectors = (r.inputs.advancedEventSelectors ?? []) as Array<{ fieldSelectors: Array<{ field: string; equals?: string[] }> }>;
    const dataEvents = selectors.some((s) => s.fieldSelectors.some((f) => f.field === "eventCategory" && f.equals?.includes("Data")));
    return dataEvents ? [price.monthly("Data events", "cloudtrail:100k-data-events", usage.auditDataEvents100k, true)] : [];
};

const one = (name: string, priceId: string): CostRule => (_r, price) => [price.monthly(name, priceId, 1)];

/**
 * Node-based ElastiCache bills every node's hours (primary and replicas alike), per engine and
 * node type; replication between zones adds cross-AZ transfer, small for sessions and left to the
 * stack's cross-zone usage line.
 */
const replicationGroup: CostRule = (r, price) => {
    const nodes = Number(r.inputs.numCacheClusters ?? 1);
    const type = String(r.inputs.nodeType);
    return [price.hourly(`Cache nodes (${type}, ${nodes}: primary + ${nodes - 1} replica)`, `elasticache-${r.inputs.engine}:${type}`, nodes)];
};

export const awsRules: RuleSet = {
    rules: {
        [T.asg]: autoscalingGroup,
        "aws:rds/instance:Instance": rdsInstance,
        "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
        [T.nat]: nat,
        "aws:ec2/eip:Eip": (_r, price) => [price.hourly("Public IPv4 address", "public-ipv4:hour")],
        [T.bucket]: bucket,
        "aws:efs/fileSystem:FileSystem": fileSystem,
        "aws:backup/vault:Vault": backupVault,
        [T.logGroup]: logGroup,
        "aws:cloudwatch/metricAlarm:MetricAlarm": one("Standard-resolution alarm", "cloudwatch:alarm"),
        [T.kmsKey]: (_r, price, usage, ctx) => [
            price.monthly("Customer managed key", "kms:key", 1),
            price.monthly("Requests", "kms:10k-requests", share(usage.keyOperations10k, ctx.count(T.kmsKey)), true),
        ],
        "aws:secretsmanager/secret:Secret": one("Secret", "secretsmanager:secret"),
        "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
        "aws:wafv2/webAcl:WebAcl": webAcl,
        "aws:cloudtrail/trail:Trail": trail,
    },
    free: {
        ...Object.fromEntries(
            [
                "ec2/vpc:Vpc", "ec2/defaultSecurityGroup:DefaultSecurityGroup", "ec2/subnet:Subnet", "ec2/internetGateway:InternetGateway",
                "ec2/routeTable:RouteTable", "ec2/routeTableAssociation:RouteTableAssociation", "ec2/securityGroup:SecurityGroup",
                "vpc/securityGroupIngressRule:SecurityGroupIngressRule", "vpc/securityGroupEgressRule:SecurityGroupEgressRule",
            ].map((t) => [`aws:${t}`, "network configuration: no charge"]),
        ),
        ...Object.fromEntries(
            ["iam/role:Role", "iam/rolePolicy:RolePolicy", "iam/rolePolicyAttachment:RolePolicyAttachment", "iam/instanceProfile:InstanceProfile", "iam/serviceLinkedRole:ServiceLinkedRole"].map((t) => [`aws:${t}`, "IAM: no charge"]),
        ),
        ...Object.fromEntries(
            [
                "s3/bucketVersioning:BucketVersioning", "s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "s3/bucketOwnershipControls:BucketOwnershipControls", "s3/bucketPolicy:BucketPolicy",
                "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "s3/bucketLogging:BucketLogging",
            ].map((t) => [`aws:${t}`, "bucket setting: storage is billed on the bucket"]),
        ),
        "aws:ec2/vpcEndpoint:VpcEndpoint": "S3 gateway endpoint: no charge",
        "aws:ec2/flowLog:FlowLog": "records are billed as ingestion into their log group",
        "aws:ec2/launchTemplate:LaunchTemplate": "billed through the auto scaling group that launches it",
        "aws:autoscaling/policy:Policy": "scaling policy: no charge",
        "aws:kms/alias:Alias": "no charge",
        // Grants are free; the key's requests are billed with the key (KMS pricing: "$0.03 per 10,000 requests").
        "aws:kms/grant:Grant": "no charge",
        "aws:efs/backupPolicy:BackupPolicy": "backups are billed on the backup vault",
        "aws:efs/mountTarget:MountTarget": "no charge",
        "aws:efs/fileSystemPolicy:FileSystemPolicy": "no charge",
        "aws:backup/vaultLockConfiguration:VaultLockConfiguration": "no charge",
        "aws:backup/plan:Plan": "backups are billed on the backup vault",
        "aws:backup/selection:Selection": "backups are billed on the backup vault",
        "aws:rds/subnetGroup:SubnetGroup": "no charge",
        "aws:elasticache/subnetGroup:SubnetGroup": "no charge",
        "aws:rds/parameterGroup:ParameterGroup": "no charge",
        "aws:rds/optionGroup:OptionGroup": "no charge",
        "aws:secretsmanager/secretVersion:SecretVersion": "billed per secret, not per version",
        "aws:lb/targetGroup:TargetGroup": "no charge",
        "aws:lb/listener:Listener": "no charge",
        "aws:acm/certificate:Certificate": "imported certificate: no charge",
        "aws:wafv2/webAclAssociation:WebAclAssociation": "billed on the web ACL",
        "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "records are billed as ingestion into their log group",
        "aws:sns/topic:Topic": "first 1,000 e-mail notifications a month are free",
        "aws:sns/topicPolicy:TopicPolicy": "no charge",
        "aws:sns/topicSubscription:TopicSubscription": "no charge",
    },
    stack: (price, usage) => [
        price.monthly(`Internet egress (after ${usage.freeEgressGb} GB free)`, "transfer:internet-gb", Math.max(0, usage.internetEgressGb - usage.freeEgressGb), true),
        // Cross-AZ traffic is billed on the sending and on the receiving side.
        price.monthly("Cross-AZ traffic (both directions)", "transfer:cross-az-gb", 2 * usage.crossZoneGb, true),
    ],
};
