// @ts-check
"use strict";
/**
 * V8's compiled code for every CommonJS module the plan loads, kept between runs: the plan
 * compiled ~1,000 modules (@pulumi/pulumi, grpc, protobuf, the providers, TypeScript's 9 MB for
 * the Azure dynamic providers' serialization) on every run, the largest single item of its CPU
 * profile (wrapSafe). Node 22 does this itself (module.enableCompileCache, NODE_COMPILE_CACHE);
 * node 20, which this project supports (package.json engines), has no such switch, so this is
 * the technique of the v8-compile-cache package: compile each module's wrapper as a vm.Script
 * with the cached data (https://nodejs.org/api/vm.html#new-vmscriptcode-options, cachedData /
 * createCachedData), and call it as Module.prototype._compile would. The module sees the same
 * exports, require, module, __filename and __dirname; the require function is built as node's
 * own (lib/internal/modules/helpers.js makeRequireFunction: resolve, resolve.paths, main,
 * extensions, cache). V8 checks each cached entry against the source's length and the V8
 * flags and ignores a mismatch (cachedDataRejected); the entries are also keyed by file path,
 * size and mtime, so a changed file never gets another's code.
 */
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const v8 = require("node:v8");
const vm = require("node:vm");

/**
 * Installs the cache from `file` (written back at exit when a module had no usable entry).
 * @param {string} file
 */
function useCompileCache(file) {
    // V8 rejects cached code made under other V8 flags, and @pulumi/pulumi turns one on when it
    // first serializes a function (the Azure dynamic providers): runtime/closure/v8Hooks.js:28 and
    // v8.js:31, `v8.setFlagsFromString("--allow-natives-syntax")` (3.248.0). Code cached at the
    // end of such a run would be rejected by every next run, so the flag is on from the start.
    // It only lets the parser accept V8's %Intrinsic() calls, which no valid JavaScript contains.
    v8.setFlagsFromString("--allow-natives-syntax");
    /** @type {Map<string, Buffer>} */
    const stored = readEntries(file);
    /** @type {Map<string, vm.Script>} */
    const fresh = new Map();
    /** @type {Set<string>} */
    const used = new Set();
    const internals = /** @type {{ prototype: { _compile(content: string, filename: string): unknown } } & Record<string, any>} */ (/** @type {unknown} */ (Module));
    const compile = internals.prototype._compile;
    internals.prototype._compile = function (/** @type {string} */ content, /** @type {string} */ filename) {
        let stat;
        try {
            stat = fs.statSync(filename);
        } catch {
            return compile.call(this, content, filename);
        }
        const key = `${filename}\0${stat.size}\0${stat.mtimeMs}`;
        const cachedData = stored.get(key);
        const script = new vm.Script(Module.wrap(content), {
            filename,
            cachedData,
            // import() inside the module behaves as in any CommonJS module.
            importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
        });
        if (cachedData && !script.cachedDataRejected) used.add(key);
        else fresh.set(key, script);
        const module = /** @type {NodeJS.Module & { require(id: string): unknown }} */ (this);
        /** @type {any} */
        const require = (/** @type {string} */ id) => module.require(id);
        require.resolve = (/** @type {string} */ request, /** @type {unknown} */ options) => internals._resolveFilename(request, module, false, options);
        require.resolve.paths = (/** @type {string} */ request) => internals._resolveLookupPaths(request, module);
        require.main = process.mainModule;
        require.extensions = internals._extensions;
        require.cache = internals._cache;
        const wrapper = script.runInThisContext({ displayErrors: true });
        return wrapper.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
    };
    process.on("exit", () => {
        if (fresh.size === 0) return;
        // Created at exit, the data also holds the functions compiled lazily during the run.
        const entries = new Map([...stored].filter(([key]) => used.has(key) || stillCurrent(key)));
        for (const [key, script] of fresh) entries.set(key, script.createCachedData());
        writeEntries(file, entries);
    });
}

/** @param {string} key */
function stillCurrent(key) {
    const [filename, size, mtime] = key.split("\0");
    try {
        const stat = fs.statSync(filename);
        return String(stat.size) === size && String(stat.mtimeMs) === mtime;
    } catch {
        return false;
    }
}

/**
 * The file: entry count, then per entry the key's length, the key, the data's length, the data.
 * @param {string} file @returns {Map<string, Buffer>}
 */
function readEntries(file) {
    const entries = new Map();
    let raw;
    try {
        raw = fs.readFileSync(file);
    } catch {
        return entries;
    }
    try {
        let at = 4;
        const take = () => {
            const length = raw.readUInt32LE(at);
            const bytes = raw.subarray(at + 4, at + 4 + length);
            at += 4 + length;
            return bytes;
        };
        for (let n = raw.readUInt32LE(0); n > 0; n--) entries.set(take().toString("utf8"), take());
    } catch {
        return new Map(); // a torn or foreign file: start afresh
    }
    return entries;
}

/** @param {string} file @param {Map<string, Buffer>} entries */
function writeEntries(file, entries) {
    /** @param {number} n */
    const u32 = (n) => {
        const b = Buffer.alloc(4);
        b.writeUInt32LE(n);
        return b;
    };
    const parts = [u32(entries.size)];
    for (const [key, data] of entries) {
        const k = Buffer.from(key, "utf8");
        parts.push(u32(k.length), k, u32(data.length), data);
    }
    // Written aside and renamed: a plan starting meanwhile reads the old file or the new one.
    const part = `${file}.${process.pid}.part`;
    try {
        fs.writeFileSync(part, Buffer.concat(parts));
        fs.renameSync(part, file);
    } catch {
        fs.rmSync(part, { force: true }); // a cache that cannot be written only costs time
    }
}

module.exports = { useCompileCache };
