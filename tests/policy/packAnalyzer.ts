import type { Policies } from "@pulumi/policy";
import type { PlannedResource } from "../../src/plan/capture";
import type { Graph } from "../../src/plan/graph";

/**
 * A stand-in for the Pulumi engine in front of the policy pack: it sends a captured graph to
 * @pulumi/policy 1.21.0's OWN analyzer handlers (server.js makeAnalyzeRpcFun, makeAnalyzeStackRpcFun:
 * deserialization, unknown-checking proxies, not-applicable handling, enforcement levels,
 * reportViolation) as the engine's gRPC requests, built with @pulumi/pulumi's own proto classes.
 * Only the transport and the engine's side are stood in for, written from pulumi v3.248.0:
 * - one Analyze per registered resource with its INPUTS, before the stack analysis
 *   (pkg/resource/deploy/step_generator.go:1284-1353 analyzeAll, `Properties: inputs`);
 * - then one AnalyzeStack with every resource's OUTPUTS, parent URN, dependency URNs and provider
 *   (step_generator.go:3227-3303; deployment_executor.go:408), including the stack resource and the
 *   default providers, which are resources of the deployment too;
 * - properties marshalled as JSON Structs (sdk/go/common/resource/plugin/analyzer_plugin.go:306-307, 350-351: KeepUnknowns,
 *   KeepSecrets; a captured graph has no unknowns and its secrets are already unwrapped, which the
 *   server's deserializeProperties does too);
 * - URNs `urn:pulumi:<stack>::<project>::<parent types $-joined, stack excluded>$<type>::<name>`
 *   (sdk/go/common/resource/urn.go:63-64 NewURN).
 */

// Internal modules of the pinned versions, typed here (their .d.ts files are empty).
type Handler = (call: { request: unknown }, callback: (err: unknown, response?: any) => void) => Promise<void>;
const server = require("@pulumi/policy/server") as {
    makeAnalyzeRpcFun(pack: string, version: string, level: string, policies: Policies): Handler;
    makeAnalyzeStackRpcFun(pack: string, version: string, level: string, policies: Policies): Handler;
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
    const parentUrn = (r: PlannedResource) => (r.parent ? urnOf.get(r.parent)! : stackUrn);
    const keyOfUrn = new Map([...urnOf].map(([key, urn]) => [urn, key]));
    const responses: any[] = [];

    for (const r of graph.resources) {
        const request = new proto.AnalyzeRequest().setType(r.type).setName(r.name).setUrn(urnOf.get(r.key)).setProperties(struct(r.inputs)).setOptions(options(parentUrn(r), r));
        if (r.custom) request.setProvider(provider(providerUrn(r)));
        responses.push(await call(analyzeOne, request));
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
            .setProperties(struct(r.outputs))
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
