import { unitOf } from "./catalog";
import { isCatalogued, type CostComponent, type Pricer, type RegionPrices } from "./types";

/** A rule asked for a price the catalog does not have: the resource is reported as not priced. */
export class MissingPriceError extends Error {
    constructor(
        readonly priceId: string,
        prices: RegionPrices,
    ) {
        super(`no price "${priceId}" in the ${prices.cloud} ${prices.region} catalog`);
    }
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** Hours billed per month for always-on resources (the Infracost convention; every catalog's). */
const hoursPerMonth = 730;

/**
 * Component builders over one region's prices. In a region without a catalog a component keeps
 * its quantity and unit, and its amounts are null with status "not priced": never $0.
 */
export function pricer(prices: RegionPrices): Pricer {
    const component = (name: string, priceId: string, quantity: number, usageBased: boolean): CostComponent => {
        if (!isCatalogued(prices)) {
            const unit = unitOf(prices.cloud, priceId);
            if (unit === undefined) throw new MissingPriceError(priceId, prices);
            return { name, quantity, unit, unitUsd: null, monthlyUsd: null, usageBased, priceId, status: "not priced" };
        }
        const p = prices.prices[priceId];
        if (!p) throw new MissingPriceError(priceId, prices);
        return { name, quantity, unit: p.unit, unitUsd: p.usd, monthlyUsd: cents(quantity * p.usd), usageBased, priceId, status: p.status };
    };
    return {
        hourly: (name, priceId, count = 1) => component(name, priceId, count * hoursPerMonth, false),
        monthly: (name, priceId, quantity, usageBased = false) => component(name, priceId, quantity, usageBased),
    };
}
