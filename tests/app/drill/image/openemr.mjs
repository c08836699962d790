#!/usr/bin/env node
// The image's entrypoint (CMD ["./openemr.sh"]), step by step, in the two generations the 8.x
// line shipped (host/assets.ts ImageTag.generation), on the real files of this container, so
// noclobber, a missing certificate, a shared or private /etc/ssl behave as they do for real:
// - "devops": openemr/openemr-devops docker/openemr/8.0.0/openemr.sh @0a01646 (set -e);
// - "release": openemr/openemr docker/release/openemr.sh @00239a7 (set -euo pipefail).
// Both: the authority runs ssl.sh (openemr docker/release/ssl.sh @0b6cd1e: a self-signed pair
// once, webserver.{cert,key}.pem symlinks once), the one with root credentials on an unconfigured
// site runs auto_configure.php until it succeeds, the Redis session section (redisSessions.mjs)
// runs after the install, the leader marks sites/docker-completed and drops
// sites/docker-leader at the very end, then Apache starts (httpd.mjs).
import { chmodSync, closeSync, copyFileSync, cpSync, existsSync, mkdirSync, openSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { parseSettings, quickInstall } from "./installer.mjs";
import { imageConfig, readSqlconf, sleepScaled } from "./imageConfig.mjs";
import { redisSessions } from "./redisSessions.mjs";

const oe = "/var/www/localhost/htdocs/openemr";
const sites = `${oe}/sites`;
const leaderFile = `${sites}/docker-leader`;
const completed = () => existsSync(`${sites}/docker-completed`);
const env = process.env;
const release = imageConfig().generation === "release";
const say = (line) => process.stdout.write(`${line}\n`);
const touch = (path) => closeSync(openSync(path, "a"));
/** `set -o noclobber; > file`: an O_EXCL create. */
const createExclusive = (path) => {
    try {
        closeSync(openSync(path, "wx"));
        return true;
    } catch {
        return false;
    }
};

async function sslSh() {
    if (!existsSync("/etc/ssl/private/selfsigned.key.pem")) {
        await sleepScaled(5000); // `openssl req -x509 -newkey rsa:4096`: seconds of one core
        copyFileSync("/usr/share/drill/selfsigned.key.pem", "/etc/ssl/private/selfsigned.key.pem");
        copyFileSync("/usr/share/drill/selfsigned.cert.pem", "/etc/ssl/certs/selfsigned.cert.pem");
    }
    if (!existsSync("/etc/ssl/docker-selfsigned-configured")) {
        rmSync("/etc/ssl/certs/webserver.cert.pem", { force: true });
        rmSync("/etc/ssl/private/webserver.key.pem", { force: true });
        symlinkSync("/etc/ssl/certs/selfsigned.cert.pem", "/etc/ssl/certs/webserver.cert.pem");
        symlinkSync("/etc/ssl/private/selfsigned.key.pem", "/etc/ssl/private/webserver.key.pem");
        touch("/etc/ssl/docker-selfsigned-configured");
    }
}

/** The leader's restore of emptied shared volumes (both generations: `rsync ... /swarm-pieces/ssl /etc/`,
 * `rsync ... /swarm-pieces/sites "${OE_ROOT}/"`: a source without a trailing slash copies the directory itself). */
function restoreSwarmPieces() {
    touch(`${sites}/docker-initiated`);
    if (!existsSync("/etc/ssl/openssl.cnf")) {
        say("Restoring empty /etc/ssl directory.");
        cpSync("/swarm-pieces/ssl", "/etc/ssl", { recursive: true, verbatimSymlinks: true });
    }
    if (!existsSync(`${sites}/default`)) {
        say("Restoring empty /var/www/localhost/htdocs/openemr/sites directory.");
        cpSync("/swarm-pieces/sites", sites, { recursive: true, verbatimSymlinks: true });
    }
}

/** devops L65-84: noclobber leadership; a member waits (10 s polls) for docker-completed, for ever. */
async function devopsSwarm() {
    const authority = createExclusive(leaderFile);
    if (!authority && !completed()) {
        while (!completed()) {
            say("Waiting for the docker-leader to finish configuration before proceeding.");
            await sleepScaled(10_000);
        }
    }
    if (authority) restoreSwarmPieces();
    return authority;
}

/** release try_become_leader: nobody leads a completed swarm; a leader file older than LEADER_TIMEOUT is stale. */
async function tryBecomeLeader() {
    if (completed()) {
        say("Setup already complete, this instance is a follower (AUTHORITY=no)");
        return false;
    }
    const stale = !existsSync(leaderFile) || Date.now() - statSync(leaderFile).mtimeMs > Number(env.LEADER_TIMEOUT ?? 300) * 1000;
    if (stale) {
        rmSync(leaderFile, { force: true });
        rmSync(`${sites}/docker-initiated`, { force: true });
        await sleepScaled(1000);
    }
    if (createExclusive(leaderFile)) {
        writeFileSync(leaderFile, `${Math.floor(Date.now() / 1000)}\n`);
        say("This instance is the docker-leader (AUTHORITY=yes)");
        return true;
    }
    say("This instance is a follower (AUTHORITY=no)");
    return false;
}

/** release handle_swarm_mode: followers wait up to LEADER_WAIT_TIMEOUT (600 s), taking over a stale leader. */
async function releaseSwarm() {
    let authority = await tryBecomeLeader();
    if (!authority && !completed()) {
        say("Waiting for docker-leader to finish configuration (with timeout-based recovery)...");
        for (let waited = 0; !completed() && waited < Number(env.LEADER_WAIT_TIMEOUT ?? 600); waited += 10) {
            if (existsSync(leaderFile) && Date.now() - statSync(leaderFile).mtimeMs > Number(env.LEADER_TIMEOUT ?? 300) * 1000 && (authority = await tryBecomeLeader())) break;
            await sleepScaled(10_000);
        }
        if (!authority && !completed()) authority = await tryBecomeLeader();
        if (!completed() && readSqlconf(`${sites}/default/sqlconf.php`).config === 1) touch(`${sites}/docker-completed`);
    }
    if (authority) restoreSwarmPieces();
    return authority;
}

/** devtoolsLibrary.source prepareVariables: the installer's settings, word-split. release fills the variables' defaults first (openemr.sh L50-70). */
function configuration() {
    const v = (name, fallback) => env[name] ?? (release ? fallback : undefined);
    const words = [`server=${v("MYSQL_HOST", "mysql") ?? ""}`, `rootpass=${v("MYSQL_ROOT_PASS", "root") ?? ""}`, "loginhost=%"];
    const add = (key, value) => value && words.push(`${key}=${value}`);
    add("root", v("MYSQL_ROOT_USER", "root"));
    add("login", v("MYSQL_USER", "openemr"));
    add("pass", v("MYSQL_PASS", "openemr"));
    add("dbname", v("MYSQL_DATABASE", "openemr"));
    add("port", v("MYSQL_PORT", "3306"));
    add("iuser", v("OE_USER", "admin"));
    add("iuserpass", v("OE_PASS", "pass"));
    return words.join(" ").split(/\s+/).filter(Boolean);
}

/** auto_setup / run_auto_configure: `php auto_configure.php ...` then $config must be 1. */
async function autoConfigure() {
    try {
        say((await quickInstall(parseSettings(configuration()))) ?? "");
    } catch (error) {
        process.stderr.write(`PHP Fatal error:  Uncaught Exception: ${error.message}\n`);
        return false;
    }
    if (readSqlconf(`${sites}/default/sqlconf.php`).config === 0) {
        say("Error in auto-config. Configuration failed.");
        if (!release) process.exit(2);
        return false;
    }
    say("OpenEMR configured.");
    return true;
}

async function main() {
    process.chdir(oe);
    const swarm = env.SWARM_MODE === "yes";
    const authority = swarm ? await (release ? releaseSwarm() : devopsSwarm()) : true;
    // devops: the authority runs ssl.sh; release: followers without a certificate run it too.
    if (authority || (release && !(existsSync("/etc/ssl/certs/webserver.cert.pem") && existsSync("/etc/ssl/private/webserver.key.pem")))) await sslSh();
    const config = readSqlconf(`${sites}/default/sqlconf.php`).config;
    if (!authority && config === 0) {
        say("Critical failure! An OpenEMR worker is trying to run on a missing configuration.");
        say(" - Is this due to a Kubernetes grant hiccup?");
        say("The worker will now terminate.");
        process.exit(1);
    }
    // The CA files under /root/certs, copied when absent (devops: one `if [ -f /root/certs/... ]`
    // block per file; release: manage_certificates, with chmod 744).
    const ca = `${sites}/default/documents/certificates/mysql-ca`;
    for (const from of ["/root/certs/mysql/server/mysql-ca", "/root/certs/redis/redis-ca"]) {
        const name = from.split("/").at(-1);
        const to = `${sites}/default/documents/certificates/${name}`;
        if (!existsSync(from) || !statSync(from).isFile() || existsSync(to)) continue;
        mkdirSync(`${sites}/default/documents/certificates`, { recursive: true });
        copyFileSync(from, to);
        if (release) chmodSync(to, 0o744);
        say(release ? `Copied ${name}` : `copied over ${name}`);
    }
    const rootPass = env.MYSQL_ROOT_PASS ?? (release ? "root" : "");
    if (authority && config === 0 && (env.MYSQL_HOST ?? (release ? "mysql" : "")) && rootPass && env.MANUAL_SETUP !== "yes") {
        say("Running quick setup!");
        while (!(await autoConfigure())) {
            say("Couldn't set up. Any of these reasons could be what's wrong:");
            await sleepScaled(1000);
        }
        say("Setup Complete!");
    }
    await redisSessions();
    // devops L392-420: a fresh container's first run (auto_configure.php still there) chmods the
    // whole code tree (`find . -type f ... -exec chmod 400 {} \+` over some 60,000 files: seconds)
    // before it removes the setup scripts.
    if ((authority || swarm) && config === 1 && existsSync(`${oe}/auto_configure.php`)) {
        if (!release) await sleepScaled(6000);
        for (const script of ["admin.php", "setup.php", "auto_configure.php", "acl_upgrade.php", "sql_patch.php", "sql_upgrade.php", "ippf_upgrade.php"]) rmSync(`${oe}/${script}`, { force: true });
    }
    if ((!swarm || !completed()) && existsSync(ca)) chmodSync(ca, 0o744);
    if (authority && swarm) {
        touch(`${sites}/docker-completed`);
        rmSync(leaderFile, { force: true });
    }
    if (swarm) {
        say("swarm mode on: this instance is ready");
        touch("/root/instance-swarm-ready");
    }
    say("Starting apache!");
    await import("./httpd.mjs"); // exec /usr/sbin/httpd -D FOREGROUND
}

main().catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
});
