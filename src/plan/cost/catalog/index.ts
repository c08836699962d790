import type { PriceCatalog } from "../types";
import { awsUsEast1 } from "./aws-us-east-1";
import { azureEastus } from "./azure-eastus";

/** Every catalog file; a region is added by adding a file and listing it here. */
export const catalogs: PriceCatalog[] = [awsUsEast1, azureEastus];

/** The catalog of `cloud` in `region`; an error naming the region when there is none. */
export function catalogFor(cloud: PriceCatalog["cloud"], region: string): PriceCatalog {
    const found = catalogs.find((c) => c.cloud === cloud && c.region === region);
    if (found) return found;
    const have = catalogs.filter((c) => c.cloud === cloud).map((c) => c.region);
    throw new Error(`no ${cloud} price catalog for region "${region}" (have: ${have.join(", ")}); add src/plan/cost/catalog/${cloud}-${region}.ts`);
}
