import { describe, it, expect, afterAll } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { healthPort, healthScript, healthUnit } from "../../src/app/healthCheck";

/** The interpreter the unit file runs (ExecStart=/usr/bin/python3), not whatever `python3` a PATH finds first. */
const python = "/usr/bin/python3";

/**
 * Runs the real readiness program with `docker` replaced by a stand-in that behaves like
 * `docker exec emr curl -fsS -m 10 URL` against OpenEMR: it prints the body readyz would send and
 * exits like curl -f (0, or 22 for an HTTP error; 1 from docker when the container is missing).
 * The bodies are the ones OpenEMR sends: meta/health/index.php and src/Health/HealthChecker.php.
 */
const dir = mkdtempSync(join(tmpdir(), "emr-health-"));
const bin = join(dir, "bin");
mkdirSync(bin);
writeFileSync(join(bin, "docker"), `#!/bin/bash\necho "$*" >> "${dir}/calls"\nprintf '%s' "$FAKE_BODY"\nexit "\${FAKE_STATUS:-0}"\n`, { mode: 0o755 });
const script = join(dir, "emr-health.py");
/** A database outage the endpoint sits out before it answers unhealthy (300 s in the stack; short here). */
const databaseOutageSeconds = 3;
writeFileSync(script, healthScript({ readinessPath: "/meta/health/readyz", pollSeconds: 1, databaseOutageSeconds }));

const env = (body: string, status = 0) => ({ ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_BODY: body, FAKE_STATUS: String(status) });
const check = (body: string, status = 0) => spawnSync(python, [script, "check", "emr"], { env: env(body, status) }).status;

const ready = JSON.stringify({ status: "ready", checks: { database: true, filesystem: true, session: true, oauth_keys: false, cache: true, installed: false } });

describe("readiness rule (emr-health.py check)", () => {
    it("asks the container's own readyz from inside it", () => {
        expect(check(ready)).toBe(0);
        expect(readFileSync(join(dir, "calls"), "utf8").trim().split("\n").pop()).toBe("exec emr curl -fsS -m 10 http://127.0.0.1/meta/health/readyz");
    });

    it("is ready when readyz says ready and the database check passed, whatever optional checks say", () => {
        expect(check(ready)).toBe(0);
    });

    it("is not ready on a database failure, an uninstalled site, an error, a PHP error page, an HTTP error or no container", () => {
        expect(check(JSON.stringify({ status: "ready", checks: { database: false } }))).toBe(1);
        expect(check(JSON.stringify({ status: "setup_required", checks: { installed: false } }))).toBe(1);
        expect(check(JSON.stringify({ status: "error", message: "SQLSTATE[HY000] [2002] Connection refused" }))).toBe(1);
        // sql.inc.php's HelpfulDie: a 200 with HTML, not JSON, when the database is unreachable.
        expect(check("<p>Could not connect to server!</p>")).toBe(1);
        expect(check("", 22)).toBe(1);
        expect(check("Error response from daemon: No such container: emr", 1)).toBe(1);
        expect(check(JSON.stringify(["ready"]))).toBe(1);
    });
});

/** A free TCP port on this machine. */
async function freePort(): Promise<number> {
    return new Promise((resolve) => {
        const server = createServer().listen(0, () => {
            const { port } = server.address() as { port: number };
            server.close(() => resolve(port));
        });
    });
}

describe("readiness endpoint (emr-health.py serve)", () => {
    const servers: ChildProcess[] = [];
    afterAll(() => servers.forEach((s) => s.kill()));

    async function serve(body: string, status = 0) {
        const port = await freePort();
        const file = join(dir, `serve-${port}.py`);
        writeFileSync(file, readFileSync(script, "utf8").replace(`PORT = ${healthPort}`, `PORT = ${port}`));
        servers.push(spawn(python, [file, "serve"], { env: env(body, status), stdio: "ignore" }));
        const get = async (path: string) => {
            for (let i = 0; i < 50; i++) {
                try {
                    const res = await fetch(`http://127.0.0.1:${port}${path}`);
                    return { status: res.status, body: await res.text() };
                } catch {
                    await new Promise((r) => setTimeout(r, 100));
                }
            }
            throw new Error("endpoint never came up");
        };
        // Let the first poll land.
        await get("/meta/health/readyz");
        await new Promise((r) => setTimeout(r, 1500));
        return get;
    }

    it("answers 200 with the health extension's Healthy body when ready", async () => {
        const get = await serve(ready);
        expect(await get("/meta/health/readyz")).toEqual({ status: 200, body: '{"ApplicationHealthState": "Healthy"}' });
    });

    it("answers 503 Unhealthy at once when OpenEMR is down, which the ALB, the gateway and the extension all count as down", async () => {
        const cases = [["Error response from daemon: No such container: emr", 1], ["", 22], [JSON.stringify({ status: "setup_required", checks: { installed: false } }), 0]] as const;
        await Promise.all(
            cases.map(async ([body, status]) => {
                const get = await serve(body, status);
                expect(await get("/meta/health/readyz"), body).toEqual({ status: 503, body: '{"ApplicationHealthState": "Unhealthy"}' });
            }),
        );
    });

    it("sits out a database outage as long as a failover, then answers unhealthy", async () => {
        // Both ways OpenEMR shows a lost database: readyz's database check, and sql.inc.php's error page.
        const bodies = [JSON.stringify({ status: "error", checks: { database: false } }), "<p>Could not connect to server!</p>"];
        await Promise.all(bodies.map(async (body) => {
            const started = Date.now();
            const get = await serve(body);
            expect((await get("/meta/health/readyz")).status, body).toBe(200);
            let answer = await get("/meta/health/readyz");
            while (answer.status === 200 && Date.now() - started < (databaseOutageSeconds + 5) * 1000) {
                await new Promise((r) => setTimeout(r, 250));
                answer = await get("/meta/health/readyz");
            }
            expect(answer, body).toEqual({ status: 503, body: '{"ApplicationHealthState": "Unhealthy"}' });
            expect(Date.now() - started).toBeGreaterThanOrEqual(databaseOutageSeconds * 1000);
        }));
    });

    it("answers only on the readiness path", async () => {
        const get = await serve(ready);
        expect((await get("/")).status).toBe(404);
    });
});

describe("readiness endpoint service", () => {
    it("restarts on failure and starts at boot", () => {
        expect(healthUnit()).toContain("Restart=always");
        expect(healthUnit()).toContain("WantedBy=multi-user.target");
        expect(healthUnit()).toContain("ExecStart=/usr/bin/python3 /usr/local/sbin/emr-health.py serve");
    });
});
