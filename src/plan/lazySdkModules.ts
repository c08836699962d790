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
 * The Automation API (index.js:37 `require("./automation")`, the only requirer) drives the Pulumi
 * CLI from a program; the plan never calls it, and loading it cost ~0.1 s of every plan.
 * `__esModule` answers true without loading, so TypeScript's `__importStar` keeps the proxy as is.
 */
const deferred = new Set(["../../typescript-shim", "@npmcli/arborist", "./automation"]);
const fromPulumi = /[\\/]@pulumi[\\/]pulumi[\\/]/;

export function deferUnusedSdkModules(): void {
    const internals = Module as unknown as { _load(request: string, parent: { filename?: string } | undefined, isMain: boolean): unknown };
    const load = internals._load;
    internals._load = function (request, parent, isMain) {
        if (!deferred.has(request) || !fromPulumi.test(parent?.filename ?? "")) return load.call(this, request, parent, isMain);
        let real: object | undefined;
        const get = () => (real ??= load.call(this, request, parent, isMain) as object);
        return new Proxy({}, { get: (_, key) => (key === "__esModule" ? true : Reflect.get(get(), key)), has: (_, key) => key in get() });
    };
}
