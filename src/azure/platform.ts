import type { CloudPlatform } from "../tiers/contracts";
import { AzureDbTier } from "./dbTier";
import { AzureMonitoring } from "./monitoring";
import { AzureNetTier } from "./netTier";
import { AzureStorageTier } from "./storageTier";
import { AzureWebTier } from "./webTier";

/** The Azure implementation of every tier. */
export const azurePlatform: CloudPlatform<AzureNetTier, AzureStorageTier, AzureDbTier, AzureWebTier, AzureMonitoring> = {
    net: (name, args) => new AzureNetTier(name, args),
    storage: (name, args) => new AzureStorageTier(name, args),
    db: (name, args) => new AzureDbTier(name, args),
    web: (name, args) => new AzureWebTier(name, args),
    monitoring: (name, args) => new AzureMonitoring(name, args),
};
