import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { sessionIniJq } from "../../src/app/sessionStore";
import { policyDocument } from "../../src/plan/model/common";
import { baseConfig, runStack, type Graph } from "../harness";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const userDataOf = (g: Graph) => Buffer.from(g.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.userData, "base64").toString("utf8");

describe("aws session store", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.aws, "emr:zones": "3" })).ok();
    }, 60_000);

    it("is one Valkey replication group, cluster mode off, primary and replica in two zones with automatic failover", () => {
        const rg = g.one(RG).inputs;
        expect(rg).toMatchObject({ engine: "valkey", numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true, port: 6379 });
        expect(rg.clusterMode ?? "disabled").toBe("disabled");
        expect(rg.numNodeGroups).toBeUndefined();
        expect(new Set(rg.preferredCacheClusterAzs).size).toBe(2);
        const subnets = g.referenced(rg.subnetGroupName)!.inputs.subnetIds as string[];
        expect(subnets.map((id) => g.ofType("aws:ec2/subnet:Subnet").find((s) => s.id === id)!.inputs.tags["emr:subnet-role"])).toEqual(["data", "data", "data"]);
    });

    it("requires TLS and an AUTH token, is encrypted with the stack's data key, keeps no snapshots", () => {
        const rg = g.one(RG);
        expect(rg.inputs).toMatchObject({ transitEncryptionEnabled: true, transitEncryptionMode: "required", atRestEncryptionEnabled: true, snapshotRetentionLimit: 0 });
        expect(rg.secretPaths).toContain("authToken");
        const key = g.referenced(rg.inputs.kmsKeyId)!;
        expect(g.tierOf(key)?.type).toBe("emr:aws:StorageTier");
    });

    it("admits 6379 from the web servers' group only, and the web servers may reach it", () => {
        const sg = g.referenced(g.one(RG).inputs.securityGroupIds[0])!;
        const ingress = g.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === sg.id);
        expect(ingress).toHaveLength(1);
        const web = g.ofType("aws:ec2/securityGroup:SecurityGroup").find((s) => s.inputs.description === "EMR web servers")!;
        expect(ingress[0].inputs).toMatchObject({ fromPort: 6379, toPort: 6379, referencedSecurityGroupId: web.id });
        expect(ingress[0].inputs.cidrIpv4).toBeUndefined();
        const egress = g.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs.securityGroupId === web.id && r.inputs.referencedSecurityGroupId === sg.id);
        expect(egress.map((r) => r.inputs.fromPort)).toEqual([6379]);
    });

    it("the rendered boot reads the store's secret by ARN (never the token) and the server role may read it", () => {
        const secret = g.ofType("aws:secretsmanager/secret:Secret").find((s) => g.tierOf(s)?.type === "emr:aws:SessionTier")!;
        const text = userDataOf(g);
        expect(text).toContain(`readonly SESSION_SECRET='${secret.outputs.arn}'`);
        expect(text).toContain(`-e PHP_INI_SCAN_DIR=:/etc/emr-php --mount "type=bind,source=$SESSION_DIR,target=/etc/emr-php,readonly"`);
        expect(text).not.toContain("REDIS_");
        const token = g.ofType("random:index/randomPassword:RandomPassword").find((p) => p.name.endsWith("auth-token"))!.outputs.result;
        expect(text).not.toContain(token);
        const policy = policyDocument(g.ofType("aws:iam/rolePolicy:RolePolicy").find((p) => String(p.inputs.policy).includes("ReadSessionStoreSecret"))!.inputs.policy);
        expect(policy.Statement!.find((s) => s.Sid === "ReadSessionStoreSecret")).toMatchObject({ Action: "secretsmanager:GetSecretValue", Resource: secret.outputs.arn });
    });

    it("the secret the boot reads gives PHP the store over TLS with the token, verified against the CA the boot mounts (jq over the stack's own secret)", () => {
        const version = g.ofType("aws:secretsmanager/secretVersion:SecretVersion").find((v) => g.tierOf(v)?.type === "emr:aws:SessionTier")!;
        const ini = execFileSync("jq", ["-er", sessionIniJq], { input: version.inputs.secretString, encoding: "utf8" });
        const token = JSON.parse(version.inputs.secretString).password as string;
        const host = g.one(RG).outputs.primaryEndpointAddress;
        expect(ini.split("\n")[0]).toBe("session.save_handler = redis");
        const url = new URL(/^session\.save_path = "([^"$\\]*)"$/m.exec(ini)![1]);
        expect([url.protocol, url.hostname, url.port]).toEqual(["tls:", host, "6379"]);
        expect([...url.searchParams]).toEqual([["auth[pass]", token], ["stream[cafile]", "/etc/emr-php/session-ca.pem"], ["timeout", "5"]]);
    });

    it("alarms on memory, connections and replication lag of both nodes, and on a failover, to the alert topic", () => {
        const alarms = g.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace === "AWS/ElastiCache");
        const members = [1, 2].map((i) => `${g.one(RG).id}-00${i}`);
        for (const metric of ["DatabaseMemoryUsagePercentage", "CurrConnections", "ReplicationLag"]) {
            expect(alarms.filter((a) => a.inputs.metricName === metric).map((a) => a.inputs.dimensions.CacheClusterId).sort()).toEqual(members);
        }
        // The failover: the first primary's role (IsMaster), on the first member only.
        expect(alarms.filter((a) => a.inputs.metricName === "IsMaster").map((a) => a.inputs.dimensions.CacheClusterId)).toEqual([members[0]]);
        const topic = g.one("aws:sns/topic:Topic").outputs.arn;
        for (const a of alarms) expect(a.inputs.alarmActions).toEqual([topic]);
    });
});
