import type { Plan, PlanResource } from "../plan";
import type { UsageAssumptions } from "../../config/usage";

/** How far a price can be trusted (see /work/shared/facts/prices.md, "How to read the status column"). */
export type PriceStatus = "verified" | "corroborated" | "unverified";

export interface Price {
    usd: number;
    /** What one `usd` buys: "hour", "GB-month", "GB", "1M requests", "month", ... */
    unit: string;
    /** Where the number comes from; for unverified prices, how it was derived. */
    source: string;
    /** When the source was last regenerated/read (YYYY-MM or YYYY-MM-DD). */
    date: string;
    status: PriceStatus;
}

/** On-demand list prices of one cloud region: data, one file per region under ./catalog. */
export interface PriceCatalog {
    cloud: Plan["cloud"];
    region: string;
    currency: "USD";
    /** Hours billed per month for always-on resources (the Infracost convention). */
    hoursPerMonth: 730;
    /** When the catalog was compiled from its sources. */
    date: string;
    prices: Record<string, Price>;
}

/**
 * A real region of the cloud that no catalog covers: the plan still lists every billed line with
 * its quantity and unit, and each amount reads "not priced for <region>" (null), never $0.
 */
export interface UncataloguedRegion {
    cloud: Plan["cloud"];
    region: string;
    /** The regions of this cloud that have a catalog, for the reader who wants a priced estimate. */
    cataloguedRegions: string[];
}

/** What `catalogFor` answers for a region: its catalog, or the note that it has none. */
export type RegionPrices = PriceCatalog | UncataloguedRegion;

export const isCatalogued = (p: RegionPrices): p is PriceCatalog => "prices" in p;

/** A component's price status; "not priced" in a region without a catalog. */
export type ComponentStatus = PriceStatus | "not priced";

/** One billed line of a resource, Infracost-style. */
export interface CostComponent {
    name: string;
    quantity: number;
    unit: string;
    /** null: the region has no catalog ("not priced for <region>"), never $0. */
    unitUsd: number | null;
    monthlyUsd: number | null;
    /** Driven by a usage assumption rather than by what the stack declares. */
    usageBased: boolean;
    priceId: string;
    status: ComponentStatus;
}

/** What a rule may look at besides the resource's own inputs. */
export interface RuleContext {
    plan: Plan;
    /** How many resources of `type` the plan declares (usage is split evenly over them). */
    count(type: string): number;
    /** Resources of `type` that `r` depends on (e.g. the launch template of an auto scaling group). */
    dependencies(r: PlanResource, type: string): PlanResource[];
    /** Resources of `type` that depend on `r` (e.g. the autoscale setting of a scale set). */
    dependents(r: PlanResource, type: string): PlanResource[];
}

/** Prices one resource. Throws MissingPriceError when the catalog lacks a price it needs. */
export type CostRule = (r: PlanResource, price: Pricer, usage: UsageAssumptions, ctx: RuleContext) => CostComponent[];

/** Builds components from catalog prices (see ../pricing.ts). */
export interface Pricer {
    /** An always-on line: `count` units for every hour of the month. */
    hourly(name: string, priceId: string, count?: number): CostComponent;
    /** A line of `quantity` catalog units per month (GB-months, requests, keys, ...). */
    monthly(name: string, priceId: string, quantity: number, usageBased?: boolean): CostComponent;
}

/** The rules of one cloud: priced types, types that cost nothing (with why), and stack-wide usage lines. */
export interface RuleSet {
    rules: Record<string, CostRule>;
    free: Record<string, string>;
    /** Costs that belong to no single resource (internet egress, cross-zone traffic). */
    stack(price: Pricer, usage: UsageAssumptions): CostComponent[];
}

export interface CostLine {
    resourceKey: string;
    type: string;
    name: string;
    tier: string | null;
    components: CostComponent[];
}

export interface CostReport {
    stack: string;
    cloud: Plan["cloud"];
    region: string;
    /** false: no catalog covers the region, and every amount below is null ("not priced for <region>"). */
    catalogued: boolean;
    /** null when the region has no catalog. */
    catalogDate: string | null;
    lines: CostLine[];
    /** Types no rule prices: reported, never counted as $0. `reason` says what is missing. */
    notPriced: Array<{ resourceKey: string; type: string; reason: string }>;
    free: Array<{ resourceKey: string; type: string; reason: string }>;
    /** Monthly USD per tier ("stack" for the stack-wide usage lines); null where not priced. */
    tiers: Record<string, number | null>;
    baselineUsd: number | null;
    usageUsd: number | null;
    totalUsd: number | null;
    usage: UsageAssumptions;
}
