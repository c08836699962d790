import { describe, expect, it } from "vitest";
import { Reader } from "../../src/config/reader";
import type { Graph } from "../../src/plan/graph";
import { loadStackConfig } from "../../src/plan/stackConfig";
import { complianceRules } from "../../src/policy/compliance";
import { deployRules } from "../../src/policy/deploy";
import { blocking, runRules } from "../../src/policy/engine";
import { applyExemptions } from "../../src/policy/exemptions";
import { packPolicies } from "../../src/policy/pack";
import { analyze } from "./packAnalyzer";
import { freshPreview } from "./packPreview";
import { capturedStack, withInputs } from "./stacks";

/**
 * The policy pack judges exactly what the plan judges: the same rules over the same stack, the
 * plan from the captured graph, the pack from what the engine sends it (./packAnalyzer.ts), with
 * the stack's own config (its exemptions) on both sides. References by resource id and the
 * secret marks of inputs, which reach the pack only as the `id` output and at Remediate
 * (src/policy/pack/stackGraph.ts), are what the breaks below exercise.
 */
const rules = [...deployRules, ...complianceRules];
const today = "2026-06-01";
const configOf = (stack: string) => loadStackConfig(".", stack).config;

/** `RULE resource` for each violation that stops `plan --check`: a failing error rule, after the stack's exemptions. */
function planBlocks(graph: Graph, stack: string): string[] {
    const exemptions = new Reader(configOf(stack)).exemptions("complianceExemptions");
    return blocking(applyExemptions(runRules(rules, graph), exemptions, today))
        .flatMap((r) => r.violations.map((v) => `${r.id} ${v.resourceKey}`))
        .sort();
}

/** `POLICY resource` for each mandatory diagnostic of the pack: what stops `pulumi preview --policy-pack`. */
async function packBlocks(graph: Graph, stack: string): Promise<string[]> {
    const ds = await analyze(packPolicies(rules, { config: () => configOf(stack), today: () => today }), graph, stack);
    return ds.filter((d) => d.level === "mandatory").map((d) => `${d.policy} ${d.resource}`).sort();
}

describe("the pack judges what the plan judges", () => {
    for (const stack of ["aws-dev", "aws-prod", "azure-dev", "azure-prod"]) {
        it(`on ${stack}: nothing stops either`, { timeout: 120_000 }, async () => {
            const graph = await capturedStack(stack);
            expect(await packBlocks(graph, stack)).toEqual(planBlocks(graph, stack));
            expect(planBlocks(graph, stack)).toEqual([]);
        });
    }

    const admin = { aws: "aws:secretsmanager/secretVersion:SecretVersion::emr-web-emr-admin-value", azure: "azure-native:keyvault:Secret::emr-web-emr-admin" };
    const breaks: { stack: string; what: string; key: string; change: Parameters<typeof withInputs>[2]; stops: string }[] = [
        { stack: "aws-dev", what: "the OpenEMR admin password stored as a plain (not secret) value", key: admin.aws, change: (_, r) => void (r.secretPaths = []), stops: `EMR-NO-DEFAULT-ADMIN-CREDENTIAL ${admin.aws}` },
        { stack: "azure-dev", what: "the OpenEMR admin password stored as a plain (not secret) value", key: admin.azure, change: (_, r) => void (r.secretPaths = []), stops: `EMR-NO-DEFAULT-ADMIN-CREDENTIAL ${admin.azure}` },
        { stack: "aws-dev", what: "the flow log attached to another VPC (by id)", key: "aws:ec2/flowLog:FlowLog::emr-net-flow-log", change: (i) => void (i.vpcId = "vpc-0123456789abcdef0"), stops: "EMR-AWS-VPC-FLOW-LOGS aws:ec2/vpc:Vpc::emr-net-vpc" },
        { stack: "aws-dev", what: "the TLS-only policy attached to another file system (by id)", key: "aws:efs/fileSystemPolicy:FileSystemPolicy::emr-storage-files-policy", change: (i) => void (i.fileSystemId = "fs-0123456789abcdef0"), stops: "EMR-STORE-TLS-ONLY aws:efs/fileSystem:FileSystem::emr-storage-files" },
        { stack: "azure-dev", what: "the key vault's audit logs sent for another resource (by id)", key: "azure-native:monitor:DiagnosticSetting::emr-storage-kv-logs", change: (i) => void (i.resourceUri = `${i.resourceUri}-elsewhere`), stops: "EMR-AZ-KV-AUDIT-LOGS" },
    ];
    for (const b of breaks) {
        it(`on ${b.stack} with ${b.what}: both stop on the same violations`, { timeout: 120_000 }, async () => {
            const graph = withInputs(await capturedStack(b.stack), b.key, b.change);
            const plan = planBlocks(graph, b.stack);
            expect(plan.some((line) => line.startsWith(b.stops))).toBe(true);
            expect(await packBlocks(graph, b.stack)).toEqual(plan);
        });
    }
});

describe("what the pack cannot know, it does not judge", () => {
    it("with the recorder's remediation switched off (as a policy config setting it to advisory would), the secret-marks check can't run: advisory, never a verdict", { timeout: 120_000 }, async () => {
        const policies = packPolicies(rules, { config: () => configOf("aws-dev"), today: () => today }).map((p) => (p.name === "emr-resource-inputs" ? { ...p, enforcementLevel: "advisory" as const } : p));
        const ds = await analyze(policies, await capturedStack("aws-dev"), "aws-dev");
        expect(ds.filter((d) => d.level === "mandatory")).toEqual([]);
        expect(ds.filter((d) => d.policy === "EMR-NO-DEFAULT-ADMIN-CREDENTIAL")).toEqual([
            expect.objectContaining({ level: "advisory", message: expect.stringMatching(/^can't run policy .* during preview: which inputs of .* are secret is not known: the pack reads it at Remediate/) }),
        ]);
    });
});

describe("the pack in a preview of a fresh stack (ids, ARNs and what is built from them unknown)", () => {
    for (const stack of ["aws-dev", "aws-prod", "azure-dev", "azure-prod"]) {
        it(`on ${stack}: no mandatory violation, and the rules that need an unknown say they can't run`, { timeout: 120_000 }, async () => {
            const preview = freshPreview(await capturedStack(stack));
            const ds = await analyze(packPolicies(rules, { config: () => configOf(stack), today: () => today }), preview, stack);
            expect(ds.filter((d) => d.level === "mandatory")).toEqual([]);
            const cannot = ds.filter((d) => /^can't run policy .* during preview/.test(d.message)).map((d) => d.policy);
            // Following a reference by id or ARN needs the id: these wait for the deploy.
            expect(cannot).toEqual(expect.arrayContaining(["EMR-NO-SECRET-IN-BOOT-CONFIG", "EMR-NO-DEFAULT-ADMIN-CREDENTIAL"]));
        });
    }
});
