import { existsSync, watch, type FSWatcher } from "node:fs";
import { join } from "node:path";
import { sampleApp } from "../renderSamples";
import { adminProblems, afterInstallProblems, eventually, imageProblems, imageRecord, imageRecordLines, leakProblems, loginPage, probe, servingProblems, sessionLogProblems, sessionProblems } from "./checks";
import { clouds, drillTimings, type CloudName, type DrillCloud } from "./clouds";
import { World, type Server } from "./host/world";

/**
 * The boot drill's scenarios, the same for both clouds, in two worlds per cloud (a world's
 * setup and its first install are the expensive part, so scenarios that can follow one another
 * share one): "together" (three servers booting together while the image tag is republished,
 * then a server added after the install and after another republish of the tag, then the
 * database unreachable, then the session store unreachable while a server boots, then the
 * serving containers' logs read for the store's password) and "killed" (an installer killed mid-install, then a container killed
 * while it holds docker-leader). Every scenario that boots a server checks that its containers run
 * the image build the stack recorded, by digest (checks.ts imageProblems). Each scenario settles with the list of
 * every problem it saw; a scenario after a failed one in the same world fails too, saying so.
 */
export const scenarioNames = ["threeTogether", "lateServer", "republishedTag", "databaseDown", "sessionStoreDown", "sessionPasswordNotLogged", "killedInstaller", "staleLeader"] as const;
export type ScenarioName = (typeof scenarioNames)[number];
/** A scenario's work in its world; `later` carries what it started for the scenarios after it. */
type Step = (world: World, cloud: DrillCloud, later: Record<string, Promise<string[]>>) => Promise<string[]>;

async function inWorld(cloudName: CloudName, label: string, steps: [ScenarioName, Step][], settle: (name: ScenarioName, error?: Error) => void, image?: string, registry?: Record<string, unknown>) {
    let world: World | undefined;
    let failed: string | undefined;
    try {
        const cloud = await clouds[cloudName](`${cloudName}-${label}`, image ? { image } : {});
        if (registry) cloud.spec.cloud.registry = registry;
        world = new World(cloud.spec);
        await world.start();
        const later: Record<string, Promise<string[]>> = {};
        for (const [name, step] of steps) {
            if (failed) {
                settle(name, new Error(`not run: ${failed} failed earlier in the same world`));
                continue;
            }
            const problems = await step(world, cloud, later);
            if (problems.length === 0) settle(name);
            else {
                failed = name;
                const logs = world.servers.map((s) => `--- ${s.name}\n${world!.bootLog(s).slice(-1200)}${world!.failedInstallLogs(s).slice(0, 1500)}`).join("\n");
                settle(name, new Error(`${problems.join("\n")}\n${logs}`));
            }
        }
    } catch (error) {
        for (const [name] of steps) settle(name, error as Error);
    } finally {
        await world?.destroy();
    }
}

async function boots(world: World, server: Server): Promise<string[]> {
    const code = await world.finished(server);
    return code === 0 ? [] : [`${server.name}'s boot script ended with ${code === null ? "no exit in time" : `exit ${code}`}`];
}

const completedInstalls = (world: World) => world.installs().filter((l) => l.startsWith("done")).length;

/** The repository and the tag of a configured `repo:tag`. */
const repoAndTag = (image: string) => [image.slice(0, image.lastIndexOf(":")), image.slice(image.lastIndexOf(":") + 1)];

/**
 * Three servers booting together (Docker Hub refusing s1's first pull, and the tag republished
 * between the first server's pull and the others', so they hold two different builds): one install, all
 * serve the one build the first lock holder recorded, a server that pulled the other build
 * switched to it under the lock, the install secrets closed. As soon as the install is done, the
 * tag is republished once more and a fourth server boots, for lateServer and republishedTag.
 */
const threeTogether: Step = async (world, cloud, later) => {
    const servers = await Promise.all(["s1", "s2", "s3"].map((n) => world.boot(n)));
    later.lateServer = (async () => {
        const installed = await eventually(async () => completedInstalls(world), (n) => n > 0, 45_000, 50);
        if (!installed) return ["no install was ever completed"];
        await world.republish(cloud.image);
        return world.boot("s4").then(() => []);
    })();
    later.republishedTag = later.lateServer;
    const problems = (await Promise.all(servers.map((s) => boots(world, s)))).flat();
    if (problems.length) return problems;
    if (completedInstalls(world) !== 1) problems.push(`${completedInstalls(world)} completed installs: ${world.installs().join(", ")}`);
    for (const s of servers) problems.push(...(await servingProblems(world, s)));
    problems.push(...adminProblems(world, cloud), ...leakProblems(world, cloud, servers), ...(await afterInstallProblems(world, cloud, servers)), ...(await sessionProblems(world, cloud, servers)));
    if (!existsSync(join(world.shared, ".emr-installed"))) problems.push("no install marker after the install");
    const pulls = world.requests().filter((r) => r.startsWith("s1 GET https://registry-1.docker.io/")).map((r) => r.split(" ").at(-1));
    if (pulls[0] !== "429" || !pulls.includes("200")) problems.push(`s1: the pull was not retried after Docker Hub's 429 (${pulls.join(", ")})`);
    problems.push(...imageProblems(world, cloud, servers));
    const [repo] = repoAndTag(cloud.image);
    const pinned = imageRecord(world)[cloud.image];
    const firstBuilds = world.cloudState().registry.builds[cloud.image].slice(0, 2).map((d: string) => `${repo}@${d}`);
    if (!firstBuilds.includes(pinned)) problems.push(`the record names ${pinned}, none of the builds the tag served while the servers booted (${firstBuilds.join(", ")})`);
    // A server that reads the record before pulling pulls the recorded digest and has nothing to
    // switch; which servers read it first is the race itself. When two or more pulled the tag
    // (the pull prints the reference it pulled), the tag was republished between their pulls, so
    // one of them holds the other build and must have switched to the recorded one.
    const tagPullers = servers.filter((s) => world.bootLog(s).split("\n").includes(`docker.io/${cloud.image}`));
    const switched = servers.some((s) => world.bootLog(s).includes(`${cloud.image} is recorded as ${pinned}, not `));
    if (tagPullers.length >= 2 && !switched) problems.push(`no server switched from the other build it pulled to the recorded one (pulled by tag: ${tagPullers.map((s) => s.name).join(", ")})`);
    return problems;
};

/** A server added after the install (threeTogether boots it) serves without installing again and without reading an install secret. */
const lateServer: Step = async (world, cloud, later) => {
    const problems = await later.lateServer;
    if (problems.length) return problems;
    const late = world.servers.find((s) => s.name === "s4")!;
    problems.push(...(await boots(world, late)));
    if (problems.length) return problems;
    problems.push(...(await servingProblems(world, late)), ...leakProblems(world, cloud, [late]), ...(await afterInstallProblems(world, cloud, [late])), ...imageProblems(world, cloud, [late]), ...(await sessionProblems(world, cloud, [late])));
    if (world.installs().length !== 2) problems.push(`install attempts: ${world.installs().join(", ")}`);
    const state = world.cloudState();
    const installSecrets = Object.values(cloud.secretRefs).map((ref) => ref.split(/[:/]/).at(-1)!);
    const secrets: any[] = state.aws
        ? Object.values(cloud.secretRefs).map((arn) => state.aws.secrets[arn])
        : Object.values<any>(state.azure.vaults).flatMap((v) => Object.entries<any>(v.secrets).filter(([name]) => installSecrets.includes(name)).map(([, secret]) => secret));
    if (secrets.some((secret) => [...(secret.Reads ?? []), ...(secret.reads ?? [])].includes("s4"))) problems.push("the late server read an install secret");
    return problems;
};

/**
 * The tag republished after the first install (threeTogether pushes a rebuild before it boots
 * s4): the server added later runs the very build the first servers run, by digest, without
 * asking the registry for the tag at all; the record still names that build, once; and no
 * container on any server runs the rebuild.
 */
const republishedTag: Step = async (world, cloud, later) => {
    const problems = await later.republishedTag;
    if (problems.length) return problems;
    const late = world.servers.find((s) => s.name === "s4")!;
    problems.push(...(await boots(world, late)));
    if (problems.length) return problems;
    const [repo, tag] = repoAndTag(cloud.image);
    const registry = world.cloudState().registry;
    const rebuild = registry.repositories[repo].tags[tag];
    if (rebuild !== registry.builds[cloud.image].at(-1)) problems.push(`the tag was not republished after the install: it points at ${rebuild}`);
    if (imageRecord(world)[cloud.image] === `${repo}@${rebuild}`) problems.push("the record names the rebuild pushed after the install");
    problems.push(...imageProblems(world, cloud));
    const asked = world.requests().filter((r) => r.startsWith(`${late.name} `) && r.includes(` https://registry-1.docker.io/v2/${repo}/manifests/${tag} `));
    if (asked.length) problems.push(`${late.name} asked the registry for the tag: ${asked.join("; ")}`);
    const lines = imageRecordLines(world).filter((l) => l.startsWith(`${cloud.image} `));
    if (lines.length !== 1) problems.push(`the record holds ${lines.length} lines for ${cloud.image}: ${lines.join(" | ")}`);
    return problems;
};

/** The database unreachable: every probe the load balancer asks goes red (login.php stays 200, on OpenEMR's error page), then green again. */
const databaseDown: Step = async (world) => {
    // A failover: the database gone for less than the endpoint sits out (drillTimings
    // databaseOutageSeconds). Every server must stay in rotation: unhealthy, they would all be replaced.
    world.setDb({ reachable: false });
    const blip = await Promise.all(
        world.servers.map(async (server) => {
            const seen = await eventually(() => probe(world, server), (r) => r.status !== 200, (drillTimings.databaseOutageSeconds - 1) * 1000);
            return seen.status === 200 ? [] : [`${server.name}: the probe answered ${seen.status} ${drillTimings.databaseOutageSeconds - 1} s into a database outage shorter than a failover`];
        }),
    );
    // An outage that outlasts a failover: every probe goes red.
    const down = await Promise.all(
        world.servers.map(async (server) => {
            const problems: string[] = [];
            const red = await eventually(() => probe(world, server), (r) => r.status === 503, 6_000 + drillTimings.databaseOutageSeconds * 1000);
            if (red.status !== 503) problems.push(`${server.name}: the probe stayed ${red.status} with the database down`);
            const login = await loginPage(world, server);
            if (login.status !== 200 || !login.body.includes("Could not connect")) problems.push(`${server.name}: login.php with the database down: ${login.status} ${login.body.slice(0, 80)}`);
            return problems;
        }),
    );
    world.setDb({ reachable: true });
    const back = await Promise.all(
        world.servers.map(async (server) => {
            const green = await eventually(() => probe(world, server), (r) => r.status === 200, 6_000);
            return green.status === 200 ? [] : [`${server.name}: the probe stayed ${green.status} after the database came back`];
        }),
    );
    return [...blip, ...down, ...back].flat();
};

/**
 * The session store unreachable when a server boots (it refuses connections): PHP in the serving
 * container cannot open a session (image/phpCli.mjs), a server that would log its users out at the
 * next server or zone loss. The boot must refuse to serve: its boot script fails and no serving
 * container is left (the group replaces the server). The servers already serving keep serving, and once the store
 * is back a new server serves with its sessions in the store.
 */
const sessionStoreDown: Step = async (world, cloud) => {
    await world.setSessionStore(false);
    const refused = await world.boot("s5");
    const code = await world.finished(refused, 60_000);
    await world.setSessionStore(true);
    const problems: string[] = [];
    if (code === 0) problems.push("s5 booted to the end with the session store down");
    if (!world.bootLog(refused).includes("no session store")) problems.push(`s5 did not say why it stopped: ${world.bootLog(refused).slice(-300)}`);
    if (world.containers(refused).some((c) => c.config.Name === "/emr" && c.config.State.Running)) problems.push("s5 left a serving container running on file sessions");
    const serving = world.servers.filter((s) => ["s1", "s2", "s3", "s4"].includes(s.name));
    for (const s of serving) problems.push(...(await servingProblems(world, s)));
    problems.push(...(await sessionProblems(world, cloud, serving)));
    await world.kill(refused);
    const next = await world.boot("s6");
    problems.push(...(await boots(world, next)));
    if (problems.length) return problems;
    problems.push(...(await servingProblems(world, next)), ...(await sessionProblems(world, cloud, [next])));
    return problems;
};

/** No serving container's log (shipped off the server) holds the session store's password. */
const sessionPasswordNotLogged: Step = async (world, cloud) => sessionLogProblems(world, cloud);

/**
 * The installer killed mid-install (its server terminated while the database was taking the
 * schema): the next server resets the half-built schema and installs once, completely. Meanwhile
 * s3 boots and queues for the install lock, for staleLeader: s3 is terminated the moment its
 * serving container takes docker-leader (inotify, so the kill lands inside the container's leader
 * window: its chmod of the code tree).
 */
const killedInstaller: Step = async (world, cloud, later) => {
    world.setDb({ stallDdlAfterTables: 3 });
    const first = await world.boot("s1");
    const stalled = await eventually(async () => (world.tables() ?? []).length, (n) => n >= 3, 30_000, 50);
    if (stalled < 3) return ["the first install never began"];
    await world.kill(first);
    world.setDb({ stallDdlAfterTables: null });
    const problems: string[] = [];
    if (existsSync(join(world.shared, ".emr-installed"))) problems.push("the install marker exists after a killed install");
    const next = await world.boot("s2");
    // s3 only once s2 holds the lock (it is installing), so s2 is the one that installs.
    await eventually(async () => world.installs().includes("start s2"), (v) => v, 30_000, 50);
    later.staleLeader = killWhileLeader(world, next, await world.boot("s3"));
    problems.push(...(await boots(world, next)));
    if (problems.length) return problems;
    if (world.installs().join(", ") !== "start s1, start s2, done s2") problems.push(`install attempts: ${world.installs().join(", ")}`);
    problems.push(...(await servingProblems(world, next)), ...adminProblems(world, cloud), ...imageProblems(world, cloud, [next]), ...(await sessionProblems(world, cloud, [next])));
    // The killed s1 recorded the build before it began installing; s2 ran that one.
    const [repo] = repoAndTag(cloud.image);
    const served = `${repo}@${world.cloudState().registry.builds[cloud.image][0]}`;
    if (imageRecord(world)[cloud.image] !== served) problems.push(`the record names ${imageRecord(world)[cloud.image]}, not ${served}, the build the tag served`);
    return problems;
};

/** Terminates `doomed` the moment its serving container takes docker-leader (it has the install lock then, so the leader is its own). */
async function killWhileLeader(world: World, installer: Server, doomed: Server): Promise<string[]> {
    const sites = join(world.shared, "sites");
    const leader = join(sites, "docker-leader");
    const servingOnDoomed = () => world.containers(doomed).some((c) => c.config.Name === "/emr");
    // The install recreates sites/ (a watch on the old directory would hear nothing): watch the new one.
    await eventually(async () => world.installs().includes(`done ${installer.name}`), (v) => v, 30_000, 20);
    let watcher: FSWatcher | undefined;
    const killed = new Promise<boolean>((resolve) => {
        watcher = watch(sites, (_, file) => {
            if (file !== "docker-leader" || !existsSync(leader) || !servingOnDoomed()) return;
            process.kill(doomed.pid, "SIGKILL");
            resolve(true);
        });
        setTimeout(() => resolve(false), 40_000);
    });
    if ((await world.finished(installer)) !== 0) return [`${installer.name} did not install`];
    const seen = await killed;
    watcher?.close();
    if (!seen) return [`${doomed.name}'s container never took docker-leader`];
    await world.kill(doomed);
    return existsSync(leader) ? [] : [`${doomed.name}'s container gave docker-leader up before the drill could kill it`];
}

/**
 * A container killed while it holds sites/docker-leader (killedInstaller's s3), then a new
 * server: it must serve, and no stale leader may stay behind (in the "devops" generation of the
 * image a leftover leader file leaves every later container a follower: no certificate without
 * a shared /etc/ssl, and no one ever runs an upgrade's fsupgrade scripts, which only the
 * authority does).
 */
const staleLeader: Step = async (world, cloud, later) => {
    const problems = await later.staleLeader;
    if (problems.length) return problems;
    const next = await world.boot("s4");
    problems.push(...(await boots(world, next)));
    if (problems.length) return problems;
    problems.push(...(await servingProblems(world, next)), ...imageProblems(world, cloud, [next]), ...(await sessionProblems(world, cloud, [next])));
    if (existsSync(join(world.shared, "sites/docker-leader"))) problems.push("a stale docker-leader is still there after the next server started");
    return problems;
};

/** Starts every scenario of one cloud (or those of the worlds named in `only`); `settle` hears each one's outcome. */
export function runScenarios(cloud: CloudName, settle: (name: ScenarioName, error?: Error) => void, only?: string[]): Promise<unknown> {
    const worlds: [string, [ScenarioName, Step][], string | undefined, Record<string, unknown> | undefined][] = [
        [
            "together",
            [["threeTogether", threeTogether], ["lateServer", lateServer], ["republishedTag", republishedTag], ["databaseDown", databaseDown], ["sessionStoreDown", sessionStoreDown], ["sessionPasswordNotLogged", sessionPasswordNotLogged]],
            undefined,
            { failFirstPullOf: ["s1"], republishBetweenPulls: [sampleApp.image] },
        ],
        // The image generation a stale leader can hurt (host/assets.ts).
        ["killed", [["killedInstaller", killedInstaller], ["staleLeader", staleLeader]], "openemr/openemr:8.0.0", undefined],
    ];
    return Promise.all(worlds.filter(([label]) => !only || only.includes(label)).map(([label, steps, image, registry]) => inWorld(cloud, label, steps, settle, image, registry)));
}
