import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { join, relative } from "node:path";
import type { ProgramRun } from "../src/plan/capture";

/**
 * Captured runs of the program, shared by every test file of one `npm test`. A run is a pure
 * function of the program's sources, its dependencies, the stack name and the config (the mocks
 * are part of src/), so the same stack config needs to run once, not once per test file: most
 * files start from the same base configs. The key holds all of those, and the day (nothing in
 * src/ reads the clock while declaring, but a cache must not outlive a change of date if one
 * does). Runs that stopped with an error are never cached: tests read the error object itself.
 * `EMR_RUN_CACHE=0` turns it off (tests/runCache.test.ts compares cached and fresh runs).
 */
const root = join(__dirname, "..");
const dir = join(root, "node_modules", ".cache", "emr-runs");
export const runCacheEnabled = () => process.env.EMR_RUN_CACHE !== "0";

function filesUnder(folder: string): string[] {
    return readdirSync(folder, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? filesUnder(join(folder, e.name)) : [join(folder, e.name)]))
        .sort();
}

let digest: string | undefined;
/** What the program's behaviour depends on: every source file (mocks included) and the lock file. */
function programDigest(): string {
    if (digest) return digest;
    const hash = createHash("sha256");
    for (const file of [...filesUnder(join(root, "src")), join(root, "package-lock.json")]) {
        hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
    }
    return (digest = hash.digest("hex"));
}

export function runKey(stack: string, config: Record<string, string>): string {
    const sorted = Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
    return createHash("sha256")
        .update(JSON.stringify({ program: programDigest(), day: new Date().toISOString().slice(0, 10), stack, config: sorted }))
        .digest("hex");
}

export function cachedRun(key: string): ProgramRun | undefined {
    if (!runCacheEnabled()) return undefined;
    try {
        return JSON.parse(readFileSync(join(dir, `${key}.json`), "utf8")) as ProgramRun;
    } catch {
        return undefined;
    }
}

export function storeRun(key: string, run: ProgramRun): void {
    if (!runCacheEnabled() || run.error !== undefined) return;
    mkdirSync(dir, { recursive: true });
    // Written aside, then renamed: a parallel test file never reads half a run.
    const part = join(dir, `${key}.${process.pid}.part`);
    writeFileSync(part, JSON.stringify(run));
    renameSync(part, join(dir, `${key}.json`));
}

/** Whether process `pid` is alive (signal 0 checks without signalling). */
function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/**
 * The run of `key`, computed by one worker only. Test files in parallel workers often start from
 * the same configs (the presets, the base configs): on a cold cache each worker would run the
 * same program at once, doubling the work on a 2-core machine. The first worker takes
 * `<key>.lock` (O_EXCL create: exactly one wins) and computes; the others wait for `<key>.json`.
 * A lock whose worker died (its pid is gone) or that outlives `waitMs` is ignored and the run
 * computed here: the lock can only ever save time, never change a result.
 */
export async function computeOnce(key: string, compute: () => Promise<ProgramRun>, waitMs = 120_000): Promise<ProgramRun> {
    if (!runCacheEnabled()) return compute();
    mkdirSync(dir, { recursive: true });
    const lock = join(dir, `${key}.lock`);
    let owner = false;
    try {
        const fd = openSync(lock, "wx");
        writeSync(fd, String(process.pid));
        closeSync(fd);
        owner = true;
    } catch {
        const deadline = Date.now() + waitMs;
        while (Date.now() < deadline) {
            const done = cachedRun(key);
            if (done) return done;
            let holder = NaN;
            try {
                holder = Number(readFileSync(lock, "utf8"));
            } catch {
                // Released without a stored run (it stopped with an error): compute it here.
                break;
            }
            if (holder && !alive(holder)) break;
            await new Promise((r) => setTimeout(r, 100));
        }
    }
    try {
        return await compute();
    } finally {
        if (owner) unlinkSync(lock);
    }
}
