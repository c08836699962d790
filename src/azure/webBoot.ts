import type { InstallSecretRefs } from "../app/bootSecrets";
import { fstabMount, type CloudBootSteps } from "../app/bootSteps";
import { shellQuote } from "../app/shell";
import { azureMysqlRootCas } from "./mysqlRootCas";
import { containerLogFacility } from "./webLogs";

/**
 * Retry every failure, HTTP errors included: right after a scale set instance is created, IMDS
 * may not have its identity yet and a new role assignment takes minutes to apply. (The boot script
 * retries each step as a whole too.)
 */
const curl = "curl -fsS --retry 10 --retry-all-errors --retry-delay 6";
/** apt waits for the dpkg lock instead of failing while unattended-upgrades or cloud-init hold it (apt.conf(5) DPkg::Lock::Timeout). */
const apt = "apt-get -o DPkg::Lock::Timeout=300";
/** The ARM API version of Role Assignments - Delete By Id (learn.microsoft.com/rest/api/authorization/role-assignments/delete-by-id). */
const roleAssignmentsApi = "2022-04-01";

/** A managed-identity token for `resource` from IMDS (the host only: containers are cut off from it below). */
const tokenFor = (resource: string, clientId: string) =>
    `${curl} -H 'Metadata: true' ${shellQuote(`http://169.254.169.254/metadata/identity/oauth2/token?${new URLSearchParams({ "api-version": "2018-02-01", resource, client_id: clientId })}`)} | jq -er .access_token`;

/**
 * Containers must not reach the instance metadata service: it hands the servers' managed-identity
 * tokens to any caller that can reach 169.254.169.254. A DROP in DOCKER-USER filters forwarded
 * container traffic before Docker's own rules (docs.docker.com/engine/network/firewall-iptables);
 * the host itself (OUTPUT chain) keeps access. Run around every dockerd start (src/app/cloudInit.ts).
 */
const isolateContainers = `#!/bin/bash
# emr-isolate-containers: containers may not reach the instance metadata service.
set -euo pipefail
iptables -w -N DOCKER-USER 2>/dev/null || true
iptables -w -C DOCKER-USER -d 169.254.169.254/32 -j DROP 2>/dev/null ||
    iptables -w -I DOCKER-USER -d 169.254.169.254/32 -j DROP
`;

/**
 * Ubuntu 24.04 boot steps. The user-assigned managed identity (via IMDS) reads Key Vault and ends its own access.
 * The same steps on arm64 and x86_64 (emr:cpuArch): apt installs each package for the machine's own
 * architecture, and every one exists for both. Ubuntu's docker.io, nfs-common, jq, curl and rsyslog
 * are built for arm64; Microsoft's repository (packages-microsoft-prod.deb is architecture "all")
 * carries the AZNFS helper for arm64 too (Azure/AZNFS-mount .github/aznfs-build.yaml: job
 * package_aznfs_arm64 builds aznfs-<version>-1_arm64.deb and uploads it to packages.microsoft.com);
 * the Azure Monitor Agent supports Ubuntu 24.04 "also ... on ARM64-based machines"
 * (azure-monitor-docs azure-monitor-agent-supported-operating-systems.md, 2025-03-07), and the
 * Application Health extension ships an arm64 binary its shim picks on aarch64
 * (Azure/applicationhealth-extension-linux misc/applicationhealth-shim, Makefile BIN_ARM64).
 */
export function azureBootSteps(args: {
    storageAccount: string;
    shareName: string;
    /** The install secrets' URLs, https://<vault>.vault.azure.net/secrets/<name>. */
    secrets: InstallSecretRefs;
    identityClientId: string;
    /** The role assignments that let the servers read the install secrets (src/azure/installSecrets.ts). */
    installAccessIds: string[];
    /** The session store's secret URL. */
    sessionSecret: string;
}): CloudBootSteps {
    return {
        cloud: "azure",
        // rsyslog: the serving container's output reaches the Azure Monitor Agent through it
        // (webLogs.ts). Canonical's images ship it; listing it makes a missing one a package install,
        // not a silent gap in the shipped logs.
        packages: ["docker.io", "nfs-common", "jq", "curl", "rsyslog"],
        // The files account requires secure transfer, so Azure Files refuses plain NFS: Microsoft's
        // AZNFS helper (packages.microsoft.com, reachable from the VM) tunnels NFS 4.1 over TLS.
        // Auto-update is off so a boot never changes the mount helper under a running EMR (the
        // noninteractive install turns it on: Azure/AZNFS-mount packaging/aznfs/DEBIAN/postinst).
        prepareHost: [
            `${curl} -L -o /tmp/packages-microsoft-prod.deb https://packages.microsoft.com/config/ubuntu/24.04/packages-microsoft-prod.deb`,
            `DEBIAN_FRONTEND=noninteractive ${apt} install -y /tmp/packages-microsoft-prod.deb`,
            `${apt} update`,
            `AZNFS_NONINTERACTIVE_INSTALL=1 DEBIAN_FRONTEND=noninteractive ${apt} install -y aznfs`,
            `sed -i 's/^AUTO_UPDATE_AZNFS=.*/AUTO_UPDATE_AZNFS=false/' /opt/microsoft/aznfs/data/config`,
        ].join("\n"),
        mountSharedFs: fstabMount(`${args.storageAccount}.file.core.windows.net:/${args.storageAccount}/${args.shareName}`, "aznfs", [
            "vers=4",
            "minorversion=1",
            "sec=sys",
            "nconnect=4",
            "_netdev",
        ]),
        isolateContainers,
        // The bearer token goes to curl on stdin (`-H @-`), never on a command line other users could read.
        fetchSecret: [
            `local token`,
            `token=$(${tokenFor("https://vault.azure.net", args.identityClientId)})`,
            `printf 'Authorization: Bearer %s\\n' "$token" | ${curl} -H @- "$1?api-version=7.4" | jq -er .value`,
        ].join("\n"),
        secrets: args.secrets,
        sessionSecret: args.sessionSecret,
        // Ubuntu's ca-certificates bundle: public roots, DigiCert's among them (src/app/sessionStore.ts).
        sessionCaFile: "/etc/ssl/certs/ca-certificates.crt",
        // 200: deleted; 204: already gone. 403: this identity may not delete it, which after the
        // install means the assignment that granted it that right (and the read) is gone: ARM
        // checks RBAC before anything else and answers AuthorizationFailed (learn.microsoft.com/
        // azure/role-based-access-control/troubleshooting), so there is nothing left to close.
        // Only transient failures are retried (curl --retry: timeouts, 408, 429, 5xx): retrying
        // that 403 cost every later boot a minute under the install lock (caught by the boot
        // drill's "three servers booting together" on Azure).
        closeInstallSecrets: [
            `local token id status`,
            `token=$(${tokenFor("https://management.azure.com/", args.identityClientId)}) || return 1`,
            `for id in ${args.installAccessIds.map(shellQuote).join(" ")}; do`,
            `    status=$(printf 'Authorization: Bearer %s\\n' "$token" |`,
            `        curl -sS --retry 10 --retry-delay 6 -o /dev/null -w '%{http_code}' -H @- -X DELETE "https://management.azure.com$id?api-version=${roleAssignmentsApi}") || return 1`,
            // A 403 also comes from a grant not yet propagated ("If access was recently granted..."):
            // said in the log, and every later boot tries again.
            `    case $status in 200 | 204) ;; 403) log "deleting $id answered HTTP 403: taken as already closed" ;; *) log "deleting $id answered HTTP $status"; return 1 ;; esac`,
            `done`,
        ].join("\n"),
        // One argument per PEM line: the function body is indented, and a multi-line quoted string would be too.
        printDbCa: `printf '%s\\n' \\\n${azureMysqlRootCas.split("\n").map((line) => `    ${shellQuote(line)}`).join(" \\\n")}`,
        // Docker's syslog driver (docs.docker.com/engine/logging/drivers/syslog) to /dev/log, which on
        // Ubuntu is journald's socket; journald forwards to rsyslog and rsyslog to the Azure Monitor
        // Agent, which ships only this facility to the stack's workspace (webLogs.ts). One tag per
        // container (the Syslog table's ProcessName); non-blocking so a slow log path never stalls
        // Apache. Docker checks /dev/log exists when it creates the container (moby
        // daemon/logger/syslog/syslog.go parseAddress). Kept locally and rotated: `docker logs`
        // reads Docker's dual-logging cache, the same 5 x 50 MB as before ("These options can be
        // specified per container", docs.docker.com/engine/logging/dual-logging); journald caps
        // its own store (SystemMaxUse) and logrotate rotates /var/log/syslog. journald drops what
        // exceeds 10,000 lines per 30 s from dockerd (systemd journald.conf RateLimitBurst /
        // RateLimitIntervalSec defaults): far above an EMR's request rate.
        serveLogArgs: [
            `LOG_ARGS=(--log-driver syslog --log-opt syslog-address=unixgram:///dev/log --log-opt syslog-facility=${containerLogFacility}`,
            `    --log-opt "tag=$1" --log-opt mode=non-blocking --log-opt max-buffer-size=8m --log-opt cache-max-size=50m --log-opt cache-max-file=5)`,
        ].join("\n"),
    };
}
