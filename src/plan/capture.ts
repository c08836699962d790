import * as pulumi from "@pulumi/pulumi";
import { createMocks, type CloudMock } from "./mocks";
import { unwrapSecrets, type SecretUnwrapper } from "./secretPaths";

/** One declared resource, as the tests and the offline plan see it. */
export interface PlannedResource {
    /** `type::name`, unique within a run. */
    key: string;
    type: string;
    name: string;
    /** False for components (tiers), true for cloud resources. */
    custom: boolean;
    /** Key of the parent resource; undefined for children of the stack. */
    parent?: string;
    /** Inputs after resolution, with secret values unwrapped (their paths are in `secretPaths`). */
    inputs: Record<string, any>;
    /** Dotted paths of inputs that were Pulumi secrets. */
    secretPaths: string[];
    protect: boolean;
    /** Input paths `pulumi up` leaves alone once created (e.g. capacity owned by an autoscaler). */
    ignoreChanges: string[];
    /** Keys of the resources named in `dependsOn`. */
    dependsOn: string[];
    /**
     * Keys of every resource this one waits for before it is created, exactly as the SDK tells the
     * engine: `dependsOn` (a component stands for its custom children) plus the resources behind
     * every Output in the inputs, including Outputs whose value hides them (an `apply` over several).
     */
    dependencies: string[];
    id?: string;
    /** The outputs the mock answered with (inputs plus computed ids, ARNs, endpoints). */
    outputs: Record<string, any>;
}

export interface ProgramRun {
    resources: PlannedResource[];
    /** The stack outputs, resolved (secrets unwrapped). */
    outputs: Record<string, unknown>;
    /** What stopped the program (a ConfigError, for instance), if anything did. */
    error?: unknown;
}

export interface RunOptions {
    /** Full stack config, e.g. { "emr:cloud": "aws", "aws:region": "us-east-1", ... }. */
    config: Record<string, string>;
    stack: string;
    /** Loads (executes) the program and returns its module exports. */
    load: () => Promise<Record<string, unknown>>;
    clouds: CloudMock[];
}

const project = "emr";

/** `urn:pulumi:<stack>::<project>::<parent$type>::<name>` -> `type::name`. */
function keyOfUrn(urn: string): string {
    const [, , qualifiedType, ...name] = urn.split("::");
    return `${qualifiedType.split("$").pop()}::${name.join("::")}`;
}

/**
 * Records the dependency list of each registration (RegisterResourceRequest.dependencies, which
 * @pulumi/pulumi 3.248.0 sdk/nodejs/runtime/resource.ts:604 fills from `dependsOn` and the inputs'
 * Outputs). The mocks' `newResource` is never shown it, so it is read off the mock monitor's request.
 */
function recordDependencies(into: Map<string, string[]>): void {
    type Request = { getType(): string; getName(): string; getDependenciesList(): string[] };
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: Request, callback: unknown): unknown };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        into.set(`${req.getType()}::${req.getName()}`, req.getDependenciesList().map(keyOfUrn));
        return register(req, callback);
    };
}

/** The value inside one of the SDK's secret envelopes (what the mocks are handed). */
const envelope: SecretUnwrapper = (v: any) => (v[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig ? { value: v.value } : undefined);

async function resolve(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        return new Promise((done) => (value as pulumi.Output<unknown>).apply((v) => done(v)));
    }
    return value;
}

/**
 * Runs the real program under the mocks and captures every resource it declares: type, name,
 * parent, resolved inputs, protect flag, explicit dependencies and the mocked outputs. Never
 * throws: a program error is returned in `error` next to whatever was declared before it.
 */
export async function runProgram(options: RunOptions): Promise<ProgramRun> {
    const region = options.config["aws:region"] ?? options.config["azure-native:location"] ?? "us-east-1";
    const mocks = createMocks(region, options.clouds);
    const declared = new Map<string, Omit<PlannedResource, "custom" | "inputs" | "secretPaths" | "id" | "outputs" | "dependencies">>();
    const registered = new Map<string, Pick<PlannedResource, "custom" | "inputs" | "secretPaths" | "id" | "outputs">>();
    const keyOf = new Map<pulumi.Resource, string>();

    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const answer = mocks.newResource(args) as { id: string | undefined; state: Record<string, unknown> };
                const secretPaths: string[] = [];
                registered.set(`${args.type}::${args.name}`, {
                    custom: args.custom === true,
                    inputs: unwrapSecrets(args.inputs, envelope, secretPaths),
                    secretPaths,
                    id: answer.id,
                    outputs: unwrapSecrets(answer.state, envelope, []),
                });
                return answer;
            },
            call: (args) => mocks.call(args),
        },
        project,
        options.stack,
        false,
    );
    pulumi.runtime.setAllConfig(options.config);
    const dependencies = new Map<string, string[]>();
    recordDependencies(dependencies);

    const record: pulumi.ResourceTransformation = ({ resource, type, name, opts }) => {
        const key = `${type}::${name}`;
        if (declared.has(key)) throw new Error(`two resources are declared as ${key}`);
        keyOf.set(resource, key);
        const dependsOn = ([] as unknown[]).concat(opts.dependsOn ?? []).filter(pulumi.Resource.isInstance);
        declared.set(key, {
            key,
            type,
            name,
            parent: opts.parent ? keyOf.get(opts.parent) : undefined,
            protect: opts.protect === true,
            ignoreChanges: opts.ignoreChanges ?? [],
            dependsOn: dependsOn.map((r) => keyOf.get(r)).filter((k): k is string => k !== undefined),
        });
        return undefined;
    };

    const outputs: Record<string, unknown> = {};
    let error: unknown;
    // The program's own error is caught inside the stack callback: rejecting out of it would also
    // surface as an unhandled rejection from the Stack resource.
    // The SDK formats a stack trace for every promise it tracks (runtime/debuggable.js
    // debuggablePromise: `new Error().stack`) and every registration; under a test runner's
    // source-map support that formatting dominates a run. Nothing here reads those traces.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    // A failure no program code awaits (an invoke the cloud refuses, inside an input being
    // serialized) rejects a promise nobody handles, and the outputs that wait on that resource
    // never resolve. The language host ends the run on the first one, "Running program ... failed
    // with an unhandled exception" (@pulumi/pulumi 3.248.0 cmd/run/run.js:368-408,
    // process.on("unhandledRejection", uncaughtHandler)); so does the plan, instead of hanging.
    let unhandled: (reason: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (unhandled = reject));
    failed.catch(() => undefined);
    process.on("unhandledRejection", unhandled);
    try {
        const run = (async () => {
            await pulumi.runtime.runInPulumiStack(async () => {
                pulumi.runtime.registerStackTransformation(record);
                try {
                    const exports = await options.load();
                    for (const [name, value] of Object.entries(exports)) {
                        if (name !== "default" && name !== "__esModule") outputs[name] = unwrapSecrets(await resolve(value), envelope, []);
                    }
                } catch (e) {
                    error = e;
                }
            });
            // Registrations still in flight must land before the graph is read (facts/pulumi.md section 3).
            await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        })();
        await Promise.race([run, failed]);
    } catch (e) {
        error ??= e;
    } finally {
        process.off("unhandledRejection", unhandled);
        Error.stackTraceLimit = stackTraceLimit;
    }

    const resources = [...declared.values()]
        .filter((r) => r.type !== "pulumi:pulumi:Stack")
        // The registration says whether a resource is custom: transformations run before the
        // SDK marks the instance, so the resource object cannot tell yet.
        .map((r) => ({ ...r, custom: false, inputs: {}, secretPaths: [], outputs: {}, ...registered.get(r.key), dependencies: dependencies.get(r.key) ?? [] }));
    return { resources, outputs, error };
}
