import { Secret, type PolicyResource } from "@pulumi/policy";
import type { PlannedResource } from "../../plan/capture";
import { Graph } from "../../plan/graph";
import { unwrapSecrets } from "../../plan/secretPaths";

/**
 * The analyzer's view of a stack turned into the Graph the rules read (src/plan/graph.ts), so a
 * StackRule runs unchanged under `pulumi preview --policy-pack policy`.
 *
 * What `validateStack` receives (@pulumi/policy 1.21.0 server.js:343-415, from the engine's
 * AnalyzeStackRequest, pulumi v3.248.0 pkg/resource/deploy/step_generator.go:3244-3265 and
 * sdk/go/common/resource/plugin/analyzer_plugin.go:345-388):
 * - `type`, `name` (the URN's name: the name the program gave), `urn`;
 * - `props`: the resource's OUTPUTS ("AnalyzeStack is called on the final outputs of each resource"),
 *   marshalled with KeepUnknowns, KeepSecrets and SkipInternalKeys (so azure-native's `__inputs` is gone),
 *   secrets unwrapped by the SDK (deserialize.js:35-47, proxySecrets false), wrapped in `unknownCheckingProxy`
 *   (proxy.js:27-75): reading a value preview cannot know throws UnknownValueError, which the server
 *   reports as an advisory "can't run policy ... during preview" (server.js:423-427; the same for validateResource, server.js:287-291);
 * - `opts` (protect, ignoreChanges, parent URN), `parent` and `dependencies` as PolicyResource objects,
 *   `propertyDependencies` (input name -> PolicyResource[]), `provider` (only custom resources have one:
 *   step_generator.go:3270-3303 fills it from `v.Provider`, which the engine sets for custom resources).
 * - no resource id: AnalyzerResource has no id field (pulumi v3.248.0 proto/pulumi/analyzer.proto:124-134,
 *   and step_generator.go:3244-3265 copies none). The id reaches the pack as the `id` OUTPUT both
 *   providers return: the terraform bridge's SDKv2 state always holds it (pulumi-terraform-bridge@59de6c661
 *   pkg/tfshim/sdk-v2/instance_state.go objectV1: "Populate the \"id\" property if it is not set",
 *   returned by Create/Read/Update through MakeTerraformResult, pkg/tfbridge/provider.go:1385, 1511,
 *   1765), and azure-native's outputs are the response body mapped through the resource's response
 *   metadata (pulumi-azure-native provider/pkg/convert/responseBodyToSdkOutputs.go), which keeps the ARM `id`: its code
 *   generator deletes `id` only from the SDK schema, "a property of the base Custom Resource"
 *   (provider/pkg/gen/schema.go, `delete(resourceResponse.specs, "id")` next to
 *   `Response: resourceResponse.properties`). So a Subnet's outputs carry its id on the wire although
 *   @pulumi/azure-native 3.28.0 network/subnet.js:108-135 lists none (the SDK resolves `id` apart).
 * Outputs are not inputs: azure-native outputs drop input-only fields (`resourceGroupName`,
 * `accountName`, `vaultName`), which the rules read (network/subnet.js:108-135: no resourceGroupName
 * or virtualNetworkName). The per-resource `Analyze` call, made for every registered resource before
 * its step (step_generator.go:1351-1353 analyzeAll, `Properties: inputs`), does carry the inputs, and the
 * `Remediate` call before it their secret marks (secretPathsOf); `recorded` returns what the pack
 * kept of both (src/policy/pack/policies.ts), and the outputs stand in for a resource it never saw.
 */

/** The @pulumi/policy 1.21.0 internals the adapter needs: the unknown sentinels, the proxies' escape hatch and the error the server turns into "can't run during preview" (proxy.js:35-40, 77-86, 129-159). */
const proxy = require("@pulumi/policy/proxy") as {
    isSpecialProxy: string;
    getSpecialProxyTarget: string;
    UnknownValueError: new (sentinel: string, props: string[]) => Error;
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

/** The plain object behind the SDK's proxies (unknown-checking, secrets-preserving); a plain object is returned as it is. */
function target(props: Record<string, any>): Record<string, any> {
    let value = props;
    while (value?.[proxy.isSpecialProxy] === true) value = value[proxy.getSpecialProxyTarget];
    return value;
}

/**
 * The dotted paths of a resource's inputs that are secrets, as the plan's capture names them
 * (src/plan/secretPaths.ts), read where a policy can still see them: a remediation. The engine
 * sends every analyzer the program's inputs with their secrets marked (RegisterResource keeps them,
 * pulumi v3.248.0 pkg/resource/deploy/source_eval.go:2090-2096; Remediate, Analyze and AnalyzeStack
 * all marshal with KeepSecrets: sdk/go/common/resource/plugin/analyzer_plugin.go:306-307, 350-351,
 * 426-427), but @pulumi/policy 1.21.0 unwraps them without a trace for validateResource and
 * validateStack (server.js:255, 351: deserializeProperties(..., false); deserialize.js:117-123).
 * Only a remediation gets them as `Secret` objects (server.js:553, proxySecrets true), behind a
 * secrets-preserving proxy whose target still holds them (secret.js:26-61). The engine runs every
 * analyzer's Remediate on each resource's inputs before its Analyze (step_generator.go:1288-1353).
 */
export function secretPathsOf(props: Record<string, any>): string[] {
    const paths: string[] = [];
    unwrapSecrets(target(props), (v) => (v instanceof Secret ? v : undefined), paths);
    return paths;
}

/**
 * A read of something the pack cannot know: the SDK's own error, which its server reports as an
 * advisory "can't run policy ... during preview: <message>" (server.js:287-291, 423-427), never a verdict.
 */
const unknownRead = (sentinel: string, path: string[], message?: string) => (): never => {
    const error = new proxy.UnknownValueError(sentinel, path);
    if (message) error.message = message;
    throw error;
};

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

/** What the pack recorded of a resource before the stack analysis: its inputs (Analyze) and secret input paths (Remediate). */
export interface Recorded {
    inputs?: Record<string, any>;
    secretPaths?: string[];
}

/**
 * Builds the Graph of a stack from `validateStack`'s resources. Keys are `type::name` as in the
 * captured graph; `dependencies` are the engine's (the same list the SDK registered, which the
 * capture records too); `dependsOn` is the part of them no input carries (the SDK's registration
 * sends the union of `dependsOn` and every input's dependencies: @pulumi/pulumi 3.248.0
 * runtime/resource.ts:604); `id` is the `id` output; `secretPaths` are the ones recorded at Remediate.
 * The rules read `inputs` and `outputs` through the SDK's unknown-checking proxies, so a rule that
 * reads a value preview cannot know reports "can't run during preview" instead of a false verdict;
 * an id preview cannot know, and the secret marks of a resource the pack never saw (or whose
 * remediation was switched off), throw the same error when read. The Graph's own index of ids,
 * ARNs and names is built from known values only.
 */
export function stackGraph(resources: readonly PolicyResource[], recorded: (urn: string) => Recorded | undefined): Graph {
    const declared = resources.filter((r) => !bookkeeping(r.type));
    const views = declared.map((r) => {
        const seen = recorded(r.urn);
        const inputs = seen?.inputs ?? r.props;
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
            secretPaths: seen?.secretPaths ?? [],
            protect: r.opts.protect,
            ignoreChanges: r.opts.ignoreChanges,
            dependsOn: dependencies.filter((k) => !carried.has(k)),
            dependencies,
            id: typeof outputs.id === "string" ? outputs.id : undefined,
            outputs,
        };
        return { planned, r, seen, inputs };
    });
    const graph = new Graph({ resources: views.map((v) => v.planned), outputs: {} });
    // The index is built; from here on the rules see the proxies, and the unknowns throw.
    for (const { planned, r, seen, inputs } of views) {
        Object.assign(planned, { inputs, outputs: r.props });
        const id = target(r.props).id;
        if (unknowns.has(id)) Object.defineProperty(planned, "id", { get: unknownRead(id, [planned.key, "id"]) });
        if (!seen?.secretPaths) {
            const why = `which inputs of ${planned.key} are secret is not known: the pack reads it at Remediate (policy emr-resource-inputs, enforcement level "remediate"), which did not run for it`;
            Object.defineProperty(planned, "secretPaths", { get: unknownRead(proxy.unknownArrayValue, [planned.key, "secretPaths"], why) });
        }
    }
    return graph;
}
