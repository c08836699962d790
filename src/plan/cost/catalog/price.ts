import type { Price, PriceStatus } from "../types";

/** One catalog entry; `source` names the evidence (for unverified prices: the derivation). */
export const price = (usd: number, unit: string, status: PriceStatus, source: string, date: string): Price => ({ usd, unit, status, source, date });

/**
 * Entries derived from a checked price by a known scaling rule (a size twice as large costs
 * twice as much within an instance family): the base's number, never more digits than it has.
 * Always "unverified" until read from a primary source.
 */
export const scaled = (base: Price, factor: number, baseName: string): Price =>
    price(Math.round(base.usd * factor * 1e6) / 1e6, base.unit, "unverified", `derived: ${factor} x ${baseName} (${base.status}); same family scales linearly with size`, base.date);
