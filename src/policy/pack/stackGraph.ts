import type { PolicyResource } from "@pulumi/policy";
import type { PlannedResource } from "../../plan/capture";
import { Graph } from "../../plan/graph";

/**
 * The analyzer's view of a stack turned into the Graph the rules read (src/plan/graph.ts), so a
 * StackRule runs unchanged under `pulumi preview --policy-pack policy`.
 *
 * What `validateStack` receives (@pulumi/policy 1.21.0 server.js:343-415, from the engine's
 * AnalyzeStackRequest, pulumi v3.248.0 pkg/resource/deploy/step_generator.go:3244-3265 and
 * sdk/go/common/resource/plugin/analyzer_plugin.go:345-388):
 * - `type`, `name` (the URN's name: the name the program gave), `urn`;
 * - `props`: the resource's OUTPUTS ("AnalyzeStack is called on the final outputs of each resource"),
 *   marshalled with KeepUnknowns and SkipInternalKeys (so azure-native's `__inputs` is gone), secrets
 *   unwrapped (deserialize.js:35-47, proxySecrets false), wrapped in `unknownCheckingProxy`
 *   (proxy.js:27-75): reading a value preview cannot know throws UnknownValueError, which the server
 *   reports as an advisory "can't run policy ... during preview" (server.js:420-427; the same for validateResource, server.js:284-291);
 * - `opts` (protect, ignoreChanges, parent URN), `parent` and `dependencies` as PolicyResource objects,
 *   `propertyDependencies` (input name -> PolicyResource[]), `provider` (only custom resources have one:
 *   step_generator.go:3270-3303 fills it from `v.Provider`, which the engine sets for custom resources).
 * Outputs are not inputs: azure-native outputs drop input-only fields (`resourceGroupName`,
 * `accountName`, `vaultName`), which the rules read (e.g. @pulumi/azure-native 3.28.0
 * network/subnet.js:108-135 lists a Subnet's outputs: no resourceGroupName, virtualNetworkName or id). The per-resource `Analyze` call, made for every
 * registered resource before its step (step_generator.go:1284-1353, `Properties: inputs`), does carry the
 * inputs; `inputsOf` returns what the pack recorded there (src/policy/pack/policies.ts), and the outputs
 * stand in for a resource it never saw.
 */

/** The @pulumi/policy 1.21.0 internals the adapter needs: the unknown sentinels and the proxy's escape hatch (proxy.js:40, 129-159). */
const proxy = require("@pulumi/policy/proxy") as {
    getSpecialProxyTarget: string;
    unknownBooleanValue: string;
    unknownNumberValue: string;
    unknownStringValue: string;
    unknownArrayValue: string;
    unknownAssetValue: string;
    unknownArchiveValue: string;
    unknownObjectValue: string;
};
const unknowns = new Set<unknown>([
    proxy.unknownBooleanValue,
    proxy.unknownNumberValue,
    proxy.unknownStringValue,
    proxy.unknownArrayValue,
    proxy.unknownAssetValue,
    proxy.unknownArchiveValue,
    proxy.unknownObjectValue,
]);

/** The plain object behind an `unknownCheckingProxy` (a plain object is returned as it is). */
const target = (props: Record<string, any>): Record<string, any> => props[proxy.getSpecialProxyTarget] ?? props;

/** A copy without the values preview cannot know: what the Graph indexes (an unknown ARN names no resource). */
function known(value: unknown): any {
    if (Array.isArray(value)) return value.map((v) => (unknowns.has(v) ? undefined : known(v)));
    if (value === null || typeof value !== "object" || value.constructor !== Object) return value;
    return Object.fromEntries(Object.entries(value).filter(([, v]) => !unknowns.has(v)).map(([k, v]) => [k, known(v)]));
}

const keyOf = (r: { type: string; name: string }) => `${r.type}::${r.name}`;

/**
 * Engine resources the captured graph does not hold: the stack itself (src/plan/capture.ts filters it)
 * and providers (the program declares none explicitly; default providers never pass the stack
 * transformation capture.ts records with).
 */
const bookkeeping = (type: string) => type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");

/**
 * Builds the Graph of a stack from `validateStack`'s resources. Keys are `type::name` as in the
 * captured graph; `dependencies` are the engine's (the same list the SDK registered, which the
 * capture records too); `dependsOn` is the part of them no input carries (the SDK's registration
 * sends the union of `dependsOn` and every input's dependencies: @pulumi/pulumi 3.248.0
 * runtime/resource.ts:604). Secret paths are not known to an analyzer (values arrive unwrapped).
 * The rules read `inputs` and `outputs` through the SDK's unknown-checking proxies, so a rule that
 * reads a value preview cannot know reports "can't run during preview" instead of a false verdict;
 * the Graph's own index of ids, ARNs and names is built from known values only.
 */
export function stackGraph(resources: readonly PolicyResource[], inputsOf: (urn: string) => Record<string, any> | undefined): Graph {
    const declared = resources.filter((r) => !bookkeeping(r.type));
    const views = declared.map((r) => {
        const inputs = inputsOf(r.urn) ?? r.props;
        const carried = new Set(Object.values(r.propertyDependencies).flat().map(keyOf));
        const dependencies = r.dependencies.filter((d) => !bookkeeping(d.type)).map(keyOf);
        const outputs = known(target(r.props));
        const planned: PlannedResource = {
            key: keyOf(r),
            type: r.type,
            name: r.name,
            custom: r.provider !== undefined,
            parent: r.parent && !bookkeeping(r.parent.type) ? keyOf(r.parent) : undefined,
            inputs: known(target(inputs)),
            secretPaths: [],
            protect: r.opts.protect,
            ignoreChanges: r.opts.ignoreChanges,
            dependsOn: dependencies.filter((k) => !carried.has(k)),
            dependencies,
            id: typeof outputs.id === "string" ? outputs.id : undefined,
            outputs,
        };
        return { planned, inputs, outputs: r.props };
    });
    const graph = new Graph({ resources: views.map((v) => v.planned), outputs: {} });
    // The index is built; from here on the rules see the proxies.
    for (const v of views) Object.assign(v.planned, { inputs: v.inputs, outputs: v.outputs });
    return graph;
}
