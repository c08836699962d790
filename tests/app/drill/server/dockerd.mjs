#!/usr/bin/env node
// dockerd stand-in, started by systemd (docker.service ExecStart). It prepares what the real
// daemon prepares before containers can run, then stays up as the daemon process:
// - the default bridge docker0 with 172.17.0.1/16 and IP forwarding
//   (https://docs.docker.com/engine/network/drivers/bridge/);
// - the iptables rules of https://docs.docker.com/engine/network/packet-filtering-firewalls/ :
//   the DOCKER-USER chain, jumped to first from FORWARD ("rules added to DOCKER-USER are processed
//   before rules Docker creates"), the FORWARD policy DROP with docker0 traffic accepted, and
//   MASQUERADE of container traffic leaving the host; real iptables in this server's network
//   namespace, so a DOCKER-USER rule the boot script adds filters real packets;
// - its data root /var/lib/docker (here a tmpfs: container layers are overlay upper dirs).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { daemonPidFile, dataRoot, ensureDirs } from "./dockerState.mjs";

const run = (cmd, ...args) => execFileSync(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
mkdirSync(dataRoot, { recursive: true });
run("mount", "-t", "tmpfs", "-o", "mode=0710", "tmpfs", dataRoot);
ensureDirs();
run("ip", "link", "add", "docker0", "type", "bridge");
run("ip", "addr", "add", "172.17.0.1/16", "dev", "docker0");
run("ip", "link", "set", "docker0", "up");
writeFileSync("/proc/sys/net/ipv4/ip_forward", "1");
const ipt = (...args) => run("iptables", "-w", ...args);
ipt("-N", "DOCKER-USER");
ipt("-A", "DOCKER-USER", "-j", "RETURN");
ipt("-P", "FORWARD", "DROP");
ipt("-A", "FORWARD", "-j", "DOCKER-USER");
ipt("-A", "FORWARD", "-o", "docker0", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT");
ipt("-A", "FORWARD", "-i", "docker0", "!", "-o", "docker0", "-j", "ACCEPT");
ipt("-A", "FORWARD", "-i", "docker0", "-o", "docker0", "-j", "ACCEPT");
ipt("-t", "nat", "-A", "POSTROUTING", "-s", "172.17.0.0/16", "!", "-o", "docker0", "-j", "MASQUERADE");
writeFileSync(daemonPidFile, String(process.pid));
process.stdout.write("API listen on /run/docker.sock\n");
setInterval(() => {}, 1 << 30);
