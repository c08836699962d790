import type { PlannedResource } from "../capture";
import type { Graph } from "../graph";
import type {
    AlarmModel,
    DatabaseModel,
    EmrModel,
    LoadBalancerModel,
    Placement,
    SecretModel,
    ServerGroupModel,
    StoreModel,
} from "./types";
import { classify } from "../placement";
import { alarmTier, denies, generatedSecretValues, placementOf, policyDocument } from "./common";
import { awsSessionStores } from "./sessionStores";

/**
 * Reads an AWS stack's graph into the neutral model. Everything is derived from the resources'
 * own inputs (subnet zones, listener policies, flags), never from the tier classes, so a broken
 * setting in a tier shows up here as a broken invariant.
 */
export function readAwsModel(g: Graph): EmrModel {
    const subnets = new Map<string, { zone: string; role: string }>();
    for (const s of g.ofType("aws:ec2/subnet:Subnet")) {
        subnets.set(s.id!, { zone: s.inputs.availabilityZone, role: s.inputs.tags?.["emr:subnet-role"] });
    }
    const zonesOf = (ids: string[] = []) => [...new Set(ids.map((id) => subnets.get(id)?.zone).filter((z): z is string => !!z))].sort();
    const zones = zonesOf([...subnets.entries()].filter(([, s]) => s.role === "app").map(([id]) => id));
    const secretValues = generatedSecretValues(g);
    const logGroups = g.ofType("aws:cloudwatch/logGroup:LogGroup");
    const retentionOf = (arnOrName: unknown) => g.referenced(arnOrName)?.inputs.retentionInDays as number | undefined;
    const placement = placementOf(classify(g));

    return {
        cloud: "aws",
        zones,
        loadBalancers: g.ofType("aws:lb/loadBalancer:LoadBalancer").map((lb) => loadBalancer(g, lb, zonesOf(lb.inputs.subnets))),
        serverGroups: g.ofType("aws:autoscaling/group:Group").map((asg) => serverGroup(g, asg, zonesOf(asg.inputs.vpcZoneIdentifiers), secretValues)),
        egress: g.ofType("aws:ec2/natGateway:NatGateway").map((nat) => ({ key: nat.key, placement: placement(nat), serves: servedZones(g, nat, subnets) })),
        databases: g.ofType("aws:rds/instance:Instance").map((db) => database(g, db, placement(db), subnets, zonesOf)),
        stores: fileSystems(g, placement, zonesOf),
        sessionStores: awsSessionStores(g, placement, g.ofType("aws:ec2/launchTemplate:LaunchTemplate").map(decodeUserData)),
        audit: {
            flowLogRetentionDays: g.ofType("aws:ec2/flowLog:FlowLog").map((f) => retentionOf(f.inputs.logDestination))[0],
            loadBalancerAccessLogs: g.ofType("aws:lb/loadBalancer:LoadBalancer").every((lb) => lb.inputs.accessLogs?.enabled === true),
            databaseAuditLogRetentionDays: logGroups.find((l) => /^\/aws\/rds\/instance\/.+\/audit$/.test(l.inputs.name ?? ""))?.inputs.retentionInDays,
            controlPlaneTrail: g
                .ofType("aws:cloudtrail/trail:Trail")
                .some((t) => t.inputs.isMultiRegionTrail === true && t.inputs.enableLogging !== false),
            logRetentionDays: logGroups.map((l) => l.inputs.retentionInDays),
        },
        alarms: g.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => alarm(g, a)),
        secrets: g.ofType("aws:secretsmanager/secretVersion:SecretVersion").map((v) => secret(g, v, secretValues)),
        publicEndpoints: [
            ...g.ofType("aws:lb/loadBalancer:LoadBalancer").filter((lb) => lb.inputs.internal !== true),
            ...g.ofType("aws:rds/instance:Instance").filter((db) => db.inputs.publiclyAccessible === true),
            ...g.ofType("aws:s3/bucket:Bucket").filter((b) => !blocksPublicAccess(g, b)),
            ...g.ofType("aws:ec2/launchTemplate:LaunchTemplate").filter((lt) => hasPublicIp(lt)),
        ].map((r) => r.key),
        unencrypted: [
            ...g.ofType("aws:rds/instance:Instance").filter((db) => db.inputs.storageEncrypted !== true),
            ...g.ofType("aws:efs/fileSystem:FileSystem").filter((fs) => fs.inputs.encrypted !== true),
            ...g.ofType("aws:elasticache/replicationGroup:ReplicationGroup").filter((rg) => rg.inputs.atRestEncryptionEnabled !== true),
            ...g.ofType("aws:s3/bucket:Bucket").filter((b) => !bucketEncryption(g, b)),
            ...logGroups.filter((l) => !l.inputs.kmsKeyId),
            ...g.ofType("aws:sns/topic:Topic").filter((t) => !t.inputs.kmsMasterKeyId),
            ...g.ofType("aws:secretsmanager/secret:Secret").filter((s) => !s.inputs.kmsKeyId),
            ...g
                .ofType("aws:ec2/launchTemplate:LaunchTemplate")
                .filter((lt) => (lt.inputs.blockDeviceMappings ?? []).some((m: any) => m.ebs?.encrypted !== "true")),
        ].map((r) => r.key),
    };
}

/** Lowest TLS version of each ELB security policy family (AWS ELB docs, "Security policies"). */
function minTlsOf(policy: string | undefined): string | undefined {
    if (!policy) return undefined;
    if (/TLS13-1-3/.test(policy)) return "1.3";
    if (/TLS13-1-2|TLS-1-2/.test(policy)) return "1.2";
    if (/TLS-1-1/.test(policy)) return "1.1";
    return "1.0";
}

function loadBalancer(g: Graph, lb: PlannedResource, zones: string[]): LoadBalancerModel {
    const listeners = g.ofType("aws:lb/listener:Listener").filter((l) => l.inputs.loadBalancerArn === lb.outputs.arn);
    const https = listeners.find((l) => l.inputs.protocol === "HTTPS");
    const http = listeners.find((l) => l.inputs.protocol === "HTTP");
    const redirect = http?.inputs.defaultActions?.[0];
    const forward = https?.inputs.defaultActions?.find((a: any) => a.type === "forward");
    const targetGroup = g.referenced(forward?.targetGroupArn);
    const check = targetGroup?.inputs.healthCheck;
    const association = g.ofType("aws:wafv2/webAclAssociation:WebAclAssociation").find((a) => a.inputs.resourceArn === lb.outputs.arn);
    const acl = g.referenced(association?.inputs.webAclArn);
    return {
        key: lb.key,
        zones,
        public: lb.inputs.internal !== true,
        minTlsVersion: minTlsOf(https?.inputs.sslPolicy),
        httpRedirectsToHttps:
            http?.inputs.defaultActions?.length === 1 && redirect?.type === "redirect" && redirect.redirect?.protocol === "HTTPS",
        firewall: acl && {
            key: acl.key,
            managedRuleSets: (acl.inputs.rules ?? []).flatMap((r: any) => r.statement?.managedRuleGroupStatement?.name ?? []),
            rateLimit: (acl.inputs.rules ?? []).some((r: any) => r.statement?.rateBasedStatement && r.action?.block),
            // Managed groups block unless overridden to count.
            blocks: (acl.inputs.rules ?? []).every((r: any) => r.action?.block || r.overrideAction?.none),
        },
        accessLogs: lb.inputs.accessLogs?.enabled === true,
        detectionSeconds: check ? check.interval * check.unhealthyThreshold : undefined,
        healthCheckPath: check?.path,
    };
}

const decodeUserData = (lt: PlannedResource | undefined) => Buffer.from(lt?.inputs.userData ?? "", "base64").toString("utf8");
const hasPublicIp = (lt: PlannedResource) => (lt.inputs.networkInterfaces ?? []).some((n: any) => n.associatePublicIpAddress === "true");

function serverGroup(g: Graph, asg: PlannedResource, zones: string[], secretValues: string[]): ServerGroupModel {
    const template = g.referenced(asg.inputs.launchTemplate?.id);
    const userData = decodeUserData(template);
    const secretArns = g.ofType("aws:secretsmanager/secret:Secret").map((s) => s.outputs.arn as string);
    return {
        key: asg.key,
        zones,
        min: asg.inputs.minSize,
        max: asg.inputs.maxSize,
        replacesUnhealthy: asg.inputs.healthCheckType === "ELB",
        autoscales: g.ofType("aws:autoscaling/policy:Policy").some((p) => p.inputs.autoscalingGroupName === asg.outputs.name),
        capacityOwnedByAutoscaler: asg.ignoreChanges.includes("desiredCapacity"),
        publicIp: template ? hasPublicIp(template) : false,
        fetchesSecretAtBoot: secretArns.some((arn) => userData.includes(arn)),
        bootConfigHasSecret: secretValues.some((v) => userData.includes(v)),
    };
}

/** Zones whose app subnets route their internet traffic through `nat`. */
function servedZones(g: Graph, nat: PlannedResource, subnets: Map<string, { zone: string; role: string }>): string[] {
    const routesVia = g
        .ofType("aws:ec2/routeTable:RouteTable")
        .filter((t) => (t.inputs.routes ?? []).some((r: any) => r.cidrBlock === "0.0.0.0/0" && r.natGatewayId === nat.id))
        .map((t) => t.id);
    return g
        .ofType("aws:ec2/routeTableAssociation:RouteTableAssociation")
        .filter((a) => routesVia.includes(a.inputs.routeTableId) && subnets.get(a.inputs.subnetId)?.role === "app")
        .map((a) => subnets.get(a.inputs.subnetId)!.zone)
        .sort();
}

function database(
    g: Graph,
    db: PlannedResource,
    placement: Placement,
    subnets: Map<string, { zone: string; role: string }>,
    zonesOf: (ids: string[]) => string[],
): DatabaseModel {
    const subnetIds: string[] = g.referenced(db.inputs.dbSubnetGroupName)?.inputs.subnetIds ?? [];
    const subnetZones = zonesOf(subnetIds);
    const parameters = g.referenced(db.inputs.parameterGroupName)?.inputs.parameters ?? [];
    return {
        key: db.key,
        engine: `${db.inputs.engine} ${db.inputs.engineVersion ?? ""}`.trim(),
        placement,
        subnetZones,
        // Multi-AZ promotes its synchronous standby on its own.
        automaticFailover: db.inputs.multiAz === true && placement.kind === "zone-redundant",
        inDataSubnets: subnetIds.length > 0 && subnetIds.every((id) => subnets.get(id)?.role === "data"),
        public: db.inputs.publiclyAccessible === true,
        encrypted: db.inputs.storageEncrypted === true,
        customerManagedKey: !!db.inputs.kmsKeyId,
        requiresTls: parameters.some((p: any) => p.name === "require_secure_transport" && ["1", "ON"].includes(String(p.value).toUpperCase())),
        backupRetentionDays: db.inputs.backupRetentionPeriod ?? 0,
        deletionProtection: db.inputs.deletionProtection === true,
        backupsOutliveDeletion: db.inputs.skipFinalSnapshot !== true && !!db.inputs.finalSnapshotIdentifier,
        protect: db.protect,
        auditLogs: (db.inputs.enabledCloudwatchLogsExports ?? []).includes("audit"),
    };
}

/** The split S3 resources that configure a bucket, found by the bucket name they name. */
const bucketPart = (g: Graph, type: string, bucket: PlannedResource) =>
    g.ofType(`aws:s3/${type}`).find((p) => p.inputs.bucket === bucket.outputs.bucket || p.inputs.bucket === bucket.id);

function bucketEncryption(g: Graph, bucket: PlannedResource) {
    return bucketPart(g, "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", bucket)?.inputs.rules?.[0]
        ?.applyServerSideEncryptionByDefault;
}

function blocksPublicAccess(g: Graph, bucket: PlannedResource): boolean {
    const block = bucketPart(g, "bucketPublicAccessBlock:BucketPublicAccessBlock", bucket)?.inputs ?? {};
    return ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => block[k] === true);
}

function fileSystems(g: Graph, placement: (r: PlannedResource) => Placement, zonesOf: (ids: string[]) => string[]): StoreModel[] {
    const backupTags = g.ofType("aws:backup/selection:Selection").flatMap((s) => s.inputs.selectionTags ?? []);
    const alarms = g.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    const launchTemplates = g.ofType("aws:ec2/launchTemplate:LaunchTemplate");
    return g.ofType("aws:efs/fileSystem:FileSystem").map((fs) => {
        const mountSubnets = g.ofType("aws:efs/mountTarget:MountTarget").filter((m) => m.inputs.fileSystemId === fs.id).map((m) => m.inputs.subnetId);
        const accessZones = zonesOf(mountSubnets);
        const policy = policyDocument(g.ofType("aws:efs/fileSystemPolicy:FileSystemPolicy").find((p) => p.inputs.fileSystemId === fs.id)?.inputs.policy);
        const alarmOn = (namespace: string, metric: string, dimension?: [string, unknown]) =>
            alarms.some((a) => a.inputs.namespace === namespace && a.inputs.metricName === metric && (!dimension || a.inputs.dimensions?.[dimension[0]] === dimension[1]));
        return {
            key: fs.key,
            kind: "shared-files" as const,
            // The boot mounts `<file system id>:/` (src/aws/webBoot.ts), and sites/ under it.
            holdsDocuments: launchTemplates.length > 0 && launchTemplates.every((lt) => decodeUserData(lt).includes(`${fs.id}:/`)),
            placement: placement(fs),
            accessZones,
            encrypted: fs.inputs.encrypted === true,
            customerManagedKey: !!fs.inputs.kmsKeyId,
            versioned: false,
            softDelete: false,
            public: false,
            tlsOnly: denies(policy, "aws:SecureTransport"),
            protect: fs.protect,
            backedUpOffZone: backupTags.some((t: any) => fs.inputs.tags?.[t.key] === t.value),
            // EFS publishes StorageBytes per file system (AWS/EFS, FileSystemId + StorageClass).
            capacityAlarm: alarmOn("AWS/EFS", "StorageBytes", ["FileSystemId", fs.id]),
            // AWS Backup publishes failed jobs per account and region (AWS/Backup).
            backupFailureAlarm: alarmOn("AWS/Backup", "NumberOfBackupJobsFailed"),
        };
    });
}

function alarm(g: Graph, a: PlannedResource): AlarmModel {
    const topics: string[] = a.inputs.alarmActions ?? [];
    const notifies = g
        .ofType("aws:sns/topicSubscription:TopicSubscription")
        .filter((s) => topics.includes(s.inputs.topic) && s.inputs.protocol === "email")
        .map((s) => s.inputs.endpoint as string);
    return { key: a.key, tier: alarmTier(a.inputs.namespace), metric: `${a.inputs.namespace}/${a.inputs.metricName}`, notifies };
}

function secret(g: Graph, version: PlannedResource, generated: string[]): SecretModel {
    const owner = g.referenced(version.inputs.secretId);
    const text = String(version.inputs.secretString ?? "");
    return {
        key: version.key,
        generated: generated.some((v) => text.includes(v)),
        secretInState: version.secretPaths.includes("secretString"),
        encryptedWithCustomerKey: !!owner?.inputs.kmsKeyId,
    };
}
