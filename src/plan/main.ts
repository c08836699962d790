import { resolve } from "node:path";
import { deferUnusedModules } from "./lazySdkModules";

// Before the SDK loads (./cli imports it): see lazySdkModules.ts.
deferUnusedModules();
const { runCli } = require("./cli") as typeof import("./cli");

// Pulumi records a full stack trace for every resource and output; mapping each frame back to
// TypeScript through source maps costs the plan about a second and serves no one here.
process.setSourceMapsEnabled(false);

const src = resolve(__dirname, "..");

/**
 * Runs the program afresh for each stack (--compare plans two in one process). The path names
 * src/index.ts; without its extension `require` finds the program in both ways this file runs:
 * index.ts under tsx, index.js in the compiled tree of scripts/plan.cjs.
 */
async function loadProgram(path: string): Promise<Record<string, unknown>> {
    for (const key of Object.keys(require.cache)) if (key.startsWith(src)) delete require.cache[key];
    return require(path.replace(/\.ts$/, ""));
}

/**
 * `npm run plan -- ...`: the offline plan of the stacks in `root` (the project folder, which holds
 * the Pulumi.<stack>.yaml files), run by scripts/plan.cjs from its compiled tree.
 */
export function runPlan(root: string, argv: string[]): void {
    runCli(argv, { root, print: console.log, error: console.error, loadProgram, env: process.env }).then((code) => exitAfterOutput(code));
}

/**
 * Exits once everything printed has reached stdout and stderr. On POSIX, writes to a pipe are
 * asynchronous, and output is "not written at all if process.exit() is called before an
 * asynchronous write completes" (nodejs.org/api/process.html#a-note-on-process-io: "Pipes (and
 * sockets): synchronous on Windows, asynchronous on POSIX"): `npm run plan -- --json | jq` was cut
 * off at the pipe's 64 KiB. A write's callback runs after every write queued before it, so an empty
 * write on each stream marks the end. The exit stays explicit: the SDK's mocks can leave promises
 * pending that would keep the process alive.
 */
function exitAfterOutput(code: number): void {
    let open = 2;
    const done = () => --open === 0 && process.exit(code);
    process.stdout.write("", done);
    process.stderr.write("", done);
}

// `tsx src/plan/main.ts ...` still works: this file is then the project's own.
if (require.main === module) runPlan(resolve(__dirname, "../.."), process.argv.slice(2));
