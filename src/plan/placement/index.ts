import type { PlannedResource } from "../capture";
import type { Graph } from "../graph";
import { awsRegionalModules, awsTypeRules } from "./aws";
import { azureRegionalModules, azureTypeRules } from "./azure";
import type { Classification, PlacementContext, PlacementRule } from "./types";

export type { Classification } from "./types";

const typeRules: Record<string, PlacementRule> = { ...awsTypeRules, ...azureTypeRules };
const regionalModules = [...awsRegionalModules, ...azureRegionalModules];
/**
 * Providers that only generate values inside Pulumi or act during the deployment without placing
 * anything in a zone: waits (time:) and the dynamic resource registering Azure subscription
 * providers and features (src/azure/subscriptionRegistration.ts).
 */
const logicalPrefixes = ["random:", "tls:", "time:", "pulumi-nodejs:dynamic:"];

/**
 * Classifies every resource of a run as zonal (which zone), zone-redundant (which zones),
 * regional, a component, logical, or unclassified, from the resource's own inputs.
 */
export function classify(g: Graph): Map<string, Classification> {
    const subnetZones = new Map<unknown, string | undefined>();
    const ctx: PlacementContext = { g, subnetZone: (id) => subnetZones.get(id) };
    // Subnets first: the zonal resources inside them take their zone.
    for (const s of g.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet")) subnetZones.set(s.id, s.inputs.availabilityZone);
    return new Map(g.resources.map((r) => [r.key, classifyOne(r, ctx)]));
}

function classifyOne(r: PlannedResource, ctx: PlacementContext): Classification {
    if (!r.custom) return { kind: "component" };
    if (logicalPrefixes.some((p) => r.type.startsWith(p))) return { kind: "logical" };
    const rule = typeRules[r.type];
    if (rule) return rule(r, ctx);
    if (regionalModules.some((m) => r.type.startsWith(m))) return { kind: "regional" };
    return { kind: "unclassified" };
}

/** A short label for reports: "us-east-1a", "zones 1,2,3", "regional". */
export function placementLabel(c: Classification): string {
    switch (c.kind) {
        case "zonal":
            return c.zone;
        case "zone-redundant":
            return `zones ${c.zones.join(",")}`;
        default:
            return c.kind;
    }
}
