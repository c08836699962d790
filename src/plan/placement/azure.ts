import { spread, type PlacementRule } from "./types";

/** Resources whose `zones` input says where they run (no zones: regional, Azure picks). */
const byZones: PlacementRule = (r) => spread(r.inputs.zones ?? []);

/** Storage redundancy from the SKU: ZRS/GZRS replicate synchronously over three zones. */
const bySku: PlacementRule = (r) =>
    /ZRS$/.test(r.inputs.sku?.name ?? "") ? { kind: "zone-redundant", zones: ["1", "2", "3"] } : { kind: "zonal", zone: "unknown (locally redundant)" };

/**
 * Azure placement rules by type token. Azure subnets, VNets and most control-plane resources
 * span the region; what pins to zones says so in its own `zones` / HA / SKU inputs.
 */
export const azureTypeRules: Record<string, PlacementRule> = {
    "azure-native:compute:VirtualMachineScaleSet": byZones,
    "azure-native:network:ApplicationGateway": byZones,
    "azure-native:network:PublicIPAddress": byZones,
    "azure-native:network:NatGateway": byZones,
    "azure-native:network:LoadBalancer": (r, ctx) =>
        spread(
            (r.inputs.frontendIPConfigurations ?? []).flatMap((f: any) => ctx.g.referenced(f.publicIPAddress?.id)?.inputs.zones ?? f.zones ?? []),
        ),
    "azure-native:dbformysql:Server": (r) =>
        r.inputs.highAvailability?.mode === "ZoneRedundant"
            ? spread([r.inputs.availabilityZone, r.inputs.highAvailability.standbyAvailabilityZone])
            : spread([r.inputs.availabilityZone ?? "unknown"]),
    "azure-native:storage:StorageAccount": bySku,
    // Azure Managed Redis: with high availability (the default) each shard has a replica, spread
    // over the region's zones where it has them (src/azure/sessionTier.ts); without it, one copy.
    "azure-native:redisenterprise:RedisEnterprise": (r) =>
        r.inputs.highAvailability === "Disabled"
            ? { kind: "zonal", zone: "unknown (no replica)" }
            : r.inputs.zones?.length
              ? spread(r.inputs.zones)
              : { kind: "zone-redundant", zones: ["1", "2", "3"] },
    "azure-native:redisenterprise:Database": () => ({ kind: "regional" }),
    "azure-native:recoveryservices:Vault": (r) =>
        ["ZoneRedundant", "GeoRedundant"].includes(r.inputs.properties?.redundancySettings?.standardTierStorageRedundancy)
            ? { kind: "regional" }
            : { kind: "zonal", zone: "unknown (locally redundant)" },
};

/** Modules made only of regional (or global) resources. */
export const azureRegionalModules = [
    "azure-native:resources:",
    "azure-native:network:",
    "azure-native:privatedns:",
    "azure-native:operationalinsights:",
    "azure-native:insights:",
    "azure-native:monitor:",
    "azure-native:keyvault:",
    "azure-native:managedidentity:",
    "azure-native:authorization:",
    "azure-native:storage:",
    "azure-native:recoveryservices:",
    "azure-native:dbformysql:",
    "azure-native:logic:",
];
