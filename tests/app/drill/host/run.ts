import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAssets, type Assets } from "./assets";

/**
 * One drill run's folder, /tmp/emr-drill-<pid>, holding the shared assets and a folder per world.
 * Whatever a run starts is tied to it: every namespace's first process gets SIGKILL when the test
 * process dies (setpriv --pdeathsig, unshare --kill-child: host/world.ts), and the kernel then
 * drops the namespaces, their mounts and links. What cannot die with it, the folder, is removed by
 * the next run: at start, the folders of runs whose process is gone are reaped, together with any
 * process still running from them (a run from before these guards, or one killed mid-spawn).
 */
const prefix = "emr-drill-";

const alive = (pid: number) => {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
};

/** Kills the processes whose command line names `dir` (left over from a dead run). */
function killProcessesOf(dir: string) {
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
        try {
            if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(dir)) process.kill(Number(entry), "SIGKILL");
        } catch {
            // gone meanwhile, or not ours to read
        }
    }
}

export function reapStaleRuns() {
    for (const entry of readdirSync(tmpdir())) {
        if (!entry.startsWith(prefix)) continue;
        const dir = join(tmpdir(), entry);
        const owner = Number(entry.slice(prefix.length));
        if (owner && alive(owner) && owner !== process.pid) continue;
        killProcessesOf(dir);
        rmSync(dir, { recursive: true, force: true });
    }
}

let current: Promise<{ dir: string; assets: Assets }> | undefined;

/** This process's run: reaps stale ones and builds the assets, once. */
export function drillRun(): Promise<{ dir: string; assets: Assets }> {
    current ??= (async () => {
        reapStaleRuns();
        const dir = join(tmpdir(), `${prefix}${process.pid}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, "owner"), `${process.pid}\n`);
        return { dir, assets: buildAssets(join(dir, "assets")) };
    })();
    return current;
}

/** Removes this process's run folder (its worlds destroyed themselves; the assets go with it). */
export async function removeDrillRun() {
    if (!current) return;
    const { dir } = await current;
    rmSync(dir, { recursive: true, force: true });
}

/** What the drill needs of this machine; each missing piece named in one line, or []. */
export function missingPrerequisites(): string[] {
    const missing: string[] = [];
    if (process.getuid?.() !== 0) missing.push("root (namespaces, mounts, iptables)");
    const has = (cmd: string) => {
        try {
            execFileSync("sh", ["-c", cmd], { stdio: "ignore" });
            return true;
        } catch {
            return false;
        }
    };
    const tools = [
        ["unshare", "util-linux"], ["nsenter", "util-linux"], ["setpriv", "util-linux"], ["setsid", "util-linux"], ["flock", "util-linux"], ["mountpoint", "util-linux"],
        ["mount", "mount"], ["hostname", "hostname"], ["ip", "iproute2"], ["iptables", "iptables"], ["iptables-restore", "iptables"],
        ["jq", "jq"], ["curl", "curl"], ["openssl", "openssl"], ["mkfifo", "coreutils"], ["mknod", "coreutils"],
    ];
    for (const [tool, pkg] of tools) if (!has(`command -v ${tool}`)) missing.push(`${tool} (Debian package ${pkg})`);
    if (!existsSync("/usr/bin/python3")) missing.push("/usr/bin/python3 (Debian package python3; the health unit runs it by that path)");
    else if (!has("/usr/bin/python3 -c 'import yaml'")) missing.push("PyYAML for /usr/bin/python3 (Debian package python3-yaml; the cloud-init stand-in loads the user data with it, as cloud-init does)");
    if (missing.length === 0) {
        if (!readFileSync("/proc/filesystems", "utf8").includes("overlay")) missing.push("overlayfs in the kernel (modprobe overlay)");
        if (!has("unshare --mount --net --pid --uts --fork true")) missing.push("unshare of mount, net, pid and uts namespaces (a container without CAP_SYS_ADMIN?)");
        else if (!has("unshare --net sh -c 'iptables -w -N DRILL && iptables -w -I FORWARD -j DRILL'")) missing.push("iptables in a network namespace (kernel nf_tables / ip_tables modules)");
    }
    return missing;
}
