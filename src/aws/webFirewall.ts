import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as types from "@pulumi/aws/types";
import * as wafv2 from "@pulumi/aws/wafv2";
import * as pulumi from "@pulumi/pulumi";
import { healthFolder } from "../app/healthCheck";

export interface WebFirewallArgs {
    /** The servers' readiness path (e.g. /meta/health/readyz): its folder is refused to clients. */
    healthCheckPath: string;
    /** ARN of the load balancer the web ACL protects. */
    loadBalancerArn: pulumi.Input<string>;
    /** KMS key of the stack's CloudWatch log groups. */
    logKeyArn: pulumi.Input<string>;
    logRetentionDays: number;
    tags: Record<string, string>;
}

/** Requests one client IP may send in the 5-minute window before it is blocked (as openemr-on-ecs/eks). */
const rateLimitPer5Minutes = 2000;

/**
 * AWS managed rule groups, in evaluation order after the rate limit. The IP reputation list runs
 * first (cheapest, drops known-bad sources before any body inspection); KnownBadInputs carries the
 * Log4j rules (checkov CKV2_AWS_76).
 */
const managedGroups: { name: string; countOnly?: string[] }[] = [
    { name: "AWSManagedRulesAmazonIpReputationList" },
    {
        name: "AWSManagedRulesCommonRuleSet",
        // SizeRestrictions_BODY blocks every body over 8 KB, which is every scanned document,
        // image or CCDA upload and many long encounter forms. An ALB hands WAF only the first 8 KB
        // (fixed, unlike CloudFront), so the limit cannot be raised: the rule counts instead (and
        // stays visible in the metrics and logs). The first 8 KB of every body is still inspected
        // by the other rules; past that, OpenEMR's own input handling is the defence.
        countOnly: ["SizeRestrictions_BODY"],
    },
    { name: "AWSManagedRulesKnownBadInputsRuleSet" },
    { name: "AWSManagedRulesSQLiRuleSet" },
];

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

/**
 * A regional WAFv2 web ACL in front of the load balancer (default allow, the rules block):
 * a per-IP rate limit, then the AWS managed rule groups. Every request's verdict is logged to an
 * encrypted log group with the stack's retention; session cookies and auth headers are redacted
 * so the log never holds a credential that would open a patient chart.
 */
export function webFirewall(name: string, args: WebFirewallArgs, parent: pulumi.Resource): wafv2.WebAcl {
    const rateRule: types.input.wafv2.WebAclRule = {
        name: "rate-limit-per-ip",
        priority: 0,
        action: { block: {} },
        statement: {
            rateBasedStatement: { limit: rateLimitPer5Minutes, evaluationWindowSec: 300, aggregateKeyType: "IP" },
        },
        visibilityConfig: visibility(`${name}-rate-limit`),
    };
    const healthRule: types.input.wafv2.WebAclRule = {
        name: "hide-readiness-endpoint",
        priority: 1,
        action: { block: {} },
        statement: {
            byteMatchStatement: {
                fieldToMatch: { uriPath: {} },
                positionalConstraint: "CONTAINS",
                searchString: `${healthFolder(args.healthCheckPath)}/`,
                // Decoded and lowercased first, so neither %2F, //, nor /META/ gets past it.
                textTransformations: [
                    { priority: 0, type: "URL_DECODE" },
                    { priority: 1, type: "LOWERCASE" },
                ],
            },
        },
        visibilityConfig: visibility(`${name}-hide-readiness`),
    };
    const managedRules: types.input.wafv2.WebAclRule[] = managedGroups.map((group, i) => ({
        name: group.name,
        priority: i + 2,
        // `none` keeps each group's own actions (block); `count` would turn the whole group off.
        overrideAction: { none: {} },
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name: group.name,
                ruleActionOverrides: group.countOnly?.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
            },
        },
        visibilityConfig: visibility(`${name}-${group.name}`),
    }));

    const acl = new wafv2.WebAcl(
        `${name}-waf`,
        {
            description: "EMR load balancer: per-IP rate limit, readiness endpoint hidden, AWS managed rules",
            scope: "REGIONAL",
            defaultAction: { allow: {} },
            rules: [rateRule, healthRule, ...managedRules],
            visibilityConfig: visibility(`${name}-waf`),
            tags: args.tags,
        },
        { parent },
    );
    new wafv2.WebAclAssociation(`${name}-waf-alb`, { resourceArn: args.loadBalancerArn, webAclArn: acl.arn }, { parent: acl });

    // WAF only delivers to log groups whose name starts with `aws-waf-logs-`; it adds the log
    // group resource policy it needs itself (shared `AWSWAF-LOGS` policy) when first attached.
    const logs = new cloudwatch.LogGroup(
        `${name}-waf-logs`,
        {
            name: `aws-waf-logs-${name}-${pulumi.getStack()}`,
            retentionInDays: args.logRetentionDays,
            kmsKeyId: args.logKeyArn,
            tags: args.tags,
        },
        { parent: acl },
    );
    new wafv2.WebAclLoggingConfiguration(
        `${name}-waf-logging`,
        {
            resourceArn: acl.arn,
            logDestinationConfigs: [logs.arn],
            redactedFields: ["cookie", "authorization"].map((header) => ({ singleHeader: { name: header } })),
        },
        { parent: acl },
    );
    return acl;
}
