import * as pulumi from "@pulumi/pulumi";
import type { CpuArch } from "../config";
import { armClient, type Arm } from "./armRest";
import { deployerArmAccess } from "./subscriptionRegistration";

/**
 * One entry of Microsoft.Compute's Resource SKUs list, as far as the preflight reads it
 * (Azure/azure-rest-api-specs specification/compute/resource-manager/Microsoft.Compute/Skus/
 * stable/2021-07-01/skus.json at 3e2e7cb: ResourceSku l.136-232, ResourceSkuCapabilities
 * l.233-249, ResourceSkuLocationInfo l.313-355, ResourceSkuRestrictionInfo l.356-377,
 * ResourceSkuRestrictions l.378-406, reasonCode QuotaId | NotAvailableForSubscription l.407-418,
 * type Location | Zone l.419-430). Every field is read-only and may be absent.
 */
export interface ResourceSku {
    resourceType?: string;
    name?: string;
    locationInfo?: Array<{ location?: string; zones?: string[] }>;
    capabilities?: Array<{ name?: string; value?: string }>;
    restrictions?: Array<{ type?: string; values?: string[]; restrictionInfo?: { locations?: string[]; zones?: string[] }; reasonCode?: string }>;
}

/** What the web servers' scale set asks of its size (src/azure/webServers.ts). */
export interface SizeWanted {
    size: string;
    region: string;
    /** The stack's logical zones, which the scale set spreads over. */
    zones: string[];
    cpuArch: CpuArch;
}

/** CpuArchitectureType per emr:cpuArch: "x64" or "Arm64" (azure-compute-docs trusted-launch-faq.md, "How can I find VM sizes that support Trusted Launch?" and the image `architecture` values). */
const skuArch: Record<CpuArch, string> = { arm64: "Arm64", x86_64: "x64" };

const same = (a: string | undefined, b: string) => (a ?? "").toLowerCase() === b.toLowerCase();
const list = (values: string[]) => [...values].sort().join(", ");

/**
 * What the size lacks for the scale set, in words ([] when nothing). `skus` is the region's list
 * (GET .../providers/Microsoft.Compute/skus?$filter=location eq '<region>'). Each check is
 * what Azure would refuse at the scale set's creation, deep into the first `pulumi up`:
 * - the size is not in the region's list, or is restricted there or in one of the stack's zones:
 *   "The restrictions because of which SKU cannot be used" (skus.json l.222-231), either reason
 *   code; a Location restriction names the region in restrictionInfo.locations, a Zone one the
 *   zones in restrictionInfo.zones (Azure/azure-cli src/azure-cli/azure/cli/command_modules/vm/
 *   _vm_utils.py is_sku_available reads them the same way);
 * - locationInfo[].zones (the zones "where the SKU is supported", l.313-355) lacks a stack zone;
 * - encryption at host: capability EncryptionAtHostSupported must be "True" (MicrosoftDocs
 *   azure-docs virtual-machines/linux/disks-enable-host-based-encryption-cli.md, "Finding
 *   supported VM sizes", selects sizes by EncryptionAtHostSupported == 'True'; absent = unsupported);
 * - Trusted Launch: "Output that includes `TrustedLaunchDisabled True` indicates that the
 *   Generation 2 VM size doesn't support Trusted Launch", and it needs a Generation 2 size
 *   (HyperVGenerations lists V2) (azure-compute-docs trusted-launch-faq.md, ms.date 2025-08-05);
 * - CpuArchitectureType ("x64" / "Arm64", same page's sample) must match emr:cpuArch, or the
 *   image of the other architecture does not boot. Where a size reports no architecture the check
 *   is skipped, as openshift/installer does (pkg/asset/installconfig/azure/validation.go
 *   validateVMArchitecture: "Could not determine VM's architecture ... Assuming it is").
 */
export function sizeProblems(skus: ResourceSku[], want: SizeWanted): string[] {
    const sku = skus.find((s) => same(s.resourceType, "virtualMachines") && same(s.name, want.size));
    if (!sku) return [`is not offered in ${want.region}`];
    const problems: string[] = [];
    for (const r of sku.restrictions ?? []) {
        const reason = r.reasonCode ?? "no reason given";
        // A Location restriction names its regions in restrictionInfo.locations and values (l.378-406); the list is this region's.
        const regions = [...(r.restrictionInfo?.locations ?? []), ...(r.values ?? [])];
        if (same(r.type, "Location") && (!regions.length || regions.some((l) => same(l, want.region)))) {
            problems.push(`is restricted for this subscription in ${want.region} (${reason})`);
        } else if (same(r.type, "Zone")) {
            const zones = want.zones.filter((z) => (r.restrictionInfo?.zones ?? []).includes(z));
            if (zones.length) problems.push(`is restricted for this subscription in zone${zones.length > 1 ? "s" : ""} ${list(zones)} (${reason})`);
        }
    }
    const offered = (sku.locationInfo ?? []).filter((l) => same(l.location, want.region)).flatMap((l) => l.zones ?? []);
    const missing = want.zones.filter((z) => !offered.includes(z));
    if (missing.length) problems.push(`is not offered in zone${missing.length > 1 ? "s" : ""} ${list(missing)} (offered in: ${offered.length ? list(offered) : "none"})`);

    const capability = (name: string) => sku.capabilities?.find((c) => same(c.name, name))?.value;
    const encryption = capability("EncryptionAtHostSupported");
    if (!same(encryption, "True")) problems.push(`has no encryption at host (EncryptionAtHostSupported ${encryption ?? "absent"})`);
    if (same(capability("TrustedLaunchDisabled"), "True")) problems.push("has no Trusted Launch (TrustedLaunchDisabled True)");
    const generations = capability("HyperVGenerations");
    if (!(generations ?? "").split(",").some((g) => same(g.trim(), "V2"))) problems.push(`is not Generation 2, which Trusted Launch needs (HyperVGenerations ${generations ?? "absent"})`);
    const arch = capability("CpuArchitectureType");
    if (arch !== undefined && !same(arch, skuArch[want.cpuArch])) problems.push(`is ${arch}, but emr:cpuArch is ${want.cpuArch}`);
    return problems;
}

/** The one line a failed preflight stops the deployment with: the size, the region, what is missing, the fix. */
export function preflightError(want: SizeWanted, problems: string[]): string {
    const fixes = [`emr:webInstanceType to a size that has ${problems.length > 1 ? "them" : "it"}`];
    const wrongArch = problems.some((p) => p.includes("emr:cpuArch"));
    const other: CpuArch = want.cpuArch === "arm64" ? "x86_64" : "arm64";
    if (wrongArch || want.cpuArch === "arm64") fixes.unshift(`emr:cpuArch ${other}`);
    if (problems.some((p) => p.includes("not offered") || p.includes("restricted"))) fixes.push("azure-native:location to a region that offers it");
    const restricted = problems.some((p) => p.includes("restricted"));
    return (
        `web servers: ${want.size} (emr:webInstanceType) cannot run the scale set in ${want.region}: it ${problems.join("; it ")}. ` +
        `Set ${fixes.join(", or ")}` +
        // "submit a SKU request to Azure Support" (azure-resource-manager troubleshooting/error-sku-not-available.md).
        (restricted ? "; or ask Azure Support to lift the restriction (a SKU request)" : "") +
        `. What the size offers here: az vm list-skus -l ${want.region} --size ${want.size} --all -o json`
    );
}

/** Every page of the region's SKU list: the response is pageable through nextLink (skus.json l.112-114, l.456-477). */
export async function regionSkus(arm: Arm, subscriptionId: string, region: string): Promise<ResourceSku[]> {
    const skus: ResourceSku[] = [];
    // "Only **location** filter is supported currently" (skus.json l.63-68).
    let path: string | undefined = `/subscriptions/${subscriptionId}/providers/Microsoft.Compute/skus?api-version=2021-07-01&$filter=${encodeURIComponent(`location eq '${region}'`)}`;
    while (path) {
        const page: { value?: ResourceSku[]; nextLink?: string | null } = await arm.get(path);
        if (!Array.isArray(page.value)) throw new Error(`GET ${path.split("?")[0]}: no SKU list in the answer (${JSON.stringify(page).slice(0, 200)})`);
        skus.push(...page.value);
        // The token goes to ARM only: a next page elsewhere is refused.
        const next: URL | undefined = page.nextLink ? new URL(page.nextLink) : undefined;
        if (next && next.origin !== "https://management.azure.com") throw new Error(`refusing a SKU page outside ARM: ${next.origin}`);
        path = next ? next.pathname + next.search : undefined;
    }
    return skus;
}

interface PreflightInputs extends SizeWanted {
    subscriptionId: string;
    token: string;
}

async function preflight(inputs: PreflightInputs): Promise<{ outs: Omit<PreflightInputs, "token"> }> {
    const { token, ...outs } = inputs;
    const problems = sizeProblems(await regionSkus(armClient(token), inputs.subscriptionId, inputs.region), inputs);
    if (problems.length) throw new Error(preflightError(inputs, problems));
    return { outs };
}

const checked = (i: PreflightInputs) => JSON.stringify([i.subscriptionId, i.region, i.size, [...i.zones].sort(), i.cpuArch]);

/**
 * The dynamic provider: the check runs when the resource is created and whenever what it checks
 * changes (size, region, zones, architecture, subscription); the token is not part of the diff.
 * Not in `check` (which previews also run): a size restricted later must not block every
 * unrelated update of a running stack. Deleting it deletes nothing in Azure.
 */
const sizePreflight: pulumi.dynamic.ResourceProvider = {
    async create(inputs: PreflightInputs) {
        const { outs } = await preflight(inputs);
        return { id: `/subscriptions/${inputs.subscriptionId}/providers/Microsoft.Compute/locations/${inputs.region}/vmSizes/${inputs.size}`, outs };
    },
    async diff(_id: string, olds: PreflightInputs, news: PreflightInputs) {
        return { changes: checked(olds) !== checked(news) };
    },
    async update(_id: string, _olds: PreflightInputs, news: PreflightInputs) {
        return preflight(news);
    },
    async delete() {
        // Nothing to delete: the preflight only reads.
    },
};

class SkuPreflight extends pulumi.dynamic.Resource {
    constructor(name: string, args: { [K in keyof PreflightInputs]: pulumi.Input<PreflightInputs[K]> }, opts?: pulumi.CustomResourceOptions) {
        // Its own type (pulumi-nodejs:dynamic:SkuPreflight, @pulumi/pulumi sdk/nodejs/dynamic/index.ts:311), told apart from the registrar's.
        super(sizePreflight, name, args, opts, undefined, "SkuPreflight");
    }
}

/**
 * Checks, before the scale set is created, that the subscription may run `size` in the stack's
 * region and zones with what the scale set sets (encryption at host, Trusted Launch, the image's
 * architecture). The scale set depends on it; it depends only on the subscription registration
 * (the SKU list is Microsoft.Compute's), so it runs at the start of the deployment, and a failure
 * stops it there: the engine starts no further step after a failed one (pulumi/pulumi
 * pkg/resource/deploy/step_executor.go cancelDueToError, v3.248.0 l.432-459).
 */
export function skuPreflight(
    name: string,
    args: { size: string; zones: pulumi.Input<string[]>; cpuArch: CpuArch; subscriptionReady: pulumi.Resource },
    parent: pulumi.Resource,
): pulumi.Resource {
    return new SkuPreflight(
        name,
        {
            ...deployerArmAccess(parent),
            // The key config validates (src/config/validate.ts) and the provider reads.
            region: new pulumi.Config("azure-native").require("location"),
            size: args.size,
            zones: args.zones,
            cpuArch: args.cpuArch,
        },
        { parent, dependsOn: [args.subscriptionReady] },
    );
}
