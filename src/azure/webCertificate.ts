import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { selfSignedCertificate } from "../tiers/selfSignedCertificate";
import { ConfigError, type TlsSource } from "../config";
import { pkcs12 } from "./webPkcs12";

/** The TLS sources Azure can serve: there is no ACM-style service issuing certificates for a domain. */
export type AzureTlsSource = Exclude<TlsSource, { kind: "domain" }>;

/**
 * Rejects `emr:domain` on Azure. Called before the web tier declares anything, so a stack never
 * ends up with half a web tier. (Config validation should reject it up front.)
 */
export function azureTlsSource(source: TlsSource): AzureTlsSource {
    if (source.kind === "domain") {
        throw new ConfigError(
            "emr:domain",
            source.domain,
            "unset on Azure (Azure has no certificate service that issues one for a domain): import the certificate " +
                "into Key Vault as a PFX and set emr:certificate to its secret id instead",
        );
    }
    return source;
}

export interface GatewayCertificate {
    /** The listener certificate: the gateway's `sslCertificates` entry, without its name. */
    sslCertificate: { keyVaultSecretId?: string; data?: pulumi.Output<string>; password?: pulumi.Output<string> };
    /** The identity the gateway reads Key Vault with (a Key Vault certificate only). */
    identity?: managedidentity.UserAssignedIdentity;
}

export interface GatewayCertificateArgs {
    tls: AzureTlsSource;
    resourceGroupName: pulumi.Input<string>;
    /** The gateway's public IP address: the self-signed certificate is issued for it. */
    publicIpAddress: pulumi.Input<string>;
    tags: Record<string, string>;
}

/** The certificate the HTTPS listener presents, from whichever TLS source the stack configured. */
export function gatewayCertificate(name: string, args: GatewayCertificateArgs, parent: pulumi.Resource): GatewayCertificate {
    const source = args.tls;
    switch (source.kind) {
        case "certificate":
            return keyVaultCertificate(name, source.certificate, args, parent);
        case "self-signed":
            return inlineSelfSigned(name, args.publicIpAddress, parent);
    }
}

/**
 * An operator's certificate, a PFX in their Key Vault. The gateway fetches it with its own
 * user-assigned identity (Application Gateway takes no system-assigned one) and polls it every
 * four hours, so a versionless secret id rotates without a deploy. Whoever owns that vault grants
 * this identity "Key Vault Secrets User" on the secret: the secret id names the vault but not its
 * resource group, so the stack cannot address the vault to grant it itself. Until then, Azure
 * disables the HTTPS listener rather than failing the deployment.
 */
function keyVaultCertificate(name: string, secretId: string, args: GatewayCertificateArgs, parent: pulumi.Resource): GatewayCertificate {
    const identity = new managedidentity.UserAssignedIdentity(
        `${name}-gateway-id`,
        { resourceGroupName: args.resourceGroupName, tags: args.tags },
        { parent },
    );
    return { sslCertificate: { keyVaultSecretId: secretId }, identity };
}

/**
 * Dev only (config loading announces it loudly): a generated key and a one-year self-signed
 * certificate for the gateway's public IP, handed to the gateway inline as a password-protected
 * PFX. Browsers warn, but traffic is still TLS 1.2+ to the gateway. Inline, not via Key Vault:
 * the stack's vault admits only private endpoints, and an uploaded certificate never depends on
 * the gateway reaching a vault.
 */
function inlineSelfSigned(name: string, publicIpAddress: pulumi.Input<string>, parent: pulumi.Resource): GatewayCertificate {
    const { key, privateKeyPem, certPem } = selfSignedCertificate(name, { ipAddress: publicIpAddress }, parent);
    // Letters and digits only: the password travels as a PKCS#12 BMPString and an ARM string.
    const password = new random.RandomPassword(`${name}-tls-pfx-password`, { length: 32, special: false }, { parent: key });
    const data = pulumi
        .all([privateKeyPem, certPem, password.result])
        .apply(([keyPem, certPem, secret]) => pkcs12(keyPem, certPem, secret));
    return { sslCertificate: { data: pulumi.secret(data), password: password.result } };
}
