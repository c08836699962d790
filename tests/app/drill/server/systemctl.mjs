#!/usr/bin/env node
// systemctl stand-in for the units a boot script writes or its packages install. Follows systemd
// (https://www.freedesktop.org/software/systemd/man/latest/systemctl.html, systemd.service(5)):
// - unit files are looked up in /etc/systemd/system then /usr/lib/systemd/system; a missing one
//   fails: "Failed to enable unit: Unit file X does not exist." (exit 1), "Failed to start X:
//   Unit X not found." (exit 5);
// - daemon-reload re-reads unit files (files written before it count; the stand-in reads them at
//   start, so it only records the call);
// - enable links the unit into its WantedBy target; --now also starts it; start runs ExecStart:
//   Type=simple/exec/notify keep running in the background (stdout/stderr to the journal, here
//   /var/log/journal/<unit>.log), Type=oneshot runs to completion and its failure fails start;
// - restart stops the main process then starts again; is-active prints active/inactive (exit 0/3).
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";

const state = "/run/drill-systemd";
mkdirSync(state, { recursive: true });
mkdirSync("/var/log/journal", { recursive: true });
appendFileSync(`${state}/calls.log`, `${process.argv.slice(2).join(" ")}\n`);
const args = process.argv.slice(2).filter((a) => !["--no-block", "--quiet", "-q", "--system"].includes(a));
const now = args.includes("--now");
const [verb, ...units] = args.filter((a) => a !== "--now").map((a, i) => (i > 0 && !a.includes(".") ? `${a}.service` : a));

const unitPath = (unit) => [`/etc/systemd/system/${unit}`, `/usr/lib/systemd/system/${unit}`].find(existsSync);
function parse(unit) {
    const text = readFileSync(unitPath(unit), "utf8");
    const dropIns = `/etc/systemd/system/${unit}.d`;
    const sections = {};
    let current = "";
    for (const raw of text.split("\n")) {
        const line = raw.trim();
        if (line.startsWith("[")) current = line.slice(1, -1);
        else if (line && !line.startsWith("#") && line.includes("=")) {
            const key = line.slice(0, line.indexOf("="));
            (sections[current] ??= {})[key] = line.slice(line.indexOf("=") + 1);
        }
    }
    return { ...sections, dropIns: existsSync(dropIns) };
}
const pidFile = (unit) => `${state}/${unit}.pid`;
const alive = (unit) => {
    if (!existsSync(pidFile(unit))) return false;
    try {
        process.kill(Number(readFileSync(pidFile(unit), "utf8")), 0);
        return true;
    } catch {
        return false;
    }
};

function start(unit) {
    if (!unitPath(unit)) {
        process.stderr.write(`Failed to start ${unit}: Unit ${unit} not found.\n`);
        process.exit(5);
    }
    if (alive(unit)) return;
    const service = parse(unit).Service ?? {};
    const argv = service.ExecStart.replace(/^[-@:+!]+/, "").split(/\s+/);
    const journal = openSync(`/var/log/journal/${unit}.log`, "a");
    const environment = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C.UTF-8" };
    for (const assignment of (service.Environment ?? "").split(/\s+/).filter(Boolean)) {
        const [k, v] = assignment.replace(/^"|"$/g, "").split("=");
        environment[k] = v;
    }
    if (service.Type === "oneshot") {
        const result = spawnSync(argv[0], argv.slice(1), { stdio: ["ignore", journal, journal], env: environment });
        if (result.status !== 0) {
            process.stderr.write(`Job for ${unit} failed because the control process exited with error code.\n`);
            process.exit(1);
        }
        return;
    }
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ["ignore", journal, journal], env: environment });
    child.unref();
    writeFileSync(pidFile(unit), String(child.pid));
    if (unit === "docker.service") {
        // Type=notify: systemctl returns once the daemon says it is ready.
        while (!existsSync("/var/run/docker.pid")) spawnSync("sleep", ["0.01"]);
    }
}

function stop(unit) {
    if (!alive(unit)) return;
    process.kill(Number(readFileSync(pidFile(unit), "utf8")), "SIGTERM");
}

switch (verb) {
    case "daemon-reload":
        break;
    case "enable":
        for (const unit of units) {
            if (!unitPath(unit)) {
                process.stderr.write(`Failed to enable unit: Unit file ${unit} does not exist.\n`);
                process.exit(1);
            }
            const target = (parse(unit).Install ?? {}).WantedBy ?? "multi-user.target";
            mkdirSync(`/etc/systemd/system/${target}.wants`, { recursive: true });
            const link = `/etc/systemd/system/${target}.wants/${unit}`;
            if (!existsSync(link)) symlinkSync(unitPath(unit), link);
            if (now) start(unit);
        }
        break;
    case "start":
        for (const unit of units) start(unit);
        break;
    case "restart":
        for (const unit of units) {
            stop(unit);
            spawnSync("sleep", ["0.05"]);
            start(unit);
        }
        break;
    case "stop":
        for (const unit of units) stop(unit);
        break;
    case "is-active": {
        const active = units.every(alive);
        process.stdout.write(`${active ? "active" : "inactive"}\n`);
        process.exit(active ? 0 : 3);
        break;
    }
    default:
        process.stderr.write(`drill: the systemctl stand-in does not implement "${verb}"\n`);
        process.exit(99);
}
