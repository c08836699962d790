import { beforeAll, describe, expect, it } from "vitest";
import { secretToEnvLines } from "../../../src/app/bootSecrets";
import { shellQuote } from "../../../src/app/shell";
import { generatedSecretValues } from "../../../src/plan/model/common";
import type { Graph } from "../../../src/plan/graph";
import { stackComplianceRules } from "../../../src/policy/compliance/stack";
import type { StackRule } from "../../../src/policy/types";
import { judge, reasons } from "../fixtures";
import { capturedStack, decode, encode, withInputs } from "../stacks";

/**
 * The cloud-neutral compliance rules judge the real stacks: every stack of the repository passes
 * each of them, and one property broken on the real graph of each cloud fails it, naming why.
 */
type Cloud = "aws" | "azure";
const graphs: Record<string, Graph> = {};
beforeAll(async () => {
    for (const stack of ["aws-dev", "aws-prod", "azure-dev", "azure-prod"]) graphs[stack] = await capturedStack(stack);
}, 240_000);

const keyOf = (g: Graph, type: string) => {
    // The shared files' account, where a stack has several of the type (log storage, ...).
    const [r] = g.ofType(type).sort((a, b) => Number(/files/.test(b.name)) - Number(/files/.test(a.name)));
    if (!r) throw new Error(`no ${type} in the stack`);
    return r.key;
};
/** The real graph of a cloud's dev stack with one resource of `type` changed. */
const broken = (cloud: Cloud, type: string, change: Parameters<typeof withInputs>[2]) => {
    const g = graphs[`${cloud}-dev`];
    return withInputs(g, keyOf(g, type), change);
};
const T = {
    aws: {
        db: "aws:rds/instance:Instance",
        files: "aws:efs/fileSystem:FileSystem",
        lb: "aws:lb/loadBalancer:LoadBalancer",
        servers: "aws:autoscaling/group:Group",
        boot: "aws:ec2/launchTemplate:LaunchTemplate",
        waf: "aws:wafv2/webAcl:WebAcl",
        secret: "aws:secretsmanager/secret:Secret",
        logs: "aws:cloudwatch/logGroup:LogGroup",
        alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    },
    azure: {
        db: "azure-native:dbformysql:Server",
        files: "azure-native:storage:StorageAccount",
        lb: "azure-native:network:ApplicationGateway",
        servers: "azure-native:compute:VirtualMachineScaleSet",
        boot: "azure-native:compute:VirtualMachineScaleSet",
        waf: "azure-native:network:WebApplicationFirewallPolicy",
        secret: "azure-native:keyvault:Vault",
        logs: "azure-native:operationalinsights:Workspace",
        alarm: "azure-native:monitor:MetricAlert",
    },
};
/** Rewrites the web servers' boot configuration (user data / custom data) of a cloud's dev stack. */
const bootEdited = (cloud: Cloud, edit: (text: string) => string) =>
    broken(cloud, T[cloud].boot, (i) => {
        if (cloud === "aws") i.userData = encode(edit(decode(i.userData)));
        else i.virtualMachineProfile.osProfile.customData = encode(edit(decode(i.virtualMachineProfile.osProfile.customData)));
    });

/** Per rule and cloud: a break of the real stack, and what the reason must say. */
const breaks: Record<string, Record<Cloud, () => { graph: Graph; says: string }>> = {
    "EMR-ONLY-LOAD-BALANCER-PUBLIC": {
        aws: () => ({ graph: broken("aws", T.aws.db, (i) => (i.publiclyAccessible = true)), says: "reachable from the internet" }),
        azure: () => ({ graph: broken("azure", T.azure.db, (i) => (i.network = { publicNetworkAccess: "Enabled" })), says: "reachable from the internet" }),
    },
    "EMR-NO-SECRET-IN-BOOT-CONFIG": {
        aws: () => ({ graph: bootEdited("aws", (t) => `${t}\n# ${generatedSecretValues(graphs["aws-dev"])[0]}`), says: "a generated secret value is written into the boot configuration" }),
        azure: () => ({ graph: bootEdited("azure", (t) => `${t}\n# ${generatedSecretValues(graphs["azure-dev"])[0]}`), says: "a generated secret value is written into the boot configuration" }),
    },
    "EMR-NO-DEFAULT-ADMIN-CREDENTIAL": {
        aws: () => ({ graph: bootEdited("aws", (t) => t.replace(shellQuote(secretToEnvLines("emrAdmin")), "'{} | to_entries[]'")), says: "installs with its default admin / pass" }),
        azure: () => ({ graph: bootEdited("azure", (t) => t.replace(shellQuote(secretToEnvLines("emrAdmin")), "'{} | to_entries[]'")), says: "installs with its default admin / pass" }),
    },
    "EMR-SECRETS-CUSTOMER-KEY": {
        aws: () => ({ graph: broken("aws", T.aws.secret, (i) => delete i.kmsKeyId), says: "not encrypted under the stack's customer-managed key" }),
        azure: () => ({ graph: broken("azure", T.azure.secret, (i) => (i.properties.enablePurgeProtection = false)), says: "not encrypted under the stack's customer-managed key" }),
    },
    "EMR-DATA-ENCRYPTED-CUSTOMER-KEY": {
        aws: () => ({ graph: broken("aws", T.aws.files, (i) => (i.encrypted = false)), says: "not encrypted at rest" }),
        azure: () => ({ graph: broken("azure", T.azure.files, (i) => (i.encryption = { ...i.encryption, keySource: "Microsoft.Storage" })), says: "not a customer-managed one" }),
    },
    "EMR-DATABASE-REQUIRES-TLS": {
        aws: () => {
            const g = graphs["aws-dev"];
            const group = g.referenced(g.ofType(T.aws.db)[0].inputs.parameterGroupName)!;
            const graph = withInputs(g, group.key, (i) => (i.parameters = i.parameters.map((p: any) => (p.name === "require_secure_transport" ? { ...p, value: "0" } : p))));
            return { graph, says: "accepts connections without TLS" };
        },
        azure: () => {
            const g = graphs["azure-dev"];
            const setting = g.ofType("azure-native:dbformysql:Configuration").find((c) => c.inputs.configurationName === "require_secure_transport")!;
            return { graph: withInputs(g, setting.key, (i) => (i.value = "OFF")), says: "accepts connections without TLS" };
        },
    },
    "EMR-STORE-TLS-ONLY": {
        aws: () => ({
            graph: (() => {
                const g = graphs["aws-dev"];
                const policy = g.ofType("aws:efs/fileSystemPolicy:FileSystemPolicy")[0];
                return withInputs(g, policy.key, (i) => (i.policy = JSON.stringify({ Statement: [] })));
            })(),
            says: "can be reached without TLS",
        }),
        azure: () => ({ graph: broken("azure", T.azure.files, (i) => (i.minimumTlsVersion = "TLS1_0")), says: "can be reached without TLS" }),
    },
    "EMR-CLIENT-TLS": {
        aws: () => {
            const g = graphs["aws-dev"];
            const https = g.ofType("aws:lb/listener:Listener").find((l) => l.inputs.protocol === "HTTPS")!;
            return { graph: withInputs(g, https.key, (i) => (i.sslPolicy = "ELBSecurityPolicy-2016-08")), says: "accepts TLS 1" };
        },
        azure: () => ({ graph: broken("azure", T.azure.lb, (i) => (i.sslPolicy = { policyType: "Predefined", policyName: "AppGwSslPolicy20150501" })), says: "accepts TLS 1" }),
    },
    "EMR-WEB-FIREWALL-BLOCKS": {
        aws: () => ({ graph: broken("aws", T.aws.waf, (i) => (i.rules = i.rules.map((r: any) => (r.action?.block ? { ...r, action: { count: {} } } : r.overrideAction ? { ...r, overrideAction: { count: {} } } : r)))), says: "only counts matches" }),
        azure: () => ({ graph: broken("azure", T.azure.waf, (i) => (i.policySettings = { ...i.policySettings, mode: "Detection" })), says: "only counts matches" }),
    },
    "EMR-AUDIT-LOGS": {
        aws: () => ({ graph: broken("aws", T.aws.lb, (i) => (i.accessLogs = { ...i.accessLogs, enabled: false })), says: "no load balancer access log" }),
        azure: () => {
            const g = graphs["azure-dev"];
            const activity = g.ofType("azure-native:monitor:DiagnosticSetting").find((d) => /^\/subscriptions\/[^/]+$/.test(d.inputs.resourceUri ?? ""))!;
            return { graph: withInputs(g, activity.key, (i) => (i.resourceUri = `${i.resourceUri}/resourceGroups/elsewhere`)), says: "no control-plane trail" };
        },
    },
    "EMR-LOG-RETENTION": {
        aws: () => ({ graph: broken("aws", T.aws.logs, (i) => (i.retentionInDays = 30)), says: "logs kept 30 days, under 365" }),
        azure: () => ({ graph: broken("azure", "azure-native:network:FlowLog", (i) => (i.retentionPolicy = { enabled: true, days: 90 })), says: "logs kept 90 days, under 365" }),
    },
    "EMR-BACKUPS-COVER-DATA": {
        aws: () => ({ graph: broken("aws", T.aws.db, (i) => (i.backupRetentionPeriod = 1)), says: "keeps backups 1 days, under 7" }),
        azure: () => ({ graph: broken("azure", T.azure.db, (i) => (i.backup = { ...i.backup, backupRetentionDays: 3 })), says: "keeps backups 3 days, under 7" }),
    },
    "EMR-DATA-DELETION-PROTECTED": {
        aws: () => ({ graph: broken("aws", T.aws.db, (i) => (i.deletionProtection = false)), says: "no deletion protection at the cloud" }),
        azure: () => ({ graph: broken("azure", T.azure.files, (_, r) => (r.protect = false)), says: "not protected in Pulumi" }),
    },
    "EMR-DATABASE-ZONE-REDUNDANT": {
        aws: () => ({ graph: broken("aws", T.aws.db, (i) => (i.multiAz = false)), says: "runs in one zone" }),
        azure: () => ({ graph: broken("azure", T.azure.db, (i) => (i.highAvailability = { mode: "Disabled" })), says: "runs in one zone" }),
    },
    "EMR-WEB-EVERY-ZONE": {
        aws: () => ({ graph: broken("aws", T.aws.servers, (i) => (i.minSize = 1)), says: "minimum 1 server" }),
        azure: () => ({ graph: broken("azure", T.azure.servers, (i) => (i.zones = ["1"])), says: "no servers in zone(s) 2" }),
    },
    "EMR-ALARMS-NOTIFY": {
        aws: () => ({ graph: broken("aws", T.aws.alarm, (i) => (i.alarmActions = [])), says: "notifies no one" }),
        azure: () => ({ graph: broken("azure", T.azure.alarm, (i) => (i.actions = [])), says: "notifies no one" }),
    },
};

describe("cloud-neutral compliance rules", () => {
    it("each has HIPAA references, a source, an EMR- id and a break on each cloud", () => {
        for (const rule of stackComplianceRules) {
            expect(rule.id).toMatch(/^EMR-[A-Z0-9-]+$/);
            expect(rule.controls?.hipaa.length).toBeGreaterThan(0);
            expect(rule.source.length).toBeGreaterThan(1);
            expect(Object.keys(breaks[rule.id] ?? {}).sort()).toEqual(["aws", "azure"]);
        }
    });

    it.each(["aws-dev", "aws-prod", "azure-dev", "azure-prod"])("all pass on %s and name what they cover", (stack) => {
        for (const rule of stackComplianceRules) {
            const result = judge(rule, graphs[stack]);
            expect(result.violations, `${rule.id}: ${reasons(result)}`).toEqual([]);
            expect(result.status).toBe("pass");
            expect(result.covered.length, rule.id).toBeGreaterThan(0);
        }
    });

    describe.each(["aws", "azure"] as const)("on %s", (cloud) => {
        it.each(stackComplianceRules.map((r) => [r.id, r] as [string, StackRule]))("%s fails on its break of the real stack", (_, rule) => {
            const { graph, says } = breaks[rule.id][cloud]();
            const result = judge(rule, graph);
            expect(result.status).toBe("fail");
            expect(reasons(result)).toContain(says);
        });
    });
});
