import { resolve } from "node:path";
import { deferUnusedSdkModules } from "./lazySdkModules";

// Before the SDK loads (./cli imports it): see lazySdkModules.ts.
deferUnusedSdkModules();
const { runCli } = require("./cli") as typeof import("./cli");

// Pulumi records a full stack trace for every resource and output; mapping each frame back to
// TypeScript through source maps costs the plan about a second and serves no one here.
process.setSourceMapsEnabled(false);

const src = resolve(__dirname, "..");

/** Runs the program afresh for each stack (--compare plans two in one process). */
async function loadProgram(path: string): Promise<Record<string, unknown>> {
    for (const key of Object.keys(require.cache)) if (key.startsWith(src)) delete require.cache[key];
    return require(path);
}

// `npm run plan -- ...`: the offline plan of a stack, run from the project folder.
runCli(process.argv.slice(2), { root: resolve(__dirname, "../.."), print: console.log, error: console.error, loadProgram, env: process.env }).then((code) =>
    process.exit(code),
);
