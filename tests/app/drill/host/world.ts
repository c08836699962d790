import { ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { get as httpGet } from "node:http";
import { dirname, join, relative } from "node:path";
import { drillDir, type Distro } from "./assets";
import { drillRun } from "./run";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a world is: which cloud's servers boot with which user data, and the cloud's state. */
export interface WorldSpec {
    label: string;
    distro: Distro;
    userData: string;
    /** Service host names the servers resolve to the cloud. */
    serviceHosts: string[];
    /** The shared file system's remote names (fs-... / account host paths) -> the one shared folder. */
    shareRemotes: string[];
    db: { host: string; port: number; admin: { user: string; password: string }; caPem: string };
    /** The cloud's initial state (cloud/cloud.mjs): secrets, access rules, faults. */
    cloud: Record<string, any>;
}

export interface Server {
    name: string;
    index: number;
    ip: string;
    dir: string;
    pid: number;
    exited: Promise<void>;
}

/** A server's environment: nothing of this machine's (its PATH would find this machine's own aws, pyenv...). */
const serverEnv = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", LANG: "C.UTF-8" };

/** Spawns `argv` so that it gets SIGKILL when this process dies (PR_SET_PDEATHSIG, kept across exec). */
function guarded(argv: string[], stdio: ("ignore" | "pipe")[]): ChildProcess {
    return spawn("setpriv", ["--pdeathsig", "KILL", ...argv], { stdio, env: serverEnv });
}

/**
 * Runs `argv` to completion. stdin is /dev/null: node's pipes are socket pairs, and a bash whose
 * stdin is a socket takes itself for an ssh session and reads ~/.bashrc (bash(1) INVOCATION),
 * this machine's, with its pyenv and PATH.
 */
function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "pipe"], env: serverEnv, timeout: 15_000 });
        let stdout = "";
        let stderr = "";
        child.stdout!.setEncoding("utf8").on("data", (c) => (stdout += c));
        child.stderr!.setEncoding("utf8").on("data", (c) => (stderr += c));
        child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    });
}

async function childOf(pid: number): Promise<number> {
    for (;;) {
        const children = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
        if (children.trim()) return Number(children.trim().split(" ")[0]);
        await sleep(2);
    }
}

/**
 * One drill world: a cloud (its own network namespace, cloud/cloud.mjs), one shared folder
 * standing for EFS / Azure Files, a fake MySQL, and servers, each in its own mount, network, PID
 * and UTS namespaces with a veth to the cloud (host/server.sh).
 */
export class World {
    dir = "";
    servers: Server[] = [];
    private cloudPid = 0;
    private booted = 0;
    private cloud?: ChildProcess;
    private tlsDir = "";
    private assetsDir = "";

    constructor(readonly spec: WorldSpec) {}

    get worldDir() {
        return join(this.dir, "world");
    }
    get cloudDir() {
        return join(this.dir, "cloud");
    }
    get shared() {
        return join(this.worldDir, "shares/folder");
    }
    get dbDir() {
        return join(this.worldDir, "mysql", this.spec.db.host);
    }

    async start() {
        const { dir, assets } = await drillRun();
        this.dir = join(dir, this.spec.label);
        this.tlsDir = assets.pki.dir;
        this.assetsDir = assets.dir;
        for (const sub of [this.shared, join(this.dbDir, "users"), join(this.dbDir, "databases"), this.cloudDir]) mkdirSync(sub, { recursive: true });
        for (const remote of this.spec.shareRemotes) {
            const at = join(this.worldDir, "shares", remote);
            mkdirSync(dirname(at), { recursive: true });
            // Relative, so the link also resolves inside the servers (which see the world at /.drill/world).
            symlinkSync(relative(dirname(at), this.shared), at);
        }
        const { caPem, ...db } = this.spec.db;
        this.setDb({ ...db, reachable: true, requireSecureTransport: true, caPem });
        const cloud = { ...this.spec.cloud, registry: { ...assets.registry, ...this.spec.cloud.registry } };
        writeFileSync(join(this.cloudDir, "cloud.json"), JSON.stringify(cloud, null, 1));
        writeFileSync(join(this.cloudDir, "servers.json"), "{}");
        // The run's assets (the root CA and its key among them) are shared by every world of the run,
        // started in parallel: the cloud sees them read-only, so a write into them fails in every
        // run instead of racing another world's now and then (CI once lost a session store to a
        // shared openssl serial file). The servers see them read-only too (host/server.sh).
        const readOnlyAssets = `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" && shift && exec "$@"`;
        this.cloud = guarded(
            ["unshare", "--net", "--mount", "--propagation", "private", "sh", "-c", readOnlyAssets, "sh", this.assetsDir, "node", join(drillDir, "cloud/cloud.mjs"), this.cloudDir, this.tlsDir],
            ["ignore", "pipe", "pipe"],
        );
        this.cloudPid = this.cloud.pid!;
        let errors = "";
        this.cloud.stderr!.on("data", (chunk) => (errors += chunk));
        await new Promise<void>((ready, failed) => {
            this.cloud!.stdout!.once("data", () => ready());
            this.cloud!.once("exit", () => failed(new Error(`the drill's cloud did not start: ${errors}`)));
        });
    }

    /** The cloud's state as it is now (secrets' tags, role assignments...). */
    cloudState(): Record<string, any> {
        return JSON.parse(readFileSync(join(this.cloudDir, "cloud.json"), "utf8"));
    }

    requests(): string[] {
        const path = join(this.cloudDir, "requests.log");
        return existsSync(path) ? readFileSync(path, "utf8").trim().split("\n") : [];
    }

    /** The fake database's record of install attempts: "start <container>" / "done <container>". */
    installs(): string[] {
        const path = join(this.dbDir, "installs.log");
        return existsSync(path) ? readFileSync(path, "utf8").trim().split("\n") : [];
    }

    /** Rows of a table of the OpenEMR database, or undefined when the table is not there. */
    table(name: string, database = "openemr"): Record<string, any>[] | undefined {
        const path = join(this.dbDir, "databases", database, `${name}.json`);
        return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
    }

    /** The tables of the OpenEMR database so far, or undefined while there is no database. */
    tables(database = "openemr"): string[] | undefined {
        const dir = join(this.dbDir, "databases", database);
        return existsSync(dir) ? readdirSync(dir) : undefined;
    }

    setDb(change: Record<string, unknown>) {
        const path = join(this.dbDir, "server.json");
        const current = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {};
        writeFileSync(path, JSON.stringify({ ...current, ...change }));
    }

    /** Boots one more server with the world's user data (its cloud-init starts at once). */
    async boot(name: string): Promise<Server> {
        const index = ++this.booted;
        const ip = `10.0.${index}.2`;
        const dir = join(this.dir, "servers", name);
        const upper = join(dir, "upper");
        for (const sub of ["upper", "work", "root"]) mkdirSync(join(dir, sub), { recursive: true });
        const put = (path: string, content: string, mode = 0o644) => {
            mkdirSync(dirname(join(upper, path)), { recursive: true });
            writeFileSync(join(upper, path), content, { mode });
        };
        const services = ["truststore.pki.rds.amazonaws.com", "packages.microsoft.com", "registry-1.docker.io", "management.azure.com", ...this.spec.serviceHosts];
        put("/etc/hosts", `127.0.0.1 localhost\n${ip} ${name}\n${services.map((h) => `10.255.255.1 ${h}`).join("\n")}\n`);
        // The cloud's resolver, as DHCP gives a VM (named directly here: on the real images it is
        // systemd-resolved's upstream, which Docker hands the containers in their place).
        if (this.spec.cloud.resolver) put("/etc/resolv.conf", `nameserver ${this.spec.cloud.resolver}\n`);
        put("/var/lib/cloud/instance/user-data.txt", this.spec.userData, 0o600);
        const servers = JSON.parse(readFileSync(join(this.cloudDir, "servers.json"), "utf8"));
        servers[ip] = { name, instanceId: `i-0${index}${this.spec.label}` };
        writeFileSync(join(this.cloudDir, "servers.json"), JSON.stringify(servers));
        const unshare = guarded(
            ["unshare", "--mount", "--net", "--pid", "--uts", "--fork", "--kill-child", "--propagation", "private", "bash", join(drillDir, "host/server.sh"), dir, this.worldDir, this.assetsDir, this.spec.distro, name, String(this.cloudPid), String(index)],
            ["ignore", "ignore", "pipe"],
        );
        unshare.stderr!.on("data", (chunk) => existsSync(dir) && writeFileSync(join(dir, "namespace.log"), chunk, { flag: "a" }));
        const exited = new Promise<void>((done) => unshare.once("exit", () => done()));
        const pid = await childOf(unshare.pid!);
        const server = { name, index, ip, dir, pid, exited };
        this.servers.push(server);
        return server;
    }

    /** Waits until a server's cloud-init has run the boot script; its exit code, or null on timeout. */
    async finished(server: Server, timeoutMs = 45_000): Promise<number | null> {
        const path = join(server.dir, "upper/var/lib/cloud/instance/boot-finished.json");
        for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
            const text = await readFile(path, "utf8").catch(() => "");
            if (text) return JSON.parse(text).exitCode;
        }
        return null;
    }

    /** Runs a command inside a server (its namespaces and root), as root on that VM. */
    exec(server: Server, command: string[]) {
        return run(["nsenter", "-t", String(server.pid), "-m", "-n", "-p", "-u", "-r", "-w", ...command]);
    }

    /** Status and body of a GET from inside `server`, on its own network (its 127.0.0.1). */
    async get(server: Server, url: string) {
        const { stdout } = await run(["nsenter", "-t", String(server.pid), "-m", "-n", "-p", "-r", "-w", "curl", "-s", "-m", "3", "-w", "\n%{http_code}", url]);
        const cut = stdout.lastIndexOf("\n");
        return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
    }

    /** Status and body of a GET made from the cloud's network, as a load balancer probes (the cloud makes it: no process here). */
    async probe(url: string): Promise<{ status: number; body: string }> {
        return this.control(`/probe?url=${encodeURIComponent(url)}`).catch((error) => ({ status: 0, body: error.message }));
    }

    /** Pushes the next build of `image` (repo:tag) under the same tag at the registry; its index digest. */
    async republish(image: string): Promise<string> {
        const { digest, error } = await this.control(`/republish?image=${encodeURIComponent(image)}`);
        if (!digest) throw new Error(`republishing ${image}: ${error}`);
        return digest;
    }

    /** Takes the session store down (its port refuses connections) or brings it back. */
    async setSessionStore(up: boolean) {
        await this.control(`/session-store?up=${up ? 1 : 0}`);
    }

    /** A request to the cloud's control socket (cloud/cloud.mjs); its JSON answer. */
    private control(path: string): Promise<any> {
        return new Promise((resolve, reject) => {
            httpGet({ socketPath: join(this.cloudDir, "control.sock"), path }, (res) => {
                let body = "";
                res.on("data", (c) => (body += c));
                res.on("end", () => resolve(JSON.parse(body)));
            }).on("error", reject);
        });
    }

    /** The Docker daemon's state of a server (its data root is a host directory: host/server.sh): every container's config and log. */
    containers(server: Server): { config: Record<string, any>; log: string }[] {
        const dir = join(server.dir, "docker/containers");
        return (existsSync(dir) ? readdirSync(dir) : [])
            .filter((id) => existsSync(join(dir, id, "config.v2.json")))
            .map((id) => ({ config: JSON.parse(readFileSync(join(dir, id, "config.v2.json"), "utf8")), log: existsSync(join(dir, id, `${id}-json.log`)) ? readFileSync(join(dir, id, `${id}-json.log`), "utf8") : "" }));
    }

    file(server: Server, path: string) {
        const at = join(server.dir, "upper", path);
        return existsSync(at) ? readFileSync(at, "utf8") : "";
    }

    bootLog(server: Server) {
        return this.file(server, "/var/log/cloud-init-output.log");
    }

    /** What the boot script kept of failed installs (/var/log/emr/install-failed-*.log: the installer container's log). */
    failedInstallLogs(server: Server) {
        const dir = join(server.dir, "upper/var/log/emr");
        const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith("install-failed")) : [];
        return files.map((f) => `\n[${f}]\n${readFileSync(join(dir, f), "utf8")}`).join("");
    }

    /** Kills a server at once, as an instance termination does: every process, its locks with them. */
    async kill(server: Server) {
        try {
            process.kill(server.pid, "SIGKILL");
        } catch {
            // already gone
        }
        await server.exited;
    }

    async destroy() {
        await Promise.all(this.servers.map((s) => this.kill(s)));
        this.cloud?.kill("SIGKILL");
        if (this.dir) await rm(this.dir, { recursive: true, force: true });
    }
}
