import { ConfigError } from "./errors";
import { suggestion } from "./suggest";
import type { Cloud } from "./types";

/**
 * The regions a stack may name. A name no cloud has is a config error with a suggestion
 * (`us-east1` -> `us-east-1`), so a typo never reaches `pulumi up` or reads as a missing price
 * catalog. Whether a region is priced is the plan's business (src/plan/cost/catalog), not this.
 */

/**
 * AWS commercial ("aws" partition) regions: the `Region` enum of @pulumi/aws 7.48.0
 * (node_modules/@pulumi/aws/types/enums/index.d.ts), less the GovCloud, China, European Sovereign
 * Cloud and isolated partitions, whose ARNs, endpoints and accounts this program does not write
 * for. tests/config/regions.test.ts checks the list against the installed enum, so a provider
 * upgrade that adds a region fails until it is added here. AWS builds every region with at least
 * three zones, though us-west-1 offers new accounts two (src/plan/mocks/awsRegions.ts).
 */
export const awsRegions = [
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
    "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
    "us-west-1", "us-west-2",
] as const;

/** Prefixes of the AWS partitions other than the commercial one. */
const otherAwsPartitions = /^(us-gov|cn|us-iso[a-z]*|eu-isoe|eusc)-/;

/**
 * Azure public-cloud regions with availability zones: Microsoft, "Azure regions with availability
 * zone support" (MicrosoftDocs/azure-docs articles/reliability/availability-zones-region-support.md,
 * ms.date 2025-01-16; the 2024-11-20 version lacks only Indonesia Central), as location names (the
 * display name lowercased without spaces). Left out: US Gov Virginia (Azure Government) and China
 * North 3 (Azure in China), separate clouds. Every one has three zones, "1" to "3", which the
 * program names.
 */
export const azureZonalRegions = [
    "brazilsouth", "canadacentral", "centralus", "eastus", "eastus2", "mexicocentral", "southcentralus",
    "westus2", "westus3", "francecentral", "germanywestcentral", "italynorth", "northeurope",
    "norwayeast", "polandcentral", "spaincentral", "swedencentral", "switzerlandnorth", "uksouth",
    "westeurope", "israelcentral", "qatarcentral", "uaenorth", "southafricanorth", "australiaeast",
    "centralindia", "eastasia", "indonesiacentral", "japaneast", "japanwest", "koreacentral",
    "newzealandnorth", "southeastasia",
] as const;

/**
 * Azure public regions without availability zones: the locations `az account list-locations`
 * lists (as captured in tal66/cloud-regions web/data/azureData.js) that the Microsoft list above
 * does not name. A stack cannot live there: this design puts its tiers in 2 or 3 zones.
 */
export const azureRegionsWithoutZones = [
    "australiacentral", "australiacentral2", "australiasoutheast", "brazilsoutheast", "canadaeast",
    "francesouth", "germanynorth", "jioindiacentral", "jioindiawest", "koreasouth", "northcentralus",
    "norwaywest", "southafricawest", "southindia", "switzerlandwest", "uaecentral",
    "ukwest", "westcentralus", "westindia", "westus",
] as const;

const known: Record<Cloud, readonly string[]> = { aws: awsRegions, azure: azureZonalRegions };
export const regionKeys: Record<Cloud, string> = { aws: "aws:region", azure: "azure-native:location" };
const example: Record<Cloud, string> = { aws: "us-east-1", azure: "eastus" };

/** The region of a `cloud` stack, or a ConfigError naming it, what is allowed and the likely intent. */
export function checkRegion(cloud: Cloud, region: string | undefined, raw: Readonly<Record<string, string>>): string {
    const key = regionKeys[cloud];
    if (!region) {
        // The other cloud's key set instead (an Azure stack with aws:region) is the likely mistake.
        const other = (Object.keys(regionKeys) as Cloud[]).find((c) => c !== cloud && raw[regionKeys[c]] !== undefined);
        const hint = other ? ` (${regionKeys[other]} is set, but emr:cloud is ${cloud})` : "";
        throw new ConfigError(key, null, `a region, e.g. ${example[cloud]}${hint}`);
    }
    if (known[cloud].includes(region)) return region;
    if (cloud === "aws") {
        const allowed = otherAwsPartitions.test(region)
            ? "an AWS commercial region, e.g. us-east-1 (the GovCloud, China and isolated partitions are not supported)"
            : `an AWS region, e.g. us-east-1${suggestion(region, awsRegions)}`;
        throw new ConfigError(key, region, allowed);
    }
    const zoneless = (azureRegionsWithoutZones as readonly string[]).includes(region);
    const why = zoneless ? ` (${region} has no availability zones, and this design spreads every tier over 2 or 3)` : "";
    throw new ConfigError(key, region, `an Azure region with availability zones, e.g. eastus${why}${suggestion(region, azureZonalRegions)}`);
}
