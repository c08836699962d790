import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { secretToEnvLines } from "../../src/app/bootSecrets";
import { shellQuote } from "../../src/app/shell";
import type { CliIo } from "../../src/plan/cli";
import { runStack } from "../harness";
import { decode, encode, withInputs } from "./stacks";

/**
 * The headline regressions of issue 12, made in the real program's captured run (the run the CLI
 * plans, handed in through its `run` hook) and judged by `plan --check`: the database made public,
 * a listener on TLS 1.0, OpenEMR left on its default administrator, storage without the customer
 * key. Each must fail the check with the rule named, in the verdict line, the evidence report and
 * the SARIF. (tests/policy/checkCli.test.ts makes its regression through the program itself.)
 */
type Change = (inputs: Record<string, any>) => void;
const awsRegressions: Record<string, Change> = {
    "aws:rds/instance:Instance::emr-db-mysql": (i) => (i.publiclyAccessible = true),
    "aws:lb/listener:Listener::emr-web-https": (i) => (i.sslPolicy = "ELBSecurityPolicy-2016-08"),
    // The installer's administrator no longer fed from the generated secret: OpenEMR's admin / pass.
    "aws:ec2/launchTemplate:LaunchTemplate::emr-web-lt": (i) => (i.userData = encode(decode(i.userData).replace(shellQuote(secretToEnvLines("emrAdmin")), "'{} | to_entries[]'"))),
};
const azureRegressions: Record<string, Change> = {
    "azure-native:storage:StorageAccount::emrstoragefiles": (i) => (i.encryption = { ...i.encryption, keySource: "Microsoft.Storage", keyVaultProperties: undefined }),
};

async function check(stack: string, options: { regressions?: Record<string, Change>; today?: string } = {}) {
    vi.resetModules();
    const { runCli } = await import("../../src/plan/cli");
    const err: string[] = [];
    const out: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), "emr-compliance-"));
    const io: CliIo = {
        root: process.cwd(),
        print: (t) => out.push(t),
        error: (t) => err.push(t),
        loadProgram: () => Promise.reject(new Error("runs come from io.run")),
        run: async (config, s) => {
            let graph = await runStack(config, s);
            for (const [key, change] of Object.entries(options.regressions ?? {})) graph = withInputs(graph, key, change);
            return graph.run;
        },
        ...(options.today ? { today: options.today } : {}),
    };
    const sarifFile = join(dir, "sarif", "emr.sarif");
    const code = await runCli(["--stack", stack, "--check", "--compliance", "--out", dir, "--sarif", sarifFile], io);
    const sarif = JSON.parse(readFileSync(sarifFile, "utf8"));
    // What code scanning shows: each result's rule, level, resource and whether it is suppressed.
    const findings: string[] = sarif.runs.flatMap((run: any) =>
        run.results.map((r: any) => `${r.ruleId} ${r.level} ${r.locations[0].logicalLocations[0].fullyQualifiedName}${r.suppressions?.length ? " suppressed" : ""}`),
    );
    return { code, line: err.join("\n"), out: out.join("\n"), evidence: readFileSync(join(dir, "compliance.md"), "utf8"), findings };
}

describe("plan --check runs the compliance rules", () => {
    it("fails the public database, TLS 1.0 and the default administrator on AWS, naming each rule", { timeout: 90_000 }, async () => {
        const { code, line, evidence, findings } = await check("aws-dev", { regressions: awsRegressions });
        expect(code).toBe(1);
        expect(findings).toContain("EMR-AWS-RDS-NOT-PUBLIC error aws:rds/instance:Instance::emr-db-mysql");
        expect(findings).toContain("EMR-AWS-ALB-TLS12 error aws:lb/listener:Listener::emr-web-https");
        expect(findings).toContain("EMR-NO-DEFAULT-ADMIN-CREDENTIAL error emr-web-lt");
        for (const rule of ["EMR-ONLY-LOAD-BALANCER-PUBLIC", "EMR-AWS-RDS-NOT-PUBLIC", "EMR-CLIENT-TLS", "EMR-AWS-ALB-TLS12", "EMR-NO-DEFAULT-ADMIN-CREDENTIAL"]) {
            expect(line).toContain(`compliance rule ${rule} fails on `);
            expect(evidence).toContain(`**Fails**: ${rule} on `);
        }
    });

    it("fails storage without the customer key on Azure", { timeout: 90_000 }, async () => {
        const { code, line, findings } = await check("azure-dev", { regressions: azureRegressions });
        expect(code).toBe(1);
        expect(findings).toContain("EMR-DATA-ENCRYPTED-CUSTOMER-KEY error azure-native:storage:StorageAccount::emrstoragefiles");
        expect(line).toContain("compliance rule EMR-DATA-ENCRYPTED-CUSTOMER-KEY fails on azure-native:storage:StorageAccount::emrstoragefiles: encrypted with the provider's key");
    });

    it("passes the stacks as they stand, exemptions shown with reason and last day", { timeout: 60_000 }, async () => {
        const { code, line, out, evidence, findings } = await check("aws-dev", { today: "2027-06-30" });
        // In code scanning only the exempt findings appear, suppressed with the exemption.
        expect(findings.sort()).toEqual(["EMR-AWS-S3-KMS-CMK error aws:s3/bucket:Bucket::emr-storage-logs suppressed"]);
        expect(line).toBe("emr plan aws-dev: pass: every tier serves after losing any one zone; no deploy or compliance rule fails");
        expect(code).toBe(0);
        expect(out).toMatch(/^EMR-AWS-S3-KMS-CMK +exempt /m);
        expect(evidence).toContain("- EMR-AWS-S3-KMS-CMK: The log bucket receives ALB access logs");
        expect(evidence).toContain("(until 2027-06-30; for emr-storage-logs; covers 1 finding(s))");
    });

    it("fails again the day after an exemption expires", { timeout: 60_000 }, async () => {
        const { code, line, evidence } = await check("aws-dev", { today: "2027-07-01" });
        expect(code).toBe(1);
        expect(line).toContain("compliance rule EMR-AWS-S3-KMS-CMK fails on aws:s3/bucket:Bucket::emr-storage-logs");
        expect(evidence).toContain("(until 2027-06-30, EXPIRED;");
    });
});
