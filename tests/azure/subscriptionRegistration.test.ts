import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { featuresFor, manualCommands, namespaceOf, stackProviders } from "../../src/azure/platformRequirements";
import type { Arm } from "../../src/azure/armRest";
import { ensureRegistered } from "../../src/azure/subscriptionRegistration";
import { baseConfig, runStack, type Graph } from "../harness";

/**
 * A stand-in for ARM's registration endpoints, written from their contract: feature GET/POST under
 * Microsoft.Features (api 2021-07-01, properties.state), provider GET/POST (registrationState); a
 * registration is "Registering" for a few polls, then "Registered" (azure-sdk-for-go
 * policy_register_rp.go polls exactly this way). `approval` features stay "Pending".
 */
function fakeArm(initial: Record<string, string>, approval: string[] = []) {
    const state = new Map(Object.entries(initial));
    const polls = new Map<string, number>();
    const calls: string[] = [];
    const key = (path: string) => {
        const feature = /providers\/Microsoft\.Features\/providers\/([^/]+)\/features\/([^/?]+)/.exec(path);
        if (feature) return `feature:${feature[1]}/${feature[2]}`;
        return `provider:${/\/providers\/([^/?]+)/.exec(path)![1]}`;
    };
    const body = (k: string) => (k.startsWith("feature:") ? { properties: { state: state.get(k) ?? "NotRegistered" } } : { registrationState: state.get(k) ?? "NotRegistered" });
    const arm: Arm = {
        async get(path) {
            const k = key(path);
            calls.push(`GET ${k}`);
            if (state.get(k) === "Registering") {
                const n = (polls.get(k) ?? 0) + 1;
                polls.set(k, n);
                if (n >= 3) state.set(k, "Registered");
            }
            return body(k);
        },
        async post(path) {
            const k = key(path);
            calls.push(`POST ${k}`);
            state.set(k, approval.includes(k) ? "Pending" : "Registering");
            polls.set(k, 0);
            return body(k);
        },
    };
    return { arm, calls, state };
}
const polling = { intervalMs: 1, timeoutMs: 1000, sleep: async () => undefined };

describe("subscription registration", () => {
    it("registers a feature, waits for it, then re-registers its provider so the feature propagates", async () => {
        const { arm, calls, state } = fakeArm({ "provider:Microsoft.Compute": "Registered", "provider:Microsoft.Insights": "NotRegistered" });
        await ensureRegistered(arm, { subscriptionId: "s", providers: ["Microsoft.Compute", "Microsoft.Insights"], features: [{ namespace: "Microsoft.Compute", feature: "EncryptionAtHost" }] }, polling);
        expect(state.get("feature:Microsoft.Compute/EncryptionAtHost")).toBe("Registered");
        expect(state.get("provider:Microsoft.Insights")).toBe("Registered");
        const posts = calls.filter((c) => c.startsWith("POST"));
        expect(posts).toEqual(["POST feature:Microsoft.Compute/EncryptionAtHost", "POST provider:Microsoft.Compute", "POST provider:Microsoft.Insights"]);
    });

    it("leaves what is registered alone (a shared subscription)", async () => {
        const { arm, calls } = fakeArm({ "feature:Microsoft.Compute/EncryptionAtHost": "Registered", "provider:Microsoft.Compute": "Registered" });
        await ensureRegistered(arm, { subscriptionId: "s", providers: ["Microsoft.Compute"], features: [{ namespace: "Microsoft.Compute", feature: "EncryptionAtHost" }] }, polling);
        expect(calls.filter((c) => c.startsWith("POST"))).toEqual([]);
    });

    it("stops with the exact command when a feature needs manual approval", async () => {
        const { arm } = fakeArm({}, ["feature:Microsoft.Storage/AllowEncryptionInTransitNFS4"]);
        await expect(
            ensureRegistered(arm, { subscriptionId: "s", providers: [], features: [{ namespace: "Microsoft.Storage", feature: "AllowEncryptionInTransitNFS4" }] }, polling),
        ).rejects.toThrow("az feature register --namespace Microsoft.Storage --name AllowEncryptionInTransitNFS4");
    });

    it("stops with the command when a feature that was Registering turns Pending (approval needed after all)", async () => {
        const { arm, state } = fakeArm({});
        const get = arm.get;
        // ARM accepted the POST (Registering), then the feature waits for Microsoft's approval.
        arm.get = async (path) => {
            if (state.get("feature:Microsoft.Compute/EncryptionAtHost") === "Registering") state.set("feature:Microsoft.Compute/EncryptionAtHost", "Pending");
            return get(path);
        };
        await expect(
            ensureRegistered(arm, { subscriptionId: "s", providers: [], features: [{ namespace: "Microsoft.Compute", feature: "EncryptionAtHost" }] }, polling),
        ).rejects.toThrow("az feature register --namespace Microsoft.Compute --name EncryptionAtHost");
    });

    it("registers every namespace at once rather than one after another", async () => {
        const { arm, calls } = fakeArm({});
        await ensureRegistered(arm, { subscriptionId: "s", providers: ["Microsoft.Insights", "Microsoft.Logic", "Microsoft.Network"], features: [] }, polling);
        // All three registrations are asked for before the first poll of any of them.
        const firstPoll = calls.findIndex((c, i) => c.startsWith("GET") && calls.slice(0, i).some((p) => p.startsWith("POST")));
        expect(calls.slice(0, firstPoll).filter((c) => c.startsWith("POST"))).toHaveLength(3);
    });

    it("needs EncryptionAtHost everywhere and NFS encryption in transit only in its preview regions", () => {
        expect(featuresFor("eastus").map((f) => f.feature)).toEqual(["EncryptionAtHost"]);
        expect(featuresFor("eastus2").map((f) => f.feature)).toEqual(["EncryptionAtHost", "AllowEncryptionInTransitNFS4"]);
        expect(manualCommands("eastus")).toContain("az feature register --namespace Microsoft.Compute --name EncryptionAtHost");
        expect(manualCommands("eastus")).toContain("az provider register --namespace Microsoft.Insights --wait");
    });
});

describe("an Azure stack on a fresh subscription", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.azure })).ok();
    }, 60_000);
    const registration = () => g.one("pulumi-nodejs:dynamic:Resource");

    it("registers every namespace its resource types live in, and the features its settings need", () => {
        const used = new Set(g.resources.map((r) => namespaceOf(r.type)).filter((ns): ns is string => !!ns));
        const registered = new Set([...registration().inputs.providers, "Microsoft.Authorization", "Microsoft.Features", "Microsoft.Resources"]);
        for (const ns of used) expect(registered.has(ns), ns).toBe(true);
        expect(registration().inputs.providers).toEqual(stackProviders);
        expect(registration().inputs.features).toEqual([{ namespace: "Microsoft.Compute", feature: "EncryptionAtHost" }]);
        expect(registration().secretPaths).toContain("token");
    });

    it("orders the stack after the registration: its resource group waits for it", () => {
        const group = g.one("azure-native:resources:ResourceGroup");
        expect(group.dependsOn).toContain(registration().key);
        // The one Azure resource outside that group: the subscription-scope Network Watcher deployment.
        expect(g.one("azure-native:resources:DeploymentAtSubscriptionScope").dependsOn).toContain(registration().key);
        // Every Azure resource is in that group or hangs off one that is (or is the subscription-scope export).
        const inGroup = (r: { inputs: any }) => r.inputs.resourceGroupName === group.outputs.name;
        const scale = g.one("azure-native:compute:VirtualMachineScaleSet");
        expect(inGroup(scale)).toBe(true);
        expect(scale.inputs.virtualMachineProfile.securityProfile.encryptionAtHost).toBe(true);
    });

    it("ships a provider the engine's dynamic-provider host can load and run", async () => {
        // The host loads the closure Pulumi serialized from the provider object exactly this way:
        // `requireFromString(props.__provider).handler()` (@pulumi/pulumi cmd/dynamic-provider/index.js,
        // getProvider). A closure that captured something unserializable or a module-level name it
        // cannot reach fails here, as it would at `pulumi up`, not under the mocks.
        // require-from-string is @pulumi/pulumi's own dependency (no types of its own).
        const requireFromString = createRequire(__filename)("require-from-string") as (code: string) => { handler(): any };
        const provider = requireFromString(registration().inputs.__provider).handler();
        const spec = { subscriptionId: "s", providers: ["Microsoft.Insights"], features: [] };
        expect(await provider.diff("id", { ...spec, token: "old" }, { ...spec, token: "new" })).toEqual({ changes: false });
        expect(await provider.diff("id", { ...spec, token: "t" }, { ...spec, providers: ["Microsoft.Logic"], token: "t" })).toEqual({ changes: true });
        // create() talks ARM with the deployer's token through the global fetch: an ARM stand-in
        // that answers "Registered" (the GET contract above) for a subscription that is ready.
        const seen: string[] = [];
        const realFetch = globalThis.fetch;
        globalThis.fetch = (async (url: string, init: { method: string; headers: Record<string, string> }) => {
            seen.push(`${init.method} ${url.split("?")[0]} ${init.headers.Authorization}`);
            return new Response(JSON.stringify({ registrationState: "Registered" }), { status: 200 });
        }) as typeof fetch;
        try {
            const created = await provider.create({ ...spec, token: "deployer-token" });
            expect(created.outs).toEqual(spec);
        } finally {
            globalThis.fetch = realFetch;
        }
        expect(seen).toEqual(["GET https://management.azure.com/subscriptions/s/providers/Microsoft.Insights Bearer deployer-token"]);
    });
});
