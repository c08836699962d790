import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { healthPort } from "../../../src/app/healthCheck";
import { containerLogFacility } from "../../../src/azure/webLogs";
import { sampleApp } from "../renderSamples";
import type { DrillCloud } from "./clouds";
import { drillDir } from "./host/assets";
import { imageIdOf } from "./host/registryContent";
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
export const probe = (world: World, server: Server) => world.probe(`http://${server.ip}:${healthPort}${sampleApp.readinessPath}`);
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

/** The stack's image record (the boot's $SHARED_DIR/.emr-image, src/app/imagePin.ts): configured image -> recorded reference. */
export function imageRecord(world: World): Record<string, string> {
    return Object.fromEntries(imageRecordLines(world).map((line) => line.split(" ").slice(0, 2)));
}

export function imageRecordLines(world: World): string[] {
    const path = join(world.shared, ".emr-image");
    return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : [];
}

/**
 * Every container on `servers` runs the build the stack recorded for its configured image, by
 * digest: the reference `docker run` was given (Config.Image) is the recorded
 * `repo@sha256:<index digest>`, and the image it was started from (Image) is the one that index
 * gives a linux/amd64 server, as the registry holds it. Each server has its serving container.
 */
export function imageProblems(world: World, cloud: DrillCloud, servers = world.servers): string[] {
    const pinned = imageRecord(world)[cloud.image];
    if (!pinned) return [`no image record for ${cloud.image}: ${JSON.stringify(imageRecord(world))}`];
    const [repo, digest] = pinned.split("@");
    const id = imageIdOf(world.cloudState().registry, repo, digest);
    if (!id) return [`the record names ${pinned}, which the registry does not have`];
    const problems: string[] = [];
    for (const server of servers) {
        const containers = world.containers(server);
        if (!containers.some((c) => c.config.Name === "/emr")) problems.push(`${server.name}: no serving container`);
        for (const { config } of containers) {
            if (config.Config.Image !== pinned || config.Image !== id) problems.push(`${server.name}: ${config.Name} runs ${config.Config.Image} (image ${config.Image}), not the recorded ${pinned} (image ${id})`);
        }
    }
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

/** The session store's password as it may appear: as stored, and percent-encoded as a save path carries it. */
const sessionPasswordForms = (cloud: DrillCloud) => [...new Set([cloud.session.password, encodeURIComponent(cloud.session.password), cloud.session.phpIni.match(/auth\[pass\]=([^&"]*)/)?.[1] ?? cloud.session.password])];

/**
 * Every place a credential must never be: containers' Env and logs, cloud-init's log, the journal,
 * the user data. The session store's password is in none of them either: PHP reads it from the ini
 * file the boot mounts (src/app/sessionStore.ts), never from the container's Env.
 */
export function leakProblems(world: World, cloud: DrillCloud, servers = world.servers): string[] {
    const leaks: string[] = [];
    const scan = (where: string, text: string) => cloud.credentials.forEach((c, i) => text.includes(c) && leaks.push(`credential #${i} in ${where}`));
    const scanSession = (where: string, text: string) => sessionPasswordForms(cloud).some((p) => text.includes(p)) && leaks.push(`the session store's password in ${where}`);
    const scanAll = (where: string, text: string) => (scan(where, text), scanSession(where, text));
    scanAll("the user data", world.spec.userData);
    for (const server of servers) {
        const containers = world.containers(server);
        if (!containers.some((c) => c.config.Name === "/emr")) leaks.push(`${server.name}: no serving container to look into`);
        for (const { config, log } of containers) {
            scanAll(`${server.name} container ${config.Name} Env`, JSON.stringify(config.Config.Env));
            scanAll(`${server.name} container ${config.Name} log`, log);
        }
        scanAll(`${server.name} cloud-init-output.log`, world.bootLog(server));
        const journal = join(server.dir, "upper/var/log/journal");
        for (const file of existsSync(journal) ? readdirSync(journal) : []) scanAll(`${server.name} journal ${file}`, readFileSync(join(journal, file), "utf8"));
    }
    return leaks;
}

/**
 * The serving containers' logs (shipped to CloudWatch Logs / Azure Monitor: src/aws/webBoot.ts,
 * src/azure/webLogs.ts) never hold the session store's password; on Azure the journal's syslog
 * carries the same lines.
 */
export function sessionLogProblems(world: World, cloud: DrillCloud, servers = world.servers): string[] {
    const leaks: string[] = [];
    for (const server of servers) {
        const texts: [string, string][] = world.containers(server).filter((c) => c.config.Name === "/emr").map(({ log }) => [`${server.name}'s serving container log`, log]);
        if (cloud.cloud === "azure") texts.push([`${server.name} journal syslog.log`, world.file(server, "/var/log/journal/syslog.log")]);
        for (const [where, text] of texts) {
            const line = text.split("\n").find((l) => sessionPasswordForms(cloud).some((p) => l.includes(p)));
            if (line) leaks.push(`the session store's password in ${where}: ${line.replace(/auth\[pass\]=[^&\\]*/, "auth[pass]=<the password>").slice(0, 200)}`);
        }
    }
    return leaks;
}

/**
 * Sessions reach the store: in each server's serving container a PHP session (image/phpSession.mjs:
 * what globals.php's session_start does with PHP's own settings) goes to the stack's store, over
 * TLS checked against the CA the container has, authenticated with the store's password, and the
 * store holds it, written by that server. A container left on file sessions, or one whose save
 * path leads elsewhere, fails here.
 */
export async function sessionProblems(world: World, cloud: DrillCloud, servers = world.servers): Promise<string[]> {
    const problems: string[] = [];
    for (const server of servers) {
        const id = `drill${server.name}${Date.now()}`;
        const { stdout, stderr } = await world.exec(server, ["docker", "exec", "emr", "node", join(drillDir, "image/phpSession.mjs"), id]);
        let result: Record<string, any> = {};
        try {
            result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
        } catch {
            problems.push(`${server.name}: no PHP session could be started (${stdout} ${stderr})`);
            continue;
        }
        if (result.handler !== "redis") problems.push(`${server.name}: PHP keeps its sessions in ${result.handler}, not in the session store`);
        else if (result.error) problems.push(`${server.name}: a PHP session did not reach the store at ${result.host}:${result.port}: ${result.error}`);
        else if (result.host !== cloud.session.host || result.port !== cloud.session.port) problems.push(`${server.name}: PHP's sessions go to ${result.host}:${result.port}, not the store ${cloud.session.host}:${cloud.session.port}`);
        else if (world.cloudState().sessionStore.data[result.written]?.by !== server.name) problems.push(`${server.name}: the store does not hold the session ${result.written} from it`);
        else if (!result.locked) problems.push(`${server.name}: PHP does not lock its sessions: two requests of one user race, and the last write wins`);
        else if (`${result.written}_LOCK` in world.cloudState().sessionStore.data) problems.push(`${server.name}: the lock of ${result.written} was left in the store: that user's next request waits for it to expire`);
        // The ini with the password: root's alone (0400), on tmpfs, its directory not listable by Apache's workers.
        const facts = (await world.exec(server, ["sh", "-c", "stat -c '%a %u' /run/emr-session/emr-session.ini; stat -c %a /run/emr-session; stat -f -c %T /run/emr-session"])).stdout.trim().split("\n");
        if (facts.join(" | ") !== "400 0 | 711 | tmpfs") problems.push(`${server.name}: the session ini is not 0400 root in a 0711 tmpfs directory (${facts.join(" | ")})`);
        const env = world.containers(server).find((c) => c.config.Name === "/emr")?.config.Config.Env ?? [];
        if (env.some((e: string) => e.startsWith("REDIS_"))) problems.push(`${server.name}: the serving container has the image's REDIS_* variables: its entrypoint would configure (and print) the store itself`);
    }
    return problems;
}

const imdsToken = (resource: string, clientId = "") =>
    `http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(resource)}${clientId ? `&client_id=${clientId}` : ""}`;

/**
 * On each server, in one go: whether the install secrets' tmpfs outlived the boot, what reading
 * each install secret as the boot does gives (the AWS CLI with the instance role; an IMDS token,
 * then Key Vault), and on Azure whether the host and the serving container reach IMDS.
 */
function factsScript(world: World, cloud: DrillCloud): string {
    const refs = Object.values(cloud.secretRefs).join(" ");
    const lines = [`[ -e /run/emr ] && echo "run-emr present"`];
    if (cloud.cloud === "aws") {
        lines.push(`aws secretsmanager get-secret-value --region eu-west-1 --secret-id '${cloud.sessionSecretRef}' --query SecretString --output text >/dev/null 2>&1; echo "session $?"`);
        lines.push(`for ref in ${refs}; do err=$(aws secretsmanager get-secret-value --region eu-west-1 --secret-id "$ref" --query SecretString --output text 2>&1 >/dev/null); echo "secret $? $ref \${err//$'\\n'/ }"; done`);
    } else {
        const ask = `curl -s -m 2 -o /dev/null -w '%{http_code}' -H 'Metadata: true' '${imdsToken("https://vault.azure.net")}'`;
        lines.push(
            `r=$(curl -fsS -H Metadata:true '${imdsToken("https://vault.azure.net", world.cloudState().azure.identity.clientId)}'); re='"access_token":"([^"]*)"'; [[ $r =~ $re ]]; t=\${BASH_REMATCH[1]:-}`,
            `for ref in ${refs}; do echo "secret $(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $t" "$ref?api-version=7.4") $ref"; done`,
            `echo "session $(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $t" '${cloud.sessionSecretRef}?api-version=7.4')"`,
            `echo "imds-host $(${ask})"`,
            `echo "imds-container $(docker exec emr ${ask})"`,
        );
    }
    return lines.join("\n");
}

/** After the install no server can read an install secret, in the store's own terms and by trying, and every server still reads the session store's; no leftover /run/emr; Azure containers cut off from IMDS. */
export async function afterInstallProblems(world: World, cloud: DrillCloud, servers = world.servers): Promise<string[]> {
    const problems: string[] = [];
    const state = world.cloudState();
    if (cloud.cloud === "aws") {
        for (const arn of Object.values(cloud.secretRefs)) {
            const secret = state.aws.secrets[arn];
            const tag = secret.Tags.find((t: any) => t.Key === "emr-install")?.Value;
            if (tag !== "complete") problems.push(`${arn} is tagged emr-install=${tag}`);
        }
    } else {
        // What stays: the servers' read access to the session store's secret, which every boot needs.
        const left = Object.values<any>(state.azure.roleAssignments).map((a) => a.scope.split("/").at(-1));
        if (left.join() !== cloud.sessionSecretRef.split("/").at(-1)) problems.push(`role assignments left at: ${left.join(", ")}`);
    }
    const script = factsScript(world, cloud);
    for (const server of servers) {
        const facts = (await world.exec(server, ["bash", "-c", script])).stdout.split("\n");
        const fact = (key: string) => facts.filter((f) => f.startsWith(`${key} `)).map((f) => f.slice(key.length + 1));
        if (fact("run-emr").length) problems.push(`${server.name}: /run/emr outlived the boot`);
        // The session store's secret stays readable: every later boot (a replacement, a new server) reads it.
        if (!["0", "200"].includes(fact("session")[0])) problems.push(`${server.name}: cannot read the session store's secret after the install (${fact("session")[0]})`);
        const reads = fact("secret");
        if (reads.length !== Object.keys(cloud.secretRefs).length) problems.push(`${server.name}: could not try the secrets (${facts.join(" | ")})`);
        for (const read of reads) {
            // "denied" only when the store itself refused: a call that failed otherwise (no route, a wrong program) proves nothing.
            const [status, ref, ...detail] = read.split(" ");
            const denied = cloud.cloud === "aws" ? status === "254" && detail.join(" ").includes("(AccessDeniedException)") : status === "403";
            if (!denied) problems.push(`${server.name} reading ${ref}: ${status === "0" || status === "200" ? "read it" : `failed otherwise (${status} ${detail.join(" ")})`}`);
        }
        if (cloud.cloud === "azure") {
            // The serving container's output reaches journald's /dev/log tagged with its name at the
            // facility the Azure Monitor Agent ships (src/azure/webLogs.ts): <PRI> = facility * 8 + 6 (info).
            const priority = `<${(16 + Number(containerLogFacility.replace("local", ""))) * 8 + 6}>`;
            if (!world.file(server, "/var/log/journal/syslog.log").split("\n").some((l) => l.startsWith(priority) && l.includes(" emr: Starting apache!"))) problems.push(`${server.name}: the serving container's output never reached syslog as ${containerLogFacility}.info, tag emr`);
            // The AZNFS install turns auto-update on; the boot turns it off (src/azure/webBoot.ts).
            if (!world.file(server, "/opt/microsoft/aznfs/data/config").includes("AUTO_UPDATE_AZNFS=false")) problems.push(`${server.name}: AZNFS auto-update is on`);
            if (!fact("imds-host")[0] || fact("imds-host")[0] === "000") problems.push(`${server.name}: the host itself cannot reach IMDS, so the container check proves nothing`);
            if (fact("imds-container")[0] !== "000") problems.push(`${server.name}: the serving container reached IMDS (HTTP ${fact("imds-container")[0]})`);
        }
    }
    return problems;
}
