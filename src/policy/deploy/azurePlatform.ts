import { namespaceOf, registeredByDefault, subscriptionFeatures, type FeatureRequirement } from "../../azure/platformRequirements";
import type { PlannedResource } from "../../plan/capture";
import type { Graph } from "../../plan/graph";
import { at } from "../inputs";
import { createdBefore } from "../order";
import type { StackRule, Violation } from "../types";

const featureRegistration = "azure-native:features:SubscriptionFeatureRegistration";
const isDynamic = (r: PlannedResource | undefined) => !!r?.type.startsWith("pulumi-nodejs:dynamic");

/**
 * Which resources need each subscription feature of src/azure/platformRequirements.ts, made
 * checkable against the graph (that table says it in words: `requiredBy`).
 */
export const needsFeature: Record<string, (graph: Graph, resource: PlannedResource, feature: FeatureRequirement) => boolean> = {
    "Microsoft.Compute/EncryptionAtHost": (_, r) =>
        (r.type === "azure-native:compute:VirtualMachineScaleSet" && at(r.inputs, "virtualMachineProfile.securityProfile.encryptionAtHost") === true) ||
        (r.type === "azure-native:compute:VirtualMachine" && at(r.inputs, "securityProfile.encryptionAtHost") === true),
    // An NFS share mounted with TLS needs secure transfer on its account, which is the default.
    "Microsoft.Storage/AllowEncryptionInTransitNFS4": (graph, r, feature) => {
        if (r.type !== "azure-native:storage:FileShare" || r.inputs.enabledProtocols !== "NFS") return false;
        const account = graph.ofType("azure-native:storage:StorageAccount").find((a) => a.outputs.name === r.inputs.accountName);
        const region = String(account?.outputs.location ?? "").toLowerCase();
        return account?.inputs.enableHttpsTrafficOnly !== false && (!feature.regions || feature.regions.includes(region));
    },
};

/**
 * Whether `r` registers a feature: azure-native's SubscriptionFeatureRegistration, or a dynamic
 * resource (type `pulumi-nodejs:dynamic[/module]:<type>`, @pulumi/pulumi 3.248.0
 * sdk/nodejs/dynamic/index.ts:311) whose `features` list names it, as the stack's registrar
 * (src/azure/subscriptionRegistration.ts) takes it: it registers, then waits for "Registered".
 */
const registersFeature = (r: PlannedResource | undefined, f: FeatureRequirement) =>
    (r?.type === featureRegistration && r.inputs.providerNamespace === f.namespace && r.inputs.featureName === f.feature) ||
    (isDynamic(r) && ((r!.inputs.features as any[]) ?? []).some((x) => x.namespace === f.namespace && x.feature === f.feature));

export const featureRegisteredRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AZ-SUBSCRIPTION-FEATURE-REGISTERED",
    title: "A resource whose settings need a subscription feature is created after something registers that feature",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // "You must enable the feature for your subscription before you can use encryption at host"
        "MicrosoftDocs/azure-compute-docs:articles/virtual-machines/disks-enable-host-based-encryption-portal.md",
        // "You must register your subscription ... in the preview regions. No registration is needed in the GA regions."
        "MicrosoftDocs/azure-docs:articles/storage/files/encryption-in-transit-for-nfs-shares.md",
        "src/azure/platformRequirements.ts (subscriptionFeatures: one row per feature, with its source)",
    ],
    appliesTo: ["azure-native:compute:VirtualMachineScaleSet", "azure-native:compute:VirtualMachine", "azure-native:storage:FileShare"],
    check(graph): Violation[] {
        return subscriptionFeatures.flatMap((feature) => {
            const needs = needsFeature[`${feature.namespace}/${feature.feature}`];
            return graph.resources
                .filter((r) => needs?.(graph, r, feature))
                .filter((r) => ![...createdBefore(graph, r)].some((key) => registersFeature(graph.byKey(key), feature)))
                .map((r) => ({
                    resourceKey: r.key,
                    reason:
                        `needs the subscription feature ${feature.namespace}/${feature.feature} (${feature.requiredBy}), but waits for nothing ` +
                        `that registers it (${featureRegistration}, or a registrar listing it): on a subscription without it, Azure refuses the create.`,
                }));
        });
    },
};

/** Whether `r` registers a resource provider namespace: a dynamic registrar whose `providers` list names it. */
const registersProvider = (r: PlannedResource | undefined, namespace: string) => isDynamic(r) && ((r!.inputs.providers as string[]) ?? []).includes(namespace);

export const providerRegisteredRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AZ-PROVIDER-REGISTERED",
    title: "Every Azure resource is created after its resource provider is registered in the subscription, unless Azure registers it by default",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // Diagnostic settings on a fresh subscription: "The subscription ... is not registered to use microsoft.insights",
        // answered as Conflict, which azure-native's automatic registration (on 409 MissingSubscriptionRegistration) ignores.
        "https://github.com/pulumi/pulumi-azure-native/issues/3479",
        // "You need to register those resource providers manually" (resources a template needs but does not declare).
        "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-providers-and-types",
        "src/azure/platformRequirements.ts (moduleNamespaces, registeredByDefault)",
    ],
    appliesTo: ["azure-native:*"],
    check(graph): Violation[] {
        return graph.resources
            .filter((r) => r.custom && r.type.startsWith("azure-native:"))
            .flatMap((r) => {
                const namespace = namespaceOf(r.type);
                if (!namespace) {
                    return [{ resourceKey: r.key, reason: `its module "${r.type.split(":")[1]}" has no resource provider namespace in src/azure/platformRequirements.ts moduleNamespaces, so nothing registers it` }];
                }
                if (registeredByDefault.includes(namespace)) return [];
                if ([...createdBefore(graph, r)].some((key) => registersProvider(graph.byKey(key), namespace))) return [];
                return [{ resourceKey: r.key, reason: `is created in ${namespace}, but waits for nothing that registers that resource provider: on a fresh subscription the create can fail unregistered` }];
            });
    },
};
