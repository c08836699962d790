#!/usr/bin/env node
// The image's entrypoint (CMD ["./openemr.sh"]), step by step as openemr-devops
// docker/openemr/8.0.0/openemr.sh (@0a01646) runs it; 7.0.3/openemr.sh (@2a860af) has the same steps
// (line numbers below are 7.0.3's). Every step works on the real files of this container, so
// noclobber, EBUSY on a bind-mounted file, a missing certificate... behave as they do for real.
// set -e (L10): any failing step ends the container with exit 1.
import { chmodSync, closeSync, copyFileSync, cpSync, existsSync, mkdirSync, openSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { parseSettings, quickInstall } from "./installer.mjs";
import { imageConfig, readSqlconf, sleepScaled } from "./imageConfig.mjs";

const oe = "/var/www/localhost/htdocs/openemr";
const sites = `${oe}/sites`;
const env = process.env;
const say = (line) => process.stdout.write(`${line}\n`);
const touch = (path) => closeSync(openSync(path, "a"));

// ssl.sh (run only by AUTHORITY, L103-105), L11-25: a self-signed pair once, then
// webserver.{cert,key}.pem as symlinks to it, once (docker-selfsigned-configured); set -e.
// The pair is copied from the image's pre-made one instead of `openssl req -newkey rsa:4096`
// (seconds of CPU); the files and their names are the same.
async function sslSh() {
    if (!existsSync("/etc/ssl/private/selfsigned.key.pem")) {
        await sleepScaled(5000); // what `openssl req -newkey rsa:4096` costs on one VM core: seconds
        mkdirSync("/etc/ssl/private", { recursive: true });
        mkdirSync("/etc/ssl/certs", { recursive: true });
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

// utilities/devtoolsLibrary.source prepareVariables (8.1.0 @06d32a5; 7.0.3 the same words):
// "server=$MYSQL_HOST rootpass=$MYSQL_ROOT_PASS loginhost=%" then root=, login=, pass=, dbname=,
// port=, and iuser= / iuserpass= only when OE_USER / OE_PASS are set; word-split unquoted.
function configuration() {
    const words = [`server=${env.MYSQL_HOST ?? "localhost"}`, `rootpass=${env.MYSQL_ROOT_PASS ?? ""}`, "loginhost=%"];
    const add = (key, value) => value && words.push(`${key}=${value}`);
    add("root", env.MYSQL_ROOT_USER);
    add("login", env.MYSQL_USER);
    add("pass", env.MYSQL_PASS);
    add("dbname", env.MYSQL_DATABASE);
    add("port", env.MYSQL_PORT);
    add("iuser", env.OE_USER);
    add("iuserpass", env.OE_PASS);
    return words.join(" ").split(/\s+/).filter(Boolean);
}

// auto_setup (L24-58): php auto_configure.php ... || return 1; exit 2 if $config is still 0.
async function autoSetup() {
    try {
        say((await quickInstall(parseSettings(configuration()))) ?? "");
    } catch (error) {
        process.stderr.write(`PHP Fatal error:  Uncaught Exception: ${error.message}\n`);
        return false;
    }
    say("OpenEMR configured.");
    if (readSqlconf(`${sites}/default/sqlconf.php`).config === 0) {
        say("Error in auto-config. Configuration failed.");
        process.exit(2);
    }
    return true;
}

async function main() {
    process.chdir(oe);
    let authority = "yes";
    const operator = "yes";
    if (env.SWARM_MODE === "yes") {
        // L74-78: set -o noclobber; { > sites/docker-leader ; } || AUTHORITY=no  (an O_EXCL create)
        try {
            closeSync(openSync(`${sites}/docker-leader`, "wx"));
        } catch {
            authority = "no";
        }
        // L80-86: a member waits for docker-completed, polling every 10 s.
        if (authority === "no" && !existsSync(`${sites}/docker-completed`)) {
            while (!existsSync(`${sites}/docker-completed`)) {
                say("Waiting for the docker-leader to finish configuration before proceeding.");
                await sleepScaled(10_000);
            }
        }
        if (authority === "yes") {
            // L88-100
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
    }
    if (authority === "yes") await sslSh(); // L103-105
    // L134-141 (L137): a member on an unconfigured site stops.
    let config = readSqlconf(`${sites}/default/sqlconf.php`).config;
    if (authority === "no" && config === 0) {
        say("Critical failure! An OpenEMR worker is trying to run on a missing configuration.");
        say(" - Is this due to a Kubernetes grant hiccup?");
        say("The worker will now terminate.");
        process.exit(1);
    }
    // L155-160: the MySQL CA, once, into the shared site.
    const ca = `${sites}/default/documents/certificates/mysql-ca`;
    if (existsSync("/root/certs/mysql/server/mysql-ca") && !existsSync(ca)) {
        say("copied over mysql-ca");
        copyFileSync("/root/certs/mysql/server/mysql-ca", ca);
    }
    // L218-232: the authority with root credentials installs, retrying every second for ever.
    if (authority === "yes" && config === 0 && env.MYSQL_HOST && env.MYSQL_ROOT_PASS && env.MANUAL_SETUP !== "yes") {
        say("Running quick setup!");
        while (!(await autoSetup())) {
            say("Couldn't set up. Any of these reasons could be what's wrong:");
            say(" - You didn't spin up a MySQL container or connect your OpenEMR container to a mysql instance");
            say(" - MySQL is still starting up and wasn't ready for connection yet");
            say(" - The Mysql credentials were incorrect");
            await sleepScaled(1000);
        }
        say("Setup Complete!");
        config = 1;
    }
    // L378-386: once per shared site, the CA readable by Apache.
    if (env.SWARM_MODE !== "yes" || !existsSync(`${sites}/docker-completed`)) {
        if (existsSync(ca)) {
            say("adjusted permissions for mysql-ca");
            chmodSync(ca, 0o744);
        }
    }
    // L430-435 (touch at L433): the leader marks the configuration complete and gives up leadership.
    if (authority === "yes" && env.SWARM_MODE === "yes") {
        touch(`${sites}/docker-completed`);
        rmSync(`${sites}/docker-leader`, { force: true });
    }
    if (env.SWARM_MODE === "yes") {
        say("");
        say("swarm mode on: this instance is ready");
        touch("/root/instance-swarm-ready");
    }
    // L449-453
    if (operator === "yes") {
        say("Starting apache!");
        await import("./httpd.mjs"); // exec /usr/sbin/httpd -D FOREGROUND
    }
}

if (imageConfig().tag === undefined) throw new Error("no /etc/drill-image.json in this image");
main().catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
});
writeFileSync("/run/openemr.sh.pid", String(process.pid));
