import type { ComplianceExemption } from "../config/types";
import { applyExemptions, complianceRules, deployRules, runRules, type RuleResult } from "../policy";
import { availability, type Availability } from "./availability";
import type { PlannedResource, ProgramRun } from "./capture";
import type { ConfigPlaceholder } from "./configPlaceholders";
import { describeStack, type BuiltTier, type ServerRange } from "./describe";
import { Graph } from "./graph";
import { readModel, type EmrModel } from "./model";
import { classify, type Classification } from "./placement";
import { simulateZoneLoss, type TierOutcome } from "./zones";

/** One resource in plan.json (see src/plan/plan.schema.json). */
export interface PlanResource {
    key: string;
    type: string;
    name: string;
    /** The tier (component) it belongs to; null for the tiers themselves. */
    tier: string | null;
    parent: string | null;
    placement: Classification;
    protect: boolean;
    dependsOn: string[];
    /** Inputs as declared, with secret values replaced by "[secret]". */
    inputs: Record<string, unknown>;
}

export interface ZoneFailure {
    zone: string;
    /** Resources that live only in this zone. */
    lost: string[];
    tiers: TierOutcome[];
}

export interface Plan {
    schemaVersion: 1;
    stack: string;
    cloud: EmrModel["cloud"];
    zones: string[];
    /** What is built, one line of words per tier (the summary's first lines). */
    built: BuiltTier[];
    /** The web servers' capacity range (the cost is estimated at `min`). */
    servers: ServerRange;
    /** Every resource, and the tier components grouping them (placement kind "component"). */
    resources: PlanResource[];
    /** Resources per type, components excluded: sums to `resourceCount`. */
    totalsByType: Record<string, number>;
    unclassified: string[];
    zoneFailure: ZoneFailure[];
    availability: Availability;
    /**
     * Every rule judged over the captured graph: the deploy rules (src/policy/deploy, category
     * "deploy") then the compliance rules (src/policy/compliance, category "compliance") with the
     * stack's exemptions applied.
     */
    rules: RuleResult[];
    outputs: Record<string, unknown>;
    /** Config values the plan stood in for (not set by the user, or encrypted): not what `pulumi up` gets. */
    configPlaceholders: ConfigPlaceholder[];
}

/** Cloud and Pulumi resources: what the per-type table and the cost count (tier components excluded). */
export const resourceCount = (plan: Pick<Plan, "resources">): number => plan.resources.filter((r) => r.placement.kind !== "component").length;
/** The tier components (Pulumi ComponentResources) that group the resources. */
export const componentCount = (plan: Pick<Plan, "resources">): number => plan.resources.length - resourceCount(plan);

/** Replaces the values at `paths` (as recorded by the capture) with a marker. */
function mask(inputs: Record<string, unknown>, paths: string[]): Record<string, unknown> {
    const copy = structuredClone(inputs);
    for (const path of paths) {
        const keys = path.replace(/\[(\d+)\]/g, ".$1").split(".").filter(Boolean);
        let node: any = copy;
        keys.slice(0, -1).forEach((k) => (node = node?.[k]));
        if (node && keys.length) node[keys[keys.length - 1]] = "[secret]";
    }
    return copy;
}

/** Turns a captured run into the plan: resources with placement, zone failures, availability. */
export interface ComplianceContext {
    exemptions: ComplianceExemption[];
    /** YYYY-MM-DD (UTC): exemptions past their last day no longer apply. */
    today: string;
}

export function buildPlan(run: ProgramRun, stack: string, configPlaceholders: ConfigPlaceholder[] = [], compliance: ComplianceContext = { exemptions: [], today: new Date().toISOString().slice(0, 10) }): Plan {
    const g = new Graph(run);
    const model = readModel(g);
    const classes = classify(g);
    const resources: PlanResource[] = g.resources.map((r: PlannedResource) => ({
        key: r.key,
        type: r.type,
        name: r.name,
        tier: r.custom ? (g.tierOf(r)?.name ?? null) : null,
        parent: r.parent ?? null,
        placement: classes.get(r.key)!,
        protect: r.protect,
        dependsOn: g.dependencies(r),
        inputs: mask(r.inputs, r.secretPaths),
    }));
    const totalsByType: Record<string, number> = {};
    for (const r of resources.filter((r) => r.placement.kind !== "component")) totalsByType[r.type] = (totalsByType[r.type] ?? 0) + 1;
    return {
        schemaVersion: 1,
        stack,
        cloud: model.cloud,
        zones: model.zones,
        ...describeStack(model, g),
        resources,
        totalsByType,
        unclassified: resources.filter((r) => r.placement.kind === "unclassified").map((r) => r.key),
        zoneFailure: model.zones.map((zone) => ({
            zone,
            lost: resources.filter((r) => r.placement.kind === "zonal" && r.placement.zone === zone).map((r) => r.key),
            tiers: simulateZoneLoss(model, zone),
        })),
        availability: availability(model),
        rules: applyExemptions(runRules([...deployRules, ...complianceRules], g), compliance.exemptions, compliance.today),
        outputs: run.outputs,
        configPlaceholders,
    };
}
