import type { Violation } from "../../types";
import { awsResourceRule, awsStackRule, hipaa, isTrue, notCustomerKey, pointingAt, shown } from "./shared";

/** The control-plane trail and the firewall's log. Trail fields: @pulumi/aws 7.48.0 cloudtrail/trail.d.ts:311-351. */
const trail = "aws:cloudtrail/trail:Trail";

export const trailPresentRule = awsStackRule({
    id: "EMR-AWS-CLOUDTRAIL-PRESENT",
    title: "The stack records AWS API activity in a CloudTrail trail",
    severity: "error",
    controls: { hipaa: [hipaa.audit, hipaa.activityReview] },
    source: [
        // Event history keeps 90 days of management events only, not exportable as a retained, validated record.
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trails.html",
    ],
    appliesTo: ["aws:*"],
    check(graph): Violation[] {
        if (graph.ofType(trail).some((t) => t.inputs.enableLogging !== false)) return [];
        const first = graph.resources.find((r) => r.custom && r.type.startsWith("aws:"));
        return first
            ? [{ resourceKey: first.key, reason: "no CloudTrail trail is declared (or every one has enableLogging false): who changed a security group, read a secret or deleted a snapshot is kept 90 days in event history at most" }]
            : [];
    },
});

export const trailMultiRegionRule = awsResourceRule({
    id: "EMR-AWS-CLOUDTRAIL-MULTI-REGION",
    title: "The trail logs every region and global services, and is logging",
    severity: "error",
    controls: { hipaa: [hipaa.audit], checkov: ["CKV_AWS_67", "CKV_AWS_251"], trivy: ["AVD-AWS-0014"] },
    source: ["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html", "@pulumi/aws@7.48.0:cloudtrail/trail.d.ts:323,335,343"],
    appliesTo: [trail],
    check({ inputs }) {
        const problems: string[] = [];
        if (!isTrue(inputs.isMultiRegionTrail)) problems.push(`isMultiRegionTrail is ${shown(inputs.isMultiRegionTrail)} (default false): activity in other regions (a copied snapshot, a new instance) is not recorded`);
        if (inputs.includeGlobalServiceEvents === false) problems.push("includeGlobalServiceEvents is false: IAM and STS activity (who got which role) is not recorded");
        if (inputs.enableLogging === false) problems.push("enableLogging is false: the trail records nothing");
        return problems;
    },
});

export const trailValidationRule = awsResourceRule({
    id: "EMR-AWS-CLOUDTRAIL-LOG-VALIDATION",
    title: "The trail signs digests of its log files, so tampering is detectable",
    severity: "error",
    controls: { hipaa: [hipaa.authenticate, hipaa.integrity, hipaa.audit], checkov: ["CKV_AWS_36"], cdkNag: ["HIPAA.Security-CloudTrailLogFileValidationEnabled"], trivy: ["AVD-AWS-0016"] },
    source: ["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html", "@pulumi/aws@7.48.0:cloudtrail/trail.d.ts:319"],
    appliesTo: [trail],
    check({ inputs }) {
        return isTrue(inputs.enableLogFileValidation)
            ? []
            : [`enableLogFileValidation is ${shown(inputs.enableLogFileValidation)} (default false): a deleted or edited audit log file cannot be proven so to an auditor`];
    },
});

export const trailCloudWatchRule = awsResourceRule({
    id: "EMR-AWS-CLOUDTRAIL-CLOUDWATCH",
    title: "The trail also delivers to CloudWatch Logs, where events can be searched and alarmed on",
    severity: "error",
    controls: { hipaa: [hipaa.activityReview, hipaa.audit], checkov: ["CKV2_AWS_10"], cdkNag: ["HIPAA.Security-CloudTrailCloudWatchLogsEnabled"], trivy: ["AVD-AWS-0162"] },
    source: ["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html", "@pulumi/aws@7.48.0:cloudtrail/trail.d.ts:311-315"],
    appliesTo: [trail],
    check({ inputs }) {
        const missing = ["cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn"].filter((f) => !inputs[f]);
        return missing.length ? [`${missing.join(" and ")} not set: events land in S3 only, where no metric filter or alarm can watch for a disabled trail or a root login`] : [];
    },
});

export const trailKeyRule = awsResourceRule({
    id: "EMR-AWS-CLOUDTRAIL-CMK",
    title: "The trail's log files are encrypted with a customer managed key",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest, hipaa.audit], checkov: ["CKV_AWS_35"], cdkNag: ["HIPAA.Security-CloudTrailEncryptionEnabled"], trivy: ["AVD-AWS-0015"] },
    source: ["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html", "@pulumi/aws@7.48.0:cloudtrail/trail.d.ts:351"],
    appliesTo: [trail],
    check({ inputs }) {
        const key = notCustomerKey("kmsKeyId", inputs.kmsKeyId, "log files carry only the bucket's SSE-S3 encryption");
        return key ? [`${key}: anyone who can read the bucket reads the account's full API history`] : [];
    },
});

const webAcl = "aws:wafv2/webAcl:WebAcl";

export const wafLoggingRule = awsStackRule({
    id: "EMR-AWS-WAF-LOGGING",
    title: "Every WAF web ACL logs the requests it inspects",
    severity: "error",
    controls: { hipaa: [hipaa.audit, hipaa.activityReview], checkov: ["CKV2_AWS_31"], cdkNag: ["HIPAA.Security-WAFv2LoggingEnabled"] },
    source: ["https://docs.aws.amazon.com/waf/latest/developerguide/logging.html", "@pulumi/aws@7.48.0:wafv2/webAclLoggingConfiguration.d.ts:97-113"],
    appliesTo: [webAcl],
    check(graph): Violation[] {
        return graph
            .ofType(webAcl)
            .filter((acl) => !pointingAt(graph, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "resourceArn", acl).some((l) => (l.inputs.logDestinationConfigs ?? []).length))
            .map((acl) => ({ resourceKey: acl.key, reason: "no WebAclLoggingConfiguration with a log destination names this web ACL: blocked attacks and rate-limited clients leave no record" }));
    },
});

export const auditRules = [trailPresentRule, trailMultiRegionRule, trailValidationRule, trailCloudWatchRule, trailKeyRule, wafLoggingRule];
