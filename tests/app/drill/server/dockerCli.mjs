// The docker CLI's commands a boot uses (src/app/bootPrograms.ts: pull, run, rm, inspect, logs,
// exec) as the stand-in daemon carries them out (the `docker` script sends its argv here), with
// the CLI's documented output, exit codes and messages (docs.docker.com/reference/cli/docker/).
// Anything else answers exit 99 "drill: ... does not implement", so a script using more is
// noticed, never faked.
// - rm prints each removed name; a missing container is "Error response from daemon: No such
//   container: x" on stderr, which fails the command (exit 1) unless -f is given (docker/cli
//   cli/command/container/rm.go @4241e00: `if opts.force && errdefs.IsNotFound(err) { ...; continue }`);
//   a running one without -f is refused; -v also removes the container's anonymous volumes.
// - exec runs in the container's namespaces, working directory and Env; "Error response from
//   daemon: container <id> is not running" (exit 1) when it is not.
// - inspect prints the JSON array of containers or, with -f, a Go template over each
//   ({{.Path}}, {{json .Path}}); "Error: No such object: x" exits 1.
// - run (foreground) waits for the container to exit, prints its output, exits with its status;
//   run -d prints the new id.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { kill, start } from "./containers.mjs";
import { pullImage } from "./dockerImages.mjs";
import { DockerError } from "./dockerError.mjs";
import { createContainer, parseRun } from "./dockerRun.mjs";
import { containerDir, findContainer, readContainer, removeContainer, volumesDir } from "./dockerState.mjs";

const operands = (list) => list.filter((a) => !a.startsWith("-"));

function template(format, value) {
    return format.replace(/\{\{\s*(json\s+)?\.([A-Za-z0-9_.]*)\s*\}\}/g, (_, json, path) => {
        const found = path === "" ? value : path.split(".").reduce((v, k) => v?.[k], value);
        if (json) return JSON.stringify(found ?? null);
        if (Array.isArray(found)) return `[${found.join(" ")}]`;
        return found === undefined || found === null ? "<no value>" : String(found);
    });
}

function existing(ref) {
    const container = findContainer(ref);
    if (!container) throw new DockerError(`No such container: ${ref}`, 1, "Error response from daemon: ");
    return container;
}

function logs(container, io) {
    const path = `${containerDir(container.Id)}/${container.Id}-json.log`;
    const records = existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
    for (const r of records) (r.stream === "stderr" ? io.err : io.out)(r.log);
}

async function remove(container, volumes) {
    await kill(container.Id);
    removeContainer(container.Id);
    if (volumes) for (const m of container.Mounts) if (m.Anonymous) rmSync(`${volumesDir}/${m.Name}`, { recursive: true, force: true });
}

async function run(args, io) {
    const opts = parseRun(args, io);
    const id = await createContainer(opts, io);
    const { state, exited } = await start(id);
    if (state.Error) throw new DockerError(`failed to create task for container: ${state.Error}`, 125);
    if (opts.detach) return io.out(`${id}\n`), 0;
    const code = await exited;
    logs(readContainer(id), io);
    if (opts.rm) await remove(readContainer(id), true);
    return code;
}

/** `docker exec [-e K=V] NAME CMD...`: the command in the container's namespaces, Env and WorkingDir. */
function exec(list, io) {
    let i = 0;
    const env = [];
    for (; list[i]?.startsWith("-"); i++) {
        if (["-i", "-t", "-it"].includes(list[i])) continue;
        if (list[i] === "-e" || list[i] === "--env") env.push(list[++i]);
        else throw new DockerError(`the docker stand-in does not implement exec option ${list[i]}`, 99, "drill: ");
    }
    const container = existing(list[i]);
    if (!container.State.Running) throw new DockerError(`container ${container.Id} is not running`, 1, "Error response from daemon: ");
    const environment = Object.fromEntries([...container.Config.Env, ...env].map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
    const argv = ["-t", String(container.State.Pid), "-m", "-n", "-p", "-r", `--wdns=${container.Config.WorkingDir || "/"}`, ...list.slice(i + 1)];
    return new Promise((resolve) => {
        const child = spawn("nsenter", argv, { stdio: ["ignore", io.fds[1], io.fds[2]], env: environment });
        child.on("error", () => resolve(126));
        child.on("exit", (code, signal) => resolve(signal ? 137 : (code ?? 126)));
    });
}

function inspect(list, io) {
    const formatAt = list.findIndex((a) => a === "-f" || a === "--format");
    const format = formatAt >= 0 ? list[formatAt + 1] : undefined;
    const refs = list.filter((a, i) => !a.startsWith("-") && i !== formatAt + 1);
    const found = refs.map(findContainer);
    refs.forEach((ref, i) => found[i] || io.err(`Error: No such object: ${ref}\n`));
    const present = found.filter(Boolean);
    if (format) for (const c of present) io.out(`${template(format, c)}\n`);
    else io.out(`${JSON.stringify(present, null, 4)}\n`);
    return present.length === refs.length ? 0 : 1;
}

export async function command(argv, io) {
    const [first, ...rest] = argv;
    const sub = first === "container" ? rest.shift() : first;
    try {
        switch (sub) {
            case "pull":
                return (await pullImage(operands(rest)[0], io, rest.includes("--quiet") || rest.includes("-q"))) ? 0 : 1;
            case "run":
                return await run(rest, io);
            case "rm": {
                const flags = rest.filter((a) => a.startsWith("-")).join("");
                const force = /f|--force/.test(flags);
                let failed = false;
                for (const ref of operands(rest)) {
                    const container = findContainer(ref);
                    if (!container) {
                        io.err(`Error response from daemon: No such container: ${ref}\n`);
                        failed ||= !force;
                    } else if (container.State.Running && !force) {
                        io.err(`Error response from daemon: cannot remove container "${container.Name}": container is running: stop the container before removing or force remove\n`);
                        failed = true;
                    } else {
                        await remove(container, /v|--volumes/.test(flags.replace("--force", "")));
                        io.out(`${ref}\n`);
                    }
                }
                return failed ? 1 : 0;
            }
            case "exec":
                return await exec(rest, io);
            case "inspect":
                return inspect(rest, io);
            case "logs":
                logs(existing(operands(rest).at(-1)), io);
                return 0;
            default:
                io.err(`drill: the docker stand-in does not implement "docker ${argv.join(" ")}"\n`);
                return 99;
        }
    } catch (error) {
        if (!(error instanceof DockerError)) throw error;
        if (error.message) io.err(`${error.prefix}${error.message}\n`);
        return error.code;
    }
}
