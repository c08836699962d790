import { createHash } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { healthPort } from "../../../src/app/healthCheck";
import { sampleApp } from "../renderSamples";
import type { DrillCloud } from "./clouds";
import type { Server, World } from "./host/world";

/**
 * What the drill asserts, asked the way a load balancer, a user or an attacker on a server would.
 * Each check returns a list of what is wrong (empty when all is well), so a failing scenario says
 * every reason at once.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number, stepMs = 200): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (ok(value) || Date.now() > deadline) return value;
        await sleep(stepMs);
    }
}

/** The load balancer's view: the server's health port, asked over the cloud's network. */
export const probe = (world: World, server: Server) => world.get("cloud", `http://${server.ip}:${healthPort}${sampleApp.readinessPath}`);
/** A user's view: the login page on the server's own 127.0.0.1:80 (Apache in the serving container). */
export const loginPage = (world: World, server: Server) => world.get(server, "http://127.0.0.1/interface/login/login.php");

/** The server serves: the real login form, and the probe green (its verdict refreshes every poll, so give it a few). */
export async function servingProblems(world: World, server: Server): Promise<string[]> {
    const login = await loginPage(world, server);
    const health = await eventually(() => probe(world, server), (r) => r.status === 200, 5_000);
    const problems: string[] = [];
    if (login.status !== 200 || !login.body.includes("authUser")) problems.push(`${server.name}: login.php answered ${login.status} ${login.body.slice(0, 120)}`);
    if (health.status !== 200) problems.push(`${server.name}: the load balancer's probe answered ${health.status} ${health.body}`);
    return problems;
}

/** The installed first administrator is the generated one (OpenEMR's users_secure; the fake stores a SHA-256 of the password). */
export function adminProblems(world: World, cloud: DrillCloud): string[] {
    const admins = world.table("users_secure") ?? [];
    const hash = (p: string) => createHash("sha256").update(p).digest("hex");
    if (admins.length !== 1) return [`users_secure holds ${admins.length} rows`];
    const [admin] = admins;
    if (admin.username === "admin" || admin.password === hash("pass")) return ["the administrator is OpenEMR's default admin / pass"];
    if (admin.username !== cloud.emrAdmin.username || admin.password !== hash(cloud.emrAdmin.password)) return [`the administrator is ${admin.username}, not the generated ${cloud.emrAdmin.username} with its password`];
    return [];
}

/** Every place a credential must never be: containers' Env and logs, cloud-init's log, the journal, the user data, /run/emr after boot. */
export async function leakProblems(world: World, cloud: DrillCloud): Promise<string[]> {
    const leaks: string[] = [];
    const scan = (where: string, text: string) => cloud.credentials.forEach((c, i) => text.includes(c) && leaks.push(`credential #${i} in ${where}`));
    scan("the user data", world.spec.userData);
    for (const server of world.servers) {
        const ids = (await world.exec(server, ["docker", "ps", "-a", "-q"])).stdout.split("\n").filter(Boolean);
        if (ids.length === 0 && (await world.exec(server, ["test", "-S", "/run/docker.sock"])).code === 0) leaks.push(`${server.name}: no container to look into (docker ps answered nothing)`);
        for (const id of ids) {
            scan(`${server.name} container ${id} Env`, (await world.exec(server, ["docker", "inspect", "-f", "{{json .Config.Env}}", id])).stdout);
            const logs = await world.exec(server, ["docker", "logs", id]);
            scan(`${server.name} container ${id} log`, logs.stdout + logs.stderr);
        }
        scan(`${server.name} cloud-init-output.log`, world.bootLog(server));
        const journal = join(server.dir, "upper/var/log/journal");
        for (const file of existsSync(journal) ? readdirSync(journal) : []) scan(`${server.name} journal ${file}`, readFileSync(join(journal, file), "utf8"));
        if ((await world.exec(server, ["test", "-e", "/run/emr"])).code === 0) leaks.push(`${server.name}: /run/emr outlived the boot`);
    }
    return leaks;
}

/** After the install no server can read an install secret, in the store's own terms and by trying. */
export async function secretsOpenProblems(world: World, cloud: DrillCloud): Promise<string[]> {
    const problems: string[] = [];
    const state = world.cloudState();
    if (cloud.cloud === "aws") {
        for (const [arn, secret] of Object.entries<any>(state.aws.secrets)) {
            const tag = secret.Tags.find((t: any) => t.Key === "emr-install")?.Value;
            if (tag !== "complete") problems.push(`${arn} is tagged emr-install=${tag}`);
        }
    } else if (Object.keys(state.azure.roleAssignments).length > 0) problems.push(`role assignments left: ${Object.keys(state.azure.roleAssignments).join(", ")}`);
    for (const server of world.servers) {
        for (const ref of Object.values(cloud.secretRefs)) {
            const read = await readSecret(world, cloud, server, ref);
            if (read !== "denied") problems.push(`${server.name} reading ${ref}: ${read}`);
        }
    }
    return problems;
}

/**
 * A server reading an install secret as its boot does (the AWS CLI with the instance role, or an
 * IMDS token for Key Vault): "denied" only when the store itself refused, so a call that failed
 * for another reason (no route, a wrong program) never passes for a closed secret.
 */
async function readSecret(world: World, cloud: DrillCloud, server: Server, ref: string): Promise<string> {
    if (cloud.cloud === "aws") {
        const r = await world.exec(server, ["aws", "secretsmanager", "get-secret-value", "--region", "eu-west-1", "--secret-id", ref, "--query", "SecretString", "--output", "text"]);
        return r.code === 0 ? "read it" : r.code === 254 && r.stderr.includes("(AccessDeniedException)") ? "denied" : `failed otherwise (${r.code}: ${r.stderr.trim()})`;
    }
    const clientId = world.cloudState().azure.identity.clientId;
    const script = `t=$(curl -fsS -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net&client_id=${clientId}' | jq -r .access_token) && curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $t" '${ref}?api-version=7.4'`;
    const r = await world.exec(server, ["bash", "-c", script]);
    return r.stdout === "200" ? "read it" : r.stdout === "403" ? "denied" : `failed otherwise (${r.code}: ${r.stdout} ${r.stderr.trim()})`;
}

/** Containers must not reach the instance metadata service (Azure: DOCKER-USER drop); the host itself still does. */
export async function imdsProblems(world: World, server: Server): Promise<string[]> {
    const url = "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net";
    const ask = ["curl", "-s", "-m", "2", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Metadata: true", url];
    const host = await world.exec(server, ask);
    const container = await world.exec(server, ["docker", "exec", "emr", ...ask]);
    const problems: string[] = [];
    if (host.stdout === "000") problems.push(`${server.name}: the host itself cannot reach IMDS (the check proves nothing)`);
    if (container.stdout !== "000") problems.push(`${server.name}: the serving container reached IMDS (HTTP ${container.stdout})`);
    return problems;
}
