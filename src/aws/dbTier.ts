import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as rds from "@pulumi/aws/rds";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as pulumi from "@pulumi/pulumi";
import type { DbTier, DbTierArgs } from "../tiers/contracts";
import { dbLogins, openemrDatabase } from "../app/dbLogins";
import { credentialsSecrets } from "./dbCredentials";
import { dbEngineGroups } from "./dbParameters";
import { dbIdentifier, dbLogExports, dbWindows, engineLifecycleSupport, insightsSettings, mysql, storageCeiling } from "./dbSettings";
import { serviceRole } from "./iam";
import type { AwsNetTier } from "./netTier";
import type { AwsStorageTier } from "./storageTier";

/**
 * The EMR database: RDS for MySQL as a Multi-AZ DB instance. The primary and a synchronous
 * standby live in different zones of the data subnets; when the primary's zone fails, RDS
 * promotes the standby and moves the endpoint's DNS name to it (typically 60-120 s, no committed
 * transaction lost: RPO 0). Encrypted with the data key, TLS required, point-in-time restore for
 * `backupRetentionDays`, audit/error/slow-query logs in encrypted log groups with retention, and
 * nothing that can delete it by accident (deletion protection, final snapshot, `protect`).
 */
export class AwsDbTier extends pulumi.ComponentResource implements DbTier {
    /** The endpoint's host name; it follows the primary across a failover. */
    readonly endpoint: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly databaseName: pulumi.Output<string>;
    /** ARN of the Secrets Manager secret holding OpenEMR's login, host, port and database name. */
    readonly credentialsSecret: pulumi.Output<string>;
    /** ARN of the Secrets Manager secret holding the server administrator login (first install only). */
    readonly adminLoginSecret: pulumi.Output<string>;
    /** The RDS instance identifier (the `DBInstanceIdentifier` dimension of its metrics). */
    readonly instanceIdentifier: pulumi.Output<string>;
    /** A burstable class (db.t*): it runs on CPU credits, which the monitoring tier watches. */
    readonly burstable: boolean;

    constructor(name: string, args: DbTierArgs<AwsNetTier, AwsStorageTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:aws:DbTier", name, {}, opts);
        const parent = this;
        this.burstable = /^db\.t\d/.test(args.instanceType);
        // Known before deploy, so the log groups RDS writes to can be named (and created) first.
        const identifier = dbIdentifier(name, pulumi.getStack());

        const subnetGroup = new rds.SubnetGroup(
            `${name}-subnets`,
            {
                description: "EMR database: the data subnet of every zone, so the standby can be placed (and promoted) in any of them",
                subnetIds: args.net.subnetIds.data,
                tags: args.tags,
            },
            { parent },
        );
        const { parameterGroup, optionGroup } = dbEngineGroups(name, args.tags, parent);
        const logGroups = this.exportLogGroups(name, identifier, args);
        const accountId = getCallerIdentityOutput({}, { parent }).accountId;
        const monitoringRole = serviceRole(
            `${name}-monitoring-role`,
            {
                service: "monitoring.rds.amazonaws.com",
                // Only this instance's monitoring may assume it: the identifier is fixed, so the
                // ARN is known before the instance exists (format from serviceTrust.ts's RDS row).
                sourceArn: pulumi.interpolate`arn:aws:rds:${args.net.region}:${accountId}:db:${identifier}`,
                managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"],
                tags: args.tags,
            },
            parent,
        );
        const logins = dbLogins(name, parent);

        const instance = new rds.Instance(
            `${name}-mysql`,
            {
                identifier,
                engine: mysql.engine,
                engineVersion: mysql.majorVersion,
                autoMinorVersionUpgrade: true,
                // No `allowMajorVersionUpgrade`: a stack created on 8.0 does not upgrade in place,
                // where RDS upgrades primary and standby together and the EMR is down meanwhile.
                // Its `up` fails until the operator has moved it with an RDS blue/green
                // deployment (about a minute of write downtime, cost-review.md (c)) and refreshed.
                engineLifecycleSupport,
                instanceClass: args.instanceType,
                multiAz: true,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [args.net.securityGroups.db],
                publiclyAccessible: false,
                port: 3306,
                caCertIdentifier: "rds-ca-rsa2048-g1",
                parameterGroupName: parameterGroup.name,
                optionGroupName: optionGroup.name,

                storageType: "gp3",
                allocatedStorage: args.storageGb,
                maxAllocatedStorage: storageCeiling(args.storageGb),
                storageEncrypted: true,
                kmsKeyId: args.storage.dataKeyArn,

                // No `dbName`: OpenEMR's install runs CREATE DATABASE itself and fails (and its
                // container retries forever) when the database already exists but its user does not.
                username: logins.admin.username,
                password: logins.admin.password,
                // OpenEMR cannot use IAM tokens; enabling it lets operators log in with their own
                // IAM identity (unique user IDs) instead of sharing the master password.
                iamDatabaseAuthenticationEnabled: true,

                backupRetentionPeriod: args.backupRetentionDays,
                backupWindow: dbWindows.backup,
                maintenanceWindow: dbWindows.maintenance,
                copyTagsToSnapshot: true,
                deleteAutomatedBackups: false,
                deletionProtection: true,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: `${identifier}-final`,
                // Class and storage changes wait for the maintenance window instead of failing over
                // in clinic hours; an urgent one is applied once with `aws rds modify-db-instance
                // --apply-immediately` (or by setting this for that single update).
                applyImmediately: false,

                enabledCloudwatchLogsExports: [...dbLogExports],
                monitoringInterval: 60,
                monitoringRoleArn: monitoringRole.arn,
                ...insightsSettings(args.instanceType, args.storage.dataKeyArn, parent),

                // AWS Backup selects the instance by this tag (the storage tier's backup plan).
                tags: { ...args.tags, Name: identifier, [args.storage.backupTag.key]: args.storage.backupTag.value },
            },
            {
                parent,
                // identifier, kmsKeyId, storageEncrypted, username and the
                // Performance Insights key are set at creation only: changing one means a new instance,
                // which `protect` and deletion protection refuse. Restore a snapshot into a new one instead.
                protect: true,
                // RDS sets the Extended Support enrolment at creation or restore only ("You can't
                // update your RDS Extended Support enrollment status on existing DB instances unless
                // you are restoring them", RDS User Guide, extended-support.html); the provider still
                // sends the change, RDS ignores it, and every `up` shows it again
                // (hashicorp/terraform-provider-aws#40870). New stacks get the value above.
                ignoreChanges: ["engineLifecycleSupport"],
                // RDS creates missing export groups itself, unencrypted and kept forever.
                dependsOn: logGroups,
            },
        );

        this.endpoint = instance.address;
        this.port = instance.port;
        this.databaseName = pulumi.output(openemrDatabase);
        this.instanceIdentifier = instance.identifier;
        const secrets = credentialsSecrets(
            name,
            { logins, host: instance.address, port: instance.port, keyArn: args.storage.dataKeyArn, tags: args.tags },
            parent,
        );
        this.credentialsSecret = secrets.app;
        this.adminLoginSecret = secrets.admin;
        this.registerOutputs({
            endpoint: this.endpoint,
            port: this.port,
            databaseName: this.databaseName,
            credentialsSecret: this.credentialsSecret,
            adminLoginSecret: this.adminLoginSecret,
            instanceIdentifier: this.instanceIdentifier,
        });
    }

    /** The log groups RDS exports to, created first with the stack's log key and retention. */
    private exportLogGroups(name: string, identifier: string, args: DbTierArgs<AwsNetTier, AwsStorageTier>): cloudwatch.LogGroup[] {
        return dbLogExports.map(
            (log) =>
                new cloudwatch.LogGroup(
                    `${name}-${log}-logs`,
                    {
                        name: `/aws/rds/instance/${identifier}/${log}`,
                        retentionInDays: args.logRetentionDays,
                        kmsKeyId: args.net.logKeyArn,
                        tags: args.tags,
                    },
                    { parent: this },
                ),
        );
    }
}
