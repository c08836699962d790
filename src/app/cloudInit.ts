/**
 * The EMR on the servers: one cloud-init document that boots an OpenEMR web server on either
 * cloud. Each cloud passes only what differs (packages, how to mount the shared file system, how
 * to read the database secret with the machine's own identity); the boot order, the first-boot
 * coordination and the container are written once, here.
 */

/** The few steps that differ per cloud; everything else is written once. */
export interface CloudBootSteps {
    cloud: "aws" | "azure";
    /** OS packages to install via cloud-init `packages:` (e.g. docker, nfs/efs utils, jq). */
    packages: string[];
    /** Shell commands (bash) that mount the shared file system at "$SHARED_DIR" (TLS/encrypted in transit where the cloud supports it) and persist the mount in /etc/fstab. */
    mountSharedFs: string;
    /** Shell commands (bash) that print the DB credentials secret JSON ({@link DbSecret}) to stdout, authenticating with the machine's own identity (instance role / managed identity). */
    fetchDbSecret: string;
    /** Shell commands (bash) that print the PEM CA bundle the database server's certificate chains to. */
    fetchDbCaBundle: string;
    /** Optional extra shell to run before Docker starts (the shared script already enables and starts Docker). */
    prepare?: string;
}

export interface EmrAppSettings {
    image: string; // pinned OpenEMR image, e.g. "openemr/openemr:7.0.3"
    dbHost: string;
    dbPort: number;
    dbName: string;
    healthCheckPath: string; // e.g. "/interface/login/login.php" served on port 80 by the container
    sharedDir?: string; // default "/mnt/emr-shared"
}

/**
 * The JSON each cloud's DbTier stores in its secret store: the contract between that writer and
 * the boot script below, its only reader. `username`/`password` are the server's admin login,
 * used once to install; `appUsername`/`appPassword` become OpenEMR's own database login.
 */
export interface DbSecret {
    username: string;
    password: string;
    host: string;
    port: number;
    dbname: string;
    appUsername: string;
    appPassword: string;
}

/**
 * How long a first boot may take. The web tiers' health-check grace periods (ASG, VMSS repairs)
 * must outlast `lockWaitSeconds`, or the autoscaler replaces servers still waiting for the install.
 */
export const bootTimeouts = {
    /** The installing server gives up (and frees the lock) if OpenEMR is not healthy by then. */
    installSeconds: 1800,
    /** A waiting server outlasts one whole install attempt (with margin), then gives up. */
    lockWaitSeconds: 2700,
} as const;

/** Quotes a value for bash: single quotes, with embedded single quotes closed and escaped. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Bash that mounts `source` at "$SHARED_DIR" now and on every reboot (via /etc/fstab). */
export function fstabMount(source: string, fsType: string, options: string[]): string {
    return [
        `printf '%s %s %s %s 0 0\\n' ${shellQuote(source)} "$SHARED_DIR" ${shellQuote(fsType)} ${shellQuote(options.join(","))} >> /etc/fstab`,
        `mount "$SHARED_DIR"`,
    ].join("\n");
}

/** Which container variable each secret field feeds (OpenEMR's auto-setup names). */
const secretEnv = {
    MYSQL_ROOT_USER: "username",
    MYSQL_ROOT_PASS: "password",
    MYSQL_USER: "appUsername",
    MYSQL_PASS: "appPassword",
} as const satisfies Record<string, keyof DbSecret>;

/**
 * jq program turning the secret JSON into docker --env-file lines. It refuses empty values and
 * whitespace: OpenEMR's setup script passes the credentials on to its installer word-split.
 */
const secretToEnvFile = [
    `{${Object.entries(secretEnv).map(([env, field]) => `${env}: .${field}`).join(", ")}}`,
    `to_entries[]`,
    `if (.value | type) == "string" and .value != "" and (.value | test("\\\\s") | not) then "\\(.key)=\\(.value)" else error("db secret: \\(.key) is missing or has whitespace") end`,
].join(" | ");

const bootScriptPath = "/usr/local/sbin/emr-boot.sh";
const indent = (text: string, by: string) => text.split("\n").map((line) => (line ? by + line : line)).join("\n");

function bootScript(app: EmrAppSettings, steps: CloudBootSteps, sharedDir: string): string {
    const fn = (name: string, body: string) => `${name}() {\n${indent(body, "    ")}\n}`;
    const prepare = steps.prepare ? `${steps.prepare}\n` : "";
    return String.raw`#!/bin/bash
# emr-ha web server first boot (${steps.cloud}): mount the shared file system, start Docker, then
# either install OpenEMR (one server at a time, under a lock) or start it on the existing install.
set -euo pipefail

readonly IMAGE=${shellQuote(app.image)}
readonly SHARED_DIR=${shellQuote(sharedDir)}
readonly SITES="$SHARED_DIR/sites"
readonly LOCK="$SHARED_DIR/.emr-install.lock"
readonly MARKER="$SHARED_DIR/.emr-installed"
# tmpfs: the credentials never reach a disk, and the file is gone once the install is done.
readonly SECRETS=/run/emr
readonly ENV_FILE="$SECRETS/db.env"
readonly DB_CA="$SECRETS/mysql-ca"
readonly HEALTH_URL=${shellQuote(`http://127.0.0.1:80${app.healthCheckPath}`)}

${fn("mount_shared_fs", steps.mountSharedFs)}

${fn("fetch_db_secret", steps.fetchDbSecret)}

${fn("fetch_db_ca_bundle", steps.fetchDbCaBundle)}

# Every server runs the same container: the shared sites/ holds OpenEMR's config (sqlconf.php)
# and documents. SWARM_MODE is the image's mode for a shared sites/: it seeds an empty one.
run_emr() {
    local name=$1
    shift
    docker run -d --name "$name" --restart always -p 80:80 \
        -v "$SITES:/var/www/localhost/htdocs/openemr/sites" \
        -e SWARM_MODE=yes \
        -e MYSQL_HOST=${shellQuote(app.dbHost)} -e MYSQL_PORT=${app.dbPort} -e MYSQL_DATABASE=${shellQuote(app.dbName)} \
        "$@" "$IMAGE"
}

wait_healthy() {
    local deadline=$((SECONDS + $1))
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "$HEALTH_URL")" = 200 ]; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 10
    done
}

# Runs only while holding the lock, so no other server is installing.
install_emr() {
    install -d -m 0700 "$SECRETS"
    (
        umask 077
        fetch_db_secret | jq -er '${secretToEnvFile}' > "$ENV_FILE"
        fetch_db_ca_bundle > "$DB_CA"
    )
    chmod 0600 "$ENV_FILE"
    # A docker-leader file can only be left by an install that died: without this the image
    # would wait for that dead leader forever (openemr/openemr#9430).
    rm -f "$SITES/docker-leader"
    # With the admin credentials the image creates the app user and schema. The DB requires TLS:
    # the image copies /root/certs/mysql/server/mysql-ca into sites/default/documents/certificates,
    # and OpenEMR (installer and app) connects over TLS whenever that file exists.
    # FORCE_DATABASE_SSL_CONNECT makes the installer create the app user with REQUIRE SSL.
    run_emr emr-install --env-file "$ENV_FILE" -e FORCE_DATABASE_SSL_CONNECT=1 \
        -v "$DB_CA:/root/certs/mysql/server/mysql-ca:ro"
    rm -f "$ENV_FILE"
    if ! wait_healthy ${bootTimeouts.installSeconds}; then
        # Stop it before the lock passes on, or two installs would race after all.
        docker rm -f emr-install
        echo "emr-boot: OpenEMR install not healthy after ${bootTimeouts.installSeconds}s" >&2
        exit 1
    fi
    touch "$MARKER"
    # Removing the installer drops the admin credentials that docker keeps in its container config.
    docker rm -f emr-install
}

mount_shared_fs
mkdir -p "$SITES"
systemctl daemon-reload
${prepare}systemctl enable --now docker
# Pull before queueing for the lock: the download is the slow part for every server.
docker pull "$IMAGE"

# First-boot coordination. OpenEMR's own SWARM_MODE leader election is a "docker-leader" file
# that stays behind when its writer dies, blocking everyone (openemr/openemr#9430), and several
# servers installing at once fail with "Table 'contact' already exists" (openemr-devops#337).
# flock on NFSv4 (EFS, Azure Files) is a lease-backed lock: the server releases it when the
# holder's process exits or its host stops renewing, so unlike the leader file, a dead installer
# never blocks the rest.
exec 9>"$LOCK"
if ! flock -w ${bootTimeouts.lockWaitSeconds} 9; then
    echo "emr-boot: no install lock after ${bootTimeouts.lockWaitSeconds}s" >&2
    exit 1
fi
if [ -f "$MARKER" ]; then
    echo "emr-boot: OpenEMR already installed, starting without the installer"
else
    install_emr
fi
exec 9>&-
run_emr emr
`;
}

/** The systemd drop-in that keeps Docker (and its restarted containers) behind the shared mount after a reboot. */
const dockerAfterMount = (sharedDir: string) => `[Unit]\nRequiresMountsFor=${sharedDir}\n`;

function writeFile(path: string, permissions: string, content: string): string {
    return [
        `  - path: ${path}`,
        `    owner: root:root`,
        `    permissions: '${permissions}'`,
        `    content: |`,
        indent(content.replace(/\n$/, ""), "      "),
    ].join("\n");
}

/** Renders the `#cloud-config` user data for one web server. */
export function renderCloudInit(app: EmrAppSettings, steps: CloudBootSteps): string {
    if (!app.healthCheckPath.startsWith("/")) throw new Error(`healthCheckPath must start with "/": ${app.healthCheckPath}`);
    const sharedDir = app.sharedDir ?? "/mnt/emr-shared";
    return [
        "#cloud-config",
        "package_update: true",
        "packages:",
        ...steps.packages.map((p) => `  - ${JSON.stringify(p)}`),
        "write_files:",
        writeFile("/etc/systemd/system/docker.service.d/emr-shared-mount.conf", "0644", dockerAfterMount(sharedDir)),
        writeFile(bootScriptPath, "0700", bootScript(app, steps, sharedDir)),
        "runcmd:",
        `  - ${JSON.stringify([bootScriptPath])}`,
        "",
    ].join("\n");
}
