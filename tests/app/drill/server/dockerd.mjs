#!/usr/bin/env node
// dockerd stand-in, started by systemd (docker.service ExecStart). It prepares what the real
// daemon prepares before containers can run, then serves the CLI (the `docker` script) on the
// FIFO /run/docker.cli and supervises the containers itself (what dockerd and containerd-shim do):
// - the default bridge docker0 with 172.17.0.1/16 and IP forwarding
//   (docs.docker.com/engine/network/drivers/bridge/);
// - the iptables rules of docs.docker.com/engine/network/packet-filtering-firewalls/: the
//   DOCKER-USER chain, jumped to first from FORWARD ("rules added to DOCKER-USER are processed
//   before rules Docker creates"), the FORWARD policy DROP with docker0 traffic accepted, and
//   MASQUERADE of container traffic leaving the host; real iptables in this server's network
//   namespace, so a DOCKER-USER rule the boot script adds filters real packets;
// - its data root /var/lib/docker (a directory of the VM's disk: host/server.sh binds one there,
//   since container layers are overlay upper dirs and cannot sit on the server's own overlay root).
import { execFileSync } from "node:child_process";
import { closeSync, constants, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Socket } from "node:net";
import { createInterface } from "node:readline";
import { command } from "./dockerCli.mjs";
import { daemonPidFile, ensureDirs, imagesDir } from "./dockerState.mjs";

ensureDirs();
// Image layers on a tmpfs: a lower layer may not sit inside another (the base layer is this
// machine's root), overlayfs refuses it with ELOOP.
execFileSync("mount", ["-t", "tmpfs", "tmpfs", imagesDir]);
execFileSync("ip", ["-batch", "-"], { input: "link add docker0 type bridge\naddr add 172.17.0.1/16 dev docker0\nlink set docker0 up\n" });
writeFileSync("/proc/sys/net/ipv4/ip_forward", "1");
// DOCKER-USER is created only if absent (a unit's ExecStartPre may have made it, with rules in
// it, which Docker leaves alone: the chain is the user's), and the jump to it goes first in
// FORWARD. One iptables-restore --noflush for the lot (a chain line would flush an existing chain).
let userChain = ":DOCKER-USER - [0:0]\n";
try {
    execFileSync("iptables", ["-w", "-n", "-L", "DOCKER-USER"], { stdio: "ignore" });
    userChain = "";
} catch {
    // absent: declared below
}
execFileSync("iptables-restore", ["-w", "--noflush"], {
    input: [
        "*filter",
        `${userChain}:FORWARD DROP [0:0]`,
        "-I FORWARD 1 -j DOCKER-USER",
        "-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        "-A FORWARD -i docker0 ! -o docker0 -j ACCEPT",
        "-A FORWARD -i docker0 -o docker0 -j ACCEPT",
        "COMMIT",
        "*nat",
        "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
        "COMMIT",
        "",
    ].join("\n"),
});

/** The calling CLI process's stdout/stderr (its fds `out` and `err`: pipes or files, which reopen through /proc). */
function clientIo(pid, out, err) {
    const open = (fd) => {
        try {
            return openSync(`/proc/${pid}/fd/${fd}`, "a");
        } catch {
            return openSync("/dev/null", "a");
        }
    };
    const fds = { 1: open(out), 2: open(err) };
    const write = (fd) => (text) => {
        try {
            writeFileSync(fds[fd], text);
        } catch {
            // the CLI went away
        }
    };
    const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
    return { out: write(1), err: write(2), fds, env: Object.fromEntries(environ.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)])), close: () => Object.values(fds).forEach(closeSync) };
}

/** One CLI request (a line of the FIFO: pid, out fd, err fd, reply fd, cwd, argv...): runs it, answers the exit status on the reply pipe. */
async function serve(line) {
    const [pid, out, err, reply, cwd, ...argv] = line.split("\x1f");
    let io;
    let status;
    try {
        io = clientIo(pid, out, err);
        status = await command(argv, { ...io, cwd });
    } catch (error) {
        io?.err(`drill: the docker stand-in failed: ${error.stack}\n`);
        status = 125;
    }
    io?.close();
    try {
        writeFileSync(`/proc/${pid}/fd/${reply}`, `${status}\n`);
    } catch {
        // the CLI went away
    }
}

// The CLI's FIFO, held open read-write so it never sees end-of-file between clients.
rmSync("/run/docker.cli", { force: true });
execFileSync("mkfifo", ["-m", "0600", "/run/docker.cli"]);
const requests = new Socket({ fd: openSync("/run/docker.cli", constants.O_RDWR | constants.O_NONBLOCK), readable: true, writable: false });
createInterface({ input: requests }).on("line", (line) => void serve(line));
writeFileSync(daemonPidFile, String(process.pid));
process.stdout.write("API listen on /run/docker.cli\n");
// Type=notify: READY=1 to systemd (the drill's systemctl waits for it on this FIFO).
// Non-blocking: with no one listening any more, opening the FIFO would wait for ever.
try {
    const notify = openSync(process.env.NOTIFY_SOCKET ?? "", constants.O_WRONLY | constants.O_NONBLOCK);
    writeFileSync(notify, "READY=1\n");
    closeSync(notify);
} catch {
    // not started by systemd, or it stopped waiting
}
