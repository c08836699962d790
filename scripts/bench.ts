import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

/**
 * `npm run bench`: median wall time and peak memory of the offline plan of each dev stack over
 * five runs, run as `npm run plan` runs it (plain node, scripts/plan.cjs), next to the floor (a
 * process that loads the same SDKs and mocks and declares nothing, scripts/floor.cjs). The
 * machine's load average is printed with the figures: on a shared machine they mean little
 * without it.
 */
const runs = 5;
const out = mkdtempSync(join(tmpdir(), "emr-bench-"));

function measure(args: string[]): { seconds: number; rssMb: number } {
    const samples = Array.from({ length: runs }, () => {
        const start = process.hrtime.bigint();
        const child = spawnSync(process.execPath, ["--require", "./scripts/peak-rss.cjs", ...args], { encoding: "utf8" });
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        if (child.status !== 0) throw new Error(`${args.join(" ")} failed:\n${child.stderr}`);
        const rss = Number(/peak-rss-kb (\d+)/.exec(child.stderr)?.[1] ?? NaN);
        return { seconds, rssMb: rss / 1024 };
    });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { seconds: median(samples.map((s) => s.seconds)), rssMb: Math.max(...samples.map((s) => s.rssMb)) };
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
console.log(`${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), load average ${load()}`);
// The first call builds the plan's compiled tree if the sources changed: not part of any figure.
spawnSync(process.execPath, ["scripts/floor.cjs"]);
const floor = measure(["scripts/floor.cjs"]);
console.log(`floor (load SDKs + mocks, declare nothing): ${floor.seconds.toFixed(2)} s, ${floor.rssMb.toFixed(0)} MB`);
for (const stack of ["aws-dev", "azure-dev"]) {
    const plan = measure(["scripts/plan.cjs", "--stack", stack, "--out", join(out, stack)]);
    const ratio = plan.seconds / floor.seconds;
    // The budget of issue 11: at most 3 s wall on this machine, 400 MB. The ratio to the floor is
    // shown, not judged: the floor (module loading alone) fell to a fraction of a second, so twice
    // it would leave the program's own run (~1 s of declaring, planning and writing) no room.
    const ok = plan.seconds <= 3 && plan.rssMb <= 400;
    console.log(
        `plan ${stack}: median ${plan.seconds.toFixed(2)} s (${ratio.toFixed(2)}x floor), peak ${plan.rssMb.toFixed(0)} MB  ${ok ? "within budget" : "OVER BUDGET (3 s, 400 MB)"}`,
    );
}
console.log(`load average after: ${load()}`);
