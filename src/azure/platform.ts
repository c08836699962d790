import type { CloudPlatform } from "../tiers/contracts";
import { AzureDbTier } from "./dbTier";
import { AzureMonitoring } from "./monitoring";
import { AzureNetTier } from "./netTier";
import { AzureSessionTier } from "./sessionTier";
import { AzureStorageTier } from "./storageTier";
import { AzureWebTier } from "./webTier";

/** The Azure implementation of every tier. */
export const azurePlatform: CloudPlatform<AzureNetTier, AzureStorageTier, AzureDbTier, AzureWebTier, AzureMonitoring, AzureSessionTier> = {
    net: (name, args) => new AzureNetTier(name, args),
    storage: (name, args) => new AzureStorageTier(name, args),
    db: (name, args) => new AzureDbTier(name, args),
    session: (name, args) => new AzureSessionTier(name, args),
    web: (name, args) => new AzureWebTier(name, args),
    monitoring: (name, args) => new AzureMonitoring(name, args),
};
