import { trustPolicyViolations } from "../../aws/serviceTrust";
import type { ResourceRule } from "../types";

export const serviceTrustRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AWS-TRUST-DOCUMENTED-CONDITIONS",
    title: "A service role's trust conditions use only the confused-deputy keys AWS documents for that service",
    category: "deploy",
    cloud: "aws",
    severity: "error",
    source: [
        // "Confused deputy prevention is not applicable to the role policy for CloudWatch Logs monitoring. The role
        // policy doesn't support the use of aws:SourceArn and aws:SourceAccount." (CreateTrail then fails.)
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html",
        "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html",
        "src/aws/serviceTrust.ts (one documented row per service principal, with its source)",
    ],
    appliesTo: ["aws:iam/role:Role"],
    check({ inputs }) {
        if (typeof inputs.assumeRolePolicy !== "string") return [];
        return trustPolicyViolations(inputs.assumeRolePolicy).map((problem) => `assumeRolePolicy: ${problem}`);
    },
};
