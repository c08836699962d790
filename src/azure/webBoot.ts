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
        // The files account requires secure transfer, so Azure Files refuses plain NFS: Microsoft's
        // AZNFS helper (packages.microsoft.com, reachable from the VM) tunnels NFS 4.1 over TLS.
        // Auto-update is off so a boot never changes the mount helper under a running EMR.
        mountSharedFs: [
            `${curl} -L -o /tmp/packages-microsoft-prod.deb https://packages.microsoft.com/config/ubuntu/24.04/packages-microsoft-prod.deb`,
            `dpkg -i /tmp/packages-microsoft-prod.deb && apt-get update`,
            `AZNFS_NONINTERACTIVE_INSTALL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y aznfs`,
            `sed -i 's/^AUTO_UPDATE_AZNFS=.*/AUTO_UPDATE_AZNFS=false/' /opt/microsoft/aznfs/data/config || true`,
            fstabMount(`${args.storageAccount}.file.core.windows.net:/${args.storageAccount}/${args.shareName}`, "aznfs", [
                "vers=4",
                "minorversion=1",
                "sec=sys",
                "nconnect=4",
                "_netdev",
            ]),
        ].join("\n"),
        fetchDbSecret: [
            `local token`,
            `token=$(${curl} -H 'Metadata: true' ${shellQuote(tokenUrl)} | jq -er .access_token)`,
            `${curl} -H "Authorization: Bearer $token" ${shellQuote(secretUrl)} | jq -er .value`,
        ].join("\n"),
        // MySQL flexible server certificates chain to public roots (DigiCert, Microsoft) that Ubuntu trusts.
        fetchDbCaBundle: "cat /etc/ssl/certs/ca-certificates.crt",
    };
}
