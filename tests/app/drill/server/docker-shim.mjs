#!/usr/bin/env node
// The Docker stand-in's per-container supervisor (what containerd-shim and dockerd do together):
// starts the container (container.sh in fresh namespaces), plugs eth0 into docker0, publishes
// ports, writes the json-file log, records State, and applies the restart policy
// (https://docs.docker.com/engine/containers/start-containers-automatically/): "always" and
// "unless-stopped" restart whatever the exit code, "on-failure" on a non-zero one; "an increasing
// delay (double the previous delay, starting at 100 milliseconds) is added before each restart";
// a container that ran 10 s counts as started successfully and the delay resets; a container
// stopped with docker stop/rm is not restarted.
// Published ports use the userland proxy: a connection to the host port is re-made from the host
// to the container's address, so inside the container it comes from the bridge gateway
// 172.17.0.1, not from the container's own localhost
// (https://docs.docker.com/engine/network/packet-filtering-firewalls/#docker-on-a-router).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { createInterface } from "node:readline";
import { allContainers, appendLog, containerDir, readContainer, updateState, writeContainer } from "./dockerState.mjs";

const id = process.argv[2];
const dir = containerDir(id);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ip = (...args) => execFileSync("ip", args, { stdio: ["ignore", "ignore", "inherit"] });

function address() {
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
        const path = `/proc/${parent}/task/${parent}/children`;
        const children = existsSync(path) ? readFileSync(path, "utf8").trim() : "";
        if (children) return Number(children.split(" ")[0]);
        await sleep(2);
    }
}

function publish(target) {
    const servers = [];
    for (const [port, [binding]] of Object.entries(readContainer(id).HostConfig.PortBindings)) {
        const server = createServer((client) => {
            const upstream = connect(Number(port.split("/")[0]), target);
            client.pipe(upstream).pipe(client);
            const close = () => (client.destroy(), upstream.destroy());
            client.on("error", close);
            upstream.on("error", close);
        });
        server.listen(Number(binding.HostPort), "0.0.0.0");
        servers.push(server);
    }
    return servers;
}

async function runOnce(target) {
    rmSync(`${dir}/plugged`, { force: true });
    const unshare = spawn("unshare", ["--mount", "--net", "--pid", "--fork", "--propagation", "private", "/bin/bash", new URL("./container.sh", import.meta.url).pathname, dir, `${dir}/config.v2.json`], {
        stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise((resolve) => unshare.on("exit", (code, signal) => resolve(signal ? 128 + ({ SIGKILL: 9, SIGTERM: 15 }[signal] ?? 1) : code)));
    for (const [stream, name] of [[unshare.stdout, "stdout"], [unshare.stderr, "stderr"]]) {
        createInterface({ input: stream }).on("line", (line) => appendLog(id, name, line));
    }
    const pid = await childPid(unshare.pid);
    const veth = `veth${id.slice(0, 7)}`;
    try {
        ip("link", "del", veth);
    } catch {
        // not there: the usual case
    }
    ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", String(pid));
    ip("link", "set", veth, "master", "docker0", "up");
    const inside = (...args) => execFileSync("nsenter", ["-t", String(pid), "-n", "ip", ...args], { stdio: ["ignore", "ignore", "inherit"] });
    inside("addr", "add", `${target}/16`, "dev", "eth0");
    inside("link", "set", "eth0", "up");
    inside("route", "add", "default", "via", "172.17.0.1");
    writeFileSync(`${dir}/hosts`, `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${target}\t${id.slice(0, 12)}\n`);
    writeFileSync(`${dir}/plugged`, "");
    updateState(id, { Status: "running", Running: true, Restarting: false, Pid: pid, StartedAt: new Date().toISOString(), Error: "" });
    return exited;
}

const target = address();
const proxies = publish(target);
let delay = 100;
for (;;) {
    const started = Date.now();
    let code;
    try {
        code = await runOnce(target);
    } catch (error) {
        updateState(id, { Status: "exited", Running: false, Error: String(error.message ?? error), ExitCode: 128 });
        break;
    }
    if (!existsSync(`${dir}/config.v2.json`)) break;
    const container = updateState(id, { Status: "exited", Running: false, Pid: 0, ExitCode: code, FinishedAt: new Date().toISOString() });
    const policy = container.HostConfig.RestartPolicy.Name;
    const restart = !container.State.StoppedByUser && (policy === "always" || policy === "unless-stopped" || (policy === "on-failure" && code !== 0));
    if (!restart) break;
    delay = Date.now() - started >= 10_000 ? 100 : delay;
    updateState(id, { Status: "restarting", Restarting: true });
    await sleep(delay);
    delay *= 2;
    if (!existsSync(`${dir}/config.v2.json`) || readContainer(id).State.StoppedByUser) break;
    const again = readContainer(id);
    again.RestartCount += 1;
    writeContainer(again);
}
for (const server of proxies) server.close();
if (existsSync(`${dir}/config.v2.json`) && readContainer(id).HostConfig.AutoRemove) rmSync(dir, { recursive: true, force: true });
process.exit(0);
