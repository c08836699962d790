import { describe, expect, it } from "vitest";
import { awsSessionComplianceRules } from "../../../src/policy/compliance/aws/session";
import { azureSessionComplianceRules } from "../../../src/policy/compliance/azure/session";
import { capturedStack, withInputs } from "../stacks";
import { graphOf, judge, reasons, resource } from "../fixtures";

const rule = (rules: readonly { id: string }[], id: string) => rules.find((r) => r.id === id) as any;
const awsRule = (id: string) => rule(awsSessionComplianceRules, id);
const azureRule = (id: string) => rule(azureSessionComplianceRules, id);
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const AMR = "azure-native:redisenterprise:RedisEnterprise";
const AMR_DB = "azure-native:redisenterprise:Database";

describe("session store compliance, fixtures", () => {
    const rg = (inputs: Record<string, unknown>) => graphOf(resource(RG, "s", { atRestEncryptionEnabled: true, kmsKeyId: "k", transitEncryptionEnabled: true, transitEncryptionMode: "required", authToken: "t", ...inputs }));
    it("EMR-AWS-SESSION-ENCRYPTED-CMK", () => {
        expect(reasons(judge(awsRule("EMR-AWS-SESSION-ENCRYPTED-CMK"), rg({})))).toBe("");
        expect(reasons(judge(awsRule("EMR-AWS-SESSION-ENCRYPTED-CMK"), rg({ kmsKeyId: undefined })))).toContain("no kmsKeyId");
        expect(reasons(judge(awsRule("EMR-AWS-SESSION-ENCRYPTED-CMK"), rg({ atRestEncryptionEnabled: false })))).toContain("atRestEncryptionEnabled is not true");
    });
    it("EMR-AWS-SESSION-TLS-AUTH", () => {
        expect(reasons(judge(awsRule("EMR-AWS-SESSION-TLS-AUTH"), rg({})))).toBe("");
        expect(reasons(judge(awsRule("EMR-AWS-SESSION-TLS-AUTH"), rg({ transitEncryptionMode: "preferred" })))).toContain("transit encryption is not required");
        expect(reasons(judge(awsRule("EMR-AWS-SESSION-TLS-AUTH"), rg({ authToken: undefined })))).toContain("no AUTH token");
    });
    it("EMR-AZ-SESSION-PRIVATE and EMR-AZ-SESSION-TLS", () => {
        const ok = graphOf(resource(AMR, "r", { publicNetworkAccess: "Disabled", minimumTlsVersion: "1.2" }), resource(AMR_DB, "d", { clientProtocol: "Encrypted" }));
        expect(reasons(judge(azureRule("EMR-AZ-SESSION-PRIVATE"), ok))).toBe("");
        expect(reasons(judge(azureRule("EMR-AZ-SESSION-TLS"), ok))).toBe("");
        const bad = graphOf(resource(AMR, "r", { publicNetworkAccess: "Enabled", minimumTlsVersion: "1.0" }), resource(AMR_DB, "d", { clientProtocol: "Plaintext" }));
        expect(reasons(judge(azureRule("EMR-AZ-SESSION-PRIVATE"), bad))).toContain("publicNetworkAccess is Enabled");
        expect(reasons(judge(azureRule("EMR-AZ-SESSION-TLS"), bad))).toContain("clientProtocol is Plaintext");
        expect(reasons(judge(azureRule("EMR-AZ-SESSION-TLS"), bad))).toContain("minimumTlsVersion is 1.0");
    });
});

describe.each([
    ["aws-dev", awsSessionComplianceRules, RG],
    ["aws-prod", awsSessionComplianceRules, RG],
    ["azure-dev", azureSessionComplianceRules, AMR],
    ["azure-prod", azureSessionComplianceRules, AMR],
] as const)("session store compliance on %s", (stack, rules, storeType) => {
    it("every rule passes the real stack, and fails it with the store's encryption or privacy turned off", async () => {
        const graph = await capturedStack(stack);
        for (const r of rules) expect(reasons(judge(r as any, graph)), r.id).toBe("");
        const store = graph.ofType(storeType)[0];
        const broken = withInputs(graph, store.key, (inputs) => Object.assign(inputs, storeType === RG ? { transitEncryptionMode: "preferred" } : { publicNetworkAccess: "Enabled" }));
        const failing = rules.filter((r) => reasons(judge(r as any, broken)) !== "").map((r) => r.id);
        expect(failing).toEqual([storeType === RG ? "EMR-AWS-SESSION-TLS-AUTH" : "EMR-AZ-SESSION-PRIVATE"]);
    });
});
