import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { armClient, type Arm } from "./armRest";
import { featuresFor, stackProviders } from "./platformRequirements";

/** What to register: resource providers and subscription features. */
export interface RegistrationSpec {
    subscriptionId: string;
    providers: string[];
    features: Array<{ namespace: string; feature: string }>;
}


export interface Polling {
    intervalMs: number;
    timeoutMs: number;
    sleep(ms: number): Promise<void>;
}

/**
 * Registers every feature, then every provider, and waits until each is Registered. Idempotent:
 * what is already registered is left alone, so it runs the same on a fresh subscription and on a
 * shared one. The calls are the ones `az feature register` / `az provider register` make:
 * - feature: POST .../providers/Microsoft.Features/providers/{ns}/features/{name}/register
 *   (api 2021-07-01), then GET until properties.state is Registered; "Pending" means the feature
 *   needs manual approval (hashicorp/terraform-provider-azurerm internal/services/resource/
 *   resource_provider_feature_registration_resource.go does the same and treats Pending alike);
 * - provider: POST /subscriptions/{sub}/providers/{ns}/register, then GET until registrationState
 *   is Registered (azure-sdk-for-go sdk/azcore/arm/runtime/policy_register_rp.go).
 * A namespace whose feature was just registered is registered again: "the feature ... takes effect
 * once the resource provider is re-registered" (`az feature register` prints "Once the feature
 * 'X' is registered, invoking 'az provider register -n <ns>' is required to get the change
 * propagated"), hence features first.
 */
export async function ensureRegistered(arm: Arm, spec: RegistrationSpec, polling: Polling): Promise<void> {
    const sub = `/subscriptions/${spec.subscriptionId}`;
    const manual = (namespace: string, feature: string) =>
        new Error(`subscription feature ${namespace}/${feature} needs manual approval (state Pending); ask for it, then run: az feature register --namespace ${namespace} --name ${feature}`);
    // Every feature asked for at once, then waited for together (each registration takes minutes).
    const features = await Promise.all(
        spec.features.map(async ({ namespace, feature }) => {
            const path = `${sub}/providers/Microsoft.Features/providers/${namespace}/features/${feature}`;
            const stateOf = (body: any) => String(body?.properties?.state ?? "");
            if (stateOf(await arm.get(`${path}?api-version=2021-07-01`)) === "Registered") return undefined;
            if (stateOf(await arm.post(`${path}/register?api-version=2021-07-01`)) === "Pending") throw manual(namespace, feature);
            return { namespace, what: `feature ${namespace}/${feature}`, state: () => arm.get(`${path}?api-version=2021-07-01`).then(stateOf), refused: () => manual(namespace, feature) };
        }),
    );
    const pendingFeatures = features.filter((f): f is NonNullable<typeof f> => f !== undefined);
    await Promise.all(pendingFeatures.map((f) => waitFor(f.state, f.what, polling, f.refused)));
    const refresh = new Set(pendingFeatures.map((f) => f.namespace));
    // Then every provider, those whose feature was just registered again, likewise together.
    await Promise.all(
        [...new Set([...spec.providers, ...refresh])].map(async (namespace) => {
            const path = `${sub}/providers/${namespace}`;
            const stateOf = (body: any) => String(body?.registrationState ?? "");
            if (!refresh.has(namespace) && stateOf(await arm.get(`${path}?api-version=2021-04-01`)) === "Registered") return;
            await arm.post(`${path}/register?api-version=2021-04-01`);
            await waitFor(() => arm.get(`${path}?api-version=2021-04-01`).then(stateOf), `provider ${namespace}`, polling);
        }),
    );
}

/** Polls until Registered; a feature that turns Pending on the way needs a person (`refused`). */
async function waitFor(state: () => Promise<string>, what: string, polling: Polling, refused?: () => Error): Promise<void> {
    const deadline = Date.now() + polling.timeoutMs;
    let last = "";
    while (Date.now() <= deadline) {
        last = await state();
        if (last === "Registered") return;
        if (last === "Pending" && refused) throw refused();
        await polling.sleep(polling.intervalMs);
    }
    throw new Error(`${what} is still ${last || "not registered"} after ${polling.timeoutMs / 60_000} minutes; check it with az feature show / az provider show and run pulumi up again`);
}

interface RegistrationInputs extends RegistrationSpec {
    token: string;
}

const sameSpec = (a: RegistrationSpec, b: RegistrationSpec) =>
    JSON.stringify([a.subscriptionId, a.providers, a.features]) === JSON.stringify([b.subscriptionId, b.providers, b.features]);

/**
 * The dynamic provider. Registrations are subscription-wide and shared with every other workload
 * in the subscription, so deleting this resource never unregisters anything (and Azure refuses to
 * unregister a namespace that still has resources anyway). The ARM token changes on every run and
 * is not part of the diff; it is kept in the state only as a secret input.
 */
const registrar: pulumi.dynamic.ResourceProvider = {
    async create(inputs: RegistrationInputs) {
        await ensureRegistered(armClient(inputs.token), inputs, { intervalMs: 15_000, timeoutMs: 30 * 60_000, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
        const { token: _token, ...outs } = inputs;
        return { id: `/subscriptions/${inputs.subscriptionId}/registrations`, outs };
    },
    async diff(_id: string, olds: RegistrationInputs, news: RegistrationInputs) {
        return { changes: !sameSpec(olds, news) };
    },
    async update(_id: string, _olds: RegistrationInputs, news: RegistrationInputs) {
        await ensureRegistered(armClient(news.token), news, { intervalMs: 15_000, timeoutMs: 30 * 60_000, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
        const { token: _token, ...outs } = news;
        return { outs };
    },
    async delete() {
        // Never unregister: see above.
    },
};

class SubscriptionRegistration extends pulumi.dynamic.Resource {
    constructor(name: string, args: { [K in keyof RegistrationInputs]: pulumi.Input<RegistrationInputs[K]> }, opts?: pulumi.CustomResourceOptions) {
        super(registrar, name, args, opts);
    }
}

/**
 * The subscription's resource providers and features the stack needs (platformRequirements.ts),
 * registered before anything else: the network tier's resource group depends on it, and every
 * resource of the stack lives in that group or refers to something that does. azure-native has no
 * resource for this (its `features.SubscriptionFeatureRegistration` fails with "cannot create already
 * existing resource" where the feature is registered, provider/pkg/azure/client_azcore.go CanCreate,
 * and no provider-registration resource exists), hence a small dynamic resource. Without it, the
 * operator runs `manualCommands(region)` once per subscription.
 */
export function subscriptionRegistration(name: string, region: string, parent: pulumi.Resource): pulumi.Resource {
    return new SubscriptionRegistration(
        name,
        {
            // The deployer's own ARM token: registering needs */register/action, which Contributor and Owner hold.
            ...deployerArmAccess(parent),
            providers: stackProviders,
            features: featuresFor(region).map(({ namespace, feature }) => ({ namespace, feature })),
        },
        { parent },
    );
}

/**
 * The deploying principal's subscription and ARM token (what azure-native itself signs in with),
 * for a dynamic provider's calls. The token changes on every run: keep it out of diffs and give
 * it to the provider as a secret input, never in its outputs.
 */
export function deployerArmAccess(parent: pulumi.Resource): { subscriptionId: pulumi.Output<string>; token: pulumi.Output<string> } {
    return {
        subscriptionId: authorization.getClientConfigOutput({ parent }).subscriptionId,
        token: pulumi.secret(authorization.getClientTokenOutput({}, { parent }).token),
    };
}

