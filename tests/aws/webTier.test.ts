import { beforeAll, describe, expect, it } from "vitest";
import { bootBudgetSeconds, bootTimings } from "../../src/app/bootTimings";
import { healthPort } from "../../src/app/healthCheck";
import { bootWaitsOf } from "../app/renderSamples";
import type { PlannedResource } from "../../src/plan/capture";
import { transformed } from "../wafMatch";
import { baseConfig, runStack, type Graph } from "../harness";

const T = {
    alb: "aws:lb/loadBalancer:LoadBalancer",
    tg: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    cert: "aws:acm/certificate:Certificate",
    validation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
    selfSigned: "tls:index/selfSignedCert:SelfSignedCert",
    privateKey: "tls:index/privateKey:PrivateKey",
    acl: "aws:wafv2/webAcl:WebAcl",
    aclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
    aclLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    lt: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    scaling: "aws:autoscaling/policy:Policy",
    subnet: "aws:ec2/subnet:Subnet",
} as const;

/** The subnets of one role, in zone order, as [id, zone] pairs. */
const subnetsOf = (g: Graph, role: string) =>
    g.ofType(T.subnet).filter((s) => s.inputs.tags["emr:subnet-role"] === role).map((s) => [s.id, s.inputs.availabilityZone]);

/** Follows a reference and checks it lands on a resource of `type`. */
function follow(g: Graph, ref: unknown, type: string): PlannedResource {
    const target = g.referenced(ref);
    expect(target?.type, `reference ${String(ref)}`).toBe(type);
    return target!;
}

const listenerOn = (g: Graph, port: number) => g.ofType(T.listener).find((l) => l.inputs.port === port)!;
const userDataOf = (g: Graph) => Buffer.from(g.one(T.lt).inputs.userData, "base64").toString("utf8");
const instancePolicy = (g: Graph) => JSON.parse(g.byKey("aws:iam/rolePolicy:RolePolicy::emr-web-servers-role-policy")!.inputs.policy);

describe("aws WebTier, default stack (2 zones, self-signed TLS)", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.aws })).ok();
    });

    it("parents every web resource to the web tier", () => {
        const ancestors = (r: PlannedResource): string[] => (r.parent ? [r.parent, ...ancestors(g.byKey(r.parent)!)] : []);
        for (const type of [T.alb, T.tg, T.listener, T.cert, T.acl, T.aclAssociation, T.aclLogging, T.lt, T.asg, T.scaling]) {
            for (const r of g.ofType(type)) expect(ancestors(r), r.key).toContain("emr:aws:WebTier::emr-web");
        }
    });

    it("puts an internet-facing, hardened ALB in the edge subnet of every zone", () => {
        const alb = g.one(T.alb).inputs;
        const edge = subnetsOf(g, "edge");
        expect(edge.map(([, zone]) => zone)).toEqual(["us-east-1a", "us-east-1b"]);
        expect(alb.subnets).toEqual(edge.map(([id]) => id));
        expect(alb).toMatchObject({
            internal: false,
            loadBalancerType: "application",
            dropInvalidHeaderFields: true,
            enableDeletionProtection: true,
            desyncMitigationMode: "defensive",
        });
        expect(follow(g, alb.securityGroups[0], "aws:ec2/securityGroup:SecurityGroup").inputs.tags.Name).toBe("emr-net-alb");
    });

    it("writes ALB access logs to the storage tier's log bucket under alb/, after the storage tier exists", () => {
        const alb = g.one(T.alb);
        // The bucket whose policy lets ELB deliver under alb/: logs written anywhere else would be refused.
        const delivery = g.ofType("aws:s3/bucketPolicy:BucketPolicy").filter((p) => String(p.inputs.policy).includes("/alb/AWSLogs/"));
        expect(delivery).toHaveLength(1);
        expect(alb.inputs.accessLogs).toEqual({ bucket: delivery[0].inputs.bucket, prefix: "alb", enabled: true });
        expect(alb.dependsOn).toContain("emr:aws:StorageTier::emr-storage");
    });

    it("serves https on 443 with a pinned TLS >= 1.2 policy, forwarding to the target group", () => {
        const https = listenerOn(g, 443).inputs;
        expect(https).toMatchObject({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" });
        expect(follow(g, https.loadBalancerArn, T.alb)).toBe(g.one(T.alb));
        expect(https.defaultActions).toHaveLength(1);
        expect(https.defaultActions[0].type).toBe("forward");
        expect(follow(g, https.defaultActions[0].targetGroupArn, T.tg)).toBe(g.one(T.tg));
        expect(https.routingHttpResponseStrictTransportSecurityHeaderValue).toMatch(/^max-age=31536000/);
    });

    it("presents a generated self-signed certificate for the ALB's DNS name, imported into ACM", () => {
        const imported = follow(g, listenerOn(g, 443).inputs.certificateArn, T.cert);
        const selfSigned = g.one(T.selfSigned);
        expect(imported.inputs.certificateBody).toBe(selfSigned.outputs.certPem);
        expect(imported.inputs.privateKey).toBe(g.one(T.privateKey).outputs.privateKeyPem);
        expect(imported.secretPaths).toContain("privateKey");
        expect(selfSigned.inputs.dnsNames).toEqual([g.one(T.alb).outputs.dnsName]);
        expect(selfSigned.inputs.validityPeriodHours).toBe(8760);
        expect(selfSigned.inputs.allowedUses).toContain("server_auth");
        expect(g.run.outputs.url).toBe(`https://${g.one(T.alb).outputs.dnsName}`);
    });

    it("answers http on 80 only with a permanent redirect to https 443", () => {
        const http = listenerOn(g, 80).inputs;
        expect(http.protocol).toBe("HTTP");
        expect(http.defaultActions).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
    });

    it("health-checks each server's readiness endpoint on the health port, dropping a dead server within 20 s, a browser kept on one server for an hour", () => {
        const tg = g.one(T.tg).inputs;
        expect(tg).toMatchObject({ port: 80, protocol: "HTTP", targetType: "instance", deregistrationDelay: 30 });
        expect(follow(g, tg.vpcId, "aws:ec2/vpc:Vpc")).toBeDefined();
        const hc = tg.healthCheck;
        expect(hc).toMatchObject({ enabled: true, path: "/meta/health/readyz", port: String(healthPort), protocol: "HTTP", matcher: "200", healthyThreshold: 2 });
        expect(hc.interval * hc.unhealthyThreshold).toBeLessThanOrEqual(20);
        expect(hc.timeout).toBeLessThan(hc.interval);
        expect(tg.stickiness).toEqual({ type: "lb_cookie", enabled: true, cookieDuration: 3600 });
    });

    it("opens the health port on the servers to the load balancer's security group only", () => {
        const web = g.ofType("aws:ec2/securityGroup:SecurityGroup").find((sg) => sg.inputs.tags.Name === "emr-net-web")!;
        const alb = g.ofType("aws:ec2/securityGroup:SecurityGroup").find((sg) => sg.inputs.tags.Name === "emr-net-alb")!;
        const onHealthPort = g
            .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .filter((r) => r.inputs.securityGroupId === web.id && r.inputs.fromPort <= healthPort && r.inputs.toPort >= healthPort);
        expect(onHealthPort.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4])).toEqual([[alb.id, undefined]]);
    });

    it("refuses OpenEMR's health endpoints to clients in the WAF, however the path is spelled", () => {
        const rule = g.one(T.acl).inputs.rules.find((r: any) => r.name === "hide-readiness-endpoint");
        expect(rule.action).toEqual({ block: {} });
        const match = rule.statement.byteMatchStatement;
        expect(match.fieldToMatch).toEqual({ uriPath: {} });
        expect(match.positionalConstraint).toBe("CONTAINS");
        const steps = [...match.textTransformations].sort((a: any, b: any) => a.priority - b.priority).map((t: any) => t.type);
        const blocked = (path: string) => transformed(path, steps).includes(match.searchString);
        for (const path of ["/meta/health/readyz", "//meta/health/readyz", "/META/Health/readyz", "/meta%2Fhealth%2Freadyz", "/meta/health/livez"]) expect(blocked(path), path).toBe(true);
        for (const path of ["/interface/login/login.php", "/meta/healthcare-report.php"]) expect(blocked(path), path).toBe(false);
        // The load balancer itself asks the servers' health port, which the WAF never sees.
        expect(g.ofType("aws:lb/listenerRule:ListenerRule")).toEqual([]);
    });

    it("puts a WAF in front of the ALB: rate limit, hidden health endpoints, then the managed groups, in that order", () => {
        const acl = g.one(T.acl).inputs;
        expect(acl).toMatchObject({ scope: "REGIONAL", defaultAction: { allow: {} } });
        const rules = acl.rules.map((r: any) => [r.priority, r.name]);
        expect(rules).toEqual([
            [0, "rate-limit-per-ip"],
            [1, "hide-readiness-endpoint"],
            [2, "AWSManagedRulesAmazonIpReputationList"],
            [3, "AWSManagedRulesCommonRuleSet"],
            [4, "AWSManagedRulesKnownBadInputsRuleSet"],
            [5, "AWSManagedRulesSQLiRuleSet"],
        ]);
        const [rate, , ...managed] = acl.rules;
        expect(rate.action).toEqual({ block: {} });
        expect(rate.statement.rateBasedStatement).toEqual({ limit: 2000, evaluationWindowSec: 300, aggregateKeyType: "IP" });
        for (const rule of managed) {
            expect(rule.overrideAction).toEqual({ none: {} });
            expect(rule.statement.managedRuleGroupStatement).toMatchObject({ vendorName: "AWS", name: rule.name });
            expect(rule.visibilityConfig).toMatchObject({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true });
        }
        // Large uploads pass the Common rule set: only its body-size rule is relaxed, to count.
        expect(managed[1].statement.managedRuleGroupStatement.ruleActionOverrides).toEqual([
            { name: "SizeRestrictions_BODY", actionToUse: { count: {} } },
        ]);
    });

    it("associates the web ACL with the ALB and logs it to an encrypted aws-waf-logs- group", () => {
        const association = g.one(T.aclAssociation).inputs;
        expect(follow(g, association.resourceArn, T.alb)).toBe(g.one(T.alb));
        expect(follow(g, association.webAclArn, T.acl)).toBe(g.one(T.acl));
        const logging = g.one(T.aclLogging).inputs;
        expect(follow(g, logging.resourceArn, T.acl)).toBe(g.one(T.acl));
        expect(logging.logDestinationConfigs).toHaveLength(1);
        const group = follow(g, logging.logDestinationConfigs[0], "aws:cloudwatch/logGroup:LogGroup");
        expect(group.inputs.name).toMatch(/^aws-waf-logs-/);
        expect(group.inputs.retentionInDays).toBe(365);
        expect(follow(g, group.inputs.kmsKeyId, "aws:kms/key:Key").name).toBe("emr-net-logs-key");
        expect(logging.redactedFields).toContainEqual({ singleHeader: { name: "cookie" } });
    });

    it("launches servers with IMDSv2 only, no public IP, an encrypted root and the web security group", () => {
        const lt = g.one(T.lt).inputs;
        // Graviton by default (emr:cpuArch arm64): the arm64 image and the arm64 size mapping.
        expect(lt.imageId).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
        expect(lt.instanceType).toBe("t4g.large");
        expect(lt.metadataOptions).toMatchObject({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
        expect(lt.networkInterfaces).toHaveLength(1);
        expect(lt.networkInterfaces[0].associatePublicIpAddress).toBe("false");
        expect(lt.networkInterfaces[0].securityGroups).toHaveLength(1);
        expect(follow(g, lt.networkInterfaces[0].securityGroups[0], "aws:ec2/securityGroup:SecurityGroup").inputs.tags.Name).toBe("emr-net-web");
        expect(lt.blockDeviceMappings).toEqual([
            // 16 GiB, not 30: at least the AL2023 AMI's 8 GiB snapshot, -$2.24 a month on two servers.
            { deviceName: "/dev/xvda", ebs: expect.objectContaining({ encrypted: "true", volumeType: "gp3", volumeSize: 16 }) },
        ]);
        expect(lt.keyName).toBeUndefined();
        expect(lt.monitoring).toEqual({ enabled: true });
        expect(lt.tagSpecifications.map((t: any) => t.resourceType)).toEqual(expect.arrayContaining(["instance", "volume"]));
        const profile = follow(g, lt.iamInstanceProfile.arn, "aws:iam/instanceProfile:InstanceProfile");
        expect(follow(g, profile.inputs.role, "aws:iam/role:Role").name).toBe("emr-web-servers-role");
    });

    /** The install secrets the user data names, by variable. */
    const bootSecrets = (text: string) =>
        Object.fromEntries([...text.matchAll(/readonly (DB_ADMIN_SECRET|DB_APP_SECRET|EMR_ADMIN_SECRET)='([^']+)'/g)].map((m) => [m[1], m[2]]));

    it("boots from cloud-init that names the three install secrets by ARN and carries no password", () => {
        const text = userDataOf(g);
        expect(text.startsWith("#cloud-config\n")).toBe(true);
        const secrets = bootSecrets(text);
        expect(follow(g, secrets.DB_ADMIN_SECRET, "aws:secretsmanager/secret:Secret").name).toBe("emr-db-admin-login");
        expect(follow(g, secrets.DB_APP_SECRET, "aws:secretsmanager/secret:Secret").name).toBe("emr-db-credentials");
        expect(follow(g, secrets.EMR_ADMIN_SECRET, "aws:secretsmanager/secret:Secret").name).toBe("emr-web-emr-admin");
        expect(text).toContain(`MYSQL_HOST='${g.one("aws:rds/instance:Instance").outputs.address}'`);
        const passwords = g.ofType("random:index/randomPassword:RandomPassword").map((p) => p.outputs.result as string);
        // The three logins and the session store's AUTH token.
        expect(passwords).toHaveLength(4);
        for (const password of passwords) expect(text).not.toContain(password);
        expect(text).not.toMatch(/mock-[0-9a-f]{8}/);
    });

    it("generates the first OpenEMR administrator, stores it as an install secret, and exports only where it is", () => {
        const secret = g.byKey("aws:secretsmanager/secret:Secret::emr-web-emr-admin")!;
        expect(g.run.outputs.adminPasswordSecret).toBe(secret.outputs.arn);
        expect(secret.inputs.tags["emr-install"]).toBe("pending");
        expect(secret.ignoreChanges).toContain('tags["emr-install"]');
        const version = g.byKey("aws:secretsmanager/secretVersion:SecretVersion::emr-web-emr-admin-value")!;
        expect(version.secretPaths).toContain("secretString");
        const password = g.byKey("random:index/randomPassword:RandomPassword::emr-web-emr-admin-password")!.outputs.result;
        expect(JSON.parse(version.inputs.secretString)).toEqual({ username: "oeadmin", password });
        expect(JSON.stringify(g.run.outputs)).not.toContain(password);
        expect(follow(g, secret.inputs.kmsKeyId, "aws:kms/key:Key").name).toBe("emr-storage-data-key");
    });

    it("lets the servers read the install secrets only while pending, and only ever mark them complete", () => {
        const statements: any[] = instancePolicy(g).Statement;
        const arns = Object.values(bootSecrets(userDataOf(g))).sort();
        const secretStatements = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith("secretsmanager:")) && s.Sid !== "ReadSessionStoreSecret");
        expect(secretStatements).toHaveLength(2);
        // The session store's secret is read at every boot, unconditionally, and is no install secret.
        const session = statements.find((s) => s.Sid === "ReadSessionStoreSecret");
        expect(session).toMatchObject({ Action: "secretsmanager:GetSecretValue", Resource: /'(arn:[^']+)'/.exec(/readonly SESSION_SECRET=\S+/.exec(userDataOf(g))![0])![1] });
        expect(arns).not.toContain(session.Resource);
        const read = secretStatements.find((s) => s.Action === "secretsmanager:GetSecretValue");
        expect([...read.Resource].sort()).toEqual(arns);
        expect(read.Condition).toEqual({ StringEquals: { "secretsmanager:ResourceTag/emr-install": "pending" } });
        const close = secretStatements.find((s) => s.Action === "secretsmanager:TagResource");
        expect([...close.Resource].sort()).toEqual(arns);
        expect(close.Condition).toEqual({
            StringEquals: { "aws:RequestTag/emr-install": "complete" },
            "ForAllValues:StringEquals": { "aws:TagKeys": ["emr-install"] },
        });
        // What the boot script does with them.
        expect(userDataOf(g)).toContain("--tags Key=emr-install,Value=complete");
        for (const s of statements) expect([s.Resource].flat()).not.toContain("*");
        const decrypt = statements.find((s) => s.Action === "kms:Decrypt");
        expect(decrypt.Condition).toEqual({ StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } });
        const mount = statements.find((s) => [s.Action].flat().includes("elasticfilesystem:ClientMount"));
        // The same file system the servers mount at boot.
        expect(follow(g, mount.Resource, "aws:efs/fileSystem:FileSystem").id).toBe(/'(fs-[0-9a-f]+):\/'/.exec(userDataOf(g))?.[1]);
        const attachments = g.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.parent === "aws:iam/role:Role::emr-web-servers-role");
        expect(attachments.map((a) => a.inputs.policyArn)).toEqual(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    });

    it("ships the serving containers' logs to an encrypted log group with the stack's retention", () => {
        const group = g.byKey("aws:cloudwatch/logGroup:LogGroup::emr-web-container-logs")!;
        expect(group.inputs).toMatchObject({ name: "/emr/test/web/containers", retentionInDays: 365 });
        expect(follow(g, group.inputs.kmsKeyId, "aws:kms/key:Key").name).toBe("emr-net-logs-key");
        expect(userDataOf(g)).toContain(`awslogs-group='/emr/test/web/containers'`);
        const ship = instancePolicy(g).Statement.find((s: any) => s.Sid === "ShipContainerLogs");
        expect(ship).toMatchObject({ Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${group.outputs.arn}:*` });
    });

    it("runs the servers in the app subnet of every zone, replaced on the ALB's verdict after a first-boot grace", () => {
        const asg = g.one(T.asg).inputs;
        expect(asg.vpcZoneIdentifiers).toEqual(subnetsOf(g, "app").map(([id]) => id));
        expect(asg).toMatchObject({ minSize: 2, maxSize: 6, desiredCapacity: 2, healthCheckType: "ELB", capacityRebalance: false });
        // Longer than everything the deployed boot script waits for: a queueing server is never replaced.
        expect(asg.healthCheckGracePeriod).toBeGreaterThan(bootWaitsOf(userDataOf(g)));
        expect(bootWaitsOf(userDataOf(g))).toBe(bootBudgetSeconds(bootTimings));
        expect(asg.targetGroupArns).toEqual([g.one(T.tg).outputs.arn]);
        expect(follow(g, asg.launchTemplate.id, T.lt)).toBe(g.one(T.lt));
        expect(asg.enabledMetrics).toEqual(expect.arrayContaining(["GroupInServiceInstances", "GroupDesiredCapacity"]));
        expect(asg.tags).toContainEqual({ key: "Name", value: "emr-web-server", propagateAtLaunch: true });
        // Servers wait for what they boot against, and the target group is attached only once the ALB uses it.
        expect(g.one(T.asg).dependsOn).toEqual(expect.arrayContaining(["emr:aws:DbTier::emr-db", "emr:aws:StorageTier::emr-storage", listenerOn(g, 443).key]));
    });

    it("refreshes servers without ever dropping below full capacity", () => {
        const refresh = g.one(T.asg).inputs.instanceRefresh;
        expect(refresh.strategy).toBe("Rolling");
        expect(refresh.preferences.minHealthyPercentage).toBe(100);
        expect(refresh.preferences.maxHealthyPercentage).toBeGreaterThan(100);
    });

    it("scales on average CPU and on ALB requests per target", () => {
        const asg = g.one(T.asg);
        const policies = g.ofType(T.scaling).map((p) => p.inputs);
        for (const p of policies) {
            expect(p.policyType).toBe("TargetTrackingScaling");
            expect(p.autoscalingGroupName).toBe(asg.outputs.name);
        }
        const byMetric = Object.fromEntries(policies.map((p) => [p.targetTrackingConfiguration.predefinedMetricSpecification.predefinedMetricType, p.targetTrackingConfiguration]));
        expect(Object.keys(byMetric).sort()).toEqual(["ALBRequestCountPerTarget", "ASGAverageCPUUtilization"]);
        expect(byMetric.ASGAverageCPUUtilization.targetValue).toBe(50);
        expect(byMetric.ALBRequestCountPerTarget.predefinedMetricSpecification.resourceLabel).toBe(
            `${g.one(T.alb).outputs.arnSuffix}/${g.one(T.tg).outputs.arnSuffix}`,
        );
        expect(byMetric.ALBRequestCountPerTarget.targetValue).toBeGreaterThan(0);
    });
});

describe("aws WebTier on x86_64", () => {
    it("launches the x86_64 image with the x86_64 size mapping and the same boot packages", async () => {
        const g = (await runStack({ ...baseConfig.aws, "emr:cpuArch": "x86_64" })).ok();
        const lt = g.one(T.lt).inputs;
        expect(lt.imageId).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
        expect(lt.instanceType).toBe("t3.large");
    });
});

describe("aws WebTier over 3 zones with custom scaling bounds", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.aws, "emr:zones": "3", "emr:minServers": "3", "emr:maxServers": "9" })).ok();
    });

    it("spans the edge subnet of all three zones with the ALB", () => {
        const edge = subnetsOf(g, "edge");
        expect(edge.map(([, zone]) => zone)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
        expect(g.one(T.alb).inputs.subnets).toEqual(edge.map(([id]) => id));
    });

    it("spans the app subnet of all three zones with the servers, sized from config", () => {
        const asg = g.one(T.asg).inputs;
        const app = subnetsOf(g, "app");
        expect(app.map(([, zone]) => zone)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
        expect(asg.vpcZoneIdentifiers).toEqual(app.map(([id]) => id));
        expect(asg).toMatchObject({ minSize: 3, maxSize: 9, desiredCapacity: 3 });
    });
});

describe("aws WebTier with an existing certificate", () => {
    const certificate = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-4222-8333-444455556666";
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.aws, "emr:certificate": certificate })).ok();
    });

    it("uses the ARN as is and generates no certificate", () => {
        expect(listenerOn(g, 443).inputs.certificateArn).toBe(certificate);
        expect(g.ofType(T.cert)).toHaveLength(0);
        expect(g.ofType(T.selfSigned)).toHaveLength(0);
        expect(g.ofType(T.privateKey)).toHaveLength(0);
    });
});

describe("aws WebTier with a domain", () => {
    const domain = "emr.example.org";
    const zoneId = "Z0123456789EXAMPLE";
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.aws, "emr:domain": domain, "emr:dnsZoneId": zoneId })).ok();
    });

    it("issues a DNS-validated ACM certificate, validated by a record in the given zone", () => {
        const cert = g.one(T.cert);
        expect(cert.inputs).toMatchObject({ domainName: domain, validationMethod: "DNS" });
        const [option] = cert.outputs.domainValidationOptions;
        const record = g.ofType(T.record).find((r) => r.inputs.type === "CNAME")!;
        expect(record.inputs).toMatchObject({ zoneId, name: option.resourceRecordName, records: [option.resourceRecordValue] });
        const validation = g.one(T.validation);
        expect(validation.inputs.certificateArn).toBe(cert.outputs.arn);
    });

    it("has the https listener wait for the validated certificate", () => {
        // The validation echoes the certificate's ARN once ACM has issued it.
        expect(listenerOn(g, 443).inputs.certificateArn).toBe(g.one(T.validation).outputs.certificateArn);
        expect(follow(g, listenerOn(g, 443).inputs.certificateArn, T.cert)).toBe(g.one(T.cert));
        expect(g.ofType(T.selfSigned)).toHaveLength(0);
    });

    it("points the domain at the ALB and publishes it as the URL", () => {
        const alb = g.one(T.alb).outputs;
        const alias = g.ofType(T.record).find((r) => r.inputs.type === "A")!;
        expect(alias.inputs).toMatchObject({ zoneId, name: domain });
        expect(alias.inputs.aliases).toEqual([{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }]);
        expect(g.run.outputs.url).toBe(`https://${domain}`);
    });
});
