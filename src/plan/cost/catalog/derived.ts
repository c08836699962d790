import type { Price, PriceCatalog } from "../types";

/** How a region's prices of one service relate to the reference region's, and why that ratio. */
export interface RegionalRatio {
    ratio: number;
    basis: string;
}

/**
 * A region's catalog built from the reference catalog of its cloud: each price is the reading
 * given in `readings` where one was found, else the reference price times the ratio of the price
 * id, or of its service (the id's prefix, `ec2`, `nat`), or `*`, marked "unverified" with that
 * derivation. The ids and units are the reference's, so every rule finds every price.
 */
export function derivedCatalog(reference: PriceCatalog, region: string, date: string, ratios: Record<string, RegionalRatio>, readings: Record<string, Price>): PriceCatalog {
    const unknown = Object.keys(readings).filter((id) => !(id in reference.prices));
    if (unknown.length) throw new Error(`${region} catalog: readings for ids the reference does not have: ${unknown.join(", ")}`);
    const prices: Record<string, Price> = {};
    for (const [id, ref] of Object.entries(reference.prices)) {
        const r = ratios[id] ?? ratios[id.split(":")[0]] ?? ratios["*"];
        prices[id] = readings[id] ?? {
            usd: Math.round(ref.usd * r.ratio * 1e6) / 1e6,
            unit: ref.unit,
            status: "unverified",
            source: `derived: ${reference.region} $${ref.usd} (${ref.status}) x ${r.ratio}, ${r.basis}`,
            date,
        };
    }
    return { ...reference, region, date, prices };
}
