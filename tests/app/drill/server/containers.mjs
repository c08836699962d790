// The Docker stand-in daemon's container supervision (what containerd-shim and dockerd do
// together): starts a container (container.sh in fresh namespaces), plugs its eth0 into docker0,
// publishes its ports, writes its log (the local cache, and the driver's: dockerLogs.mjs), records its State, and applies the restart
// policy (docs.docker.com/engine/containers/start-containers-automatically/): "always" and
// "unless-stopped" restart whatever the exit code, "on-failure" on a non-zero one; "an increasing
// delay (double the previous delay, starting at 100 milliseconds) is added before each restart"; a
// container that ran 10 s counts as started successfully and the delay resets; a container
// stopped with docker stop / rm is not restarted.
// Published ports use the userland proxy: a connection to the host port is re-made from the host
// to the container's address, so inside the container it comes from the bridge gateway
// 172.17.0.1, not from the container's own localhost (docs.docker.com/engine/network/packet-filtering-firewalls/).
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { createInterface } from "node:readline";
import { openLogSink } from "./dockerLogs.mjs";
import { allContainers, appendLog, containerDir, hasContainer, readContainer, updateState, writeContainer } from "./dockerState.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** id -> { process, exits: Promise resolvers waiting for the next exit, stopping, loop } */
const live = new Map();

function address(id) {
    const container = readContainer(id);
    if (container.NetworkSettings?.IPAddress) return container.NetworkSettings.IPAddress;
    const used = new Set(allContainers().map((c) => c.NetworkSettings?.IPAddress));
    let n = 2;
    while (used.has(`172.17.0.${n}`)) n++;
    container.NetworkSettings = { IPAddress: `172.17.0.${n}`, Gateway: "172.17.0.1", IPPrefixLen: 16 };
    writeContainer(container);
    return container.NetworkSettings.IPAddress;
}

async function childPid(parent) {
    for (;;) {
        const children = (await readFile(`/proc/${parent}/task/${parent}/children`, "utf8").catch(() => "")).trim();
        if (children) return Number(children.split(" ")[0]);
        await sleep(2);
    }
}

function publish(id, target) {
    return Object.entries(readContainer(id).HostConfig.PortBindings).map(([port, [binding]]) => {
        const server = createServer((client) => {
            const upstream = connect(Number(port.split("/")[0]), target);
            client.pipe(upstream).pipe(client);
            const close = () => (client.destroy(), upstream.destroy());
            client.on("error", close);
            upstream.on("error", close);
        });
        server.listen(Number(binding.HostPort), "0.0.0.0");
        return server;
    });
}

/** container-net.sh, with stdin on /dev/null (a bash on a socket stdin would read ~/.bashrc). */
const plug = (pid, veth, target) =>
    new Promise((resolve, reject) => {
        const child = spawn(new URL("./container-net.sh", import.meta.url).pathname, [String(pid), veth, target], { stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (c) => (stderr += c));
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(stderr))));
    });

/** Runs the container's process once; resolves with its exit status. */
async function runOnce(id, target) {
    const dir = containerDir(id);
    const { Config, Mounts, Layer } = readContainer(id);
    rmSync(`${dir}/plugged`, { force: true });
    // The run spec container.sh reads.
    writeFileSync(`${dir}/layer`, Layer);
    writeFileSync(`${dir}/workdir`, Config.WorkingDir || "/");
    writeFileSync(`${dir}/mounts`, Mounts.map((m) => `${m.Source}\t${m.Destination}\t${m.RW ? "rw" : "ro"}\n`).join(""));
    writeFileSync(`${dir}/env`, Config.Env.map((e) => `${e}\0`).join(""));
    writeFileSync(`${dir}/argv`, [...(Config.Entrypoint ?? []), ...(Config.Cmd ?? [])].map((a) => `${a}\0`).join(""));
    const child = spawn("unshare", ["--mount", "--net", "--pid", "--fork", "--kill-child", "--propagation", "private", "/bin/bash", new URL("./container.sh", import.meta.url).pathname, dir], { stdio: ["ignore", "pipe", "pipe"] });
    live.get(id).process = child;
    const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(signal ? 128 + ({ SIGKILL: 9, SIGTERM: 15 }[signal] ?? 1) : code)));
    const sink = openLogSink(readContainer(id));
    child.on("exit", () => sink.close());
    for (const [stream, name] of [[child.stdout, "stdout"], [child.stderr, "stderr"]]) {
        createInterface({ input: stream }).on("line", (line) => {
            if (hasContainer(id)) appendLog(id, name, line);
            sink.write(name, line);
        });
    }
    const pid = await childPid(child.pid);
    await plug(pid, `veth${id.slice(0, 7)}`, target);
    writeFileSync(`${dir}/hosts`, `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${target}\t${id.slice(0, 12)}\n`);
    writeFileSync(`${dir}/plugged`, "");
    updateState(id, { Status: "running", Running: true, Restarting: false, Pid: pid, StartedAt: new Date().toISOString(), Error: "" });
    return exited;
}

async function supervise(id) {
    const target = address(id);
    const proxies = publish(id, target);
    let delay = 100;
    for (const entry = live.get(id); ; ) {
        const started = Date.now();
        let code;
        try {
            code = await runOnce(id, target);
        } catch (error) {
            updateState(id, { Status: "exited", Running: false, Error: String(error.message ?? error), ExitCode: 128 });
            entry.started?.();
            break;
        }
        const container = hasContainer(id) && updateState(id, { Status: "exited", Running: false, Pid: 0, ExitCode: code, FinishedAt: new Date().toISOString() });
        for (const resolve of entry.exits.splice(0)) resolve(code);
        const policy = container?.HostConfig.RestartPolicy.Name;
        if (entry.stopping || !(policy === "always" || policy === "unless-stopped" || (policy === "on-failure" && code !== 0))) break;
        delay = Date.now() - started >= 10_000 ? 100 : delay;
        updateState(id, { Status: "restarting", Restarting: true });
        await sleep(delay);
        delay *= 2;
        if (entry.stopping) break;
        const again = readContainer(id);
        again.RestartCount += 1;
        writeContainer(again);
    }
    for (const server of proxies) server.close();
    live.delete(id);
}

/**
 * Starts a created container; resolves once it runs (or could not start) with its State and a
 * promise of its first exit status (registered before it starts, so a quick exit is not missed).
 */
export async function start(id) {
    const entry = { exits: [], stopping: false };
    const exited = new Promise((resolve) => entry.exits.push(resolve));
    live.set(id, entry);
    entry.loop = supervise(id);
    while (live.has(id) && hasContainer(id) && !readContainer(id).State.Running && !readContainer(id).State.Error) await sleep(5);
    return { state: readContainer(id).State, exited };
}

/**
 * What `docker rm -f` does to a running container: SIGKILL to its PID 1 (from outside its PID
 * namespace SIGKILL always gets through, pid_namespaces(7)), and no restart after.
 */
export async function kill(id) {
    const entry = live.get(id);
    if (!entry) return;
    entry.stopping = true;
    const pid = readContainer(id).State.Pid;
    try {
        // Pid 0 (between two restarts) would be our own process group.
        if (pid > 0) process.kill(pid, "SIGKILL");
    } catch {
        // already gone
    }
    await entry.loop;
}
