import { beforeAll, describe, expect, it } from "vitest";
import { awsComplianceRules } from "../../../src/policy/compliance/aws";
import { runRules, violationLines } from "../../../src/policy/engine";
import { Graph } from "../../../src/plan/graph";
import { capturedStack, withInputs } from "../stacks";
import { validateConfig } from "../../../src/config";
import { applyExemptions, unusedExemptions } from "../../../src/policy/exemptions";
import { loadStackConfig } from "../../../src/plan/stackConfig";

/**
 * The AWS compliance rules on the repository's own AWS stacks (the real program under mocks), and the
 * headline regressions: the real graph with one property broken must fail the rule that guards it.
 */

/** The stack's own exemptions (emr:complianceExemptions in Pulumi.<stack>.yaml), as the plan and the pack read them. */
const exemptionsOf = (stack: string) => validateConfig(loadStackConfig(".", stack).config).complianceExemptions;
const failing = (graph: Graph) => runRules(awsComplianceRules, graph).filter((r) => r.status === "fail");
const violations = (graph: Graph, id?: string) => violationLines(failing(graph).filter((r) => !id || r.id === id));

describe.each(["aws-dev", "aws-prod"])("%s", (stack) => {
    let graph: Graph;
    beforeAll(async () => {
        graph = await capturedStack(stack);
    }, 120_000);

    it("fails no AWS compliance rule but those its stack config exempts, and every exemption covers a finding", () => {
        const results = applyExemptions(runRules(awsComplianceRules, graph), exemptionsOf(stack), "2026-12-01");
        const failed = results.filter((r) => r.status === "fail");
        expect(violationLines(failed), violationLines(failed).join("\n")).toEqual([]);
        // An exemption whose control now holds is stale: the stack file should drop it.
        expect(unusedExemptions(results).map((r) => r.id)).toEqual([]);
        expect(results.filter((r) => r.status === "exempt").map((r) => r.id).sort()).toEqual(exemptionsOf(stack).map((e) => e.rule).sort());
    });

    it("is judged by every AWS rule: none is not-applicable", () => {
        const idle = runRules(awsComplianceRules, graph).filter((r) => r.status === "not-applicable");
        expect(idle.map((r) => r.id)).toEqual([]);
    });

    it("fails EMR-AWS-RDS-NOT-PUBLIC when the database is made public", () => {
        const broken = withInputs(graph, "aws:rds/instance:Instance::emr-db-mysql", (inputs) => (inputs.publiclyAccessible = true));
        expect(violations(broken, "EMR-AWS-RDS-NOT-PUBLIC").join("\n")).toContain("EMR-AWS-RDS-NOT-PUBLIC aws:rds/instance:Instance::emr-db-mysql: publiclyAccessible is true");
    });

    it("fails EMR-AWS-S3-ENCRYPTION-DECLARED when the log bucket's encryption is dropped from the program, or emptied", () => {
        const key = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration::emr-storage-logs-encryption";
        const removed = new Graph({ ...graph.run, resources: graph.run.resources.filter((r) => r.key !== key) });
        expect(violations(removed, "EMR-AWS-S3-ENCRYPTION-DECLARED").join("\n")).toContain(
            "EMR-AWS-S3-ENCRYPTION-DECLARED aws:s3/bucket:Bucket::emr-storage-logs: no BucketServerSideEncryptionConfiguration names this bucket",
        );
        const emptied = withInputs(graph, key, (inputs) => (inputs.rules = []));
        expect(violations(emptied, "EMR-AWS-S3-ENCRYPTION-DECLARED")).toHaveLength(1);
    });

    it("fails EMR-AWS-ALB-TLS12 when the HTTPS listener is put on a TLS 1.0 policy", () => {
        const broken = withInputs(graph, "aws:lb/listener:Listener::emr-web-https", (inputs) => (inputs.sslPolicy = "ELBSecurityPolicy-2016-08"));
        expect(violations(broken, "EMR-AWS-ALB-TLS12").join("\n")).toContain('EMR-AWS-ALB-TLS12 aws:lb/listener:Listener::emr-web-https: sslPolicy is "ELBSecurityPolicy-2016-08"');
    });

    it("fails EMR-AWS-RDS-REQUIRES-TLS when the parameter group stops requiring TLS", () => {
        const broken = withInputs(graph, "aws:rds/parameterGroup:ParameterGroup::emr-db-params", (inputs) => {
            inputs.parameters = inputs.parameters.filter((p: { name: string }) => p.name !== "require_secure_transport");
        });
        expect(violations(broken, "EMR-AWS-RDS-REQUIRES-TLS").join("\n")).toContain("aws:rds/parameterGroup:ParameterGroup::emr-db-params does not set require_secure_transport");
    });

    it("fails EMR-AWS-LT-IMDSV2 and EMR-AWS-ALB-HTTP-REDIRECTS when the servers allow IMDSv1 and port 80 forwards", () => {
        const imds = withInputs(graph, "aws:ec2/launchTemplate:LaunchTemplate::emr-web-lt", (inputs) => (inputs.metadataOptions = { ...inputs.metadataOptions, httpTokens: "optional" }));
        expect(violations(imds, "EMR-AWS-LT-IMDSV2")).toHaveLength(1);
        const http = withInputs(graph, "aws:lb/listener:Listener::emr-web-http", (inputs) => (inputs.defaultActions = [{ type: "forward", targetGroupArn: "tg" }]));
        expect(violations(http, "EMR-AWS-ALB-HTTP-REDIRECTS")).toHaveLength(1);
    });

    it("fails EMR-AWS-BACKUP-COVERS-STORES when the database loses the tag the backup selection picks it by", () => {
        const broken = withInputs(graph, "aws:rds/instance:Instance::emr-db-mysql", (inputs) => {
            inputs.tags = Object.fromEntries(Object.entries(inputs.tags).filter(([k]) => k !== "emr:backup-plan"));
        });
        expect(violations(broken, "EMR-AWS-BACKUP-COVERS-STORES").join("\n")).toContain("aws:rds/instance:Instance::emr-db-mysql");
    });
});

describe("the AWS compliance rule set", () => {
    it("has at least 24 rules, each a compliance rule for AWS with a unique EMR-AWS- id", () => {
        expect(awsComplianceRules.length).toBeGreaterThanOrEqual(24);
        const ids = awsComplianceRules.map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const rule of awsComplianceRules) {
            expect(rule.id).toMatch(/^EMR-AWS-[A-Z0-9-]+$/);
            expect(rule.category, rule.id).toBe("compliance");
            expect(rule.cloud, rule.id).toBe("aws");
            expect(rule.appliesTo.every((t) => t.startsWith("aws:")), rule.id).toBe(true);
        }
    });

    it("cites HIPAA paragraphs and a source for every rule", () => {
        for (const rule of awsComplianceRules) {
            expect(rule.controls?.hipaa.length, rule.id).toBeGreaterThan(0);
            for (const ref of rule.controls!.hipaa) expect(ref, rule.id).toMatch(/^164\.3(08|12)\([a-e]\)(\(\d+\))?(\([ivx]+\))?(\([A-Z]\))?$/);
            expect(rule.source.length, rule.id).toBeGreaterThan(0);
            expect(rule.source[0], rule.id).toMatch(/^https:\/\//);
        }
    });
});
