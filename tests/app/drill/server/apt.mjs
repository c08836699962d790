#!/usr/bin/env node
// dpkg / apt-get stand-in (Ubuntu servers), for the AZNFS install the Azure boot steps do
// (Azure/AZNFS-mount README: install packages-microsoft-prod.deb, apt-get update, apt-get install
// aznfs). `dpkg -i` of that .deb adds the Microsoft repository; `apt-get install` then finds aznfs
// in it (anything else it does not know: "E: Unable to locate package X", exit 100, as apt does).
// Called as dpkg or apt-get (argv[1]'s name); -o options (e.g. DPkg::Lock::Timeout) are accepted.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { extraRepositoryPackages, installPackage } from "./packages.mjs";

const tool = basename(process.argv[1]).replace(/\.mjs$/, "");
const args = process.argv.slice(2).filter((a, i, all) => a !== "-o" && all[i - 1] !== "-o" && !a.startsWith("-o"));
const list = "/etc/apt/sources.list.d/microsoft-prod.list";
const fail = (message, code) => {
    process.stderr.write(`${message}\n`);
    process.exit(code);
};

if (tool === "dpkg") {
    const deb = args[args.indexOf("-i") + 1];
    if (args[0] !== "-i" || !existsSync(deb)) fail(`dpkg: error: cannot access archive '${deb}': No such file or directory`, 2);
    if (!readFileSync(deb, "utf8").startsWith("!<arch>\npackages-microsoft-prod")) fail(`dpkg-deb: error: '${deb}' is not a Debian format archive`, 1);
    mkdirSync("/etc/apt/sources.list.d", { recursive: true });
    writeFileSync(list, "deb [arch=amd64] https://packages.microsoft.com/ubuntu/24.04/prod noble main\n");
    process.exit(0);
}
const [verb, ...rest] = args.filter((a) => !["-y", "-q", "-qq", "--yes", "--no-install-recommends"].includes(a));
if (verb === "update") process.exit(0);
if (verb !== "install") fail(`drill: the apt-get stand-in does not implement "${verb}"`, 99);
for (const name of rest) {
    const fromMicrosoft = existsSync(list) && extraRepositoryPackages[name];
    if (fromMicrosoft) fromMicrosoft();
    else if (installPackage(name) !== "installed") fail(`E: Unable to locate package ${name}`, 100);
}
