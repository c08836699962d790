import type { Price, PriceCatalog } from "../types";
import { azureEastus } from "./azure-eastus";
import { derivedCatalog, type RegionalRatio } from "./derived";
import { price } from "./price";

/**
 * Azure westus2, westeurope and northeurope, from the eastus catalog. Read at a source:
 * - westus2: gesco-healthcare-support/hcs-patient-portal infra/azure/COSTS.md, Azure Retail Prices
 *   API filtered on armRegionName 'westus2' (or the Global / Zone 1 meter), queried 2026-09-25:
 *   one public reading, so "corroborated".
 * - westeurope: Infracost golden files of resources in West Europe (live price API):
 *   nat_gateway_test, network_watcher_flow_log_test (2024-07-01), log_analytics_workspace_test
 *   (2024-08-30).
 * Every other price is the eastus price times the region's ratio for its service, "unverified":
 * westus2 disks from the two westus2 disk readings; the European compute and storage ratios are
 * those of the Azure pricing pages for the size named, recalled, not re-read. No westeurope or
 * northeurope MySQL Flexible Server reading was found (searched: Infracost goldens, public
 * Retail Prices API captures).
 */
const date = "2026-12-01";
const portal = "hcs-patient-portal COSTS.md: Azure Retail Prices API, westus2";
const goldenWe = "Infracost golden test (live price API), West Europe";
const zone1 = (region: string) => ({
    // Internet egress is billed by continent ("Data Transfer Zone 1": North America and Europe).
    "transfer:internet-gb": price(0.087, "GB", "unverified", `eastus's Zone 1 rate: ${region} is in Zone 1 with eastus (Azure bandwidth pricing)`, "2026-09"),
});

const same = (why: string): RegionalRatio => ({ ratio: 1, basis: why });
const pages = (ratio: number, example: string): RegionalRatio => ({ ratio, basis: `the region's ratio on the Azure pricing page (${example}); recalled, not re-read` });

const westus2Disk = { ratio: 17.92 / 19.71, basis: "the westus2/eastus ratio of the P10 readings ($17.92 / $19.71)" };
export const azureWestus2: PriceCatalog = derivedCatalog(
    azureEastus,
    "westus2",
    date,
    { "managed-disk": westus2Disk, "*": same("westus2 lists the eastus price for this meter (Azure pricing pages; recalled, not re-read)") },
    {
        "vm:Standard_D4s_v5": price(0.192, "hour", "corroborated", `${portal} (Linux)`, "2026-09-25"),
        "appgw-waf-v2:hour": price(0.36, "hour", "corroborated", portal, "2026-09-25"),
        "appgw-waf-v2:cu-hour": price(0.0144, "CU-hour", "corroborated", portal, "2026-09-25"),
        "public-ip:hour": price(0.005, "hour", "corroborated", `${portal} (Standard static IPv4)`, "2026-09-25"),
        "nat:hour": price(0.045, "hour", "corroborated", `${portal} (Global meter)`, "2026-09-25"),
        "nat:gb": price(0.045, "GB", "corroborated", `${portal} (Global meter)`, "2026-09-25"),
        "managed-disk:P6": price(9.28, "disk-month", "corroborated", `${portal} (P6 LRS)`, "2026-09-25"),
        "managed-disk:P10": price(17.92, "disk-month", "corroborated", `${portal} (P10 LRS)`, "2026-09-25"),
        "blob-hot-lrs:gb": price(0.0184, "GB-month", "corroborated", `${portal} (Hot LRS)`, "2026-09-25"),
        "log-analytics:gb": price(2.3, "GB", "corroborated", portal, "2026-09-25"),
        "log-analytics:retention-gb": price(0.1, "GB-month", "corroborated", portal, "2026-09-25"),
        "private-endpoint:hour": price(0.01, "hour", "corroborated", `${portal} (Global meter)`, "2026-09-25"),
        "private-endpoint:gb": price(0.01, "GB", "corroborated", `${portal} (Global meter, in and out each)`, "2026-09-25"),
        "private-dns:zone": price(0.5, "zone-month", "corroborated", portal, "2026-09-25"),
        "keyvault:10k-ops": price(0.03, "10k operations", "corroborated", portal, "2026-09-25"),
        "transfer:internet-gb": price(0.087, "GB", "corroborated", `${portal} (after 100 GB)`, "2026-09-25"),
    },
);

/** Meters Azure bills at one global price (the readings above name them "Global"). */
const globalMeters = (region: string): Record<string, Price> => ({
    "private-endpoint:hour": price(0.01, "hour", "corroborated", `${portal}: a Global meter, so the ${region} price too`, "2026-09-25"),
    "private-endpoint:gb": price(0.01, "GB", "corroborated", `${portal}: a Global meter, so the ${region} price too`, "2026-09-25"),
});

const europe = (region: string, vm: RegionalRatio, db: RegionalRatio, storage: RegionalRatio, logs: RegionalRatio): Record<string, RegionalRatio> => ({
    vm,
    mysql: db,
    "managed-disk": storage,
    "files-premium-zrs": storage,
    "blob-hot-lrs": storage,
    "blob-hot-zrs": storage,
    "log-analytics:gb": logs,
    "log-analytics:retention-gb": logs,
    "*": same(`assumed equal to eastus (gateway, load balancer, IP, DNS, Key Vault and alert meters); not read for ${region}`),
});

export const azureWesteurope: PriceCatalog = derivedCatalog(
    azureEastus,
    "westeurope",
    date,
    europe(
        "westeurope",
        pages(1.2, "D2s_v5 $0.115"),
        { ratio: 1.2, basis: "the westeurope/eastus VM ratio (D2s_v5 $0.115 / $0.096), assumed for MySQL Flexible Server compute; no westeurope reading found" },
        pages(1.1, "P10 and Premium Files"),
        { ratio: 2.99 / 2.3, basis: "the westeurope/eastus ratio of Log Analytics ingestion ($2.99 / $2.30, Infracost log_analytics_workspace_test)" },
    ),
    {
        ...globalMeters("westeurope"),
        ...zone1("westeurope"),
        "nat:hour": price(0.045, "hour", "verified", `${goldenWe} nat_gateway_test`, "2024-07-01"),
        "nat:gb": price(0.045, "GB", "verified", `${goldenWe} nat_gateway_test`, "2024-07-01"),
        "log-analytics:gb": price(2.99, "GB", "verified", `${goldenWe} log_analytics_workspace_test (per-GB ingestion)`, "2024-08-30"),
        "log-analytics:long-term-gb": price(0.026, "GB-month", "verified", `${goldenWe} log_analytics_workspace_test ("Archive data")`, "2024-08-30"),
        "flow-logs:gb": price(0.5, "GB", "verified", `${goldenWe} network_watcher_flow_log_test (over 5 GB)`, "2024-07-01"),
        "traffic-analytics-10:gb": price(3.5, "GB", "verified", `${goldenWe} network_watcher_flow_log_test (10-minute interval)`, "2024-07-01"),
        "traffic-analytics-60:gb": price(2.3, "GB", "verified", `${goldenWe} network_watcher_flow_log_test (60-minute interval)`, "2024-07-01"),
    },
);

export const azureNortheurope: PriceCatalog = derivedCatalog(
    azureEastus,
    "northeurope",
    date,
    europe(
        "northeurope",
        pages(1.11, "D2s_v5 $0.107"),
        { ratio: 1.11, basis: "the northeurope/eastus VM ratio (D2s_v5 $0.107 / $0.096), assumed for MySQL Flexible Server compute; no northeurope reading found" },
        pages(1.05, "P10 and Premium Files"),
        { ratio: 2.99 / 2.3, basis: "westeurope's Log Analytics ratio ($2.99 / $2.30, Infracost), assumed for northeurope" },
    ),
    {
        ...globalMeters("northeurope"),
        ...zone1("northeurope"),
        "flow-logs:gb": price(0.5, "GB", "corroborated", `${goldenWe} network_watcher_flow_log_test: the same list price in westeurope and eastus`, "2024-07-01"),
        "traffic-analytics-10:gb": price(3.5, "GB", "corroborated", `${goldenWe} network_watcher_flow_log_test: the same list price in westeurope and eastus`, "2024-07-01"),
        "traffic-analytics-60:gb": price(2.3, "GB", "corroborated", `${goldenWe} network_watcher_flow_log_test: the same list price in westeurope and eastus`, "2024-07-01"),
    },
);
