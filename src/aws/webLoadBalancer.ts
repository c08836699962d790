import * as lb from "@pulumi/aws/lb";
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { healthPort } from "../app/healthCheck";
import type { TlsSource } from "../config";
import { listenerCertificate } from "./webCertificate";

/**
 * The listener's TLS policy, pinned: TLS 1.3 and 1.2 with forward-secret AEAD ciphers only, plus
 * hybrid post-quantum key exchange. AWS recommends it and makes it the console default; an unpinned
 * listener created through the API gets ELBSecurityPolicy-2016-08, which still accepts TLS 1.0.
 */
const tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";
/** How long the load balancer keeps a browser on one server (see the target group). */
const stickinessSeconds = 3600;

/**
 * Health check: detection = interval x unhealthy threshold = 20 s, so a dead server stops getting
 * requests within 20 s. It asks each server's readiness endpoint on the health port, which answers
 * 200 only when OpenEMR's own readiness check passes, database included (src/app/healthCheck.ts),
 * never the login page, which answers 200 with the database down (openemr-boot-review.md D7).
 */
const healthCheck = { interval: 10, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 2, matcher: "200" } as const;

export interface WebLoadBalancerArgs {
    vpcId: pulumi.Input<string>;
    /** The public (edge) subnets of every zone. */
    subnetIds: pulumi.Input<string[]>;
    securityGroupId: pulumi.Input<string>;
    /** Access-log bucket (SSE-S3), and the prefix its policy lets ELB deliver under. */
    logBucket: pulumi.Input<string>;
    logPrefix: string;
    /** Resources that must exist before the ALB checks it can write its access logs (the bucket policy). */
    logBucketReady: pulumi.Resource[];
    /** OpenEMR's readiness path: probed on the servers' health port, and never served to clients. */
    healthCheckPath: string;
    tls: TlsSource;
    tags: Record<string, string>;
}

export interface WebLoadBalancer {
    loadBalancer: lb.LoadBalancer;
    targetGroup: lb.TargetGroup;
    /** The listener that ties the target group to the ALB. */
    httpsListener: lb.Listener;
    url: pulumi.Output<string>;
}

/**
 * The only public entry point: an internet-facing ALB over the edge subnets of every zone, https
 * only (port 80 answers with a permanent redirect), forwarding to the web servers on port 80
 * inside the VPC (the web security group takes 80 from the ALB only).
 */
export function webLoadBalancer(name: string, args: WebLoadBalancerArgs, parent: pulumi.Resource): WebLoadBalancer {
    const loadBalancer = new lb.LoadBalancer(
        `${name}-alb`,
        {
            loadBalancerType: "application",
            internal: false,
            ipAddressType: "ipv4",
            subnets: args.subnetIds,
            securityGroups: [args.securityGroupId],
            dropInvalidHeaderFields: true,
            // `defensive` (the AWS default) blocks the requests classed Severe while letting
            // Ambiguous-but-harmless ones through; `strictest` would also reject the latter, which
            // older lab/HL7 integration clients send. Apache behind it parses HTTP strictly anyway.
            desyncMitigationMode: "defensive",
            enableDeletionProtection: true,
            // Lets an operator (or ARC autoshift) move traffic off an impaired zone without a deploy.
            enableZonalShift: true,
            // Long report pages and slow uploads from clinic links outlast the 60 s default.
            idleTimeout: 120,
            accessLogs: { bucket: args.logBucket, prefix: args.logPrefix, enabled: true },
            tags: { ...args.tags, Name: `${name}-alb` },
        },
        { parent, dependsOn: args.logBucketReady },
    );

    const targetGroup = new lb.TargetGroup(
        `${name}-tg`,
        {
            vpcId: args.vpcId,
            targetType: "instance",
            port: 80,
            protocol: "HTTP",
            protocolVersion: "HTTP1",
            healthCheck: { enabled: true, path: args.healthCheckPath, protocol: "HTTP", port: String(healthPort), ...healthCheck },
            // Sessions live in the shared store (sessionTier.ts), so a lost server logs nobody
            // out; the cookie stays for OpenEMR's multi-request admin tools, which keep files in the
            // serving container's own temporary folder between their steps (interface/main/backup.php:
            // $TMP_BASE = $GLOBALS['temporary_files_dir']."/openemr_web_backup", written by one step
            // and read by the next; Export Configuration likewise). One hour is enough for them,
            // and short enough that users spread over replacement servers soon after a zone returns.
            stickiness: { type: "lb_cookie", enabled: true, cookieDuration: stickinessSeconds },
            // Finishes in-flight requests of a leaving server without slowing scale-in and refreshes.
            deregistrationDelay: 30,
            tags: args.tags,
        },
        { parent },
    );

    const certificateArn = listenerCertificate(name, { tls: args.tls, loadBalancerDnsName: loadBalancer.dnsName, tags: args.tags }, parent);
    const httpsListener = new lb.Listener(
        `${name}-https`,
        {
            loadBalancerArn: loadBalancer.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: tlsPolicy,
            certificateArn,
            defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
            // HSTS: browsers that once reached the EMR never try plain http again. Without
            // includeSubDomains, the domain's siblings (not ours) are left alone. Browsers ignore
            // the header behind a certificate error, so the dev self-signed case is unaffected.
            routingHttpResponseStrictTransportSecurityHeaderValue: "max-age=31536000",
            tags: args.tags,
        },
        { parent: loadBalancer },
    );
    new lb.Listener(
        `${name}-http`,
        {
            loadBalancerArn: loadBalancer.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            tags: args.tags,
        },
        { parent: loadBalancer },
    );

    const host = args.tls.kind === "domain" ? publishDomain(name, args.tls.domain, args.tls.dnsZoneId, loadBalancer) : loadBalancer.dnsName;
    return { loadBalancer, targetGroup, httpsListener, url: pulumi.interpolate`https://${host}` };
}

/** Points `domain` at the ALB (an alias record: no TTL to wait out, follows the ALB's IPs). */
function publishDomain(name: string, domain: string, zoneId: string, loadBalancer: lb.LoadBalancer): pulumi.Output<string> {
    const record = new route53.Record(
        `${name}-domain`,
        {
            zoneId,
            name: domain,
            type: "A",
            aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true }],
        },
        { parent: loadBalancer },
    );
    return record.name;
}
