import type { PlannedResource } from "../capture";
import type { Graph } from "../graph";
import type { Placement } from "../model/types";

/** A resource's placement, or why it has none. */
export type Classification =
    | Placement
    /** A tier (component): its children are classified instead. */
    | { kind: "component" }
    /** Exists only in Pulumi (generated passwords, keys): nothing in a zone to lose. */
    | { kind: "logical" }
    /** No rule knows this type: reported, never guessed. */
    | { kind: "unclassified" };

export interface PlacementContext {
    g: Graph;
    /** The zone of a subnet, by subnet id (undefined for a regional subnet). */
    subnetZone(id: unknown): string | undefined;
}

/** Reads a resource's placement from its own inputs. */
export type PlacementRule = (r: PlannedResource, ctx: PlacementContext) => Placement;

/** Zone-redundant over `zones` when there are two or more, zonal when one, regional when none. */
export function spread(zones: Array<string | undefined>): Placement {
    const distinct = [...new Set(zones.filter((z): z is string => !!z))].sort();
    if (distinct.length >= 2) return { kind: "zone-redundant", zones: distinct };
    if (distinct.length === 1) return { kind: "zonal", zone: distinct[0] };
    return { kind: "regional" };
}

export const regional: PlacementRule = () => ({ kind: "regional" });
