import type * as pulumi from "@pulumi/pulumi";

/** The global condition keys AWS offers against the confused-deputy problem in a role's trust policy. */
export type ConfusedDeputyKey = "aws:SourceAccount" | "aws:SourceArn";

/** What AWS documents about one service principal assuming a role of ours. */
export interface ServiceTrust {
    /**
     * The keys AWS documents for this service's role trust policy. A key the service does not send
     * makes the condition false, so the service cannot assume the role at all: only documented keys.
     */
    keys: readonly ConfusedDeputyKey[];
    /** The AWS page the row was taken from. */
    source: string;
    /** What that page says, in short (quoted where it is explicit). */
    evidence: string;
}

/**
 * Every service principal that assumes a role in this stack, with the confused-deputy keys AWS
 * documents for its trust policy. `serviceRole` (iam.ts) builds trust policies only from this
 * table, and `trustPolicyViolations` lets a test or rule check any captured role against it:
 * a service missing here is a service nobody has checked at the source yet.
 */
export const serviceTrust = {
    "vpc-flow-logs.amazonaws.com": {
        keys: ["aws:SourceAccount", "aws:SourceArn"],
        source: "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html",
        evidence:
            "\"We recommend that you use the aws:SourceAccount and aws:SourceArn condition keys ... The source account is the owner of the flow log and the source ARN is the flow log ARN\" (arn:aws:ec2:region:account_id:vpc-flow-log/flow-log-id).",
    },
    "monitoring.rds.amazonaws.com": {
        keys: ["aws:SourceAccount", "aws:SourceArn"],
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html#USER_Monitoring.OS.confused-deputy",
        evidence:
            "\"we recommend using the aws:SourceArn and aws:SourceAccount global condition context keys in a trust policy for your Enhanced Monitoring role ... For Amazon RDS, set aws:SourceArn to arn:aws:rds:Region:my-account-id:db:dbname\".",
    },
    "cloudtrail.amazonaws.com": {
        keys: [],
        source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html",
        evidence:
            "\"Confused deputy prevention is not applicable to the role policy for CloudWatch Logs monitoring. The role policy doesn't support the use of aws:SourceArn and aws:SourceAccount.\" (CreateTrail then fails: InvalidCloudWatchLogsRoleArnException, \"Check the trust relationships for your role\").",
    },
    "backup.amazonaws.com": {
        keys: [],
        source: "https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html",
        evidence:
            "The service-role page requires only that \"the role must also have AWS Backup listed as a trusted entity\"; AWS Backup's confused-deputy page (devguide/cross-service-confused-deputy-prevention.html) documents the keys for resource policies only (the SNS topic and backup-storage.amazonaws.com in KMS key policies), never for the role AWS Backup assumes.",
    },
    "ec2.amazonaws.com": {
        keys: [],
        source: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html",
        evidence:
            "No AWS page documents a confused-deputy key for an instance profile's role: EC2 assumes it for the instance, with no source resource to name. prowler-cloud/prowler#2810 reports EC2 among the services that break under such a condition.",
    },
} as const satisfies Record<string, ServiceTrust>;

export type TrustedService = keyof typeof serviceTrust;

/** What the trust is scoped to: this account, and the one resource (pattern) the service acts for. */
export interface TrustScope {
    accountId: pulumi.Input<string>;
    /** `aws:SourceArn` value (ArnLike, so `*` may stand for the part not known yet). */
    sourceArn?: pulumi.Input<string>;
}

/**
 * The one statement of a service role's trust policy: `service` may assume the role, under exactly
 * the confused-deputy keys its row documents. A documented `aws:SourceArn` must be given (it is the
 * narrowest scope AWS offers); one given for a service without it is a programming error.
 */
export function trustStatement(service: TrustedService, scope: TrustScope): Record<string, unknown> {
    const keys: readonly ConfusedDeputyKey[] = serviceTrust[service].keys;
    const wantsArn = keys.includes("aws:SourceArn");
    if (wantsArn !== (scope.sourceArn !== undefined)) {
        throw new Error(
            `trust of ${service}: aws:SourceArn ${wantsArn ? "is documented, so pass the source ARN" : "is not documented, so pass none"} (${serviceTrust[service].source})`,
        );
    }
    const condition = {
        ...(keys.includes("aws:SourceAccount") ? { StringEquals: { "aws:SourceAccount": scope.accountId } } : {}),
        ...(wantsArn ? { ArnLike: { "aws:SourceArn": scope.sourceArn } } : {}),
    };
    return {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    };
}

/**
 * What is wrong with a (resolved) trust policy document, against the table: a service principal
 * nobody checked, a condition key its service is not documented to send (it would lock the
 * service out), or a documented key left out (the confused-deputy protection AWS offers, unused).
 * Empty when the policy is right. For tests and the deploy-rules engine.
 */
export function trustPolicyViolations(policy: string | { Statement?: unknown }): string[] {
    const document = (typeof policy === "string" ? JSON.parse(policy) : policy) as { Statement?: unknown };
    const statements = ([] as unknown[]).concat(document.Statement ?? []) as Array<{ Principal?: { Service?: unknown }; Condition?: Record<string, Record<string, unknown>> }>;
    return statements.flatMap((statement) => {
        const services = ([] as unknown[]).concat(statement.Principal?.Service ?? []).map(String);
        const used = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
        return services.flatMap((service) => {
            const row = (serviceTrust as Record<string, ServiceTrust>)[service];
            if (!row) return [`${service}: no documented trust row in serviceTrust (check the service's docs and add one)`];
            const documented: readonly string[] = row.keys;
            return [
                ...used.filter((key) => !documented.includes(key)).map((key) => `${service}: ${key} is not documented for this service (${row.source})`),
                ...documented.filter((key) => !used.includes(key)).map((key) => `${service}: documented ${key} is missing (${row.source})`),
            ];
        });
    });
}
