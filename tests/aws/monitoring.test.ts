import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { AwsMonitoring, AwsMonitoringArgs } from "../../src/aws/monitoring";
import { unpublishedMetricProblems } from "../../src/aws/publishedMetrics";
import type { PlannedResource } from "../../src/plan/capture";
import { mockAccountId } from "../../src/plan/mocks";
import { baseConfig, runStack, type Graph } from "../harness";

// Records what src/emr.ts hands the monitoring tier, so the alarms can be checked against the
// other tiers' real outputs (stubs today, real resources once those tiers land).
const built = vi.hoisted(() => ({ runs: [] as { args: unknown; tier: unknown }[] }));
vi.mock("../../src/aws/monitoring", async (importOriginal) => {
    const real = await importOriginal<typeof import("../../src/aws/monitoring")>();
    class RecordedMonitoring extends real.AwsMonitoring {
        constructor(...params: ConstructorParameters<typeof real.AwsMonitoring>) {
            super(...params);
            built.runs.push({ args: params[1], tier: this });
        }
    }
    return { ...real, AwsMonitoring: RecordedMonitoring };
});

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((done) => output.apply((v) => done(v)));

/** The stack, plus the resolved tier outputs the monitoring tier was given. */
async function monitoredStack(config: Record<string, string>) {
    built.runs.length = 0;
    const g = (await runStack(config, "test", { fresh: true })).ok();
    const { args, tier } = built.runs[0] as { args: AwsMonitoringArgs; tier: AwsMonitoring };
    const tiers = {
        loadBalancer: await valueOf(args.web.loadBalancerArnSuffix),
        targetGroup: await valueOf(args.web.targetGroupArnSuffix),
        dbInstance: await valueOf(args.db.instanceIdentifier),
        fileSystem: await valueOf(args.storage.sharedFileSystem),
        vault: await valueOf(args.storage.backupTarget),
        logBucket: await valueOf(args.storage.logBucket),
        auditTrail: await valueOf(tier.auditTrail),
    };
    return { g, tiers };
}

const policyOf = (r: PlannedResource, field = "policy") => JSON.parse(r.inputs[field]) as { Statement: any[] };
const trailOf = (g: Graph) => g.one("aws:cloudtrail/trail:Trail");
const topicOf = (g: Graph) => g.one("aws:sns/topic:Topic");
const alarmsOf = (g: Graph) => g.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
const alarmOn = (g: Graph, metricName: string) => {
    const found = alarmsOf(g).filter((a) => a.inputs.metricName === metricName);
    expect(found, metricName).toHaveLength(1);
    return found[0];
};

describe("aws Monitoring (default config)", () => {
    let g: Graph;
    let tiers: Awaited<ReturnType<typeof monitoredStack>>["tiers"];
    beforeAll(async () => ({ g, tiers } = await monitoredStack({ ...baseConfig.aws })));

    it("encrypts the alert topic with the monitoring tier's audit key", () => {
        const key = g.referenced(topicOf(g).inputs.kmsMasterKeyId);
        expect(key?.type).toBe("aws:kms/key:Key");
        expect(g.tierOf(key!)?.type).toBe("emr:aws:Monitoring");
        expect(key!.protect).toBe(true);
        expect(g.run.outputs.alertTopic).toBe(topicOf(g).outputs.arn);
    });

    it("lets CloudWatch alarms and this trail (only) use the audit key", () => {
        const key = g.referenced(topicOf(g).inputs.kmsMasterKeyId)!;
        const statements = policyOf(key).Statement;
        const forService = (service: string) => statements.filter((s) => s.Principal?.Service === service);
        expect(forService("cloudwatch.amazonaws.com")).toEqual([
            expect.objectContaining({
                Effect: "Allow",
                Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                Condition: { StringEquals: { "aws:SourceAccount": mockAccountId } },
            }),
        ]);
        const trailArn = trailOf(g).outputs.arn;
        expect(trailArn).toBe(tiers.auditTrail);
        expect(forService("cloudtrail.amazonaws.com")).toEqual([
            expect.objectContaining({
                Action: ["kms:GenerateDataKey*"],
                Condition: {
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${mockAccountId}:trail/*` },
                    StringEquals: { "aws:SourceArn": trailArn },
                },
            }),
            expect.objectContaining({ Action: ["kms:DescribeKey"], Condition: { StringEquals: { "aws:SourceArn": trailArn } } }),
        ]);
    });

    it("lets only this account's alarms publish, and only over TLS", () => {
        const topicArn = topicOf(g).outputs.arn;
        const policy = g.one("aws:sns/topicPolicy:TopicPolicy");
        expect(policy.inputs.arn).toBe(topicArn);
        const [allow, deny] = policyOf(policy).Statement;
        expect(allow).toMatchObject({
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: {
                StringEquals: { "aws:SourceAccount": mockAccountId },
                ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${mockAccountId}:alarm:*` },
            },
        });
        expect(deny).toEqual({
            Sid: expect.any(String),
            Effect: "Deny",
            Principal: "*",
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });

    it("mails the configured alert address", () => {
        const subscription = g.one("aws:sns/topicSubscription:TopicSubscription");
        expect(subscription.inputs).toMatchObject({
            topic: topicOf(g).outputs.arn,
            protocol: "email",
            endpoint: baseConfig.aws["emr:alertEmail"],
        });
    });

    it("notifies the topic from every alarm, when it fires and when it clears", () => {
        const topicArn = topicOf(g).outputs.arn;
        expect(alarmsOf(g).length).toBeGreaterThan(0);
        for (const alarm of alarmsOf(g)) {
            expect(alarm.inputs.alarmActions, alarm.name).toEqual([topicArn]);
            expect(alarm.inputs.okActions, alarm.name).toEqual([topicArn]);
            expect(g.tierOf(alarm)?.type).toBe("emr:aws:Monitoring");
        }
    });

    it("alarms on exactly these published metrics, pointed at the other tiers' outputs", () => {
        // toEqual ignores undefined members: an unresolved tier output must fail here, not vanish.
        for (const [field, value] of Object.entries(tiers)) expect(value, field).toMatch(/\S/);
        const alb = { LoadBalancer: tiers.loadBalancer };
        const targets = { LoadBalancer: tiers.loadBalancer, TargetGroup: tiers.targetGroup };
        const rds = { DBInstanceIdentifier: tiers.dbInstance };
        const efs = { FileSystemId: tiers.fileSystem };
        const vault = { BackupVaultName: tiers.vault };
        // The session store's two members, as ElastiCache names them (the mock's memberClusters).
        const sessionNodes = g.one("aws:elasticache/replicationGroup:ReplicationGroup").outputs.memberClusters as string[];
        expect(sessionNodes).toHaveLength(2);
        const seen = alarmsOf(g).map((a) => [a.inputs.namespace, a.inputs.metricName, a.inputs.dimensions]);
        expect(seen).toEqual(
            expect.arrayContaining([
                ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb],
                ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", targets],
                ["AWS/ApplicationELB", "TargetResponseTime", targets],
                ["AWS/ApplicationELB", "UnHealthyHostCount", targets],
                ["AWS/ApplicationELB", "HealthyHostCount", targets],
                ["AWS/RDS", "CPUUtilization", rds],
                ["AWS/RDS", "CPUCreditBalance", rds],
                ["AWS/RDS", "FreeStorageSpace", rds],
                ["AWS/RDS", "FreeableMemory", rds],
                ["AWS/RDS", "DatabaseConnections", rds],
                ["AWS/EFS", "PercentIOLimit", efs],
                ["AWS/EFS", "ClientConnections", efs],
                ["AWS/EFS", "StorageBytes", { ...efs, StorageClass: "Total" }],
                ["AWS/Backup", "NumberOfBackupJobsFailed", vault],
                ["AWS/Backup", "NumberOfCopyJobsFailed", vault],
                ...sessionNodes.flatMap((node) =>
                    ["DatabaseMemoryUsagePercentage", "CurrConnections", "ReplicationLag"].map((m) => ["AWS/ElastiCache", m, { CacheClusterId: node, CacheNodeId: "0001" }]),
                ),
                // The failover alarm: the first primary's role, on the first member only.
                ["AWS/ElastiCache", "IsMaster", { CacheClusterId: sessionNodes[0], CacheNodeId: "0001" }],
            ]),
        );
        expect(seen).toHaveLength(22);
    });

    it("alarms only on dimension sets AWS publishes, and on metrics the resources really emit", () => {
        for (const alarm of alarmsOf(g)) {
            const { namespace, metricName, dimensions, period } = alarm.inputs;
            expect(unpublishedMetricProblems(namespace, metricName, dimensions, period), alarm.name).toEqual([]);
        }
        // PercentIOLimit exists only for General Purpose file systems (publishedMetrics.ts).
        const efs = g.referenced(alarmOn(g, "PercentIOLimit").inputs.dimensions.FileSystemId)!;
        expect(efs.inputs.performanceMode).toBe("generalPurpose");
        // The check itself refuses what AWS never emits: the Backup job counts by resource type alone.
        expect(unpublishedMetricProblems("AWS/Backup", "NumberOfBackupJobsFailed", { ResourceType: "EFS" }, 3600)).toEqual([expect.stringMatching(/never by \{ResourceType\}/)]);
        // ... and a storage class EFS does not report, or a period shorter than its 15-minute interval.
        expect(unpublishedMetricProblems("AWS/EFS", "StorageBytes", { FileSystemId: "fs-1", StorageClass: "All" }, 300)).toEqual([
            expect.stringContaining('StorageClass "All" is not a value AWS publishes'),
            expect.stringContaining("period 300 s is shorter than the 900 s"),
        ]);
    });

    it("fires on the right side of each threshold, treating silence as an outage only where it is one", () => {
        const expected: Record<string, [string, number, string]> = {
            HTTPCode_ELB_5XX_Count: ["GreaterThanOrEqualToThreshold", 10, "notBreaching"],
            HTTPCode_Target_5XX_Count: ["GreaterThanOrEqualToThreshold", 10, "notBreaching"],
            TargetResponseTime: ["GreaterThanThreshold", 3, "notBreaching"],
            UnHealthyHostCount: ["GreaterThanOrEqualToThreshold", 1, "notBreaching"],
            HealthyHostCount: ["LessThanThreshold", 1, "breaching"],
            CPUUtilization: ["GreaterThanThreshold", 80, "notBreaching"],
            FreeStorageSpace: ["LessThanThreshold", 10 * 1024 ** 3, "breaching"],
            FreeableMemory: ["LessThanThreshold", 256 * 1024 ** 2, "notBreaching"],
            DatabaseConnections: ["GreaterThanThreshold", 400, "notBreaching"],
            PercentIOLimit: ["GreaterThanOrEqualToThreshold", 90, "notBreaching"],
            ClientConnections: ["LessThanThreshold", 1, "breaching"],
            NumberOfBackupJobsFailed: ["GreaterThanOrEqualToThreshold", 1, "notBreaching"],
            NumberOfCopyJobsFailed: ["GreaterThanOrEqualToThreshold", 1, "notBreaching"],
            // 80% of emr:sharedFiles capacityGb (default 100 GiB).
            StorageBytes: ["GreaterThanThreshold", 0.8 * 100 * 1024 ** 3, "notBreaching"],
            // 1 on the primary, 0 on a replica: below 1 (or silent, its zone lost) means it failed over.
            IsMaster: ["LessThanThreshold", 1, "breaching"],
        };
        for (const [metric, [comparison, threshold, missing]] of Object.entries(expected)) {
            const { inputs } = alarmOn(g, metric);
            expect([inputs.comparisonOperator, inputs.threshold, inputs.treatMissingData], metric).toEqual([comparison, threshold, missing]);
            expect(inputs.datapointsToAlarm, metric).toBeLessThanOrEqual(inputs.evaluationPeriods);
            expect(inputs.period % 60, metric).toBe(0);
            // Exactly one of a statistic or a percentile.
            expect([inputs.statistic, inputs.extendedStatistic].filter(Boolean), metric).toHaveLength(1);
        }
        expect(alarmOn(g, "TargetResponseTime").inputs.extendedStatistic).toBe("p95");
        expect(alarmOn(g, "HTTPCode_Target_5XX_Count").inputs.statistic).toBe("Sum");
        expect(alarmOn(g, "HealthyHostCount").inputs.statistic).toBe("Minimum");
        expect(alarmOn(g, "FreeStorageSpace").inputs.statistic).toBe("Minimum");
        expect(alarmOn(g, "ClientConnections").inputs.statistic).toBe("Sum");
        // A single 0 in the window is a failover: the minimum, over one-minute periods.
        expect(alarmOn(g, "IsMaster").inputs).toMatchObject({ statistic: "Minimum", period: 60 });
    });

    it("alarms when the session store's first primary is no longer the primary: the member created in the first zone", () => {
        const store = g.one("aws:elasticache/replicationGroup:ReplicationGroup");
        const failover = alarmOn(g, "IsMaster");
        const first = (store.outputs.memberClusters as string[])[0];
        expect(first).toBe(`${store.id}-001`);
        expect(failover.inputs.dimensions).toEqual({ CacheClusterId: first, CacheNodeId: "0001" });
        // "The first item in the list will be the primary node": the zone list the group was created with.
        expect(store.inputs.preferredCacheClusterAzs).toHaveLength(2);
        expect(store.inputs.automaticFailoverEnabled).toBe(true);
        expect(failover.inputs.alarmDescription).toMatch(/failed over/);
    });

    it("keeps a multi-region, validated trail encrypted with the audit key in the log bucket under cloudtrail/", () => {
        const trail = trailOf(g);
        expect(trail.inputs).toMatchObject({
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
            kmsKeyId: topicOf(g).inputs.kmsMasterKeyId,
            s3BucketName: tiers.logBucket,
            s3KeyPrefix: "cloudtrail",
        });
        // Created only once the storage tier (with its bucket policy) and the log-delivery policy exist.
        expect(trail.dependsOn).toEqual(
            expect.arrayContaining(["emr:aws:StorageTier::emr-storage", "aws:iam/rolePolicy:RolePolicy::emr-monitoring-trail-role-policy"]),
        );
    });

    it("ships the trail to a log group encrypted with the network tier's log key, via a CloudTrail-only role", () => {
        const trail = trailOf(g);
        const group = g.ofType("aws:cloudwatch/logGroup:LogGroup").find((lg) => `${lg.outputs.arn}:*` === trail.inputs.cloudWatchLogsGroupArn);
        expect(group?.inputs.retentionInDays).toBe(365);
        expect(g.tierOf(g.referenced(group!.inputs.kmsKeyId)!)?.type).toBe("emr:aws:NetTier");

        const role = g.referenced(trail.inputs.cloudWatchLogsRoleArn)!;
        // Exactly this, no Condition: CloudTrail sends no aws:SourceAccount/SourceArn for this role
        // and CreateTrail fails when it cannot assume it (serviceTrust.ts).
        expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
            { Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        const grants = g.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === role.id);
        expect(grants.flatMap((p) => policyOf(p).Statement)).toEqual([
            { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${group!.outputs.arn}:*` },
        ]);
    });

    it("records management events only: no data-event selector on a store nothing writes", () => {
        const selectors = trailOf(g).inputs.advancedEventSelectors as { fieldSelectors: any[] }[];
        expect(selectors.map((s) => s.fieldSelectors)).toEqual([[{ field: "eventCategory", equals: ["Management"] }]]);
        expect(trailOf(g).inputs.eventSelectors).toBeUndefined();
    });
});

describe("aws Monitoring (configured address and retention)", () => {
    let g: Graph;
    beforeAll(async () => ({ g } = await monitoredStack({
        ...baseConfig.aws,
        "emr:alertEmail": "pager@clinic.example",
        "emr:logRetentionDays": "545",
        "emr:sharedFiles": JSON.stringify({ capacityGb: 500, infrequentAfterDays: 30, archiveAfterDays: 90 }),
        "emr:dbInstanceType": "db.m7g.large",
    })));

    it("watches CPU credits only on a burstable database class (the default db.t4g.large has them, db.m7g.large not)", () => {
        expect(alarmsOf(g).map((a) => a.inputs.metricName)).not.toContain("CPUCreditBalance");
    });

    it("alarms when the shared file system passes 80% of the configured capacity", () => {
        const { inputs } = alarmOn(g, "StorageBytes");
        expect([inputs.threshold, inputs.period, inputs.statistic]).toEqual([400 * 1024 ** 3, 3600, "Maximum"]);
        expect(inputs.alarmDescription).toContain("(500 GiB)");
    });

    it("mails the configured address and keeps trail logs for the configured days", () => {
        expect(g.one("aws:sns/topicSubscription:TopicSubscription").inputs.endpoint).toBe("pager@clinic.example");
        const trail = trailOf(g);
        const group = g.ofType("aws:cloudwatch/logGroup:LogGroup").find((lg) => `${lg.outputs.arn}:*` === trail.inputs.cloudWatchLogsGroupArn);
        expect(group?.inputs.retentionInDays).toBe(545);
    });
});
