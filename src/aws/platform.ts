import type { CloudPlatform } from "../tiers/contracts";
import { AwsDbTier } from "./dbTier";
import { AwsMonitoring } from "./monitoring";
import { AwsNetTier } from "./netTier";
import { AwsSessionTier } from "./sessionTier";
import { AwsStorageTier } from "./storageTier";
import { AwsWebTier } from "./webTier";

/** The AWS implementation of every tier. */
export const awsPlatform: CloudPlatform<AwsNetTier, AwsStorageTier, AwsDbTier, AwsWebTier, AwsMonitoring, AwsSessionTier> = {
    net: (name, args) => new AwsNetTier(name, args),
    storage: (name, args) => new AwsStorageTier(name, args),
    db: (name, args) => new AwsDbTier(name, args),
    session: (name, args) => new AwsSessionTier(name, args),
    web: (name, args) => new AwsWebTier(name, args),
    monitoring: (name, args) => new AwsMonitoring(name, args),
};
