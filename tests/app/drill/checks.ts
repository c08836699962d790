import { createHash } from "node:crypto";
import type { Server, World } from "./host/world";

/**
 * What "the server serves" means to the drill, asked inside each server as a load balancer and a
 * user would: the login page on its own 127.0.0.1:80 is the real form (200 and no OpenEMR error
 * page: sql.inc.php's HelpfulDie answers 200 too), and the health check the load balancer probes
 * is green.
 */
export function serves(world: World, server: Server, probeUrl: string) {
    const login = world.get(server, "http://127.0.0.1/interface/login/login.php");
    const probe = world.get(server, probeUrl);
    return {
        login: login.status === 200 && login.body.includes("authUser") && !login.body.includes("Query Error"),
        probe: probe.status === 200,
        detail: `login ${login.status} ${login.body.slice(0, 80)} | probe ${probe.status} ${probe.body.slice(0, 80)}`,
    };
}

/** The installed admin: whether its password is OpenEMR's default "pass" (auto_configure.php L7). */
export function adminUsesDefaultPassword(world: World) {
    const admin = world.table("users_secure")?.[0];
    return admin ? admin.password === createHash("sha256").update("pass").digest("hex") : undefined;
}

/** Every credential value found where it must not be: running containers' Env, container logs. */
export function leakedCredentials(world: World, secretValues: string[]) {
    const leaks: string[] = [];
    for (const server of world.servers) {
        const ids = world.exec(server, ["docker", "ps", "-a", "-q"]).stdout.trim().split("\n").filter(Boolean);
        for (const id of ids) {
            const env = world.exec(server, ["docker", "inspect", "-f", "{{json .Config.Env}}", id]).stdout;
            const logs = world.exec(server, ["docker", "logs", id]);
            for (const value of secretValues) {
                if (env.includes(value)) leaks.push(`${server.name} container ${id} Env`);
                if (logs.stdout.includes(value) || logs.stderr.includes(value)) leaks.push(`${server.name} container ${id} log`);
            }
        }
    }
    return leaks;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a condition until it holds or the time is up. */
export async function eventually(condition: () => boolean, timeoutMs: number, stepMs = 50) {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) return false;
        await sleep(stepMs);
    }
    return true;
}
