import type { CostComponent, PriceCatalog, Pricer } from "./types";

/** A rule asked for a price the catalog does not have: the resource is reported as not priced. */
export class MissingPriceError extends Error {
    constructor(
        readonly priceId: string,
        catalog: PriceCatalog,
    ) {
        super(`no price "${priceId}" in the ${catalog.cloud} ${catalog.region} catalog`);
    }
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** Component builders over one catalog. */
export function pricer(catalog: PriceCatalog): Pricer {
    const component = (name: string, priceId: string, quantity: number, unit: string, usageBased: boolean): CostComponent => {
        const p = catalog.prices[priceId];
        if (!p) throw new MissingPriceError(priceId, catalog);
        return { name, quantity, unit, unitUsd: p.usd, monthlyUsd: cents(quantity * p.usd), usageBased, priceId, status: p.status };
    };
    return {
        hourly: (name, priceId, count = 1) => component(name, priceId, count * catalog.hoursPerMonth, catalog.prices[priceId]?.unit ?? "hour", false),
        monthly: (name, priceId, quantity, usageBased = false) => component(name, priceId, quantity, catalog.prices[priceId]?.unit ?? "", usageBased),
    };
}
