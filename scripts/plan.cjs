// @ts-check
"use strict";
/**
 * `npm run plan`: the offline plan as plain JavaScript. Running src/ through tsx cost about a
 * second per plan (tsx's loader hooks start a worker thread, every .js file of the SDKs is scanned
 * for ESM syntax, and its on-disk transform cache never filled: the plan ends with process.exit
 * before the cache's asynchronous writes finish, so every run transformed every file again).
 * Here src/ is compiled once per change of its sources into .cache/plan/<key>/ and node loads
 * that. The compile is tsx's own (esbuild transformSync with the options tsx 4.23 passes,
 * node_modules/tsx/dist/register-*.cjs `tr`/`sr`), so the JavaScript is what `tsx
 * src/plan/main.ts` ran, byte for byte in every function body: the Azure dynamic providers'
 * serialized code in plan.json is unchanged.
 * The key covers every file under src/, the project files copied beside it, tsconfig.json, the
 * lock file (the SDK code a serialized provider is made with), this file, esbuild's and node's
 * versions.
 * The tree sits outside node_modules on purpose: @pulumi/pulumi serializes a captured module
 * found under node_modules as `require(<name>)` instead of by value (runtime/closure/
 * createClosure.js:905-948, @pulumi/pulumi 3.248.0), which would change the serialized providers.
 */
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { useCompileCache } = require("./compileCache.cjs");
const { useSerializedFunctionCache } = require("./serializedFunctions.cjs");

const projectRoot = path.resolve(__dirname, "..");
/**
 * Project files src/ reads relative to its own folder (src/plan/cli.ts: `programRoot`, the
 * folder above src/, and its package.json for the version), copied into the tree beside src/ so
 * the compiled code finds them where the sources do.
 */
const projectFiles = ["package.json"];

/** @param {string} dir @returns {string[]} every file under dir, sorted */
function filesUnder(dir) {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
        .sort();
}

/** @param {string} root @param {string[]} sources */
function treeKey(root, sources) {
    const hash = createHash("sha256");
    const esbuild = /** @type {{ version: string }} */ (require("esbuild/package.json")).version;
    hash.update(`esbuild ${esbuild} node ${process.versions.node}\0`).update(fs.readFileSync(__filename)).update("\0");
    const lock = path.join(root, "package-lock.json");
    for (const file of [path.join(root, "tsconfig.json"), ...(fs.existsSync(lock) ? [lock] : []), ...sources]) hash.update(path.relative(root, file)).update("\0").update(fs.readFileSync(file)).update("\0");
    return hash.digest("hex").slice(0, 16);
}

/**
 * Compiles every .ts file as tsx does (see above) and copies the rest (JSON, the project files).
 * @param {string} root @param {string[]} sources @param {string} into
 */
function compile(root, sources, into) {
    const { transformSync } = require("esbuild");
    const tsconfigRaw = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"));
    for (const file of sources) {
        const out = path.join(into, path.relative(root, file)).replace(/\.ts$/, ".js");
        fs.mkdirSync(path.dirname(out), { recursive: true });
        if (!file.endsWith(".ts")) {
            fs.copyFileSync(file, out);
            continue;
        }
        const { code } = transformSync(fs.readFileSync(file, "utf8"), {
            // tsx 4.23.15: target node<running version>, minifyWhitespace, keepNames, format cjs, platform node, the tsconfig.
            target: `node${process.versions.node}`,
            loader: "ts",
            format: "cjs",
            platform: "node",
            minifyWhitespace: true,
            keepNames: true,
            sourcefile: file,
            tsconfigRaw,
        });
        fs.writeFileSync(out, code);
    }
}

/**
 * The compiled tree of `root`'s src/ for its current sources: built if missing, older trees
 * removed but the few newest (a plan still running may be reading one).
 * @param {string} [root] @param {string} [cache] @returns {string}
 */
function compiledTree(root = projectRoot, cache = path.join(root, ".cache", "plan")) {
    const sources = [...projectFiles.map((f) => path.join(root, f)).filter((f) => fs.existsSync(f)), ...filesUnder(path.join(root, "src"))];
    const tree = path.join(cache, treeKey(root, sources));
    if (fs.existsSync(tree)) return tree;
    fs.mkdirSync(cache, { recursive: true });
    fs.writeFileSync(path.join(cache, ".gitignore"), "*\n");
    // Built aside and renamed: a plan started in parallel never loads half a tree.
    const part = `${tree}.${process.pid}.part`;
    compile(root, sources, part);
    try {
        fs.renameSync(part, tree);
    } catch (e) {
        fs.rmSync(part, { recursive: true, force: true });
        if (!fs.existsSync(tree)) throw e;
    }
    const older = fs
        .readdirSync(cache)
        .filter((name) => /^[0-9a-f]{16}$/.test(name) && path.join(cache, name) !== tree)
        .map((name) => ({ name, at: fs.statSync(path.join(cache, name)).mtimeMs }))
        .sort((a, b) => b.at - a.at);
    for (const { name } of older.slice(2)) fs.rmSync(path.join(cache, name), { recursive: true, force: true });
    return tree;
}

/**
 * What every run of the plan starts with (the bench's floor too): the compiled tree, V8's code
 * for the modules it loads kept between runs (compileCache.cjs), per node version, and the
 * dynamic providers' serialized code kept in the tree (serializedFunctions.cjs).
 * @returns {string} the compiled tree
 */
function startPlanRuntime() {
    const tree = compiledTree();
    useCompileCache(path.join(projectRoot, ".cache", "plan", `v8-${process.version}-${process.arch}.bin`));
    useSerializedFunctionCache(path.join(tree, "serialized-functions.json"));
    return tree;
}

module.exports = { compiledTree, startPlanRuntime };

if (require.main === module) {
    /** @type {{ runPlan(root: string, argv: string[]): void }} */
    const main = require(path.join(startPlanRuntime(), "src", "plan", "main.js"));
    main.runPlan(projectRoot, process.argv.slice(2));
}
