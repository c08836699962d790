import type { PlannedResource } from "../../src/plan/capture";
import { Graph } from "../../src/plan/graph";

/**
 * A captured graph turned into what `pulumi preview` of a FRESH stack sends the policy pack: nothing
 * is created yet, so whatever the cloud assigns is unknown, and so is every input built from it.
 *
 * Written from pulumi v3.248.0 and the providers:
 * - unknowns travel as sentinel strings, one per kind of value (sdk/go/common/resource/plugin/rpc.go:53-73,
 *   marshalUnknownProperty 255-277); @pulumi/policy 1.21.0 proxy.js:129-159 has the same ones;
 * - what the cloud assigns: the `id` and every output the program did not give as an input (ARNs,
 *   DNS names, key ids, endpoints, principal ids), at any depth. Names are known: both providers pick
 *   a missing name (autonaming) in Check, before the preview step (pulumi-terraform-bridge
 *   pkg/tfbridge/provider.go Check; azure-native provider.go Check), and the location defaults to
 *   the provider's;
 * - an input built from an unknown Output is unknown as a whole where the Output was placed: a
 *   string that names an id or ARN (alone, interpolated, or inside a policy document or a script,
 *   base64-encoded as user data is) becomes the unknown string. The capture does not record which
 *   Output each input came from, so this errs towards unknown: more "can't run during preview",
 *   never a value the real preview would not know.
 */
const unknown = {
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
};
const isPlain = (v: unknown): v is Record<string, any> => v !== null && typeof v === "object" && !Array.isArray(v);
const sentinel = (v: unknown) => (Array.isArray(v) ? unknown.array : isPlain(v) ? unknown.object : unknown[typeof v as "string" | "number" | "boolean"] ?? unknown.string);

/** Names and the default location are known at preview (see above). */
const knownAtPreview = new Set(["name", "bucket", "location"]);

/** The outputs of a resource not created yet: what the inputs did not give is unknown, at any depth; `assigned` collects the strings lost. */
function unknownOutputs(outputs: Record<string, any>, inputs: Record<string, any>, assigned: Set<string>, top = true): Record<string, any> {
    return Object.fromEntries(
        Object.entries(outputs).map(([k, v]) => {
            if (top && knownAtPreview.has(k)) return [k, v];
            if (!(k in inputs)) {
                collectStrings(v, assigned);
                return [k, sentinel(v)];
            }
            return [k, isPlain(v) && isPlain(inputs[k]) ? unknownOutputs(v, inputs[k], assigned, false) : v];
        }),
    );
}

function collectStrings(value: unknown, into: Set<string>): void {
    if (typeof value === "string" && value.length >= 8) into.add(value);
    else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, into));
    else if (isPlain(value)) Object.values(value).forEach((v) => collectStrings(v, into));
}

const base64 = /^[A-Za-z0-9+/]{16,}={0,2}$/;
/** Whether a string was built from one of the values the cloud assigns. */
function builtFrom(text: string, assigned: ReadonlySet<string>): boolean {
    const names = (t: string) => [...assigned].some((a) => t.includes(a));
    return names(text) || (base64.test(text) && names(Buffer.from(text, "base64").toString("utf8")));
}

/** A value with every string built from an assigned value made unknown. */
function withUnknownRefs(value: any, assigned: ReadonlySet<string>): any {
    if (typeof value === "string") return Object.values(unknown).includes(value) || !builtFrom(value, assigned) ? value : unknown.string;
    if (Array.isArray(value)) return value.map((v) => withUnknownRefs(v, assigned));
    if (isPlain(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withUnknownRefs(v, assigned)]));
    return value;
}

/** The graph as a preview of the stack before its first deploy shows it to the policy pack. */
export function freshPreview(graph: Graph): Graph {
    const assigned = new Set<string>();
    const resources = structuredClone(graph.run.resources).map((r): PlannedResource => {
        if (!r.custom) return r;
        if (r.id) assigned.add(r.id);
        return { ...r, id: unknown.string, outputs: unknownOutputs(r.outputs, r.inputs, assigned) };
    });
    for (const r of resources) Object.assign(r, { inputs: withUnknownRefs(r.inputs, assigned), outputs: withUnknownRefs(r.outputs, assigned) });
    return new Graph({ ...graph.run, resources });
}
