// @ts-check
"use strict";
/**
 * The Azure program's two dynamic providers (src/azure/subscriptionRegistration.ts `registrar`,
 * src/azure/skuPreflight.ts `sizePreflight`) are serialized into each resource's `__provider`
 * input by @pulumi/pulumi 3.248.0 dynamic/index.js `serializeFunctionMaybeSecret`, which requires
 * runtime/closure/serializeClosure on demand and calls `serializeFunction(() => provider,
 * { allowSecrets: true })`. That costs about half a second of every Azure plan (the TypeScript
 * parser, an inspector session reporting every loaded script, and the closure walk: node
 * --cpu-prof of `plan --stack azure-dev`).
 * The result is a pure function of the code it captures: both providers are module-level
 * constants that capture only module-level functions and constants (armRest.ts imports nothing),
 * and the compiled tree they come from is keyed by every source file, the lock file and the tools
 * (scripts/plan.cjs treeKey). So the plan keeps each result in its tree's folder, keyed by the
 * provider's own method texts, and serializes only what it has not seen: a changed source is a new
 * tree and starts empty. The text is the same either way (tests/plan/planRuntime.test.ts compares
 * the `__provider` inputs of a run that serialized with one that read the cache).
 */
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");

/** @typedef {{ text: string; exportName: string; containsSecrets: boolean }} SerializedFunction */

/** @param {() => unknown} func @param {unknown} options @returns {string} */
function keyOf(func, options) {
    const provider = /** @type {Record<string, unknown>} */ (func());
    const methods = Object.keys(provider)
        .sort()
        .map((k) => `${k}\0${String(provider[k])}`);
    return createHash("sha256").update(String(func)).update("\0").update(JSON.stringify(options ?? null)).update("\0").update(methods.join("\0")).digest("hex");
}

/**
 * Serves serializeFunction from `file` (a JSON map of key -> result) in this process; a miss
 * serializes as the SDK does and adds the result.
 * @param {string} file
 */
function useSerializedFunctionCache(file) {
    /** @type {Record<string, SerializedFunction>} */
    let known = {};
    try {
        known = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        // No cache yet (or a torn one): serialize.
    }
    const internals = /** @type {{ _load: (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown }} */ (
        /** @type {unknown} */ (Module)
    );
    const load = internals._load;
    const fromDynamic = /[\\/]@pulumi[\\/]pulumi[\\/]dynamic[\\/]index\.js$/;
    internals._load = function (request, parent, isMain) {
        if (request !== "../runtime/closure/serializeClosure" || !fromDynamic.test(parent?.filename ?? "")) return load.call(this, request, parent, isMain);
        const real = () => /** @type {{ serializeFunction: (f: () => unknown, o: unknown) => Promise<SerializedFunction> }} */ (load.call(this, request, parent, isMain));
        return {
            /** @param {() => unknown} func @param {unknown} options */
            serializeFunction: async (func, options) => {
                const key = keyOf(func, options);
                if (known[key]) return known[key];
                const result = await real().serializeFunction(func, options);
                known = { ...known, [key]: { text: result.text, exportName: result.exportName, containsSecrets: result.containsSecrets } };
                // Written aside and renamed: a plan running in parallel never reads half a file.
                const part = `${file}.${process.pid}.part`;
                fs.writeFileSync(part, JSON.stringify(known));
                fs.renameSync(part, file);
                return result;
            },
        };
    };
}

module.exports = { useSerializedFunctionCache };
