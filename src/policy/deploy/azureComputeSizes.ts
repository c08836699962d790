import { instanceArch } from "../../config/sizes";
import { at } from "../inputs";
import type { ResourceInput, ResourceRule } from "../types";

const scaleSet = "azure-native:compute:VirtualMachineScaleSet";
const virtualMachine = "azure-native:compute:VirtualMachine";

/** Microsoft's size naming: "p = ARM Cpu" among the additive features (azure-compute-docs vm-naming-conventions.md). */
const sizeName = /^Standard_([A-Z]+)(\d+)([a-z]*)_v(\d+)$/;

interface SizeParts {
    family: string;
    features: string;
    version: number;
}

function sizeParts(name: unknown): SizeParts | undefined {
    const m = typeof name === "string" ? sizeName.exec(name) : null;
    return m ? { family: m[1], features: m[3], version: Number(m[4]) } : undefined;
}

/** The size and image a scale set or VM declares. */
function machine(resource: ResourceInput): { size: unknown; profile: Record<string, any> } {
    return resource.type === scaleSet
        ? { size: at(resource.inputs, "sku.name"), profile: resource.inputs.virtualMachineProfile ?? {} }
        : { size: at(resource.inputs, "hardwareProfile.vmSize"), profile: resource.inputs };
}

/** Canonical's Ubuntu marketplace images name their Arm64 build with an "arm64" SKU ("server-arm64"). */
function canonicalImageArch(profile: Record<string, any>): "arm64" | "x64" | undefined {
    const image = at(profile, "storageProfile.imageReference") as Record<string, any> | undefined;
    if (String(image?.publisher).toLowerCase() !== "canonical" || typeof image?.sku !== "string") return undefined;
    return /arm64/i.test(image.sku) ? "arm64" : "x64";
}

export const imageArchRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AZ-VMSS-IMAGE-ARCH",
    title: "A machine boots an image built for its size's CPU architecture",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // Additive features: "p = ARM Cpu".
        "MicrosoftDocs/azure-compute-docs:articles/virtual-machines/vm-naming-conventions.md",
        // Canonical's Arm64 build of Ubuntu 24.04: ubuntu-24_04-lts / server-arm64 (x64: server).
        "Azure/azhpc-images (builtin_marketplace_base_image_details: aarch64 ubuntu 24.04 = Canonical ubuntu-24_04-lts server-arm64)",
    ],
    appliesTo: [scaleSet, virtualMachine],
    check(resource) {
        const { size, profile } = machine(resource);
        const parts = sizeParts(size);
        const imageArch = canonicalImageArch(profile);
        if (!parts || !imageArch) return [];
        const sizeArch = instanceArch("azure", String(size)) === "arm64" ? "arm64" : "x64";
        if (sizeArch === imageArch) return [];
        const sku = at(profile, "storageProfile.imageReference.sku");
        return [`size ${size} has ${sizeArch === "arm64" ? "an Arm64" : "an x64"} CPU but imageReference.sku "${sku}" is Canonical's ${imageArch} build: the machines do not boot.`];
    },
};

/**
 * Size families Trusted Launch does not support yet although they are Gen2: the Arm64 v5 series
 * (trusted-launch.md, "Currently not supported size families": Dpsv5, Dpdsv5, Dplsv5, Dpldsv5).
 */
function trustedLaunchUnsupported(parts: SizeParts): boolean {
    return parts.family === "D" && parts.features.includes("p") && parts.version === 5;
}

export const trustedLaunchSizeRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AZ-VMSS-TRUSTED-LAUNCH-SIZE",
    title: "Trusted Launch is asked for only on a size family that supports it",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // Supported: "Dpsv6-series (Arm64), Dplsv6-series (Arm64)"; currently not supported: "Dpsv5-series,
        // Dpdsv5-series, Dplsv5-series, Dpldsv5-series" (ms.date 2025-04-21).
        "MicrosoftDocs/azure-compute-docs:articles/virtual-machines/trusted-launch.md (Virtual machines sizes)",
        // The SKU API says it per size: "TrustedLaunchDisabled True ... indicates that the Generation 2 VM size does not support Trusted launch".
        "MicrosoftDocs/azure-compute-docs:articles/virtual-machines/trusted-launch-faq.md",
    ],
    appliesTo: [scaleSet, virtualMachine],
    check(resource) {
        const { size, profile } = machine(resource);
        const parts = sizeParts(size);
        if (at(profile, "securityProfile.securityType") !== "TrustedLaunch" || !parts || !trustedLaunchUnsupported(parts)) return [];
        return [
            `securityProfile.securityType is "TrustedLaunch" on size ${size}, a Dp*v5 (Arm64 v5) size that Trusted Launch does not support yet: ` +
                "the machines are refused. Use the Dpsv6 sizes (Cobalt 100, same vCPU and memory), which support it.",
        ];
    },
};

/** GiB of the OS disk in Canonical's Ubuntu Gen2 images ("osDiskImage": {"sizeInGb": 30}, trusted-launch-faq.md). */
export const canonicalImageDiskGiB = 30;

export const osDiskFitsImageRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AZ-VMSS-OSDISK-FITS-IMAGE",
    title: "An OS disk is no smaller than the disk of the image it is created from",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // `az vm image show` of Canonical 22_04-lts-gen2: "osDiskImage": {"operatingSystem": "Linux", "sizeInGb": 30}.
        "MicrosoftDocs/azure-compute-docs:articles/virtual-machines/trusted-launch-faq.md (How can I validate if OS image supports Trusted Launch?)",
    ],
    appliesTo: [scaleSet, virtualMachine],
    check(resource) {
        const { profile } = machine(resource);
        const size = at(profile, "storageProfile.osDisk.diskSizeGB");
        if (canonicalImageArch(profile) === undefined || typeof size !== "number" || size >= canonicalImageDiskGiB) return [];
        return [`storageProfile.osDisk.diskSizeGB is ${size} but Canonical's Ubuntu image disk is ${canonicalImageDiskGiB} GiB: a disk cannot be created smaller than its image.`];
    },
};
