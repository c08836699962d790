#!/usr/bin/env node
// docker CLI stand-in: the subcommands a boot script uses, with the CLI's documented output, exit
// codes and messages (https://docs.docker.com/reference/cli/docker/). Anything else stops with
// exit 99 and "drill: ... does not implement", so a script using more is noticed, never faked.
// - rm -f of a missing container prints "Error: No such container: x" and exits 0 (docker/cli#2678,
//   since 20.10); without -f it exits 1. -v also removes the container's anonymous volumes.
// - exec runs in the container's namespaces and root with its Env; "Error response from daemon:
//   container <id> is not running" (exit 1) when it is not.
// - inspect prints the JSON array of containers or, with -f, a Go template over it ({{.Path}},
//   {{json .Path}}); "Error: No such object: x" exits 1.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { allContainers, containerDir, findContainer, isAlive, readContainer, requireDaemon, updateState, volumesDir } from "./dockerState.mjs";
import { pullImage } from "./dockerImages.mjs";
import { parseRun, runContainer, startContainer } from "./dockerRun.mjs";

const [command, ...args] = process.argv.slice(2);
const out = (text) => process.stdout.write(text);
const unimplemented = (what) => {
    process.stderr.write(`drill: the docker stand-in does not implement ${what}\n`);
    process.exit(99);
};
const flags = (list) => list.filter((a) => a.startsWith("-"));
const operands = (list) => list.filter((a) => !a.startsWith("-"));

function template(format, value) {
    return format.replace(/\{\{\s*(json\s+)?\.([A-Za-z0-9_.]*)\s*\}\}/g, (_, json, path) => {
        const found = path === "" ? value : path.split(".").reduce((v, k) => v?.[k], value);
        if (json) return JSON.stringify(found ?? null);
        if (Array.isArray(found)) return `[${found.join(" ")}]`;
        return found === undefined || found === null ? "<no value>" : String(found);
    });
}

async function kill(container, signal) {
    if (isAlive(container.State.Pid)) process.kill(container.State.Pid, signal);
    for (let i = 0; i < 500 && isAlive(container.State.Pid); i++) await new Promise((r) => setTimeout(r, 10));
}

async function remove(refs, force, volumes) {
    let failed = false;
    for (const ref of refs) {
        const container = findContainer(ref);
        if (!container) {
            process.stderr.write(`Error response from daemon: No such container: ${ref}\n`);
            failed ||= !force;
            continue;
        }
        if (container.State.Running && !force) {
            process.stderr.write(`Error response from daemon: cannot remove container "${container.Name}": container is running: stop the container before removing or force remove\n`);
            failed = true;
            continue;
        }
        updateState(container.Id, { StoppedByUser: true });
        await kill(container, "SIGKILL");
        rmSync(containerDir(container.Id), { recursive: true, force: true });
        if (volumes) for (const m of container.Mounts) if (m.Anonymous) rmSync(`${volumesDir}/${m.Name}`, { recursive: true, force: true });
        out(`${ref}\n`);
    }
    process.exit(failed ? 1 : 0);
}

function running(ref) {
    const container = findContainer(ref);
    if (!container) {
        process.stderr.write(`Error response from daemon: No such container: ${ref}\n`);
        process.exit(1);
    }
    if (!container.State.Running) {
        process.stderr.write(`Error response from daemon: container ${container.Id} is not running\n`);
        process.exit(1);
    }
    return container;
}

function exec(list) {
    let i = 0;
    const env = [];
    for (; list[i]?.startsWith("-"); i++) {
        if (["-i", "-t", "-it"].includes(list[i])) continue;
        if (list[i] === "-e" || list[i] === "--env") env.push(list[++i]);
        else unimplemented(`exec option ${list[i]}`);
    }
    const container = running(list[i]);
    const result = spawnSync(
        "nsenter",
        ["-t", String(container.State.Pid), "-m", "-n", "-p", "-r", "-w", "/usr/bin/env", "-i", ...container.Config.Env, ...env, "/bin/sh", "-c", 'cd "$0" && exec "$@"', container.Config.WorkingDir, ...list.slice(i + 1)],
        { stdio: "inherit" },
    );
    process.exit(result.status ?? 126);
}

function ps(list) {
    const all = list.includes("-a") || list.includes("--all");
    const quiet = list.includes("-q") || list.includes("--quiet");
    const filters = list.flatMap((a, i) => (a === "--filter" || a === "-f" ? [list[i + 1]] : a.startsWith("--filter=") ? [a.slice(9)] : []));
    const format = list.flatMap((a, i) => (a === "--format" ? [list[i + 1]] : a.startsWith("--format=") ? [a.slice(9)] : []))[0];
    const rows = allContainers().filter((c) => (all || c.State.Running) && filters.every((f) => {
        const [key, value] = f.split("=");
        if (key === "name") return new RegExp(value).test(c.Name.slice(1));
        if (key === "status") return c.State.Status === value;
        return unimplemented(`ps --filter ${key}`);
    }));
    for (const c of rows) {
        const view = { ID: c.Id.slice(0, 12), Names: c.Name.slice(1), Image: c.Config.Image, Status: c.State.Running ? "Up" : `Exited (${c.State.ExitCode})`, State: c.State.Status };
        out(`${quiet ? view.ID : format ? template(format, view) : `${view.ID}  ${view.Image}  ${view.Status}  ${view.Names}`}\n`);
    }
}

function inspect(list) {
    const formatAt = list.findIndex((a) => a === "-f" || a === "--format");
    const format = formatAt >= 0 ? list[formatAt + 1] : undefined;
    const refs = list.filter((a, i) => !a.startsWith("-") && i !== formatAt + 1 && a !== "container");
    let failed = false;
    const found = [];
    for (const ref of refs) {
        const c = findContainer(ref);
        if (c) found.push(c);
        else {
            process.stderr.write(`Error: No such object: ${ref}\n`);
            failed = true;
        }
    }
    if (format) for (const c of found) out(`${template(format, c)}\n`);
    else out(`${JSON.stringify(found, null, 4)}\n`);
    process.exit(failed ? 1 : 0);
}

function logs(list) {
    const ref = operands(list).at(-1);
    const container = findContainer(ref);
    if (!container) {
        process.stderr.write(`Error response from daemon: No such container: ${ref}\n`);
        process.exit(1);
    }
    const path = `${containerDir(container.Id)}/${container.Id}-json.log`;
    const tailAt = list.indexOf("--tail");
    let records = existsSync(path) ? readFileSync(path, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
    if (tailAt >= 0 && list[tailAt + 1] !== "all") records = records.slice(-Number(list[tailAt + 1]));
    for (const r of records) (r.stream === "stderr" ? process.stderr : process.stdout).write(r.log);
}

if (command === "--version" || command === "version") {
    out("Docker version 25.0.8 (drill stand-in)\n");
    process.exit(0);
}
requireDaemon();
const sub = command === "container" ? args.shift() : command;
switch (sub) {
    case "pull":
        process.exit((await pullImage(operands(args)[0])) ? 0 : 1);
        break;
    case "run":
    case "create": {
        const opts = parseRun(args);
        const id = await runContainer(opts);
        if (sub === "create") out(`${id}\n`);
        else {
            const state = await startContainer(id);
            if (state.Error) process.exit(125);
            if (!opts.detach) {
                while (isAlive(readContainer(id).State.Pid) || readContainer(id).State.Running) await new Promise((r) => setTimeout(r, 20));
                execFileSync(process.execPath, [process.argv[1], "logs", id], { stdio: "inherit" });
                const code = existsSync(containerDir(id)) ? readContainer(id).State.ExitCode : 0;
                if (opts.rm) rmSync(containerDir(id), { recursive: true, force: true });
                process.exit(code);
            }
            out(`${id}\n`);
        }
        break;
    }
    case "start":
        for (const ref of operands(args)) await startContainer(findContainer(ref).Id);
        break;
    case "rm": {
        const f = flags(args).join("");
        await remove(operands(args), /f|--force/.test(f), /v|--volumes/.test(f.replace("--force", "")));
        break;
    }
    case "stop":
    case "kill":
        for (const ref of operands(args)) {
            const c = running(ref);
            updateState(c.Id, { StoppedByUser: true });
            await kill(c, sub === "kill" ? "SIGKILL" : "SIGTERM");
            out(`${ref}\n`);
        }
        break;
    case "exec":
        exec(args);
        break;
    case "ps":
    case "ls":
        ps(args);
        break;
    case "inspect":
        inspect(args);
        break;
    case "logs":
        logs(args);
        break;
    default:
        unimplemented(`"docker ${[command, ...args].join(" ")}"`);
}
