/**
 * The boot script every web server runs once, from cloud-init's runcmd. Its order:
 *
 * 1. Prepare (bounded by `prepareSeconds`, every step retried with backoff): the cloud's host
 *    preparation, the shared mount (its mount point created first: mount.nfs4 refuses a missing
 *    one, openemr-boot-review.md D1), Docker, the readiness endpoint, the image pull (Docker Hub
 *    allows 100 anonymous pulls per 6 h per address: docs.docker.com/docker-hub/usage/pulls): the
 *    digest the stack recorded for the configured image if there is one, else the configured image.
 * 2. Take the install lock on the shared file system (`flock`, bounded by `lockWaitSeconds`). On
 *    NFSv4 (EFS, Azure Files) the server releases a lock when its holder exits or stops renewing,
 *    so a dead holder never blocks the rest, unlike the image's own docker-leader file
 *    (openemr/openemr#9430).
 * 3. Under the lock: settle the build this server runs, by digest (src/app/imagePin.ts: the first
 *    server records what it pulled, every later one runs the recorded build). If the install marker is missing, read the install secrets, reset whatever an
 *    earlier attempt left (src/app/dbReset.ts), run the installer and wait for OpenEMR's readiness.
 *    Then, installed either way: take the servers' access to the install secrets away, remove any
 *    docker-leader file (with the install complete it can only be stale, D3) and start the serving
 *    container, holding the lock until it is ready, so containers start one at a time.
 *
 * The image's side of the contract (its openemr.sh in both generations the 8.x line shipped:
 * openemr/openemr-devops docker/openemr/8.0.0/openemr.sh @0a01646 and openemr/openemr
 * docker/release/openemr.sh @00239a7):
 * - `SWARM_MODE=yes` with a shared sites/: the first container takes `sites/docker-leader`
 *   (`set -o noclobber`), seeds an empty sites/ and /etc/ssl from /swarm-pieces (`if [ ! -f
 *   /etc/ssl/openssl.cnf ]` ... `rsync ... /swarm-pieces/ssl /etc/`), runs `sh ssl.sh`, installs,
 *   then `touch .../sites/docker-completed` and `rm -f .../sites/docker-leader`.
 * - /etc/ssl is shared too, as OVERVIEW.md requires for swarm mode ("the shared volumes
 *   /var/www/localhost/htdocs/openemr/sites, /etc/ssl and /etc/letsencrypt are needed in this
 *   mode") and openemr-on-ecs / -eks do: ssl.sh creates the Apache pair once (`if ! [ -f
 *   /etc/ssl/private/selfsigned.key.pem ]`, `ln -s ... webserver.cert.pem`) and every later
 *   container finds it; openemr.conf's `SSLCertificateFile /etc/ssl/certs/webserver.cert.pem` must
 *   exist or httpd refuses to start (openemr-devops#545).
 * - The installer takes `MYSQL_HOST/PORT/DATABASE`, `MYSQL_ROOT_USER/PASS`, `MYSQL_USER/PASS`,
 *   `OE_USER/OE_PASS` (devtoolsLibrary.source prepareVariables: `if [ "$OE_USER" != "" ]; then
 *   CONFIGURATION="${CONFIGURATION} iuser=${OE_USER}"`, same for `iuserpass=${OE_PASS}`; without
 *   them auto_configure.php keeps `$installSettings['iuser'] = 'admin'` / `'iuserpass'] = 'pass'`).
 * - TLS to the database: openemr.sh copies /root/certs/mysql/server/mysql-ca into
 *   sites/default/documents/certificates (`cp_cert_file mysql-ca`, only if absent), and
 *   `FORCE_DATABASE_SSL_CONNECT=1` makes the installer create the app user `REQUIRE SSL`.
 */
import { type BootTimings } from "./bootTimings";
import { secretToEnvLines, type InstallSecret } from "./bootSecrets";
import type { CloudBootSteps, EmrAppSettings } from "./bootSteps";
import { dbResetMounts, dbResetScriptPath } from "./dbReset";
import { healthUnitName, readinessCommand, servingContainer } from "./healthCheck";
import { digestRef, imageRecordName, pinImage, pulledImage, recordedImage, recordImage } from "./imagePin";
import { sessionCaName, sessionCheckPhp, sessionDirInContainer, sessionIniJq, sessionIniName, sessionIniScanDir } from "./sessionStore";
import { bashFunction, shellQuote } from "./shell";

export const bootScriptPath = "/usr/local/sbin/emr-boot.sh";
export const isolateScriptPath = "/usr/local/sbin/emr-isolate-containers.sh";
/** Outside /mnt: Azure's Ubuntu images mount the temp (resource) disk there (openemr-boot-review.md D18). */
export const defaultSharedDir = "/srv/emr-shared";

/** The path inside the container where the image keeps each site's files. */
export const sitesInImage = "/var/www/localhost/htdocs/openemr/sites";
/** The shared folder mounted over `sitesInImage`, relative to the shared file system's root. */
export const sitesOnShare = "sites";
/**
 * Where the patient documents are on the shared file system. OpenEMR sets
 * `$GLOBALS['OE_SITES_BASE'] = "$webserver_root/sites"` and `OE_SITE_DIR` = that + "/<site_id>"
 * (openemr/openemr interface/globals.php, "Set the site-specific directory path"), and stores every
 * document under `$GLOBALS['OE_SITE_DIR'] . '/documents/'` (controllers/C_Document.class.php,
 * library/classes/Document.class.php). The installer creates the one site, `default`.
 */
export const documentsOnShare = `${sitesOnShare}/default/documents`;
const secretVar: Record<InstallSecret, string> = { dbAdmin: "DB_ADMIN_SECRET", dbApp: "DB_APP_SECRET", emrAdmin: "EMR_ADMIN_SECRET" };
const secretFile: Record<InstallSecret, string> = { dbAdmin: "db-admin.json", dbApp: "db-app.json", emrAdmin: "emr-admin.json" };

/** Reads the three install secrets into the installer's env file (tmpfs, 0600), then forgets the JSON. */
function writeInstallEnv(): string {
    const secrets = Object.keys(secretVar) as InstallSecret[];
    return [
        `install -d -m 0700 "$SECRETS"`,
        `umask 077`,
        `: > "$ENV_FILE"`,
        ...secrets.flatMap((s) => [
            `retry_until "$RESET_DEADLINE" fetch_to "$SECRETS/${secretFile[s]}" fetch_secret "$${secretVar[s]}"`,
            `jq -er ${shellQuote(secretToEnvLines(s))} "$SECRETS/${secretFile[s]}" >> "$ENV_FILE"`,
        ]),
        `rm -f "$SECRETS"/*.json`,
        `retry_until "$RESET_DEADLINE" fetch_to "$DB_CA" print_db_ca`,
        `umask 022`,
    ].join("\n");
}

const retryUntil = `# Runs "$@" in a subshell with errexit until it succeeds, backing off from POLL_SECONDS to 30 times
# that, until second $1 of this script. Status 3 means "refused" and is not retried.
local deadline=$1 delay=$POLL_SECONDS status
shift
while :; do
    set +e
    (set -e; "$@")
    status=$?
    set -e
    [ "$status" -ne 0 ] || return 0
    [ "$status" -ne 3 ] || { log "refused, not retrying: $1"; return 3; }
    if ((SECONDS + delay > deadline)); then log "gave up (status $status): $1"; return "$status"; fi
    log "failed (status $status), retrying in \${delay}s: $1"
    sleep "$delay"
    delay=$((delay * 2 < POLL_SECONDS * 30 ? delay * 2 : POLL_SECONDS * 30))
done`;

const waitReady = `# Polls container $1's readiness for up to $2 seconds; stops early if it exited.
local deadline=$((SECONDS + $2))
until ${readinessCommand(`"$1"`)}; do
    [ "$(docker inspect -f '{{.State.Status}}' "$1" 2>/dev/null)" != exited ] || { log "$1 exited"; return 1; }
    ((SECONDS < deadline)) || { log "$1 not ready after $2 s"; return 1; }
    sleep "$POLL_SECONDS"
done`;

const installEmr = `log "no completed install: installing OpenEMR"
write_install_env
docker rm -fv emr-install >/dev/null 2>&1 || true
retry_until "$RESET_DEADLINE" docker run --rm --env-file "$ENV_FILE" "\${DB_ENV[@]}" \\
    -v ${dbResetScriptPath}:${dbResetMounts.script}:ro -v "$DB_CA:${dbResetMounts.ca}:ro" \\
    --entrypoint /bin/sh "$RUN_IMAGE" ${dbResetMounts.script}
rm -rf -- "$SITES" "$SSL_DIR"
mkdir -p "$SITES" "$SSL_DIR"
# No restart policy: after a reboot mid-install the lock is gone, so a restarted installer would race the next one (D15).
docker run -d --name emr-install --log-driver json-file --log-opt max-size=20m --log-opt max-file=2 \\
    "\${SHARED_MOUNTS[@]}" -e SWARM_MODE=yes --env-file "$ENV_FILE" "\${DB_ENV[@]}" -e FORCE_DATABASE_SSL_CONNECT=1 \\
    -v "$DB_CA:/root/certs/mysql/server/mysql-ca:ro" "$RUN_IMAGE" >/dev/null
rm -f "$ENV_FILE"
if ! wait_ready emr-install "$INSTALL_SECONDS"; then
    # Kept on this server only: installer errors can quote SQL with the app password (Installer execute_sql).
    docker logs emr-install > "$LOG_DIR/install-failed-$EPOCHSECONDS.log" 2>&1 || true
    docker rm -fv emr-install >/dev/null
    log "install failed; the next server to take the lock resets and retries"
    exit 1
fi
touch "$MARKER"
docker rm -fv emr-install >/dev/null
log "OpenEMR $RUN_IMAGE installed"`;

// The session store's PHP ini and CA (src/app/sessionStore.ts) in a tmpfs directory of their own,
// never in the user data: the ini (with the password) 0400 root, read by PHP as root when Apache
// (mod_php, php84-apache2) or the CLI starts; the CA 0444 behind a 0711 directory, since Apache's
// workers (user apache: openemr docker/release/Dockerfile `usermod -u 1000 apache`, no USER, so
// the container runs as root) open it at each TLS connect. Outside $SECRETS (removed at exit): the
// serving container reads it for as long as it runs, and again at every restart Docker makes. A
// partial file (a failed read) is rewritten by the retry or, the retries spent, never mounted.
const writeSessionIni = `install -d -m 711 "$SESSION_DIR"
install -m 444 "$SESSION_CA" "$SESSION_DIR/${sessionCaName}"
fetch_secret "$SESSION_SECRET" | (umask 377; jq -er ${shellQuote(sessionIniJq)} > "$SESSION_DIR/${sessionIniName}")`;

// The image's REDIS_* variables stay unset (src/app/sessionStore.ts). --mount, not -v: a missing
// source is an error, never a fresh empty directory, at the start and at every restart (moby
// daemon/volumes.go: a bind from --mount gets SkipMountpointCreation; daemon/volume/mounts/
// validate.go "bind source path does not exist"), so after a reboot emptied /run the container
// does not start on file sessions; the server goes unhealthy and is replaced.
const runServing = `docker rm -fv ${servingContainer} >/dev/null 2>&1 || true
docker run -d --name ${servingContainer} --restart always -p 80:80 "\${LOG_ARGS[@]}" "\${SHARED_MOUNTS[@]}" -e SWARM_MODE=yes \\
    -e PHP_INI_SCAN_DIR=${sessionIniScanDir} --mount "type=bind,source=$SESSION_DIR,target=${sessionDirInContainer},readonly" "$RUN_IMAGE" >/dev/null`;

// One window for the whole start (starting the container, then its readiness), as the budget counts it.
// Then the session check: PHP in the serving container opens and writes a session in the store
// (sessionCheckPhp; its output, which can quote the password, goes nowhere). A server whose PHP
// cannot would log its users out again on the next server or zone loss, so it does not serve and
// the group replaces it.
const startEmr = `rm -f "$SITES/docker-leader"
serve_log_args ${servingContainer}
local deadline=$((SECONDS + START_SECONDS))
retry_until "$deadline" run_serving
if ! wait_ready ${servingContainer} "$((deadline - SECONDS))"; then
    docker rm -fv ${servingContainer} >/dev/null
    exit 1
fi
docker exec ${servingContainer} php -d log_errors=0 -d session.use_cookies=0 -r ${shellQuote(sessionCheckPhp)} >/dev/null 2>&1 || { log "no session store"; docker rm -fv ${servingContainer} >/dev/null; exit 1; }`;

/** Renders the boot script for one cloud; `timings` default to the exported table (the boot drill passes short ones). */
export function bootScript(app: EmrAppSettings, steps: CloudBootSteps, sharedDir: string, t: BootTimings): string {
    const optional = (name: string, body: string | undefined) => (body ? `${bashFunction(name, body)}\n\n` : "");
    return `#!/bin/bash
# emr-ha web server boot (${steps.cloud}): prepare, then under a lock on the shared file system either
# install OpenEMR or start it on the existing install. See src/app/bootScript.ts for the why.
set -euo pipefail

readonly IMAGE=${shellQuote(app.image)}
readonly SHARED_DIR=${shellQuote(sharedDir)}
readonly SITES="$SHARED_DIR/${sitesOnShare}" SSL_DIR="$SHARED_DIR/ssl"
readonly LOCK="$SHARED_DIR/.emr-install.lock" MARKER="$SHARED_DIR/.emr-installed" IMAGE_RECORD="$SHARED_DIR/${imageRecordName}"
readonly SECRETS=/run/emr LOG_DIR=/var/log/emr
readonly ENV_FILE="$SECRETS/install.env" DB_CA="$SECRETS/mysql-ca" SESSION_DIR=/run/emr-session
readonly SESSION_SECRET=${shellQuote(steps.sessionSecret)} SESSION_CA=${shellQuote(steps.sessionCaFile)}
readonly PREPARE_SECONDS=${t.prepareSeconds} RESET_SECONDS=${t.resetSeconds} INSTALL_SECONDS=${t.installSeconds}
readonly START_SECONDS=${t.startSeconds} LOCK_WAIT_SECONDS=${t.lockWaitSeconds} POLL_SECONDS=${t.pollSeconds}
${(Object.keys(secretVar) as InstallSecret[]).map((s) => `readonly ${secretVar[s]}=${shellQuote(steps.secrets[s])}`).join("\n")}
readonly SHARED_MOUNTS=(-v "$SITES:${sitesInImage}" -v "$SSL_DIR:/etc/ssl")
readonly DB_ENV=(-e MYSQL_HOST=${shellQuote(app.dbHost)} -e MYSQL_PORT=${app.dbPort} -e MYSQL_DATABASE=${shellQuote(app.dbName)})
LOG_ARGS=()
RESET_DEADLINE=0
RUN_IMAGE="" # what every container here runs: the digest the stack recorded for IMAGE

log() { echo "emr-boot: $*" >&2; }
# Whatever happens, no install secret outlives the script on this server.
trap 'rm -rf "$SECRETS"' EXIT

${bashFunction("retry_until", retryUntil)}

# Writes the output of "$@" to file $1 only when the command succeeds.
fetch_to() {
    local file=$1
    shift
    "$@" > "$file.part"
    mv "$file.part" "$file"
}

${optional("prepare_host", steps.prepareHost)}${bashFunction("mount_shared_fs", steps.mountSharedFs)}

${bashFunction("fetch_secret", steps.fetchSecret)}

${bashFunction("close_install_secrets", steps.closeInstallSecrets)}

${bashFunction("print_db_ca", steps.printDbCa)}

${bashFunction("serve_log_args", steps.serveLogArgs)}

${bashFunction("wait_ready", waitReady)}

${bashFunction("digest_ref", digestRef)}

${bashFunction("recorded_image", recordedImage)}

${bashFunction("pulled_image", pulledImage)}

${bashFunction("record_image", recordImage)}

${bashFunction("pin_image", pinImage)}

${bashFunction("write_install_env", writeInstallEnv())}

${bashFunction("install_emr", installEmr)}

${bashFunction("session_ini", writeSessionIni)}

${bashFunction("run_serving", runServing)}

${bashFunction("start_emr", startEmr)}

readonly PREPARE_DEADLINE=$((SECONDS + PREPARE_SECONDS))
${steps.prepareHost ? `retry_until "$PREPARE_DEADLINE" prepare_host\n` : ""}mkdir -p "$SHARED_DIR"
retry_until "$PREPARE_DEADLINE" mount_shared_fs
mkdir -p "$SITES" "$SSL_DIR" "$LOG_DIR"
systemctl daemon-reload
systemctl enable --now docker
${steps.isolateContainers ? `${isolateScriptPath}\n` : ""}systemctl enable --now ${healthUnitName}
RUN_IMAGE=$(recorded_image)
retry_until "$PREPARE_DEADLINE" docker pull --quiet "\${RUN_IMAGE:-$IMAGE}"
retry_until "$PREPARE_DEADLINE" session_ini

exec 9>"$LOCK"
log "waiting up to $LOCK_WAIT_SECONDS s for the install lock"
flock -w "$LOCK_WAIT_SECONDS" 9 || { log "no install lock after $LOCK_WAIT_SECONDS s"; exit 1; }
RESET_DEADLINE=$((SECONDS + RESET_SECONDS))
pin_image
readonly RUN_IMAGE
if [ ! -f "$MARKER" ]; then install_emr; fi
# Closed at once, but beside the serving start rather than before it: its retries are not part of
# the lock holder's budget (criticalSectionSeconds), and the next server should not wait for them.
close_install_secrets "$DB_ADMIN_SECRET" "$DB_APP_SECRET" "$EMR_ADMIN_SECRET" &
closing=$!
start_emr
exec 9>&-
wait "$closing" || log "warning: could not close the install secrets; every later boot retries"
log "OpenEMR is serving"
`;
}

