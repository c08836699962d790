#!/usr/bin/env node
// cloud-init stand-in: applies a #cloud-config the way cloud-init does on first boot, inside a
// simulated server (see host/server.sh). Written from the cloud-init module docs
// (https://cloudinit.readthedocs.io/en/latest/reference/modules.html):
// - write_files (init stage): "path", "content", "owner" (default root:root), "permissions"
//   (default '0644'), "encoding" (b64/base64, gzip, gz+b64), "append"; parent directories are
//   created; entries with "defer: true" are written in the final stage instead.
// - package_update / packages (final stage, module package_update_upgrade_install, before
//   scripts_user): installed by the distro package manager; a failure fails that module only.
// - runcmd: "each item can be either a list or a string"; lists are shell-quoted, strings are
//   written as is, into /var/lib/cloud/instance/scripts/runcmd, which scripts_user runs with
//   /bin/sh in the final stage; its output goes to /var/log/cloud-init-output.log.
// The drill reads /var/lib/cloud/instance/boot-finished.json for the exit status of runcmd.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, chownSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { gunzipSync } from "node:zlib";
import yaml from "../../../../node_modules/js-yaml/index.js";
import { installPackage } from "./packages.mjs";

const log = "/var/log/cloud-init-output.log";
const say = (line) => appendFileSync(log, `${line}\n`);
const userData = readFileSync(process.argv[2], "utf8");
if (!userData.startsWith("#cloud-config\n")) throw new Error("user data is not a #cloud-config");
const config = yaml.load(userData);

function decode(entry) {
    const text = entry.content ?? "";
    switch (entry.encoding ?? "text/plain") {
        case "b64": case "base64": return Buffer.from(text, "base64");
        case "gzip": case "gz": return gunzipSync(Buffer.from(text, "binary"));
        case "gz+b64": case "gz+base64": case "gzip+base64": case "gzip+b64": return gunzipSync(Buffer.from(text, "base64"));
        default: return Buffer.from(text);
    }
}

function owner(spec) {
    const [user, group = user] = String(spec ?? "root:root").split(":");
    const id = (db, name) => Number(execFileSync("getent", [db, name], { encoding: "utf8" }).split(":")[2]);
    return [id("passwd", user), id("group", group)];
}

function writeFiles(deferred) {
    for (const entry of config.write_files ?? []) {
        if (Boolean(entry.defer) !== deferred) continue;
        mkdirSync(dirname(entry.path), { recursive: true });
        (entry.append ? appendFileSync : writeFileSync)(entry.path, decode(entry));
        chmodSync(entry.path, parseInt(String(entry.permissions ?? "0644"), 8));
        chownSync(entry.path, ...owner(entry.owner));
    }
}

const shellQuote = (arg) => `'${String(arg).replace(/'/g, `'\\''`)}'`;

writeFiles(false);
say(`Cloud-init (drill) init stage: wrote ${(config.write_files ?? []).length} files`);
for (const name of config.packages ?? []) {
    const outcome = installPackage(String(name));
    say(`package ${name}: ${outcome}`);
}
writeFiles(true);
const lines = (config.runcmd ?? []).map((item) => (Array.isArray(item) ? item.map(shellQuote).join(" ") : String(item)));
mkdirSync("/var/lib/cloud/instance/scripts", { recursive: true });
writeFileSync("/var/lib/cloud/instance/scripts/runcmd", `#!/bin/sh\n${lines.join("\n")}\n`, { mode: 0o700 });
const started = Date.now();
// Output goes straight to the log file (not a pipe), so daemons the script leaves behind cannot hold it open.
const out = openSync(log, "a");
const result = spawnSync("/bin/sh", ["/var/lib/cloud/instance/scripts/runcmd"], {
    stdio: ["ignore", out, out],
    env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", LANG: "C.UTF-8" },
});
writeFileSync(
    "/var/lib/cloud/instance/boot-finished.json",
    JSON.stringify({ exitCode: result.status, signal: result.signal, seconds: (Date.now() - started) / 1000 }),
);
