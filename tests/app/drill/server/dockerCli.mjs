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
//   ({{.Path}}, {{json .Path}}, {{index .Path N}}); "Error: No such object: x" exits 1.
// - image inspect does the same over images (Id, RepoTags, RepoDigests, Architecture, Os, Config:
//   dockerImages.mjs); an absent one is "Error response from daemon: No such image: x" (moby
//   daemon/images/image.go:34), exit 1. A template that fails on an element (index out of range)
//   is "template parsing error: ..." and exit 1 (docker/cli cli/command/inspect/inspector.go).
// - run (foreground) waits for the container to exit, prints its output, exits with its status;
//   run -d prints the new id.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { kill, start } from "./containers.mjs";
import { parseRef, pullImage, readImage } from "./dockerImages.mjs";
import { DockerError } from "./dockerError.mjs";
import { createContainer, parseRun } from "./dockerRun.mjs";
import { containerDir, findContainer, readContainer, removeContainer, volumesDir } from "./dockerState.mjs";

const operands = (list) => list.filter((a) => !a.startsWith("-"));

/** A Go template of the forms the boot uses over `value`: {{.A.B}}, {{json .A}}, {{index .A N}} (text/template's builtins). */
function template(format, value) {
    return format.replace(/\{\{\s*(json\s+|index\s+)?\.([A-Za-z0-9_.]*)(\s+\d+)?\s*\}\}/g, (action, fn, path, n, at) => {
        const found = path === "" ? value : path.split(".").reduce((v, k) => v?.[k], value);
        if (fn?.trim() === "json") return JSON.stringify(found ?? null);
        if (fn?.trim() === "index") {
            const i = Number(n);
            if (!Array.isArray(found) || i >= found.length) {
                throw new DockerError(`template: :1:${at + 2}: executing "" at <index .${path} ${i}>: error calling index: index out of range: ${i}`, 1, "template parsing error: ");
            }
            return String(found[i]);
        }
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

/** `inspect` of containers or images: each found one as JSON, or through the -f/--format template; every miss and template error reported, exit 1 if any. */
function inspect(list, io, find, missing) {
    const formatAt = list.findIndex((a) => a === "-f" || a === "--format");
    const format = formatAt >= 0 ? list[formatAt + 1] : undefined;
    const refs = list.filter((a, i) => !a.startsWith("-") && (formatAt < 0 || i !== formatAt + 1));
    const found = refs.map(find);
    let failed = found.some((f) => !f);
    refs.forEach((ref, i) => found[i] || io.err(`${missing(ref)}\n`));
    const present = found.filter(Boolean);
    if (!format) io.out(`${JSON.stringify(present, null, 4)}\n`);
    for (const item of format ? present : []) {
        try {
            io.out(`${template(format, item)}\n`);
        } catch (error) {
            if (!(error instanceof DockerError)) throw error;
            io.err(`${error.prefix}${error.message}\n`);
            failed = true;
        }
    }
    return failed ? 1 : 0;
}

const imageView = (image) => image && { Id: image.Id, RepoTags: image.RepoTags, RepoDigests: image.RepoDigests, Architecture: image.Architecture, Os: image.Os, Config: { Env: image.Env, Cmd: image.Cmd, Entrypoint: image.Entrypoint, WorkingDir: image.WorkingDir } };

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
                return inspect(rest, io, findContainer, (ref) => `Error: No such object: ${ref}`);
            case "image":
                if (rest[0] === "inspect") return inspect(rest.slice(1), io, (ref) => imageView(readImage(ref)), (ref) => `Error response from daemon: No such image: ${parseRef(ref).key}`);
                io.err(`drill: the docker stand-in does not implement "docker ${argv.join(" ")}"\n`);
                return 99;
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
