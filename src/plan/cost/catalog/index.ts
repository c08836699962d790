import type { PriceCatalog, RegionPrices } from "../types";
import { awsEuCentral1, awsEuWest1, awsUsWest2 } from "./aws-regions";
import { awsUsEast1 } from "./aws-us-east-1";
import { azureEastus } from "./azure-eastus";
import { azureNortheurope, azureWesteurope, azureWestus2 } from "./azure-regions";

/**
 * Every catalog; a region is added by adding its catalog and listing it here. The first of each
 * cloud is its reference: the others share its price ids and units (tests/plan/cost.test.ts).
 */
export const catalogs: PriceCatalog[] = [awsUsEast1, azureEastus, awsUsWest2, awsEuWest1, awsEuCentral1, azureWestus2, azureWesteurope, azureNortheurope];

/**
 * The catalog of `cloud` in `region`, or, for a region no catalog covers, the note that it has
 * none: the estimate then lists every line with "not priced for <region>". Whether the region
 * exists at all is src/config/regions.ts's question, asked when the config is validated.
 */
export function catalogFor(cloud: PriceCatalog["cloud"], region: string): RegionPrices {
    const found = catalogs.find((c) => c.cloud === cloud && c.region === region);
    return found ?? { cloud, region, cataloguedRegions: catalogs.filter((c) => c.cloud === cloud).map((c) => c.region) };
}

/**
 * The unit a price id is sold in on `cloud`: the same in every region of a cloud (tests check the
 * catalogs agree), so a region without a catalog still shows what its lines are billed in.
 */
export function unitOf(cloud: PriceCatalog["cloud"], priceId: string): string | undefined {
    return catalogs.find((c) => c.cloud === cloud && priceId in c.prices)?.prices[priceId].unit;
}
