import { beforeAll, describe, expect, it } from "vitest";
import { serviceTrust, trustPolicyViolations, trustStatement } from "../../src/aws/serviceTrust";
import type { PlannedResource } from "../../src/plan/capture";
import { mockAccountId } from "../../src/plan/mocks";
import { baseConfig, runStack, type Graph } from "../harness";

const ROLE = "aws:iam/role:Role";
const policy = (...Statement: unknown[]) => ({ Version: "2012-10-17", Statement });
const trust = (r: PlannedResource) => JSON.parse(r.inputs.assumeRolePolicy).Statement as Array<Record<string, any>>;

describe("serviceTrust table", () => {
    it("cites an AWS page for every service it allows", () => {
        for (const [service, row] of Object.entries(serviceTrust)) {
            expect(row.source, service).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
            expect(row.evidence.length, service).toBeGreaterThan(40);
        }
    });

    it("flags a key the service is not documented to send, a documented key left out, and an unchecked service", () => {
        const sourceAccount = { StringEquals: { "aws:SourceAccount": "111122223333" } };
        // The reviewed defect: CloudTrail cannot assume a role that requires aws:SourceAccount.
        expect(trustPolicyViolations(policy({ Principal: { Service: "cloudtrail.amazonaws.com" }, Condition: sourceAccount }))).toEqual([
            expect.stringMatching(/^cloudtrail\.amazonaws\.com: aws:SourceAccount is not documented/),
        ]);
        expect(trustPolicyViolations(policy({ Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Condition: sourceAccount }))).toEqual([
            expect.stringMatching(/documented aws:SourceArn is missing/),
        ]);
        expect(trustPolicyViolations(policy({ Principal: { Service: "lambda.amazonaws.com" } }))).toEqual([expect.stringMatching(/no documented trust row/)]);
        expect(trustPolicyViolations(JSON.stringify(policy({ Principal: { Service: "backup.amazonaws.com" } })))).toEqual([]);
    });

    it("builds statements from the table only, and insists on the narrowest documented scope", () => {
        expect(trustStatement("cloudtrail.amazonaws.com", { accountId: "111122223333" })).toEqual({
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "sts:AssumeRole",
        });
        expect(trustStatement("vpc-flow-logs.amazonaws.com", { accountId: "111122223333", sourceArn: "arn:aws:ec2:us-east-1:111122223333:vpc-flow-log/*" }).Condition).toEqual({
            StringEquals: { "aws:SourceAccount": "111122223333" },
            ArnLike: { "aws:SourceArn": "arn:aws:ec2:us-east-1:111122223333:vpc-flow-log/*" },
        });
        expect(() => trustStatement("monitoring.rds.amazonaws.com", { accountId: "111122223333" })).toThrow(/aws:SourceArn is documented/);
        expect(() => trustStatement("backup.amazonaws.com", { accountId: "1", sourceArn: "arn:aws:backup:*" })).toThrow(/is not documented/);
    });
});

describe.each([
    ["default", {}],
    ["geo-redundant prod-like", { "emr:zones": "3", "emr:geoRedundant": "true" }],
])("aws service roles (%s)", (_name, extra) => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.aws, ...extra })).ok();
    });

    it("trust each service only under the confused-deputy keys AWS documents for it", () => {
        const roles = g.ofType(ROLE);
        expect(roles.length).toBeGreaterThanOrEqual(5);
        for (const role of roles) expect(trustPolicyViolations(role.inputs.assumeRolePolicy), role.name).toEqual([]);
    });

    const roleOf = (service: string) => {
        const found = g.ofType(ROLE).filter((r) => trust(r)[0].Principal.Service === service);
        expect(found, service).toHaveLength(1);
        return found[0];
    };

    it("lets CloudTrail and AWS Backup assume their roles with no condition they would fail", () => {
        for (const service of ["cloudtrail.amazonaws.com", "backup.amazonaws.com", "ec2.amazonaws.com"]) {
            expect(trust(roleOf(service)), service).toEqual([{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }]);
        }
    });

    it("scopes flow logs to this account's flow logs and enhanced monitoring to this database", () => {
        expect(trust(roleOf("vpc-flow-logs.amazonaws.com"))[0].Condition).toEqual({
            StringEquals: { "aws:SourceAccount": mockAccountId },
            ArnLike: { "aws:SourceArn": `arn:aws:ec2:us-east-1:${mockAccountId}:vpc-flow-log/*` },
        });
        const db = g.one("aws:rds/instance:Instance");
        expect(g.referenced(db.inputs.monitoringRoleArn)).toBe(roleOf("monitoring.rds.amazonaws.com"));
        expect(trust(roleOf("monitoring.rds.amazonaws.com"))[0].Condition).toEqual({
            StringEquals: { "aws:SourceAccount": mockAccountId },
            ArnLike: { "aws:SourceArn": `arn:aws:rds:us-east-1:${mockAccountId}:db:${db.inputs.identifier}` },
        });
    });
});
