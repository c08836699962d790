import * as pulumi from "@pulumi/pulumi";
import type { Policies } from "@pulumi/policy";
import type { PlannedResource } from "../../src/plan/capture";
import type { Graph } from "../../src/plan/graph";

/**
 * A stand-in for the Pulumi engine in front of the policy pack: it sends a captured graph to
 * @pulumi/policy 1.21.0's OWN analyzer handlers (server.js makeRemediateRpcFun, makeAnalyzeRpcFun, makeAnalyzeStackRpcFun:
 * deserialization, unknown-checking proxies, not-applicable handling, enforcement levels,
 * reportViolation) as the engine's gRPC requests, built with @pulumi/pulumi's own proto classes.
 * Only the transport and the engine's side are stood in for, written from pulumi v3.248.0:
 * - per registered resource, with its INPUTS: first Remediate (whose results, if any, replace the
 *   inputs), then Analyze (pkg/resource/deploy/step_generator.go:1288-1345 remediations, then
 *   1351-1353 analyzeAll, `Properties: inputs`);
 * - then one AnalyzeStack with every resource's OUTPUTS, parent URN, dependency URNs and provider
 *   (step_generator.go:3227-3303; deployment_executor.go:408), including the stack resource and the
 *   default providers, which are resources of the deployment too;
 * - properties marshalled as JSON Structs with unknowns and secrets kept (sdk/go/common/resource/plugin/
 *   analyzer_plugin.go:306-307, 350-351, 426-427: KeepUnknowns, KeepSecrets): the inputs the program
 *   made secret (the captured `secretPaths`) travel as the SDK's secret envelopes
 *   ({[specialSigKey]: specialSecretSig, value}, sdk/go/common/resource/plugin/rpc.go MarshalPropertyValue);
 * - no resource id (AnalyzerResource has no field for one: proto/pulumi/analyzer.proto:124-134), but an
 *   `id` OUTPUT on every custom resource, which both providers return (src/policy/pack/stackGraph.ts
 *   cites where). The Azure mock's state holds it already; the AWS and helper mocks' state does not
 *   (the capture keeps the id apart), so the stand-in adds it as the terraform bridge does;
 * - outputs without secret envelopes: the engine keeps the providers' marks there, but
 *   @pulumi/policy unwraps them for validateStack without a trace (server.js:351, deserialize.js:117-123),
 *   so what a stack policy sees is the same either way;
 * - URNs `urn:pulumi:<stack>::<project>::<parent types $-joined, stack excluded>$<type>::<name>`
 *   (sdk/go/common/resource/urn.go:63-64 NewURN).
 * A preview of a fresh stack, where ids, ARNs and what is built from them are not known yet, is
 * ./packPreview.ts: it turns a captured graph into the values such a preview carries.
 */

// Internal modules of the pinned versions, typed here (their .d.ts files are empty).
type Handler = (call: { request: unknown }, callback: (err: unknown, response?: any) => void) => Promise<void>;
const server = require("@pulumi/policy/server") as {
    makeAnalyzeRpcFun(pack: string, version: string, level: string, policies: Policies): Handler;
    makeAnalyzeStackRpcFun(pack: string, version: string, level: string, policies: Policies): Handler;
    makeRemediateRpcFun(pack: string, version: string, level: string, policies: Policies): Handler;
};
const proto = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

export interface Diagnostic {
    policy: string;
    level: "advisory" | "mandatory";
    message: string;
    /** `type::name` of the resource the diagnostic names, if any. */
    resource?: string;
}

const project = "emr";
const levels: Record<number, Diagnostic["level"]> = { [proto.EnforcementLevel.ADVISORY]: "advisory", [proto.EnforcementLevel.MANDATORY]: "mandatory" };

function urns(graph: Graph, stack: string) {
    const stackUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
    const qualified = (r: PlannedResource): string => {
        const parent = r.parent ? graph.byKey(r.parent) : undefined;
        return parent ? `${qualified(parent)}$${r.type}` : r.type;
    };
    const urnOf = new Map(graph.resources.map((r) => [r.key, `urn:pulumi:${stack}::${project}::${qualified(r)}::${r.name}`]));
    const providerUrn = (r: PlannedResource) => `urn:pulumi:${stack}::${project}::pulumi:providers:${r.type.split(":")[0]}::default`;
    return { stackUrn, urnOf, providerUrn };
}

const struct = (value: Record<string, any>) => Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));

/** The SDK's secret envelope (@pulumi/pulumi runtime/rpc.js specialSigKey, specialSecretSig; the Go side's resource.SecretSig). */
const envelope = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

/** A captured resource's inputs with the secrets marked again, at the paths capture.ts noted them (src/plan/secretPaths.ts). */
function sealed(value: any, secret: ReadonlySet<string>, path = ""): any {
    const inner = Array.isArray(value)
        ? value.map((v, i) => sealed(v, secret, `${path}[${i}]`))
        : value !== null && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sealed(v, secret, path ? `${path}.${k}` : k)]))
          : value;
    return path !== "" && secret.has(path) ? envelope(inner) : inner;
}

/** A resource's outputs as the engine holds them: a custom resource's carry its `id`. */
const outputsOf = (r: PlannedResource) => (r.custom ? { ...r.outputs, id: r.id } : r.outputs);

function options(parentUrn: string, r?: PlannedResource) {
    return new proto.AnalyzerResourceOptions()
        .setProtect(r?.protect ?? false)
        .setIgnorechangesList(r?.ignoreChanges ?? [])
        .setParent(parentUrn);
}

function provider(urn: string) {
    const [, , type, name] = urn.split("::");
    return new proto.AnalyzerProviderResource().setUrn(urn).setType(type).setName(name).setProperties(struct({}));
}

async function call(handler: Handler, request: unknown): Promise<any> {
    return new Promise((done, fail) => void handler({ request }, (err, response) => (err ? fail(err) : done(response))));
}

/**
 * Runs every policy of the pack over a captured graph as a deploy would: Analyze per resource, then
 * AnalyzeStack. Returns every diagnostic with the resource it names, and the stack policies the
 * server found not applicable.
 */
export async function analyze(policies: Policies, graph: Graph, stack: string): Promise<Diagnostic[] & { stackNotApplicable: string[] }> {
    const { stackUrn, urnOf, providerUrn } = urns(graph, stack);
    // The pack's default level is "advisory" when PolicyPackArgs sets none (policy.js:27, 61).
    const analyzeOne = server.makeAnalyzeRpcFun("emr-ha", "0.1.0", "advisory", policies);
    const analyzeStack = server.makeAnalyzeStackRpcFun("emr-ha", "0.1.0", "advisory", policies);
    const remediate = server.makeRemediateRpcFun("emr-ha", "0.1.0", "advisory", policies);
    const parentUrn = (r: PlannedResource) => (r.parent ? urnOf.get(r.parent)! : stackUrn);
    const keyOfUrn = new Map([...urnOf].map(([key, urn]) => [urn, key]));
    const responses: any[] = [];

    for (const r of graph.resources) {
        const request = (inputs: any) => {
            const req = new proto.AnalyzeRequest().setType(r.type).setName(r.name).setUrn(urnOf.get(r.key)).setProperties(inputs).setOptions(options(parentUrn(r), r));
            if (r.custom) req.setProvider(provider(providerUrn(r)));
            return req;
        };
        let inputs = struct(sealed(r.inputs, new Set(r.secretPaths)));
        // A remediation's properties replace the inputs from there on (step_generator.go:1340-1344).
        for (const remediation of (await call(remediate, request(inputs))).getRemediationsList()) {
            if (remediation.getProperties()) inputs = remediation.getProperties();
        }
        responses.push(await call(analyzeOne, request(inputs)));
    }

    const stackResource = new proto.AnalyzerResource().setType("pulumi:pulumi:Stack").setName(`${project}-${stack}`).setUrn(stackUrn).setProperties(struct({})).setOptions(options(""));
    const providers = [...new Set(graph.resources.filter((r) => r.custom).map(providerUrn))].map((urn) => {
        const p = provider(urn);
        return new proto.AnalyzerResource().setType(p.getType()).setName(p.getName()).setUrn(urn).setProperties(struct({})).setOptions(options(stackUrn)).setParent(stackUrn);
    });
    const resources = graph.resources.map((r) => {
        const resource = new proto.AnalyzerResource()
            .setType(r.type)
            .setName(r.name)
            .setUrn(urnOf.get(r.key))
            .setProperties(struct(outputsOf(r)))
            .setOptions(options(parentUrn(r), r))
            .setParent(parentUrn(r))
            .setDependenciesList(r.dependencies.map((k) => urnOf.get(k)).filter(Boolean));
        if (r.custom) resource.setProvider(provider(providerUrn(r)));
        return resource;
    });
    const stackResponse = await call(analyzeStack, new proto.AnalyzeStackRequest().setResourcesList([stackResource, ...providers, ...resources]));
    responses.push(stackResponse);

    const diagnostics = responses.flatMap((response) =>
        response.getDiagnosticsList().map((d: any): Diagnostic => ({
            policy: d.getPolicyname(),
            level: levels[d.getEnforcementlevel()],
            message: d.getMessage(),
            ...(d.getUrn() ? { resource: keyOfUrn.get(d.getUrn()) } : {}),
        })),
    );
    return Object.assign(diagnostics, { stackNotApplicable: stackResponse.getNotApplicableList().map((n: any) => n.getPolicyName() as string) });
}
