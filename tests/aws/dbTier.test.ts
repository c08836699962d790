import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../src/plan/capture";
import { dbIdentifier, storageCeiling } from "../../src/aws/dbSettings";
import { baseConfig, runStack, type Graph } from "../harness";

/** Each describe runs the whole program once; allow for a busy machine. */
const RUN_TIMEOUT_MS = 60_000;

const INSTANCE = "aws:rds/instance:Instance";
const SUBNET = "aws:ec2/subnet:Subnet";
const KMS_KEY = "aws:kms/key:Key";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const SECRET = "aws:secretsmanager/secret:Secret";
const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";

const instanceOf = (g: Graph) => g.one(INSTANCE);
const dataSubnets = (g: Graph) => g.ofType(SUBNET).filter((s) => s.inputs.tags["emr:subnet-role"] === "data");
const logKeyArn = (g: Graph) => g.ofType(KMS_KEY).find((k) => k.name === "emr-net-logs-key")!.outputs.arn;

/** The storage tier's data key: the one KMS key it declares. */
function dataKeyArn(g: Graph): string {
    const keys = g.ofType(KMS_KEY).filter((k) => g.tierOf(k)?.type === "emr:aws:StorageTier");
    expect(keys).toHaveLength(1);
    return keys[0].outputs.arn;
}

/** The tag AWS Backup selects resources by, from the storage tier's backup selection. */
function backupTag(g: Graph): { key: string; value: string } {
    const [tag] = g.one("aws:backup/selection:Selection").inputs.selectionTags;
    expect(tag.type).toBe("STRINGEQUALS");
    return tag;
}

/** Whether `r` descends from the DbTier component, however deep. */
function underDbTier(g: Graph, r: PlannedResource): boolean {
    for (let p = r.parent; p; p = g.byKey(p)?.parent) if (p === "emr:aws:DbTier::emr-db") return true;
    return false;
}

const password = (g: Graph, role: "admin" | "app") => g.byKey(`${PASSWORD}::emr-db-${role}-password`)!;

/** Every string input of `r` holding `needle`, with its dotted path, outside the inputs marked secret. */
function plainOccurrences(r: PlannedResource, needle: string): string[] {
    const found: string[] = [];
    const visit = (value: unknown, path: string) => {
        if (r.secretPaths.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`))) return;
        if (typeof value === "string" && value.includes(needle)) found.push(`${r.key} ${path}`);
        else if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${path}[${i}]`));
        else if (value !== null && typeof value === "object") Object.entries(value).forEach(([k, v]) => visit(v, path ? `${path}.${k}` : k));
    };
    visit(r.inputs, "");
    return found;
}

/** A window as [start, end) minutes of the week; a daily one repeats on every day. */
function weeklyIntervals(window: string): [number, number][] {
    const days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
    const weekly = window.match(/^([a-z]{3}):(\d\d:\d\d)-([a-z]{3}):(\d\d:\d\d)$/);
    if (weekly) return [[days.indexOf(weekly[1]) * 1440 + minutes(weekly[2]), days.indexOf(weekly[3]) * 1440 + minutes(weekly[4])]];
    const [start, end] = window.split("-").map(minutes);
    return days.map((_, d) => [d * 1440 + start, d * 1440 + end]);
}

describe("aws DbTier, default config (2 zones)", () => {
    let g: Graph;
    let db: PlannedResource;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.aws })).ok();
        db = instanceOf(g);
    }, RUN_TIMEOUT_MS);

    it("is a protected MySQL 8.4 Multi-AZ instance of the mapped class on autoscaling gp3", () => {
        expect(db.inputs).toMatchObject({
            engine: "mysql",
            engineVersion: "8.4",
            autoMinorVersionUpgrade: true,
            multiAz: true,
            instanceClass: "db.t4g.large",
            storageType: "gp3",
            allocatedStorage: 100,
            maxAllocatedStorage: 400,
            caCertIdentifier: "rds-ca-rsa2048-g1",
            identifier: "emr-db-test",
            port: 3306,
        });
        expect(db.protect).toBe(true);
        expect(db.inputs.availabilityZone).toBeUndefined();
        expect(g.tierOf(db)?.type).toBe("emr:aws:DbTier");
    });

    it("stays out of paid RDS Extended Support, without a perpetual diff on stacks created before", () => {
        expect(db.inputs.engineLifecycleSupport).toBe("open-source-rds-extended-support-disabled");
        // RDS sets the enrolment at creation only and ignores a change (terraform-provider-aws#40870).
        expect(db.ignoreChanges).toContain("engineLifecycleSupport");
        // A major upgrade in place would take primary and standby down together: blue/green instead.
        expect(db.inputs.allowMajorVersionUpgrade).toBeUndefined();
    });

    it("lives in the data subnets of both zones, private, behind the database security group only", () => {
        const subnetGroup = g.referenced(db.inputs.dbSubnetGroupName)!;
        expect(subnetGroup.type).toBe("aws:rds/subnetGroup:SubnetGroup");
        expect(subnetGroup.inputs.subnetIds).toEqual(dataSubnets(g).map((s) => s.id));
        expect(subnetGroup.inputs.subnetIds.map((id: string) => g.referenced(id)!.inputs.availabilityZone)).toEqual(["us-east-1a", "us-east-1b"]);
        expect(db.inputs.publiclyAccessible).toBe(false);
        expect(db.inputs.vpcSecurityGroupIds).toHaveLength(1);
        expect(g.referenced(db.inputs.vpcSecurityGroupIds[0])!.name).toBe("emr-net-db-sg");
    });

    it("encrypts storage, Performance Insights and the secret with the storage tier's data key, not the log key", () => {
        const key = dataKeyArn(g);
        expect(key).not.toBe(logKeyArn(g));
        expect(db.inputs.storageEncrypted).toBe(true);
        expect(db.inputs.kmsKeyId).toBe(key);
        expect(db.inputs).toMatchObject({ performanceInsightsEnabled: true, performanceInsightsKmsKeyId: key, performanceInsightsRetentionPeriod: 7 });
        const dbSecrets = g.ofType(SECRET).filter((x) => underDbTier(g, x));
        expect(dbSecrets).toHaveLength(2);
        for (const secret of dbSecrets) expect(secret.inputs.kmsKeyId).toBe(key);
    });

    it("keeps 35 days of point-in-time restore and cannot be deleted without a final snapshot", () => {
        expect(db.inputs).toMatchObject({
            backupRetentionPeriod: 35,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "emr-db-test-final",
            copyTagsToSnapshot: true,
            deleteAutomatedBackups: false,
            applyImmediately: false,
        });
        const tag = backupTag(g);
        expect(db.inputs.tags[tag.key]).toBe(tag.value);
    });

    it("has backup and maintenance windows of at least 30 minutes that never overlap", () => {
        const backup = weeklyIntervals(db.inputs.backupWindow);
        const [maintenance] = weeklyIntervals(db.inputs.maintenanceWindow);
        for (const [start, end] of [...backup, maintenance]) expect(end - start).toBeGreaterThanOrEqual(30);
        for (const [start, end] of backup) expect(end <= maintenance[0] || start >= maintenance[1]).toBe(true);
    });

    it("exports audit, error and slow query logs into pre-created groups with the log key and retention", () => {
        expect(db.inputs.enabledCloudwatchLogsExports).toEqual(["audit", "error", "slowquery"]);
        for (const log of db.inputs.enabledCloudwatchLogsExports) {
            const group = g.ofType(LOG_GROUP).find((l) => l.inputs.name === `/aws/rds/instance/emr-db-test/${log}`)!;
            expect(group.inputs).toMatchObject({ retentionInDays: 365, kmsKeyId: logKeyArn(g) });
            expect(db.dependsOn).toContain(group.key);
        }
    });

    it("requires TLS and logs slow queries to files in utf8mb4", () => {
        const params = g.referenced(db.inputs.parameterGroupName)!;
        expect(params.inputs.family).toBe("mysql8.4");
        const values = Object.fromEntries(params.inputs.parameters.map((p: { name: string; value: string }) => [p.name, p.value]));
        expect(values).toMatchObject({ require_secure_transport: "1", slow_query_log: "1", log_output: "FILE", character_set_server: "utf8mb4" });
        expect(Number(values.long_query_time)).toBeGreaterThan(0);
        expect(values.general_log).toBeUndefined();
    });

    it("audits connections, access and schema changes through the audit plugin, never statement text", () => {
        const options = g.referenced(db.inputs.optionGroupName)!;
        expect(options.inputs).toMatchObject({ engineName: "mysql", majorEngineVersion: "8.4" });
        const [plugin] = options.inputs.options;
        expect(plugin.optionName).toBe("MARIADB_AUDIT_PLUGIN");
        const events = plugin.optionSettings.find((s: { name: string }) => s.name === "SERVER_AUDIT_EVENTS").value.split(",");
        expect(events.sort()).toEqual(["CONNECT", "QUERY_DCL", "QUERY_DDL"]);
        for (const phiEvent of ["QUERY", "QUERY_DML", "QUERY_DML_NO_SELECT"]) expect(events).not.toContain(phiEvent);
    });

    it("sends enhanced monitoring every 60 s through a role only RDS monitoring can assume", () => {
        expect(db.inputs.monitoringInterval).toBe(60);
        const role = g.referenced(db.inputs.monitoringRoleArn)!;
        expect(role.type).toBe("aws:iam/role:Role");
        const [statement] = JSON.parse(role.inputs.assumeRolePolicy).Statement;
        expect(statement).toMatchObject({ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" });
        const attached = g.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.parent === role.key);
        expect(attached.map((a) => a.inputs.policyArn)).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]);
    });

    it("generates both passwords within what RDS and OpenEMR's config file accept", () => {
        for (const role of ["admin", "app"] as const) {
            const { inputs } = password(g, role);
            expect(inputs.length).toBeGreaterThanOrEqual(24);
            expect(inputs.special).toBe(true);
            expect(inputs.overrideSpecial).not.toMatch(/[/@" '\\$`]/);
        }
        expect(db.inputs.username).toBe("emradmin");
        expect(db.inputs.manageMasterUserPassword).toBeUndefined();
        expect(db.inputs.password).toBe(password(g, "admin").outputs.result);
        expect(db.secretPaths).toContain("password");
    });

    it("stores each login as its own KMS-encrypted, secret JSON document, readable by the servers only while the install is pending", () => {
        const secret = (name: string) => g.byKey(`${SECRET}::emr-db-${name}`)!;
        const valueOf = (name: string) => {
            const version = g.byKey(`${SECRET_VERSION}::emr-db-${name}-value`)!;
            expect(g.referenced(version.inputs.secretId)).toBe(secret(name));
            expect(version.secretPaths).toContain("secretString");
            return JSON.parse(version.inputs.secretString);
        };
        // RDS's own field names (src/app/bootSecrets.ts DbLoginSecret).
        expect(valueOf("credentials")).toEqual({ username: "openemr", password: password(g, "app").outputs.result, host: db.outputs.address, port: 3306, dbname: "openemr" });
        expect(valueOf("admin-login")).toEqual({ username: "emradmin", password: password(g, "admin").outputs.result, host: db.outputs.address, port: 3306 });
        for (const name of ["credentials", "admin-login"]) {
            expect(secret(name).inputs.recoveryWindowInDays).toBe(30);
            expect(secret(name).inputs.tags["emr-install"]).toBe("pending");
            // The boot script sets it to complete; Pulumi must never set it back.
            expect(secret(name).ignoreChanges).toEqual(expect.arrayContaining(['tags["emr-install"]', 'tagsAll["emr-install"]']));
        }
        expect(g.run.outputs.dbEndpoint).toBe(db.outputs.address);
    });

    it("never shows a password in a plain input or a stack output", () => {
        for (const role of ["admin", "app"] as const) {
            const value = password(g, role).outputs.result;
            expect(g.resources.flatMap((r) => plainOccurrences(r, value))).toEqual([]);
            expect(JSON.stringify(g.run.outputs)).not.toContain(value);
        }
    });

    it("leaves creating the database to OpenEMR's install, which fails when it already exists", () => {
        expect(db.inputs.dbName).toBeUndefined();
    });

    it("names every child after the component", () => {
        const children = g.resources.filter((r) => underDbTier(g, r));
        expect(children.length).toBeGreaterThanOrEqual(13);
        for (const child of children) expect(child.name.startsWith("emr-db-")).toBe(true);
    });
});

describe("aws DbTier over 3 zones with a larger size, 14-day backups and 545-day logs", () => {
    let g: Graph;
    let db: PlannedResource;
    beforeAll(async () => {
        g = (
            await runStack({
                ...baseConfig.aws,
                "emr:zones": "3",
                "emr:dbSize": '{"vcpu":2,"memoryGiB":16}',
                "emr:dbStorageGb": "5000",
                "emr:backupRetentionDays": "14",
                "emr:logRetentionDays": "545",
            })
        ).ok();
        db = instanceOf(g);
    }, RUN_TIMEOUT_MS);

    it("spreads the subnet group over the data subnets of all three zones", () => {
        const subnetIds = g.referenced(db.inputs.dbSubnetGroupName)!.inputs.subnetIds;
        expect(subnetIds).toEqual(dataSubnets(g).map((s) => s.id));
        expect(subnetIds.map((id: string) => g.referenced(id)!.inputs.availabilityZone)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    });

    it("maps 2 vCPU / 16 GiB to db.r6g.large and caps storage autoscaling at 16 TiB", () => {
        expect(db.inputs).toMatchObject({ instanceClass: "db.r6g.large", allocatedStorage: 5000, maxAllocatedStorage: 16384 });
    });

    it("keeps the configured 14 days of backups and 545 days of database logs", () => {
        expect(db.inputs.backupRetentionPeriod).toBe(14);
        const groups = g.ofType(LOG_GROUP).filter((l) => underDbTier(g, l));
        expect(groups.map((l) => l.inputs.retentionInDays)).toEqual([545, 545, 545]);
    });
});

describe("aws DbTier with an instance type override that has no Performance Insights", () => {
    let db: PlannedResource;
    beforeAll(async () => {
        const g = (await runStack({ ...baseConfig.aws, "emr:dbInstanceType": "db.t3.small", "emr:dbStorageGb": "16384" })).ok();
        db = instanceOf(g);
    }, RUN_TIMEOUT_MS);

    it("uses the override and deploys without Performance Insights instead of failing", () => {
        expect(db.inputs.instanceClass).toBe("db.t3.small");
        expect(db.inputs.performanceInsightsEnabled).toBe(false);
        expect(db.inputs.performanceInsightsKmsKeyId).toBeUndefined();
        expect(db.inputs.monitoringInterval).toBe(60);
    });

    it("turns storage autoscaling off when the size is already at the cap", () => {
        expect(db.inputs.allocatedStorage).toBe(16384);
        expect(db.inputs.maxAllocatedStorage).toBeUndefined();
    });
});

describe("aws DbTier naming and sizing rules", () => {
    it("derives an RDS-valid identifier from any stack name", () => {
        expect(dbIdentifier("emr-db", "Prod_EU.1")).toBe("emr-db-prod-eu-1");
        const long = dbIdentifier("emr-db", `${"a".repeat(55)}--__x`);
        expect(long.length).toBeLessThanOrEqual(63);
        expect(long).toMatch(/^[a-z]([a-z0-9]|-(?!-))*[a-z0-9]$/);
    });

    it("lets storage grow 4x, never beyond 16 TiB", () => {
        expect(storageCeiling(20)).toBe(80);
        expect(storageCeiling(4096)).toBe(16384);
        expect(storageCeiling(10000)).toBe(16384);
        expect(storageCeiling(16384)).toBeUndefined();
    });
});
