import { ConfigError } from "../config/errors";
import type { CloudPlatform, DbTier, Monitoring, NetTier, StorageTier, WebTier } from "../tiers/contracts";

const notYet = (): never => {
    throw new ConfigError("emr:cloud", "azure", "aws (the Azure implementation is not implemented yet)");
};

/** Placeholder until the Azure tiers land: stops before declaring anything, with a clear message. */
export const azurePlatform: CloudPlatform<NetTier, StorageTier, DbTier, WebTier, Monitoring> = {
    net: notYet,
    storage: notYet,
    db: notYet,
    web: notYet,
    monitoring: notYet,
};
