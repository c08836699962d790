import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import type * as inputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import { healthPort } from "../app/healthCheck";
import type { GatewayCertificate } from "./webCertificate";

/**
 * Health probe: detection = interval x unhealthy threshold = 30 s (a v2 gateway waits the interval
 * between retries). It asks each server's readiness endpoint on the health port, which answers 200
 * only when OpenEMR's own readiness check passes, database included (src/app/healthCheck.ts), never
 * the login page, which answers 200 with the database down (openemr-boot-review.md D7).
 */
export const probeTiming = { interval: 10, timeout: 10, unhealthyThreshold: 3 } as const;

/**
 * Gateway instances, autoscaled from 0 reserved instances up to ten. Minimum 0 keeps the gateway
 * highly available: "zero additional minimum instances still ensures high availability of the
 * service which is always included with fixed price" (MicrosoftDocs/azure-docs
 * application-gateway/application-gateway-autoscaling-zone-redundant.md, Pricing and Scaling; the
 * same in understanding-pricing.md, 2026-08-10); the zones still spread what runs. Each minimum
 * instance only pre-pays 10 capacity units whether used or not: minimum 2 billed 20 CU around the
 * clock, $210.24 a month at $0.0144 per CU-hour, against about $21 for the ~2 CU an EMR of this
 * size uses (-$189.22 a month, cost-review.md (e) Azure #1a). What it costs: scale-out from the
 * autoscaled floor takes some minutes under a sudden spike; raise the minimum to measured peak
 * compute units / 10 if clinics see that. Counts range 0-125 (same page), checked with the maximum
 * by DEPLOY-AZ-APPGW-AUTOSCALE-BOUNDS.
 */
export const gatewayCapacity = { minCapacity: 0, maxCapacity: 10 } as const;

/** TLS 1.2 minimum with forward-secret AEAD suites only; TLS 1.3 suites come with CustomV2. */
export const sslPolicy: inputs.network.ApplicationGatewaySslPolicyArgs = {
    policyType: "CustomV2",
    minProtocolVersion: "TLSv1_2",
    cipherSuites: [
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    ],
};

/** The gateway's public IP: Standard and static; all three zones make it zone-redundant. */
export function gatewayPublicIp(name: string, resourceGroupName: pulumi.Input<string>, tags: Record<string, string>, parent: pulumi.Resource) {
    const ip = new network.PublicIPAddress(
        `${name}-gateway-ip`,
        {
            resourceGroupName,
            sku: { name: "Standard", tier: "Regional" },
            publicIPAllocationMethod: "Static",
            zones: ["1", "2", "3"],
            tags,
        },
        { parent },
    );
    // A static Standard IP has its address once created.
    const address = ip.ipAddress.apply((value) => {
        if (!value) throw new Error(`${name}: the gateway's public IP has no address`);
        return value;
    });
    return { ip, address };
}

export interface WebGatewayArgs {
    resourceGroupName: pulumi.Input<string>;
    resourceGroupId: pulumi.Input<string>;
    zones: pulumi.Input<string[]>;
    /** The gateway's dedicated (edge) subnet. */
    subnetId: pulumi.Input<string>;
    publicIp: network.PublicIPAddress;
    certificate: GatewayCertificate;
    firewallPolicyId: pulumi.Input<string>;
    /** OpenEMR's readiness path, asked on the servers' health port. */
    healthCheckPath: string;
    /** Log Analytics workspace for the access and firewall logs. */
    workspaceId: pulumi.Input<string>;
    tags: Record<string, string>;
}

export interface WebGateway {
    gateway: network.ApplicationGateway;
    /** The backend pool the servers' NICs join. */
    backendPoolId: pulumi.Output<string>;
}

/**
 * The only public entry point: a zone-redundant, autoscaled WAF_v2 Application Gateway. HTTPS
 * ends here; port 80 answers only with a permanent redirect; requests reach the servers on port 80
 * inside the VNet (the web subnet admits 80 from the gateway subnet only), a browser kept on one
 * server by the gateway's affinity cookie (sessions themselves are in the shared store).
 */
export function webGateway(name: string, args: WebGatewayArgs, parent: pulumi.Resource): WebGateway {
    // Sub-resource ids point inside the gateway itself, so its name is explicit (autonaming
    // would add a suffix the ids cannot know: pulumi-azure-native #3740).
    const gatewayName = `${name}-gateway-${pulumi.getStack()}`;
    const inside = (collection: string, item: string) => ({
        id: pulumi.interpolate`${args.resourceGroupId}/providers/Microsoft.Network/applicationGateways/${gatewayName}/${collection}/${item}`,
    });
    const listener = (port: "http" | "https") => ({
        name: port,
        protocol: port === "https" ? "Https" : "Http",
        frontendIPConfiguration: inside("frontendIPConfigurations", "public"),
        frontendPort: inside("frontendPorts", port),
        ...(port === "https" ? { sslCertificate: inside("sslCertificates", "tls") } : {}),
    });
    const identity = args.certificate.identity;

    const gateway = new network.ApplicationGateway(
        `${name}-gateway`,
        {
            resourceGroupName: args.resourceGroupName,
            applicationGatewayName: gatewayName,
            // Autoscaled: no sku.capacity (it would pin the instance count).
            sku: { name: "WAF_v2", tier: "WAF_v2" },
            autoscaleConfiguration: gatewayCapacity,
            zones: args.zones,
            identity: identity ? { type: "UserAssigned", userAssignedIdentities: [identity.id] } : undefined,
            gatewayIPConfigurations: [{ name: "gateway", subnet: { id: args.subnetId } }],
            frontendIPConfigurations: [{ name: "public", publicIPAddress: { id: args.publicIp.id } }],
            frontendPorts: [
                { name: "http", port: 80 },
                { name: "https", port: 443 },
            ],
            sslCertificates: [{ name: "tls", ...args.certificate.sslCertificate }],
            sslPolicy,
            httpListeners: [listener("https"), listener("http")],
            redirectConfigurations: [
                {
                    name: "http-to-https",
                    redirectType: "Permanent",
                    targetListener: inside("httpListeners", "https"),
                    includePath: true,
                    includeQueryString: true,
                },
            ],
            backendAddressPools: [{ name: "web" }],
            probes: [
                {
                    name: "emr",
                    protocol: "Http",
                    // A v2 probe needs a Host header; the backend settings pass the client's own Host
                    // through unchanged (OpenEMR builds redirects from it), so the probe names one.
                    host: "127.0.0.1",
                    path: args.healthCheckPath,
                    // The probe's own port (v2 gateways): the servers' health port, not the traffic port.
                    port: healthPort,
                    ...probeTiming,
                    match: { statusCodes: ["200"] },
                },
            ],
            backendHttpSettingsCollection: [
                {
                    name: "web",
                    port: 80,
                    protocol: "Http",
                    // Sessions live in the shared store (sessionTier.ts), so a lost server logs
                    // nobody out; the affinity cookie stays for OpenEMR's multi-request admin tools,
                    // which keep files in the serving container's temporary folder between steps
                    // (interface/main/backup.php $TMP_BASE; see src/aws/webLoadBalancer.ts). The
                    // gateway's cookie lasts the browser session (no duration setting).
                    cookieBasedAffinity: "Enabled",
                    // Long reports and slow uploads from clinic links outlast the 30 s default.
                    requestTimeout: 120,
                    // A leaving server finishes its in-flight requests without slowing scale-in.
                    connectionDraining: { enabled: true, drainTimeoutInSec: 30 },
                    probe: inside("probes", "emr"),
                },
            ],
            requestRoutingRules: [
                {
                    name: "https-to-web",
                    ruleType: "Basic",
                    priority: 100,
                    httpListener: inside("httpListeners", "https"),
                    backendAddressPool: inside("backendAddressPools", "web"),
                    backendHttpSettings: inside("backendHttpSettingsCollection", "web"),
                },
                {
                    name: "http-redirect",
                    ruleType: "Basic",
                    priority: 200,
                    httpListener: inside("httpListeners", "http"),
                    redirectConfiguration: inside("redirectConfigurations", "http-to-https"),
                },
            ],
            enableHttp2: true,
            firewallPolicy: { id: args.firewallPolicyId },
            forceFirewallPolicyAssociation: true,
            tags: args.tags,
        },
        { parent },
    );

    // Access log (every request, with client IP and latency) and firewall log (every WAF match),
    // kept for the workspace's retention. Not the performance log: "The Performance log is
    // available only for the v1 SKU" (learn.microsoft.com/azure/azure-monitor/reference/tables/
    // AGWPerformanceLogs); on WAF_v2 it stays empty (performance is in the metrics).
    new monitor.DiagnosticSetting(
        `${name}-gateway-logs`,
        {
            resourceUri: gateway.id,
            workspaceId: args.workspaceId,
            logs: ["ApplicationGatewayAccessLog", "ApplicationGatewayFirewallLog"].map((category) => ({
                category,
                enabled: true,
            })),
            metrics: [{ category: "AllMetrics", enabled: true }],
        },
        { parent: gateway },
    );

    return { gateway, backendPoolId: inside("backendAddressPools", "web").id };
}
