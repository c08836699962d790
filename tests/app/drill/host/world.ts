import { ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { buildImage, imageTags } from "./images";
import { makePki, type Pki } from "./pki";
import { layServerRoot, type Distro } from "./serverRoot";

export const drillDir = resolve(__dirname, "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a world is: which cloud's servers boot, which user data, and the cloud's state. */
export interface WorldSpec {
    distro: Distro;
    userData: string;
    /** Service host names the servers resolve to the cloud (beyond the fixed ones). */
    serviceHosts: string[];
    /** The shared file system's remote names (fs-... / account host) -> the one shared folder. */
    shareRemotes: string[];
    db: { host: string; port: number; admin: { user: string; password: string } };
    /** The initial cloud.json (secrets, access rules, faults); servers are added by the world. */
    cloud: Record<string, unknown>;
    /** The image clock: every image sleep and the install pace are multiplied by this. */
    timescale?: number;
}

export interface Server {
    name: string;
    ip: string;
    dir: string;
    unshare: ChildProcess;
    pid: number;
}

/**
 * The drill's world on this machine: a cloud (own network namespace), one shared folder standing
 * for EFS / Azure Files, a fake MySQL, and servers, each in its own mount, network and PID
 * namespaces (host/server.sh). Everything is under one temp folder and inside namespaces that die
 * with their first process: destroy() kills those, and the kernel drops their mounts.
 */
export class World {
    readonly dir = mkdtempSync(join(tmpdir(), "emr-drill-"));
    readonly worldDir = join(this.dir, "world");
    readonly cloudDir = join(this.dir, "cloud");
    readonly shared = join(this.dir, "world/shares/folder");
    readonly servers: Server[] = [];
    private cloud?: ChildProcess;
    private booted = 0;
    private pki!: Pki;

    constructor(readonly spec: WorldSpec) {}

    async start() {
        mkdirSync(this.shared, { recursive: true });
        this.pki = makePki(join(this.cloudDir, "tls"));
        const manifests = Object.fromEntries(imageTags.map((t) => [`openemr/openemr:${t.tag}`, buildImage(this.worldDir, drillDir, this.pki.dir, t, this.spec.timescale ?? 0.01, 40)]));
        for (const remote of this.spec.shareRemotes) {
            const at = join(this.worldDir, "shares", remote);
            mkdirSync(join(at, ".."), { recursive: true });
            // Relative, so the link also resolves inside the servers (which see the world at /.drill/world).
            if (!existsSync(at)) symlinkSync(relative(join(at, ".."), this.shared), at);
        }
        const db = join(this.worldDir, "mysql", this.spec.db.host);
        mkdirSync(join(db, "users"), { recursive: true });
        mkdirSync(join(db, "databases"), { recursive: true });
        this.setDb({ port: this.spec.db.port, reachable: true, requireSecureTransport: true, caPem: this.pki.dbCaPem, admin: this.spec.db.admin });
        this.writeCloud({ servers: {}, ...this.spec.cloud, registry: { images: manifests, ...((this.spec.cloud.registry as object) ?? {}) }, rdsBundlePem: this.pki.dbCaPem });
        this.cloud = spawn("unshare", ["--net", "node", join(drillDir, "cloud/cloud.mjs"), this.cloudDir], { stdio: ["ignore", "pipe", "inherit"] });
        const pid = this.cloud.pid!;
        this.inCloud("ip", "link", "set", "lo", "up");
        this.inCloud("ip", "addr", "add", "169.254.169.254/32", "dev", "lo");
        this.inCloud("ip", "addr", "add", "10.255.255.1/32", "dev", "lo");
        await new Promise<void>((ready) => this.cloud!.stdout!.once("data", () => ready()));
        return pid;
    }

    private inCloud(...args: string[]) {
        execFileSync("nsenter", ["-t", String(this.cloud!.pid), "-n", ...args]);
    }

    readCloud(): Record<string, any> {
        return JSON.parse(readFileSync(join(this.cloudDir, "cloud.json"), "utf8"));
    }

    /** Atomic (write, then rename), so the cloud never reads half a document. */
    writeCloud(cloud: Record<string, unknown>) {
        writeFileSync(join(this.cloudDir, "cloud.json.tmp"), JSON.stringify(cloud, null, 1));
        renameSync(join(this.cloudDir, "cloud.json.tmp"), join(this.cloudDir, "cloud.json"));
    }

    /** The fake database's record of install attempts: "start <container>" / "done <container>". */
    installs(): string[] {
        const path = join(this.worldDir, "mysql", this.spec.db.host, "installs.log");
        return existsSync(path) ? readFileSync(path, "utf8").trim().split("\n") : [];
    }

    /** Rows of a table of the OpenEMR database, or undefined when the table is not there. */
    table(name: string, database = "openemr"): Record<string, string>[] | undefined {
        const path = join(this.worldDir, "mysql", this.spec.db.host, "databases", database, `${name}.json`);
        return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
    }

    dbState(): Record<string, any> {
        return JSON.parse(readFileSync(join(this.worldDir, "mysql", this.spec.db.host, "server.json"), "utf8"));
    }

    setDb(state: Record<string, unknown>) {
        const path = join(this.worldDir, "mysql", this.spec.db.host, "server.json");
        const current = existsSync(path) ? this.dbState() : {};
        writeFileSync(path, JSON.stringify({ ...current, ...state }));
    }

    /** Boots one more server with the world's user data; resolves once its boot script has ended. */
    async boot(name: string, identity: Record<string, string> = {}): Promise<Server> {
        const index = ++this.booted;
        const veth = `d${process.pid % 10000}w${this.dir.slice(-4)}${index}`.replace(/[^A-Za-z0-9]/g, "").slice(0, 15);
        const ip = `10.0.${index}.2`;
        const dir = join(this.dir, "servers", name);
        for (const sub of ["upper", "work", "root"]) mkdirSync(join(dir, sub), { recursive: true });
        const hosts = [...this.spec.serviceHosts, "truststore.pki.rds.amazonaws.com", "packages.microsoft.com", "registry-1.docker.io"].map((h) => `10.255.255.1 ${h}\n`).join("");
        // Ubuntu's store has the roots Azure MySQL chains to (DigiCert Global Root G2): the database CA here.
        const trusted = this.pki.rootPem + (this.spec.distro === "ubuntu" ? this.pki.dbCaPem : "");
        layServerRoot(join(dir, "upper"), drillDir, this.spec.distro, this.spec.userData, hosts, trusted);
        const cloud = this.readCloud();
        cloud.servers[ip] = { name, instanceId: `i-0${index}drill`, ...identity };
        this.writeCloud(cloud);
        const unshare = spawn("unshare", ["--mount", "--net", "--pid", "--fork", "--propagation", "private", "bash", join(drillDir, "host/server.sh"), dir, this.worldDir], { stdio: ["ignore", "ignore", "pipe"] });
        unshare.stderr!.on("data", (chunk) => existsSync(dir) && writeFileSync(join(dir, "namespace.log"), chunk, { flag: "a" }));
        let pid = 0;
        while (!pid) {
            const children = `/proc/${unshare.pid}/task/${unshare.pid}/children`;
            pid = existsSync(children) ? Number(readFileSync(children, "utf8").trim().split(" ")[0]) : 0;
            if (!pid) await sleep(2);
        }
        execFileSync("ip", ["link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", String(pid)]);
        execFileSync("ip", ["link", "set", veth, "netns", String(this.cloud!.pid)]);
        this.inCloud("ip", "addr", "add", `10.0.${index}.1/24`, "dev", veth);
        this.inCloud("ip", "link", "set", veth, "up");
        const inServer = (...args: string[]) => execFileSync("nsenter", ["-t", String(pid), "-n", ...args]);
        inServer("ip", "addr", "add", `${ip}/24`, "dev", "eth0");
        inServer("ip", "link", "set", "eth0", "up");
        inServer("ip", "route", "add", "default", "via", `10.0.${index}.1`);
        writeFileSync(join(dir, "plugged"), "");
        const server = { name, ip, dir, unshare, pid };
        this.servers.push(server);
        return server;
    }

    /** Waits until a server's cloud-init has run the boot script; returns its exit code. */
    async finished(server: Server, timeoutMs = 15_000): Promise<number | null> {
        const path = join(server.dir, "upper/var/lib/cloud/instance/boot-finished.json");
        const deadline = Date.now() + timeoutMs;
        while (!existsSync(path)) {
            if (Date.now() > deadline) return null;
            await sleep(20);
        }
        return JSON.parse(readFileSync(path, "utf8")).exitCode;
    }

    /** Runs a command inside a server (its namespaces and root), as root on that VM. */
    exec(server: Server, command: string[], input?: string) {
        const result = spawnSync("nsenter", ["-t", String(server.pid), "-m", "-n", "-p", "-r", "-w", ...command], { input, encoding: "utf8", timeout: 10_000 });
        return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    }

    /** HTTP status and body of a GET on the server's own 127.0.0.1 (curl in that server). */
    get(server: Server, url: string) {
        const { stdout } = this.exec(server, ["curl", "-s", "-m", "3", "-w", "\n%{http_code}", url]);
        const at = stdout.lastIndexOf("\n");
        return { status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at) };
    }

    bootLog(server: Server) {
        const path = join(server.dir, "upper/var/log/cloud-init-output.log");
        return existsSync(path) ? readFileSync(path, "utf8") : "";
    }

    /** Kills a server at once, as an instance termination does (its NFS locks go with it). */
    kill(server: Server) {
        try {
            process.kill(server.pid, "SIGKILL");
        } catch {
            // already gone
        }
    }

    async destroy() {
        for (const server of this.servers) this.kill(server);
        if (this.cloud?.pid) this.cloud.kill("SIGKILL");
        await sleep(50);
        rmSync(this.dir, { recursive: true, force: true });
    }
}
