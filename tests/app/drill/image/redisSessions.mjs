// The entrypoint's Redis session section, in the two generations (host/assets.ts ImageTag):
// - "devops" (openemr/openemr-devops docker/openemr/8.0.0/openemr.sh @0a01646, the block `if [
//   "${REDIS_SERVER}" != "" ] && [ ! -f /etc/php-redis-configured ]`, after the install and
//   upgrade blocks): REDIS_PATH="${REDIS_SERVER}:6379" (the port appended whatever REDIS_SERVER
//   holds); a password alone adds `?auth[pass]=${REDIS_PASSWORD}` ("redis setup with password"),
//   a user and a password `?auth[user]=...&auth[pass]=...`, the connector becoming `&`;
//   REDIS_TLS=yes prefixes tls:// and appends `stream[cafile]=file:///var/www/localhost/htdocs/
//   openemr/sites/default/documents/certificates/redis-ca` ("redis tls"), else tcp://; it writes
//   conf.d/redis-session.ini (save_handler redis, save_path in double quotes), reads both back with
//   `php -r "echo ini_get(...)"`, exits 1 on a mismatch, and touches /etc/php-redis-configured.
//   It never asks whether the store answers.
// - "release" (openemr/openemr docker/release/openemr.sh @6269a99, step 8 after the install and
//   global settings; configure_redis_sessions, wait_for_redis): `IFS=: read -r redis_host
//   redis_port _` (port 6379 when absent); up to 10 tries of `nc -z host port`, one second apart;
//   when none answers, "Warning: Redis at ${REDIS_SERVER} not available, using file sessions" on
//   stderr, "Redis session configuration skipped (Redis unavailable)", nothing written, no marker
//   (PHP keeps php.ini's file sessions). Else the same path with `\&` as the connector (inside
//   double quotes bash keeps the backslash), echoed as "Configuring Redis sessions: <path>",
//   written to conf.d/99-redis-sessions.ini, and the marker touched.
// Both: the marker lives in the container's own layer, so a restarted container skips the section
// and a new one runs it again. PHPREDIS_BUILD and REDIS_X509 are not modelled: a container given
// them stops here, loudly.
import { existsSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { imageConfig, sleepScaled } from "./imageConfig.mjs";
import { iniGet } from "./php.mjs";

const env = process.env;
const say = (line) => process.stdout.write(`${line}\n`);
const marker = "/etc/php-redis-configured";
const caPath = "/var/www/localhost/htdocs/openemr/sites/default/documents/certificates/redis-ca";

/**
 * `nc -z host port` (busybox's nc in the Alpine image): a TCP connect through the container's
 * resolver, closed at once; true when the port accepted. Refused fails at once; a silent address
 * is given up after 2 s (busybox nc has no timeout without -w; the drill's store refuses).
 */
const ncZero = (host, port) =>
    new Promise((resolve) => {
        const socket = connect({ host, port: Number(port), timeout: 2000 }, () => (socket.destroy(), resolve(true)));
        socket.on("error", () => resolve(false));
        socket.on("timeout", () => (socket.destroy(), resolve(false)));
    });

function unmodelled() {
    for (const name of ["PHPREDIS_BUILD", "REDIS_X509"]) if (env[name]) throw new Error(`drill: the image's ${name} path is not modelled`);
}

function devops() {
    let path = `${env.REDIS_SERVER}:6379`;
    let connector = "?";
    if (env.REDIS_USERNAME && env.REDIS_PASSWORD) {
        say("redis setup with username and password");
        path = `${path}?auth[user]=${env.REDIS_USERNAME}&auth[pass]=${env.REDIS_PASSWORD}`;
        connector = "&";
    } else if (env.REDIS_PASSWORD) {
        say("redis setup with password");
        path = `${path}?auth[pass]=${env.REDIS_PASSWORD}`;
        connector = "&";
    } else say("redis setup");
    if (env.REDIS_TLS === "yes") {
        say("redis tls");
        path = `tls://${path}${connector}stream[cafile]=file://${caPath}`;
    } else {
        say("redis tcp");
        path = `tcp://${path}`;
    }
    writeFileSync(`/etc/php${env.PHP_VERSION_ABBR}/conf.d/redis-session.ini`, `session.save_handler = redis\nsession.save_path = "${path}"\n`);
    const handler = iniGet("session.save_handler");
    const actual = iniGet("session.save_path");
    if (handler !== "redis") {
        say(`ERROR: Failed to configure session.save_handler. Expected 'redis', got '${handler}'`);
        process.exit(1);
    }
    if (actual !== path) {
        say(`ERROR: Failed to configure session.save_path. Expected '${path}', got '${actual}'`);
        process.exit(1);
    }
    say("Redis session configuration verified successfully");
    writeFileSync(marker, "");
}

async function release() {
    const [host, port = "6379"] = env.REDIS_SERVER.split(":");
    let answered = false;
    for (let tries = 10; tries > 0 && !answered; tries--) {
        answered = await ncZero(host, port || "6379");
        if (!answered) await sleepScaled(1000);
    }
    if (!answered) {
        process.stderr.write(`Warning: Redis at ${env.REDIS_SERVER} not available, using file sessions\n`);
        say("Redis session configuration skipped (Redis unavailable)");
        return;
    }
    let path = `${host}:${port || "6379"}`;
    let connector = "?";
    if (env.REDIS_USERNAME && env.REDIS_PASSWORD) {
        path = `${path}?auth[user]=${env.REDIS_USERNAME}\\&auth[pass]=${env.REDIS_PASSWORD}`;
        connector = "\\&";
    } else if (env.REDIS_PASSWORD) {
        path = `${path}?auth[pass]=${env.REDIS_PASSWORD}`;
        connector = "\\&";
    }
    path = env.REDIS_TLS === "yes" ? `tls://${path}${connector}stream[cafile]=file://${caPath}` : `tcp://${path}`;
    say(`Configuring Redis sessions: ${path}`);
    writeFileSync(`/etc/php${env.PHP_VERSION_ABBR}/conf.d/99-redis-sessions.ini`, `session.save_handler = redis\nsession.save_path = "${path}"\n`);
    writeFileSync(marker, "");
    say("Redis session configuration completed");
}

/** The section, where the entrypoint runs it (after the install, before the permissions step). */
export async function redisSessions() {
    if (!env.REDIS_SERVER || existsSync(marker)) return;
    unmodelled();
    if (imageConfig().generation === "release") await release();
    else devops();
}
