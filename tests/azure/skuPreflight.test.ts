import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import type { Arm } from "../../src/azure/armRest";
import { preflightError, regionSkus, sizeProblems, type ResourceSku, type SizeWanted } from "../../src/azure/skuPreflight";
import { baseConfig, runStack, type Graph } from "../harness";

/**
 * The body of Microsoft's example answer to GET .../providers/Microsoft.Compute/skus?$filter=location
 * eq 'westus' (Azure/azure-rest-api-specs specification/compute/resource-manager/Microsoft.Compute/
 * Skus/stable/2021-07-01/examples/skus/ListAvailableResourceSkusForARegion.json, commit dd68c54),
 * verbatim: two old V1-only sizes with no restriction and neither EncryptionAtHostSupported nor
 * CpuArchitectureType.
 */
const exampleCapabilities = (resourceVolumeMb: string, memoryGb: string, dataDisks: string, lowPriority: string, acus: string) =>
    [
        ["MaxResourceVolumeMB", resourceVolumeMb],
        ["OSVhdSizeMB", "1047552"],
        ["vCPUs", "1"],
        ["HyperVGenerations", "V1"],
        ["MemoryGB", memoryGb],
        ["MaxDataDiskCount", dataDisks],
        ["LowPriorityCapable", lowPriority],
        ["PremiumIO", "False"],
        ["vCPUsAvailable", "1"],
        ["ACUs", acus],
        ["vCPUsPerCore", "1"],
        ["EphemeralOSDiskSupported", "False"],
        ["AcceleratedNetworkingEnabled", "False"],
        ["RdmaEnabled", "False"],
        ["MaxNetworkInterfaces", "2"],
    ].map(([name, value]) => ({ name, value }));
const exampleRegionAnswer = {
    value: [
        {
            resourceType: "virtualMachines",
            locations: ["westus"],
            capabilities: exampleCapabilities("20480", "0.75", "1", "False", "50"),
            locationInfo: [{ location: "westus", zones: ["2", "1"], zoneDetails: [{ name: ["2"], capabilities: [{ name: "UltraSSDAvailable", value: "True" }] }] }],
            name: "Standard_A0",
            tier: "Standard",
            size: "A0",
            family: "standardA0_A7Family",
        },
        {
            resourceType: "virtualMachines",
            locations: ["westus"],
            capabilities: exampleCapabilities("71680", "1.75", "2", "True", "100"),
            locationInfo: [{ location: "westus", zones: ["1", "2", "3"] }],
            name: "Standard_A1",
            tier: "Standard",
            size: "A1",
            family: "standardA0_A7Family",
        },
    ],
    nextLink: null,
};

/**
 * The web servers' default size as the same API describes it: the example's shape, with the
 * capabilities the preflight reads named and valued as Microsoft's own sample output of
 * `az vm list-skus` shows them (azure-compute-docs trusted-launch-faq.md, ms.date 2025-08-05:
 * "HyperVGenerations V1,V2", "CpuArchitectureType x64", "EncryptionAtHostSupported True",
 * "TrustedLaunchDisabled True"), here with Arm64 (Cobalt 100: Gen2 only, dpsv6-series.md).
 * `restrictions` follows the spec's ResourceSkuRestrictions (skus.json l.378-430); no example
 * of the spec carries one.
 */
function d2psV6(change: Partial<ResourceSku> & { capability?: Record<string, string | undefined> } = {}): ResourceSku {
    const capabilities: Record<string, string | undefined> = { vCPUs: "2", MemoryGB: "8", HyperVGenerations: "V2", CpuArchitectureType: "Arm64", EncryptionAtHostSupported: "True", PremiumIO: "True", ...change.capability };
    const { capability: _c, ...rest } = change;
    return {
        resourceType: "virtualMachines",
        name: "Standard_D2ps_v6",
        locationInfo: [{ location: "eastus", zones: ["1", "2", "3"] }],
        capabilities: Object.entries(capabilities).filter(([, v]) => v !== undefined).map(([name, value]) => ({ name, value })),
        restrictions: [],
        ...rest,
    };
}
const want: SizeWanted = { size: "Standard_D2ps_v6", region: "eastus", zones: ["1", "2", "3"], cpuArch: "arm64" };

describe("the web servers' size preflight", () => {
    it("passes a size the region offers in every zone with encryption at host, Trusted Launch and the servers' architecture", () => {
        expect(sizeProblems([...exampleRegionAnswer.value, d2psV6()], want)).toEqual([]);
    });

    it("reads Microsoft's example answer as Azure would refuse it: V1-only sizes without encryption at host, one missing zone 3", () => {
        const a1: SizeWanted = { size: "Standard_A1", region: "westus", zones: ["1", "2", "3"], cpuArch: "x86_64" };
        expect(sizeProblems(exampleRegionAnswer.value, a1)).toEqual([
            "has no encryption at host (EncryptionAtHostSupported absent)",
            "is not Generation 2, which Trusted Launch needs (HyperVGenerations V1)",
        ]);
        expect(sizeProblems(exampleRegionAnswer.value, { ...a1, size: "Standard_A0" })).toContain("is not offered in zone 3 (offered in: 1, 2)");
        // Two zones that the example does offer A0 in: no zone problem.
        expect(sizeProblems(exampleRegionAnswer.value, { ...a1, size: "Standard_A0", zones: ["1", "2"] }).filter((p) => p.includes("zone"))).toEqual([]);
    });

    it("fails a size the region does not offer (another resource type of the same name does not count)", () => {
        expect(sizeProblems(exampleRegionAnswer.value, want)).toEqual(["is not offered in eastus"]);
        expect(sizeProblems([d2psV6({ resourceType: "disks" })], want)).toEqual(["is not offered in eastus"]);
    });

    it("fails a size restricted for the subscription in the region, with the reason code", () => {
        const region = { type: "Location", values: ["eastus"], restrictionInfo: { locations: ["eastus"] }, reasonCode: "NotAvailableForSubscription" };
        expect(sizeProblems([d2psV6({ restrictions: [region] })], want)).toEqual(["is restricted for this subscription in eastus (NotAvailableForSubscription)"]);
        expect(sizeProblems([d2psV6({ restrictions: [{ ...region, reasonCode: "QuotaId" }] })], want)).toEqual(["is restricted for this subscription in eastus (QuotaId)"]);
    });

    it("fails a size restricted in one of the stack's zones, naming them; a restriction in a zone the stack does not use passes", () => {
        const zone3 = { type: "Zone", values: ["eastus"], restrictionInfo: { locations: ["eastus"], zones: ["3"] }, reasonCode: "NotAvailableForSubscription" };
        expect(sizeProblems([d2psV6({ restrictions: [zone3] })], want)).toEqual(["is restricted for this subscription in zone 3 (NotAvailableForSubscription)"]);
        expect(sizeProblems([d2psV6({ restrictions: [{ ...zone3, restrictionInfo: { locations: ["eastus"], zones: ["3", "1"] } }] })], want)).toEqual([
            "is restricted for this subscription in zones 1, 3 (NotAvailableForSubscription)",
        ]);
        expect(sizeProblems([d2psV6({ restrictions: [zone3] })], { ...want, zones: ["1", "2"] })).toEqual([]);
    });

    it("fails a size whose locationInfo lacks one of the stack's zones", () => {
        expect(sizeProblems([d2psV6({ locationInfo: [{ location: "eastus", zones: ["1", "2"] }] })], want)).toEqual(["is not offered in zone 3 (offered in: 1, 2)"]);
        expect(sizeProblems([d2psV6({ locationInfo: [{ location: "eastus" }] })], want)).toEqual(["is not offered in zones 1, 2, 3 (offered in: none)"]);
    });

    it("fails a size without encryption at host", () => {
        expect(sizeProblems([d2psV6({ capability: { EncryptionAtHostSupported: "False" } })], want)).toEqual(["has no encryption at host (EncryptionAtHostSupported False)"]);
        expect(sizeProblems([d2psV6({ capability: { EncryptionAtHostSupported: undefined } })], want)).toEqual(["has no encryption at host (EncryptionAtHostSupported absent)"]);
    });

    it("fails a size without Trusted Launch or Generation 2", () => {
        expect(sizeProblems([d2psV6({ capability: { TrustedLaunchDisabled: "True" } })], want)).toEqual(["has no Trusted Launch (TrustedLaunchDisabled True)"]);
        expect(sizeProblems([d2psV6({ capability: { TrustedLaunchDisabled: "False" } })], want)).toEqual([]);
        expect(sizeProblems([d2psV6({ capability: { HyperVGenerations: "V1" } })], want)).toEqual(["is not Generation 2, which Trusted Launch needs (HyperVGenerations V1)"]);
        expect(sizeProblems([d2psV6({ capability: { HyperVGenerations: "V1,V2" } })], want)).toEqual([]);
    });

    it("fails a size of the other architecture than emr:cpuArch", () => {
        expect(sizeProblems([d2psV6()], { ...want, cpuArch: "x86_64" })).toEqual(["is Arm64, but emr:cpuArch is x86_64"]);
        expect(sizeProblems([d2psV6({ capability: { CpuArchitectureType: "x64" } })], want)).toEqual(["is x64, but emr:cpuArch is arm64"]);
    });

    it("says it in one line: the size, the region, what is missing, the fix and the command to look", () => {
        const line = preflightError(want, sizeProblems([d2psV6({ capability: { EncryptionAtHostSupported: "False" } })], want));
        expect(line).not.toContain("\n");
        expect(line).toBe(
            "web servers: Standard_D2ps_v6 (emr:webInstanceType) cannot run the scale set in eastus: it has no encryption at host (EncryptionAtHostSupported False). " +
                "Set emr:cpuArch x86_64, or emr:webInstanceType to a size that has it. What the size offers here: az vm list-skus -l eastus --size Standard_D2ps_v6 --all -o json",
        );
        const restricted = preflightError(want, ["is restricted for this subscription in zone 3 (NotAvailableForSubscription)"]);
        expect(restricted).toContain("azure-native:location to a region that offers it");
        expect(restricted).toContain("ask Azure Support to lift the restriction");
        const x64 = preflightError({ ...want, cpuArch: "x86_64" }, ["is Arm64, but emr:cpuArch is x86_64"]);
        expect(x64).toContain("Set emr:cpuArch arm64, or emr:webInstanceType");
    });

    it("reads every page of the region's list from the Resource SKUs API, and sends the token to ARM only", async () => {
        const asked: string[] = [];
        const pages: Record<string, unknown> = {
            first: { value: exampleRegionAnswer.value, nextLink: "https://management.azure.com/subscriptions/s/providers/Microsoft.Compute/skus?api-version=2021-07-01&$skiptoken=2" },
            second: { value: [d2psV6()], nextLink: null },
        };
        const arm: Arm = {
            get: async (path) => (asked.push(path), path.includes("skiptoken") ? pages.second : pages.first),
            post: async () => expect.unreachable("the preflight only reads"),
        };
        const skus = await regionSkus(arm, "s", "eastus");
        expect(skus.map((s) => s.name)).toEqual(["Standard_A0", "Standard_A1", "Standard_D2ps_v6"]);
        expect(asked[0]).toBe("/subscriptions/s/providers/Microsoft.Compute/skus?api-version=2021-07-01&$filter=location%20eq%20'eastus'");
        expect(asked[1]).toBe("/subscriptions/s/providers/Microsoft.Compute/skus?api-version=2021-07-01&$skiptoken=2");
        pages.second = { value: [], nextLink: "https://example.org/steal?token" };
        await expect(regionSkus(arm, "s", "eastus")).rejects.toThrow("refusing a SKU page outside ARM");
    });
});

describe("an Azure stack's web servers", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.azure })).ok();
    }, 60_000);
    const preflight = () => g.one("pulumi-nodejs:dynamic:SkuPreflight");

    it("are created only after their size passed the preflight, which waits for nothing but the subscription registration", () => {
        const scaleSet = g.one("azure-native:compute:VirtualMachineScaleSet");
        expect(scaleSet.dependsOn).toContain(preflight().key);
        expect(preflight().dependsOn).toEqual([g.one("pulumi-nodejs:dynamic:Resource").key]);
        // It checks the scale set's own size and zones, and the architecture its image follows.
        expect(preflight().inputs).toMatchObject({ size: scaleSet.inputs.sku.name, zones: scaleSet.inputs.zones, region: "eastus", cpuArch: "arm64" });
        expect(preflight().secretPaths).toContain("token");
    });

    it("ship a preflight the engine's dynamic-provider host can load and run, carrying no module with it", async () => {
        // Loaded as the host loads it: requireFromString(__provider).handler() (@pulumi/pulumi
        // cmd/dynamic-provider/index.js getProvider); see subscriptionRegistration.test.ts.
        // Pulumi emits require() for a captured package and inlines a local module's captured
        // functions (runtime/closure/createClosure.ts captureModuleAsync): only our own code, no SDK.
        const serialized: string = preflight().inputs.__provider;
        expect(serialized).not.toMatch(/require\(|@pulumi\//);
        const requireFromString = createRequire(__filename)("require-from-string") as (code: string) => { handler(): any };
        const provider = requireFromString(serialized).handler();
        const inputs = { subscriptionId: "s", region: "eastus", size: "Standard_D2ps_v6", zones: ["1", "2"], cpuArch: "arm64" };
        expect(await provider.diff("id", { ...inputs, token: "old" }, { ...inputs, token: "new" })).toEqual({ changes: false });
        expect(await provider.diff("id", { ...inputs, token: "t" }, { ...inputs, size: "Standard_D4ps_v6", token: "t" })).toEqual({ changes: true });

        // ARM answering with the region's list (the shape above), through the global fetch.
        const realFetch = globalThis.fetch;
        let answer: ResourceSku[] = [d2psV6()];
        const seen: string[] = [];
        globalThis.fetch = (async (url: string, init: { headers: Record<string, string> }) => {
            seen.push(`${url.split("?")[0]} ${init.headers.Authorization}`);
            return new Response(JSON.stringify({ value: answer, nextLink: null }), { status: 200 });
        }) as typeof fetch;
        try {
            const created = await provider.create({ ...inputs, token: "deployer-token" });
            expect(created.outs).toEqual(inputs);
            answer = [d2psV6({ capability: { EncryptionAtHostSupported: "False" } })];
            await expect(provider.create({ ...inputs, token: "deployer-token" })).rejects.toThrow(
                /^web servers: Standard_D2ps_v6 \(emr:webInstanceType\) cannot run the scale set in eastus: it has no encryption at host/,
            );
        } finally {
            globalThis.fetch = realFetch;
        }
        expect(seen[0]).toBe("https://management.azure.com/subscriptions/s/providers/Microsoft.Compute/skus Bearer deployer-token");
    });
});
