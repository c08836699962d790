import { at } from "../inputs";
import type { ResourceInput, ResourceRule } from "../types";
import { healthPort, healthScriptPath } from "../../app/healthCheck";
import { cloudConfig, cloudConfigFiles, decodedUserData } from "./bootScript";
import { bootTimingSource, bootWaitSeconds } from "./bootTiming";

const scaleSet = "azure-native:compute:VirtualMachineScaleSet";
const scaleSetExtension = "azure-native:compute:VirtualMachineScaleSetExtension";

/** The health extension's documentation: schemas, states, limits. */
const healthExtensionDoc = "MicrosoftDocs/azure-compute-docs:articles/virtual-machine-scale-sets/virtual-machine-scale-sets-health-extension.md";

interface HealthExtension {
    where: string;
    major: number;
    settings: Record<string, any>;
}

/** The Application Health extensions a scale set (or a standalone extension resource) declares. */
function healthExtensions(resource: ResourceInput): HealthExtension[] {
    const list: Record<string, any>[] =
        resource.type === scaleSetExtension ? [resource.inputs] : ((at(resource.inputs, "virtualMachineProfile.extensionProfile.extensions") as any[]) ?? []);
    return list
        .map((e, i) => ({ e, where: resource.type === scaleSetExtension ? "extension" : `extensionProfile.extensions[${i}] "${e.name}"` }))
        .filter(({ e }) => e.publisher === "Microsoft.ManagedServices" && /^ApplicationHealth(Linux|Windows)$/.test(e.type))
        .map(({ e, where }) => ({ where, major: parseInt(String(e.typeHandlerVersion), 10), settings: e.settings ?? {} }));
}

/**
 * Why a Rich Health States probe would not get `{"ApplicationHealthState": ...}`, or undefined. The
 * one endpoint that answers that body is the servers' readiness endpoint (src/app/healthCheck.ts:
 * port `healthPort`, the path its rendered script serves, 404 on any other); OpenEMR's own pages
 * answer HTML. Read from the custom data the machines boot with, when the resource carries it.
 */
function richProbeProblem(resource: ResourceInput, settings: Record<string, any>): string | undefined {
    const port = Number(settings.port ?? (settings.protocol === "https" ? 443 : 80));
    if (port !== healthPort) return `port ${port} is not the readiness endpoint's port ${healthPort} (src/app/healthCheck.ts), the only one answering that JSON`;
    const userData = decodedUserData(resource);
    if (!userData) return undefined; // a standalone extension resource: its scale set's custom data is not at hand
    const doc = cloudConfig(userData);
    const script = doc && cloudConfigFiles(doc).get(healthScriptPath);
    if (!script) return `the custom data writes no ${healthScriptPath}, so nothing answers on port ${healthPort}`;
    const served = /^PATH = (".*")$/m.exec(script)?.[1];
    if (!served || JSON.parse(served) !== settings.requestPath) {
        return `requestPath "${settings.requestPath}" is not the path ${healthScriptPath} serves (${served ?? "none found"}), which answers 404 elsewhere`;
    }
    return undefined;
}

export const richHealthNeedsJsonRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AZ-VMSS-HEALTH-RICH-NEEDS-JSON",
    title: "Application Health 2.x (Rich Health States) probes only an endpoint that answers the ApplicationHealthState JSON",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // Rich: Healthy needs "Probe Response Body: {"ApplicationHealthState": "Healthy"}"; Unknown "when a missing or
        // invalid value is provided for ApplicationHealthState in the response body, or when the grace period expires";
        // "instance repairs will be carried out on an Unknown instance". Binary (1.0): "a 200 response code" is Healthy.
        healthExtensionDoc,
        // The endpoint that answers that body: port healthPort, the readiness path its script is rendered with.
        "src/app/healthCheck.ts (healthPort, healthScript)",
    ],
    appliesTo: [scaleSet, scaleSetExtension],
    check(resource) {
        return healthExtensions(resource)
            .filter((x) => x.major >= 2 && /^https?$/.test(x.settings.protocol))
            .flatMap((x) => {
                const problem = richProbeProblem(resource, x.settings);
                return problem
                    ? [
                          `${x.where}: typeHandlerVersion ${x.major}.x (Rich Health States) probes port ${x.settings.port ?? "default"} ` +
                              `requestPath "${x.settings.requestPath}": ${problem}. Without {"ApplicationHealthState":"Healthy"} an instance ` +
                              "turns Unknown once the grace period ends, and automatic repairs replace it, every server, for ever. " +
                              "Probe the readiness endpoint, or use typeHandlerVersion 1.0 (200 = healthy).",
                      ]
                    : [];
            });
    },
};

/** Seconds in an ISO 8601 duration of days/hours/minutes/seconds ("PT85M"); NaN if malformed. */
export function isoDurationSeconds(text: unknown): number {
    const m = typeof text === "string" ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text) : null;
    if (!m || text === "P" || text === "PT") return NaN;
    const [d, h, min, s] = m.slice(1).map((v) => Number(v ?? 0));
    return ((d * 24 + h) * 60 + min) * 60 + s;
}

/** Automatic repairs' documented grace bounds (SDK doc of AutomaticRepairsPolicy.gracePeriod). */
const repairGraceMin = 10 * 60;
const repairGraceMax = 90 * 60;
/** Rich Health States' documented `gracePeriod` ceiling. */
const richGraceMax = 14400;

export const repairGraceRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AZ-VMSS-REPAIR-GRACE-COVERS-BOOT",
    title: "Automatic repairs wait out the web servers' own boot, within the grace limits Azure accepts",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // "The minimum allowed grace period is 10 minutes (PT10M), which is also the default value. The maximum allowed
        // grace period is 90 minutes (PT90M)."
        "@pulumi/azure-native@3.28.0:types/input.d.ts:46366 (AutomaticRepairsPolicyArgs.gracePeriod)",
        // Rich: "Initializing" (no repair) until gracePeriod, "maximum grace period is 14400 seconds"; Binary has no
        // gracePeriod and no Initializing state.
        healthExtensionDoc,
        bootTimingSource,
    ],
    appliesTo: [scaleSet],
    check(resource) {
        const policy = resource.inputs.automaticRepairsPolicy;
        if (!policy?.enabled) return [];
        const problems: string[] = [];
        const repair = isoDurationSeconds(policy.gracePeriod ?? "PT10M");
        if (!(repair >= repairGraceMin && repair <= repairGraceMax)) {
            problems.push(`automaticRepairsPolicy.gracePeriod "${policy.gracePeriod}" is outside PT10M-PT90M, which Azure rejects`);
        }
        // Rich Health States keep a new instance Initializing (never repaired) for their own gracePeriod.
        const rich = healthExtensions(resource).filter((x) => x.major >= 2);
        for (const x of rich) {
            if (Number(x.settings.gracePeriod ?? 0) > richGraceMax) problems.push(`${x.where}: settings.gracePeriod ${x.settings.gracePeriod} s exceeds ${richGraceMax} s`);
        }
        const initializing = Math.max(0, ...rich.map((x) => Math.min(Number(x.settings.gracePeriod ?? 0), richGraceMax)));
        const protectedFor = Math.max(repair || 0, initializing);
        if (protectedFor < bootWaitSeconds) {
            problems.push(
                `a new server is safe from automatic repairs for ${protectedFor} s (automaticRepairsPolicy.gracePeriod "${policy.gracePeriod}"` +
                    `${rich.length ? `, Rich Health gracePeriod ${initializing} s` : ""}), less than the ${bootWaitSeconds} s its first boot may wait by design: ` +
                    "servers still booting are replaced, in a loop.",
            );
        }
        return problems;
    },
};
