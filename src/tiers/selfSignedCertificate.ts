import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

/** Where the load balancer answers: a DNS name (AWS ALB) or an IP address (Azure gateway). */
export type CertificateSubject = { dnsName: pulumi.Input<string> } | { ipAddress: pulumi.Input<string> };

/**
 * Dev only (config loading announces it loudly): a generated RSA 2048 key (accepted by every ALB
 * policy, App Gateway and client) and a one-year self-signed certificate, the same on both
 * clouds; each cloud then imports it its own way. The name browsers check goes in the subject
 * alternative names, since an ALB's DNS name can exceed the 64-character common name limit.
 */
export function selfSignedCertificate(name: string, subject: CertificateSubject, parent: pulumi.Resource) {
    const key = new tls.PrivateKey(`${name}-tls-key`, { algorithm: "RSA", rsaBits: 2048 }, { parent });
    const cert = new tls.SelfSignedCert(
        `${name}-tls-cert`,
        {
            privateKeyPem: key.privateKeyPem,
            subject: { commonName: "emr.invalid", organization: "emr-ha self-signed (dev only)" },
            ...("dnsName" in subject ? { dnsNames: [subject.dnsName] } : { ipAddresses: [subject.ipAddress] }),
            validityPeriodHours: 365 * 24,
            // Any `pulumi up` in the last 30 days of validity issues a fresh certificate.
            earlyRenewalHours: 30 * 24,
            allowedUses: ["key_encipherment", "digital_signature", "server_auth"],
        },
        { parent: key },
    );
    return { key, privateKeyPem: key.privateKeyPem, certPem: cert.certPem };
}
