import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * How `npm run plan` runs (scripts/plan.cjs): plain node from a compiled tree, V8's compiled code
 * kept between runs, and only the stack's cloud loaded. These guard the speed budget of issue 11:
 * a change that brings tsx back into the plan, or loads both clouds again, fails here.
 */
const root = resolve(__dirname, "../..");
const { compiledTree } = require("../../scripts/plan.cjs") as { compiledTree(root?: string, cache?: string): string };
const { useCompileCache } = require("../../scripts/compileCache.cjs") as { useCompileCache(file: string): void };
void useCompileCache; // loaded here so a syntax error in it fails this file; used by the child processes below

const work = mkdtempSync(join(tmpdir(), "emr-plan-runtime-"));
// Every file the plan process loads, written at exit.
const recorder = join(work, "record-modules.cjs");
writeFileSync(
    recorder,
    `const Module = require("node:module"); const load = Module.prototype.load; const seen = new Set();
Module.prototype.load = function (filename) { seen.add(filename); return load.apply(this, arguments); };
process.on("exit", () => require("node:fs").writeFileSync(process.env.EMR_MODULES_OUT, [...seen].join("\\n")));`,
);

function planModules(stack: string): Promise<{ code: number | null; stderr: string; modules: string[]; out: string }> {
    const out = join(work, stack);
    const list = join(work, `${stack}.modules`);
    return new Promise((done) => {
        const child = spawn(process.execPath, ["--require", recorder, "scripts/plan.cjs", "--stack", stack, "--out", out], {
            cwd: root,
            env: { ...process.env, EMR_MODULES_OUT: list },
        });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        child.stdout.resume();
        child.on("close", (code) => done({ code, stderr, out, modules: existsSync(list) ? readFileSync(list, "utf8").split("\n") : [] }));
    });
}

describe("npm run plan (scripts/plan.cjs)", () => {
    let aws: Awaited<ReturnType<typeof planModules>>;
    let azure: Awaited<ReturnType<typeof planModules>>;
    let tree: string;
    beforeAll(async () => {
        tree = compiledTree(); // built once here, so neither plan below compiles (or loads esbuild)
        // The first Azure plan of a tree serializes its dynamic providers (the cache starts empty).
        rmSync(join(tree, "serialized-functions.json"), { force: true });
        [aws, azure] = await Promise.all([planModules("aws-dev"), planModules("azure-dev")]);
    }, 90_000);

    it("serializes the dynamic providers once per tree, the same text as serializing them anew", async () => {
        const providers = (dir: string) =>
            (JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")).resources as { type: string; inputs: { __provider?: string } }[])
                .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"))
                .map((r) => r.inputs.__provider);
        const serialized = providers(azure.out);
        expect(serialized.length).toBe(2);
        expect(serialized.every((p) => typeof p === "string" && p.includes("exports.handler"))).toBe(true);
        const cache = JSON.parse(readFileSync(join(tree, "serialized-functions.json"), "utf8"));
        expect(Object.keys(cache)).toHaveLength(2);
        // A second plan reads them back: the same inputs, and the serializer's TypeScript parser
        // (which the SDK loads only to serialize, see src/plan/lazySdkModules.ts) never loaded.
        const again = await planModules("azure-dev");
        expect(again.code, again.stderr).toBe(0);
        const parser = (run: typeof again) => run.modules.filter((m) => /[\\/]node_modules[\\/]typescript[\\/]lib[\\/]typescript\.js$/.test(m));
        expect(parser(azure)).toHaveLength(1);
        expect(parser(again)).toEqual([]);
        expect(providers(again.out)).toEqual(serialized);
    }, 90_000);

    it("prints all of a --json larger than a pipe's buffer before it exits (stdout to a pipe is asynchronous)", async () => {
        // A reader that is slow to start (jq, a CI log): the pipe fills at 64 KiB and the rest waits
        // in the plan's process. Reading starts once the plan has exited, or after 5 s if it waits.
        const json = await new Promise<string>((done) => {
            const child = spawn(process.execPath, ["scripts/plan.cjs", "--stack", "aws-dev", "--json", "--out", join(work, "json")], { cwd: root });
            let text = "";
            const read = () => child.stdout.on("data", (d) => (text += d));
            const late = setTimeout(read, 5000);
            child.on("exit", () => (clearTimeout(late), read()));
            child.stderr.resume();
            child.on("close", () => done(text));
        });
        expect(json.length).toBeGreaterThan(4 * 65536);
        expect(JSON.parse(json).stack).toBe("aws-dev");
    }, 90_000);

    it("plans each stack as plain node: no tsx, no esbuild, no TypeScript source loaded", () => {
        for (const run of [aws, azure]) {
            expect(run.code, run.stderr).toBe(0);
            expect(existsSync(join(run.out, "plan.json"))).toBe(true);
            expect(run.modules.filter((m) => /[\\/]node_modules[\\/](tsx|esbuild)[\\/].*\.[cm]?js$/.test(m) || m.endsWith(".ts"))).toEqual([]);
            expect(run.modules.some((m) => m.startsWith(join(root, ".cache", "plan")) && m.endsWith(join("src", "index.js")))).toBe(true);
        }
    });

    it("loads only the stack's cloud", () => {
        expect(aws.modules.filter((m) => /[\\/]@pulumi[\\/]azure-native[\\/]/.test(m))).toEqual([]);
        // Of src/azure, only the table the Azure mocks read (no provider import) is loaded.
        expect(aws.modules.filter((m) => /[\\/]src[\\/]azure[\\/]/.test(m)).map((m) => m.replace(/.*[\\/]/, ""))).toEqual(["platformRequirements.js"]);
        expect(aws.modules.some((m) => /[\\/]@pulumi[\\/]aws[\\/]ec2[\\/]/.test(m))).toBe(true);
        // (src/policy reads a table of src/aws/dbParameters.ts, which imports @pulumi/aws/rds.)
        expect(azure.modules.filter((m) => /[\\/]src[\\/]aws[\\/](platform|netTier|webTier)\.js$|[\\/]@pulumi[\\/]aws[\\/]ec2[\\/]/.test(m))).toEqual([]);
        expect(azure.modules.some((m) => /[\\/]@pulumi[\\/]azure-native[\\/]network[\\/]/.test(m))).toBe(true);
    });
});

describe("compiledTree", () => {
    const fixture = join(work, "project");
    beforeAll(() => {
        mkdirSync(join(fixture, "src", "sub"), { recursive: true });
        writeFileSync(join(fixture, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "commonjs" } }));
        writeFileSync(join(fixture, "package.json"), '{"version": "1.0.0"}\n');
        writeFileSync(join(fixture, "src", "sub", "data.json"), '{"n": 1}\n');
        writeFileSync(join(fixture, "src", "a.ts"), 'import data from "./sub/data.json";\nexport class Named {}\nexport const n: number = data.n;\n');
    });

    it("compiles src/ once per change of its sources, keeping names and copying JSON and package.json (read by src/plan/cli.ts)", () => {
        const cache = join(fixture, ".cache", "plan");
        const first = compiledTree(fixture, cache);
        const compiled = require(join(first, "src", "a.js")) as { n: number; Named: { name: string } };
        expect(compiled.n).toBe(1);
        expect(compiled.Named.name).toBe("Named");
        expect(readFileSync(join(first, "package.json"), "utf8")).toBe('{"version": "1.0.0"}\n');
        const builtAt = statSync(join(first, "src", "a.js")).mtimeMs;

        expect(compiledTree(fixture, cache)).toBe(first);
        expect(statSync(join(first, "src", "a.js")).mtimeMs).toBe(builtAt);

        writeFileSync(join(fixture, "src", "sub", "data.json"), '{"n": 2}\n');
        const second = compiledTree(fixture, cache);
        expect(second).not.toBe(first);
        expect(JSON.parse(readFileSync(join(second, "src", "sub", "data.json"), "utf8"))).toEqual({ n: 2 });
        expect(readFileSync(join(cache, ".gitignore"), "utf8")).toBe("*\n");
    });
});

describe("useCompileCache", () => {
    const dir = join(work, "cache-fixture");
    const cacheFile = join(dir, "v8.bin");
    const moduleFile = join(dir, "m.js");
    // What a module sees must not change when its code comes from the cache.
    const probe = `const { useCompileCache } = require(${JSON.stringify(join(root, "scripts", "compileCache.cjs"))});
useCompileCache(${JSON.stringify(cacheFile)});
console.log(JSON.stringify(require(${JSON.stringify(moduleFile)})));`;
    const run = () => {
        const r = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8" });
        expect(r.status, r.stderr).toBe(0);
        return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    const writeModule = (value: string, mtime: number) => {
        writeFileSync(
            moduleFile,
            `"use strict"; module.exports = { value: ${value}, file: __filename, dir: __dirname, self: this === module.exports, resolved: require.resolve("./m.js"), cached: require.cache[__filename] === module, fs: typeof require("node:fs").readFileSync };`,
        );
        utimesSync(moduleFile, mtime, mtime);
    };

    it("runs a module as node does, reuses its code, and never serves a changed file stale code", () => {
        mkdirSync(dir, { recursive: true });
        writeModule("1", 1_000_000);
        const expected = { value: 1, file: moduleFile, dir, self: true, resolved: moduleFile, cached: true, fs: "function" };
        expect(run()).toEqual(expected);
        const written = statSync(cacheFile).mtimeMs;
        expect(run()).toEqual(expected);
        expect(statSync(cacheFile).mtimeMs).toBe(written); // every module had its code: nothing rewritten

        // Same length (V8's own check of cached code), other content and mtime: the new code runs.
        writeModule("2", 2_000_000);
        expect(run()).toEqual({ ...expected, value: 2 });
    });
});
