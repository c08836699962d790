import { fstabMount, shellQuote, type CloudBootSteps } from "../app/cloudInit";

/**
 * Retry every failure, HTTP errors included: right after a scale set instance is created, IMDS
 * may not have its identity yet and a new Key Vault role assignment takes minutes to apply.
 */
const curl = "curl -fsS --retry 10 --retry-all-errors --retry-delay 6";

/** Ubuntu 24.04 boot steps. The user-assigned managed identity (via IMDS) reads Key Vault. */
export function azureBootSteps(args: {
    storageAccount: string;
    shareName: string;
    keyVaultName: string;
    secretName: string;
    identityClientId: string;
}): CloudBootSteps {
    const tokenQuery = new URLSearchParams({ "api-version": "2018-02-01", resource: "https://vault.azure.net", client_id: args.identityClientId });
    const tokenUrl = `http://169.254.169.254/metadata/identity/oauth2/token?${tokenQuery}`;
    const secretUrl = `https://${args.keyVaultName}.vault.azure.net/secrets/${args.secretName}?api-version=7.4`;
    return {
        cloud: "azure",
        packages: ["docker.io", "nfs-common", "jq", "curl"],
        // Azure Files NFS 4.1 has no TLS with the storage API we use: the share is reachable only
        // through its private endpoint in our VNet. Encryption in transit would need Microsoft's
        // aznfs mount helper (stunnel), which is not in Ubuntu's archive.
        mountSharedFs: fstabMount(`${args.storageAccount}.file.core.windows.net:/${args.storageAccount}/${args.shareName}`, "nfs", [
            "vers=4",
            "minorversion=1",
            "sec=sys",
            "nconnect=4",
            "_netdev",
        ]),
        fetchDbSecret: [
            `local token`,
            `token=$(${curl} -H 'Metadata: true' ${shellQuote(tokenUrl)} | jq -er .access_token)`,
            `${curl} -H "Authorization: Bearer $token" ${shellQuote(secretUrl)} | jq -er .value`,
        ].join("\n"),
        // MySQL flexible server certificates chain to public roots (DigiCert, Microsoft) that Ubuntu trusts.
        fetchDbCaBundle: "cat /etc/ssl/certs/ca-certificates.crt",
    };
}
