import type { PlannedResource } from "../../../plan/capture";
import type { Violation } from "../../types";
import { awsResourceRule, awsStackRule, hipaa, isTrue, pointingAt, shown } from "./shared";

/**
 * The internet-facing edge: the Application Load Balancer, its listeners and its WAF. Fields from
 * @pulumi/aws 7.48.0 lb/loadBalancer.d.ts:130-227 and lb/listener.d.ts:334-436; `aws:alb/*` are the
 * same resources under their legacy module name.
 */
const loadBalancers = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const listeners = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const listenerRules = ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"];

/** ALB is the default type (loadBalancerType, lb/loadBalancer.d.ts:227). */
const isApplication = (inputs: Record<string, any>) => (inputs.loadBalancerType ?? "application") === "application";

/**
 * Security policies whose lowest protocol is TLS 1.2 or 1.3, told by the name AWS gives them
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html):
 * ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -TLS-1-2-*, -FS-1-2-*. Everything else (2016-08, the
 * SDK default; TLS-1-0/1-1; TLS13-1-0/1-1; FS-2018-06; FS-1-1) still accepts TLS 1.0 or 1.1, and an
 * unknown name fails rather than passes. Trivy AVD-AWS-0047 also rejects TLS13-1-2-Ext1/Ext2 for their
 * CBC ciphers; this rule is about the protocol floor only.
 */
const tls12Policy = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

export const listenerTlsRule = awsResourceRule({
    id: "EMR-AWS-ALB-TLS12",
    title: "HTTPS listeners accept TLS 1.2 or later only",
    severity: "error",
    controls: { hipaa: [hipaa.transmissionEncryption, hipaa.transmission], checkov: ["CKV_AWS_103"], trivy: ["AVD-AWS-0047"] },
    source: [
        // "Other methods (for example, the AWS CLI, AWS CloudFormation, and the AWS CDK) - The default security policy is ELBSecurityPolicy-2016-08."
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
        // sslPolicy: "Required if protocol is HTTPS or TLS. Default is ELBSecurityPolicy-2016-08." (:434)
        "@pulumi/aws@7.48.0:lb/listener.d.ts:434-436",
    ],
    appliesTo: listeners,
    check({ inputs }) {
        if (inputs.protocol !== "HTTPS" && inputs.protocol !== "TLS") return [];
        const policy = inputs.sslPolicy ?? "ELBSecurityPolicy-2016-08";
        return tls12Policy.test(policy)
            ? []
            : [`sslPolicy is ${shown(policy)}${inputs.sslPolicy ? "" : " (the provider default)"}, which still negotiates TLS 1.0/1.1 (or is not a policy known to start at TLS 1.2): use ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 or another TLS13-1-2 policy`];
    },
});

/** Why an action on an HTTP listener is not a redirect to HTTPS, or undefined when it is one. */
function notHttpsRedirect(action: Record<string, any>): string | undefined {
    if (action.type !== "redirect") return `an action of type ${shown(action.type)} serves the request over plain HTTP`;
    // The redirect's protocol "Defaults to `#{protocol}`", the request's own (HTTP): types/input.d.ts:2281 ListenerDefaultActionRedirect.protocol.
    return action.redirect?.protocol === "HTTPS" ? undefined : `a redirect to protocol ${shown(action.redirect?.protocol)} keeps the client on HTTP`;
}

export const httpRedirectsRule = awsStackRule({
    id: "EMR-AWS-ALB-HTTP-REDIRECTS",
    title: "Plain-HTTP listeners only redirect to HTTPS, in their default action and every rule",
    severity: "error",
    controls: { hipaa: [hipaa.transmissionEncryption, hipaa.transmission], checkov: ["CKV2_AWS_20", "CKV_AWS_2"], trivy: ["AVD-AWS-0054"] },
    source: [
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html#redirect-actions",
        // protocol: "For Application Load Balancers, valid values are HTTP and HTTPS, with a default of HTTP." (:348)
        "@pulumi/aws@7.48.0:lb/listener.d.ts:334,348-352",
        "@pulumi/aws@7.48.0:lb/listenerRule.d.ts:38-50",
    ],
    appliesTo: listeners,
    check(graph): Violation[] {
        const plain = listeners.flatMap((t) => graph.ofType(t)).filter((l) => (l.inputs.protocol ?? "HTTP") === "HTTP");
        return plain.flatMap((listener) => {
            const rules: PlannedResource[] = listenerRules.flatMap((t) => pointingAt(graph, t, "listenerArn", listener));
            const found = [
                ...((listener.inputs.defaultActions as any[]) ?? []).map((a, i) => ({ key: listener.key, where: `defaultActions[${i}]`, why: notHttpsRedirect(a) })),
                ...rules.flatMap((r) => ((r.inputs.actions as any[]) ?? []).map((a, i) => ({ key: r.key, where: `actions[${i}] of a rule on ${listener.key}`, why: notHttpsRedirect(a) }))),
            ];
            return found.filter((f) => f.why).map((f) => ({ resourceKey: f.key, reason: `port ${shown(listener.inputs.port)} HTTP listener, ${f.where}: ${f.why}, so logins and patient pages can travel unencrypted` }));
        });
    },
});

export const dropInvalidHeadersRule = awsResourceRule({
    id: "EMR-AWS-ALB-DROP-INVALID-HEADERS",
    title: "The load balancer drops HTTP headers that are not valid (request smuggling)",
    severity: "error",
    controls: { hipaa: [hipaa.transmissionIntegrity, hipaa.integrity], checkov: ["CKV_AWS_131"], cdkNag: ["HIPAA.Security-ALBHttpDropInvalidHeaderEnabled"], trivy: ["AVD-AWS-0052"] },
    source: ["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes", "@pulumi/aws@7.48.0:lb/loadBalancer.d.ts:167"],
    appliesTo: loadBalancers,
    check({ inputs }) {
        return isApplication(inputs) && !isTrue(inputs.dropInvalidHeaderFields)
            ? [`dropInvalidHeaderFields is ${shown(inputs.dropInvalidHeaderFields)} (default false): malformed headers reach the servers, where they can smuggle requests past the load balancer's view`]
            : [];
    },
});

export const desyncMitigationRule = awsResourceRule({
    id: "EMR-AWS-ALB-DESYNC-MITIGATION",
    title: "The load balancer's HTTP desync mitigation is defensive or strictest",
    severity: "warning",
    controls: { hipaa: [hipaa.transmissionIntegrity], checkov: ["CKV_AWS_328"] },
    source: ["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#desync-mitigation-mode", "@pulumi/aws@7.48.0:lb/loadBalancer.d.ts:154"],
    appliesTo: loadBalancers,
    check({ inputs }) {
        return isApplication(inputs) && inputs.desyncMitigationMode === "monitor"
            ? ['desyncMitigationMode is "monitor": requests that could desynchronise the load balancer and a server are forwarded instead of refused']
            : [];
    },
});

export const lbDeletionProtectionRule = awsResourceRule({
    id: "EMR-AWS-ALB-DELETION-PROTECTION",
    title: "The load balancer (the EMR's one address) cannot be deleted while deletion protection is on",
    severity: "error",
    controls: { hipaa: [hipaa.emergencyMode], checkov: ["CKV_AWS_150"], cdkNag: ["HIPAA.Security-ELBDeletionProtectionEnabled"] },
    source: ["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection", "@pulumi/aws@7.48.0:lb/loadBalancer.d.ts:175"],
    appliesTo: loadBalancers,
    check({ inputs }) {
        return isTrue(inputs.enableDeletionProtection)
            ? []
            : [`enableDeletionProtection is ${shown(inputs.enableDeletionProtection)} (default false): one mistaken delete takes the EMR offline and its DNS name with it`];
    },
});

export const lbAccessLogsRule = awsResourceRule({
    id: "EMR-AWS-ALB-ACCESS-LOGS",
    title: "The load balancer writes access logs to S3",
    severity: "error",
    controls: { hipaa: [hipaa.audit, hipaa.activityReview], checkov: ["CKV_AWS_91"], cdkNag: ["HIPAA.Security-ELBLoggingEnabled"] },
    source: ["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html", "@pulumi/aws@7.48.0:lb/loadBalancer.d.ts:130"],
    appliesTo: loadBalancers,
    check({ inputs }) {
        const logs = inputs.accessLogs ?? {};
        // enabled: "Defaults to `false`, even when `bucket` is specified." (types/input.d.ts:2679 LoadBalancerAccessLogs.enabled)
        return logs.bucket && isTrue(logs.enabled)
            ? []
            : [`accessLogs is ${shown(inputs.accessLogs)}: no record of which client requested which page, so an access to patient records cannot be traced to an address`];
    },
});

export const lbWafRule = awsStackRule({
    id: "EMR-AWS-ALB-WAF",
    title: "An internet-facing Application Load Balancer is protected by a WAF web ACL",
    severity: "error",
    controls: { hipaa: [hipaa.riskManagement, hipaa.integrity], checkov: ["CKV2_AWS_28"] },
    source: ["https://docs.aws.amazon.com/waf/latest/developerguide/waf-application-load-balancer.html", "@pulumi/aws@7.48.0:wafv2/webAclAssociation.d.ts:38-42"],
    appliesTo: loadBalancers,
    check(graph): Violation[] {
        return loadBalancers
            .flatMap((t) => graph.ofType(t))
            .filter((lb) => isApplication(lb.inputs) && !isTrue(lb.inputs.internal))
            .filter((lb) => !pointingAt(graph, "aws:wafv2/webAclAssociation:WebAclAssociation", "resourceArn", lb).length)
            .map((lb) => ({ resourceKey: lb.key, reason: "no WebAclAssociation names this internet-facing load balancer: no rate limit, no managed rules against injection and known exploits in front of the EMR" }));
    },
});

export const balancerRules = [listenerTlsRule, httpRedirectsRule, dropInvalidHeadersRule, desyncMitigationRule, lbDeletionProtectionRule, lbAccessLogsRule, lbWafRule];
