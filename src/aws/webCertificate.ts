import * as acm from "@pulumi/aws/acm";
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { selfSignedCertificate } from "../tiers/selfSignedCertificate";
import type { TlsSource } from "../config";

export interface ListenerCertificateArgs {
    tls: TlsSource;
    /** The load balancer's DNS name: the self-signed certificate is issued for it. */
    loadBalancerDnsName: pulumi.Input<string>;
    tags: Record<string, string>;
}

/**
 * The ARN of the certificate the HTTPS listener presents, from whichever TLS source the stack
 * configured. For a domain it resolves only once ACM has issued the certificate, so the listener
 * is never created with a certificate still pending validation.
 */
export function listenerCertificate(name: string, args: ListenerCertificateArgs, parent: pulumi.Resource): pulumi.Output<string> {
    const source = args.tls;
    switch (source.kind) {
        case "certificate":
            return pulumi.output(source.certificate);
        case "domain":
            return dnsValidatedCertificate(name, source.domain, source.dnsZoneId, args.tags, parent);
        case "self-signed":
            return importedSelfSigned(name, args.loadBalancerDnsName, args.tags, parent);
    }
}

/** An ACM certificate for `domain`, validated by the CNAME ACM asks for in the Route 53 zone. */
function dnsValidatedCertificate(
    name: string,
    domain: string,
    zoneId: string,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const certificate = new acm.Certificate(
        `${name}-cert`,
        { domainName: domain, validationMethod: "DNS", keyAlgorithm: "RSA_2048", tags },
        { parent },
    );
    // One domain, no alternative names: ACM asks for exactly one validation record, for `domain`.
    const option = certificate.domainValidationOptions.apply((options) => {
        const found = options.find((o) => o.domainName === domain);
        if (!found) throw new Error(`ACM returned no DNS validation option for ${domain}`);
        return found;
    });
    const record = new route53.Record(
        `${name}-cert-dns`,
        {
            zoneId,
            name: option.resourceRecordName,
            type: option.resourceRecordType,
            records: [option.resourceRecordValue],
            ttl: 60,
            // ACM asks for the same record for the same domain in an account: a re-created stack
            // (or certificate) must be able to take over the record its predecessor left.
            allowOverwrite: true,
        },
        { parent: certificate },
    );
    const validation = new acm.CertificateValidation(
        `${name}-cert-validation`,
        { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
        { parent: certificate },
    );
    return validation.certificateArn;
}

/**
 * Dev only (config validation announces it): a generated key and a one-year self-signed certificate
 * for the load balancer's own DNS name, imported into ACM because the listener only takes ACM ARNs.
 * Browsers warn, but traffic is still TLS 1.2+ end to end to the load balancer.
 */
function importedSelfSigned(
    name: string,
    dnsName: pulumi.Input<string>,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const { privateKeyPem, certPem } = selfSignedCertificate(name, { dnsName }, parent);
    const imported = new acm.Certificate(
        `${name}-cert`,
        { privateKey: privateKeyPem, certificateBody: certPem, tags },
        { parent },
    );
    return imported.arn;
}
