import Module from "node:module";

/**
 * @pulumi/pulumi loads two heavy modules at import time that serve only function serialization
 * (closures for Lambda callbacks and dynamic providers): the TypeScript compiler
 * (runtime/closure/parseFunction.js:25 `require("../../typescript-shim")`) and npm's Arborist
 * (runtime/closure/codePaths.js:29 `require("@npmcli/arborist")`), both required eagerly from
 * runtime/index.js:19,22 (@pulumi/pulumi 3.248.0, node_modules). Together about a fifth of the
 * plan's CPU time (node --cpu-prof of `plan --stack azure-dev`). Here each is handed over as a
 * proxy that loads the real module on first use, so nothing changes when it is used: the AWS
 * program never serializes a function and never loads them; the Azure program's dynamic providers
 * (subscription registration, size preflight) are serialized, so there the saving is only what
 * serialization does not touch.
 * So are the rest of what only computeCodePaths uses (codePaths.js:27-28: fdir, which brings
 * picomatch, and normalize-package-data, which brings the spdx and npm-license packages), and the
 * OpenTelemetry API, which settings.js:34 loads for tracing RPCs to a real engine (settings.js:66).
 * The Automation API (index.js:37 `require("./automation")`, the only requirer) drives the Pulumi
 * CLI from a program; the plan never calls it. Together ~0.2 s of every plan (inclusive load
 * times, aws-dev).
 * `__esModule` answers true without loading, so TypeScript's `__importStar` and
 * `__importDefault` keep the proxy as is; `default` then answers what those helpers would have
 * made it: the module itself when it is plain CommonJS (codePaths.js:221
 * `normalize_package_data_1.default(data)`).
 */
const deferred = new Set(["../../typescript-shim", "@npmcli/arborist", "./automation", "fdir", "normalize-package-data", "@opentelemetry/api"]);
const fromPulumi = /[\\/]@pulumi[\\/]pulumi[\\/]/;

/**
 * Each cloud's platform, as src/emr.ts requires it (`./aws/platform`, `./azure/platform`): a stack
 * uses one, and loading the other (its tiers and provider modules, @pulumi/azure-native for an
 * AWS stack) cost 0.1-0.2 s of every plan. emr.ts reads the platform's export only when its
 * builder runs (`platform_1.awsPlatform` in the emitted CommonJS), so the other cloud is never
 * loaded. emr.ts keeps its static imports: vitest cannot `require` TypeScript
 * (vitest-dev/vitest#846, closed wontfix), and `tsc --noEmit` checks both platforms either way.
 */
const platforms = new Set(["./aws/platform", "./azure/platform"]);
const fromEmr = /[\\/]src[\\/]emr\.(ts|js)$/;

type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;

/** Whether the plan loads `request` only when the requiring module first reads one of its exports. */
const isDeferred = (request: string, parent: string): boolean => (deferred.has(request) && fromPulumi.test(parent)) || (platforms.has(request) && fromEmr.test(parent));

export function deferUnusedModules(): void {
    const internals = Module as unknown as { _load: Load };
    const load = internals._load;
    internals._load = function (request, parent, isMain) {
        if (!isDeferred(request, parent?.filename ?? "")) return load.call(this, request, parent, isMain);
        let real: object | undefined;
        const get = () => (real ??= load.call(this, request, parent, isMain) as object);
        return new Proxy(
            {},
            {
                get: (_, key) => {
                    if (key === "__esModule") return true;
                    const module = get() as { __esModule?: boolean; default?: unknown };
                    return key === "default" && !module.__esModule && !("default" in module) ? module : Reflect.get(module, key);
                },
                has: (_, key) => key in get(),
                // Listing the exports (esbuild's __toESM for `import * as`) loads the module: correct, only not deferred.
                ownKeys: () => Reflect.ownKeys(get()),
                getOwnPropertyDescriptor: (_, key) => {
                    const descriptor = Reflect.getOwnPropertyDescriptor(get(), key);
                    return descriptor && { ...descriptor, configurable: true };
                },
            },
        );
    };
}
