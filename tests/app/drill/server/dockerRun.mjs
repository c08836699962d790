// `docker run` / `docker create` of the Docker stand-in, per the CLI reference
// (https://docs.docker.com/reference/cli/docker/container/run/):
// - -e/--env VAR=value, or VAR alone to pass the caller's value (omitted when unset);
// - --env-file: "<variable>=value ... or <variable> (which takes the value from the local
//   environment), and # for comments. Lines beginning with # are treated as line comments and are
//   ignored, whereas a # appearing anywhere else in a line is treated as part of the variable value";
//   later -e/--env-file entries override earlier ones and the image's ENV;
// - -v host:container[:ro]: "If you use -v or --volume to bind-mount a file or directory that does
//   not yet exist on the Docker host, -v creates the endpoint for you. It is always created as a
//   directory" (https://docs.docker.com/engine/storage/bind-mounts/); a name instead of a path is a
//   named volume; the image's VOLUMEs not covered by a mount get anonymous volumes, initialised
//   with the image's content (https://docs.docker.com/engine/storage/volumes/);
// - --mount type=bind,source=S,target=T[,readonly]: unlike -v, a bind source that does not exist is
//   an error, "invalid mount config for type "bind": bind source path does not exist: S" (moby
//   daemon/volume/mounts/validate.go errBindSourceDoesNotExist), and it is never created at a later
//   start either (daemon/volumes.go: SkipMountpointCreation for a --mount bind; container.sh then
//   fails to bind the missing source, so the container does not start);
// - a name in use: exit 125 with "Conflict. The container name "/x" is already in use by container
//   "<id>". You have to remove (or rename) that container to be able to reuse that name."; exit 125
//   is "the error is with Docker daemon itself" (docs.docker.com/engine/containers/run/#exit-status).
// The daemon parses here what the real CLI parses (env files are read in the caller's mount
// namespace and working directory: the daemon shares both with its CLI in a drill server).
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { allContainers, containerDir, ensureDirs, findContainer, volumesDir, writeContainer } from "./dockerState.mjs";
import { DockerError } from "./dockerError.mjs";
import { pullImage, readImage } from "./dockerImages.mjs";
import { validateLogConfig } from "./dockerLogs.mjs";

const envEntry = (spec, callerEnv) => (spec.includes("=") ? [spec] : callerEnv[spec] === undefined ? [] : [`${spec}=${callerEnv[spec]}`]);

function parseEnvFile(path, callerEnv) {
    if (!existsSync(path)) throw new DockerError(`open ${path}: no such file or directory`);
    return readFileSync(path, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "" && !line.startsWith("#"))
        .flatMap((line) => envEntry(line, callerEnv));
}

/** `--mount` of a bind (the only type the boot uses): its source, target and mode, the source required to exist. */
function parseMount(spec) {
    const fields = Object.fromEntries(spec.split(",").map((f) => [f.split("=")[0], f.includes("=") ? f.slice(f.indexOf("=") + 1) : "true"]));
    const known = ["type", "source", "src", "target", "destination", "dst", "readonly", "ro"];
    if (fields.type !== "bind" || Object.keys(fields).some((k) => !known.includes(k))) throw new DockerError(`the docker stand-in does not implement --mount ${spec}`, 99, "drill: ");
    const source = fields.source ?? fields.src;
    if (!existsSync(source)) throw new DockerError(`invalid mount config for type "bind": bind source path does not exist: ${source}`);
    return { Type: "bind", Source: source, Destination: fields.target ?? fields.destination ?? fields.dst, RW: !["true", "1"].includes(fields.readonly ?? fields.ro ?? "false") };
}

/** Parses `run` arguments: options, the image, then the command. */
export function parseRun(args, io) {
    const opts = { env: [], binds: [], mounts: [], ports: [], logOpts: [], detach: false, rm: false, restart: "no", name: undefined, entrypoint: undefined };
    let i = 0;
    const value = (arg) => (arg.includes("=") && arg.startsWith("--") ? arg.slice(arg.indexOf("=") + 1) : args[++i]);
    for (; i < args.length && args[i].startsWith("-"); i++) {
        const arg = args[i];
        const flag = arg.startsWith("--") ? arg.split("=")[0] : arg;
        if (flag === "-d" || flag === "--detach") opts.detach = true;
        else if (flag === "--rm") opts.rm = true;
        else if (flag === "-i" || flag === "-t" || flag === "-it" || flag === "--init") continue;
        else if (flag === "--name") opts.name = value(arg);
        else if (flag === "--restart") opts.restart = value(arg);
        else if (flag === "-e" || flag === "--env") opts.env.push(...envEntry(value(arg), io.env));
        else if (flag === "--env-file") opts.env.push(...parseEnvFile(resolve(io.cwd, value(arg)), io.env));
        else if (flag === "-v" || flag === "--volume") opts.binds.push(value(arg));
        else if (flag === "--mount") opts.mounts.push(parseMount(value(arg)));
        else if (flag === "-p" || flag === "--publish") opts.ports.push(value(arg));
        else if (flag === "--log-opt") opts.logOpts.push(value(arg));
        else if (flag === "--log-driver") opts.logDriver = value(arg);
        else if (flag === "--entrypoint") opts.entrypoint = value(arg);
        else if (flag === "-w" || flag === "--workdir") opts.workdir = value(arg);
        else throw new DockerError(`the docker stand-in does not implement run option ${arg}`, 99, "drill: ");
    }
    if (i >= args.length) throw new DockerError('"docker run" requires at least 1 argument.', 1, "docker: ");
    return { ...opts, image: args[i], cmd: args.slice(i + 1) };
}

function mountsFor(binds, id, image, explicit) {
    const mounts = [...explicit];
    for (const bind of binds) {
        const [src, dst, mode = "rw"] = bind.split(":");
        if (dst === undefined) mounts.push({ Type: "volume", Name: newVolume(id, src, image), Destination: src, RW: true });
        else if (src.startsWith("/")) {
            if (!existsSync(src)) mkdirSync(src, { recursive: true });
            mounts.push({ Type: "bind", Source: src, Destination: dst, RW: mode !== "ro" });
        } else mounts.push({ Type: "volume", Name: src, Source: `${volumesDir}/${src}/_data`, Destination: dst, RW: mode !== "ro" });
    }
    for (const path of image.Volumes) {
        if (mounts.some((m) => m.Destination.replace(/\/$/, "") === path.replace(/\/$/, ""))) continue;
        mounts.push({ Type: "volume", Name: newVolume(id, path, image), Destination: path, RW: true, Anonymous: true });
    }
    for (const m of mounts) if (m.Type === "volume") m.Source = `${volumesDir}/${m.Name}/_data`;
    return mounts;
}

function newVolume(id, path, image) {
    const name = randomBytes(32).toString("hex");
    const data = `${volumesDir}/${name}/_data`;
    mkdirSync(data, { recursive: true });
    const seed = `${image.Layer}${path}`;
    if (existsSync(seed) && statSync(seed).isDirectory()) cpSync(seed, data, { recursive: true, verbatimSymlinks: true });
    return name;
}

/** Creates the container (pulling a missing image first, as `docker run` does); returns its id. */
export async function createContainer(opts, io) {
    ensureDirs();
    const other = opts.name && findContainer(opts.name);
    if (other && other.Name === `/${opts.name}`) {
        throw new DockerError(`Conflict. The container name "/${opts.name}" is already in use by container "${other.Id}". You have to remove (or rename) that container to be able to reuse that name.`);
    }
    let image = readImage(opts.image);
    if (!image) {
        io.err(`Unable to find image '${opts.image}' locally\n`);
        if (!(await pullImage(opts.image, io))) throw new DockerError("", 125, "");
        image = readImage(opts.image);
    }
    const id = randomBytes(32).toString("hex");
    const name = opts.name ?? `drill_${id.slice(0, 6)}`;
    const envByName = new Map();
    for (const entry of [...image.Env, ...opts.env]) envByName.set(entry.split("=")[0], entry);
    const ports = Object.fromEntries(opts.ports.map((p) => [`${p.split(":").pop()}/tcp`, [{ HostIp: "", HostPort: p.split(":").at(-2) ?? "" }]]));
    for (const [port, [binding]] of Object.entries(ports)) {
        if (allContainers().some((c) => c.State.Running && Object.values(c.HostConfig.PortBindings).some(([b]) => b.HostPort === binding.HostPort))) {
            throw new DockerError(`driver failed programming external connectivity on endpoint ${name} (${id}): Bind for 0.0.0.0:${binding.HostPort} failed: port is already allocated (${port})`);
        }
    }
    const logConfig = { Type: opts.logDriver ?? "json-file", Config: Object.fromEntries(opts.logOpts.map((o) => [o.slice(0, o.indexOf("=")), o.slice(o.indexOf("=") + 1)])) };
    validateLogConfig(logConfig);
    mkdirSync(containerDir(id), { recursive: true });
    writeContainer({
        Id: id,
        Name: `/${name}`,
        Created: new Date().toISOString(),
        Image: image.Id,
        Config: {
            Image: opts.image,
            // A foreground `docker run` is attached: it waits for the exit, then removes an --rm container itself.
            AttachStdout: !opts.detach,
            Env: [...envByName.values()],
            Entrypoint: opts.entrypoint ? [opts.entrypoint] : image.Entrypoint,
            Cmd: opts.cmd.length > 0 ? opts.cmd : opts.entrypoint ? [] : image.Cmd,
            WorkingDir: opts.workdir ?? image.WorkingDir,
        },
        HostConfig: {
            PortBindings: ports,
            RestartPolicy: { Name: opts.restart.split(":")[0] },
            AutoRemove: opts.rm,
            LogConfig: logConfig,
        },
        Mounts: mountsFor(opts.binds, id, image, opts.mounts),
        Layer: image.Layer,
        RestartCount: 0,
        State: { Status: "created", Running: false, Pid: 0, ExitCode: 0, StartedAt: "", FinishedAt: "" },
    });
    return id;
}
