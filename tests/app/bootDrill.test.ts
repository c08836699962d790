import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { adminUsesDefaultPassword, eventually, leakedCredentials, serves, sleep } from "./drill/checks";
import { awsWorld, azureWorld, probeUrl, type DrillCloud } from "./drill/clouds";
import { World } from "./drill/host/world";
import { sampleApp } from "./renderSamples";

/**
 * The boot drill: the REAL rendered boot script of each cloud, on several simulated servers at
 * once (tests/app/drill: each server in its own namespaces with real mount/flock/iptables and
 * stand-ins written from the real programs' sources). It needs root and unshare(1): without them
 * it fails, saying so, rather than skip.
 */
beforeAll(() => {
    const missing: string[] = [];
    if (process.getuid?.() !== 0) missing.push("root (namespaces, mounts, iptables)");
    for (const tool of ["unshare", "nsenter", "ip", "iptables", "jq", "flock", "curl", "openssl", "mknod"]) {
        try {
            execFileSync("sh", ["-c", `command -v ${tool}`]);
        } catch {
            missing.push(tool);
        }
    }
    expect(missing, `the boot drill needs: ${missing.join(", ")} (Debian: util-linux iproute2 iptables jq curl openssl)`).toEqual([]);
});

const clouds: [string, (image: string) => Promise<DrillCloud>][] = [
    ["aws", awsWorld],
    ["azure", azureWorld],
];

async function withWorld(make: () => Promise<DrillCloud>, drill: (world: World, cloud: DrillCloud) => Promise<void>) {
    const cloud = await make();
    const world = new World(cloud.spec);
    try {
        await world.start();
        await drill(world, cloud);
    } catch (error) {
        const logs = world.servers.map((s) => `--- ${s.name}\n${world.bootLog(s).slice(-1500)}`).join("\n");
        throw new Error(`${(error as Error).message}\n${logs}`);
    } finally {
        await world.destroy();
    }
}

describe.each(clouds)("boot drill, %s", (_, make) => {
    const image = sampleApp.image;

    it("three servers booting together: one install, every server serves, no default password, no leaked credential", async () => {
        await withWorld(() => make(image), async (world, cloud) => {
            const servers = await Promise.all(["s1", "s2", "s3"].map((n) => world.boot(n, cloud.identity)));
            const codes = await Promise.all(servers.map((s) => world.finished(s)));
            expect(codes, "boot script exit codes").toEqual([0, 0, 0]);
            expect(world.installs().filter((l) => l.startsWith("done"))).toHaveLength(1);
            for (const s of servers) expect(serves(world, s, probeUrl()), s.name).toMatchObject({ login: true, probe: true });
            expect(adminUsesDefaultPassword(world), "the installed admin has OpenEMR's default password").toBe(false);
            expect(leakedCredentials(world, cloud.secretValues)).toEqual([]);
            for (const value of cloud.secretValues) expect(cloud.spec.userData).not.toContain(value);
            expect(existsSync(join(world.shared, ".emr-installed")) || world.table("users_secure") !== undefined).toBe(true);
        });
    });

    it("a server added after the install serves without installing again", async () => {
        await withWorld(() => make(image), async (world, cloud) => {
            expect(await world.finished(await world.boot("s1", cloud.identity))).toBe(0);
            const late = await world.boot("s4", cloud.identity);
            expect(await world.finished(late)).toBe(0);
            expect(world.installs().filter((l) => l.startsWith("start"))).toHaveLength(1);
            expect(serves(world, late, probeUrl())).toMatchObject({ login: true, probe: true });
        });
    });

    it("an installer killed mid-install: the next server still installs, once, completely", async () => {
        await withWorld(() => make(image), async (world, cloud) => {
            const first = await world.boot("s1", cloud.identity);
            expect(await eventually(() => (world.table("contact") !== undefined), 10_000, 5), "the install began").toBe(true);
            world.kill(first);
            const next = await world.boot("s2", cloud.identity);
            expect(await world.finished(next)).toBe(0);
            expect(world.installs().filter((l) => l.startsWith("done"))).toHaveLength(1);
            expect(serves(world, next, probeUrl())).toMatchObject({ login: true, probe: true });
            expect(adminUsesDefaultPassword(world)).toBe(false);
        });
    });

    it("a container killed while it holds docker-leader does not block the next server", async () => {
        await withWorld(() => make(image), async (world, cloud) => {
            expect(await world.finished(await world.boot("s1", cloud.identity))).toBe(0);
            const leader = join(world.shared, "sites/docker-leader");
            const doomed = await world.boot("s2", cloud.identity);
            expect(await eventually(() => existsSync(leader), 10_000, 2), "s2's container took docker-leader").toBe(true);
            world.kill(doomed);
            await sleep(50);
            expect(existsSync(leader), "the stale leader file is left behind").toBe(true);
            const next = await world.boot("s3", cloud.identity);
            expect(await world.finished(next)).toBe(0);
            expect(serves(world, next, probeUrl())).toMatchObject({ login: true, probe: true });
        });
    });

    it("the database unreachable: the health check the load balancer probes goes red", async () => {
        await withWorld(() => make(image), async (world, cloud) => {
            const server = await world.boot("s1", cloud.identity);
            expect(await world.finished(server)).toBe(0);
            expect(serves(world, server, probeUrl()).probe).toBe(true);
            world.setDb({ reachable: false });
            expect(await eventually(() => !serves(world, server, probeUrl()).probe, 5_000, 100), "probe still green with the database down").toBe(true);
        });
    });
});
