import type { PriceCatalog } from "../types";
import { price, scaled } from "./price";

/**
 * Azure East US pay-as-you-go prices, from /work/shared/facts/prices.md §2.2 (sources there).
 * Where only a West US figure exists (MySQL Flexible) it stands in, marked unverified.
 * MySQL prices are per server node per hour: the rule bills zone-redundant HA as two nodes.
 */
const golden = "Infracost golden test (live price API)";
const retail = "Azure Retail Prices API capture (eastus)";
const mysqlProxy = "West US golden used as East US proxy ($0.0975 per vCore-h); East US rate not found";

const d2sV5 = price(0.096, "hour", "verified", `${retail}, Linux`, "2026");
const d2psV5 = price(0.077, "hour", "corroborated", "cost-review.md (a): independent static table (D2ps_v5 0.077, D2s_v5 0.096)", "2026");
const mysqlD2 = price(0.195, "hour", "unverified", mysqlProxy, "2024");
// Memory Optimized vCore rate: not in prices.md. ~1.35x the GP rate, from memory of the pricing page.
const mysqlE2 = price(0.2625, "hour", "unverified", "Azure MySQL Flexible pricing page from memory (Memory Optimized ~$0.131 per vCore-h)", "2026");

export const azureEastus: PriceCatalog = {
    cloud: "azure",
    region: "eastus",
    currency: "USD",
    hoursPerMonth: 730,
    date: "2026-08-21",
    prices: {
        // Web servers: every size instanceCatalog.azure.web can pick, cheapest first (arm64, x86_64).
        "vm:Standard_D2ps_v5": d2psV5,
        "vm:Standard_D4ps_v5": scaled(d2psV5, 2, "Standard_D2ps_v5"),
        "vm:Standard_D8ps_v5": scaled(d2psV5, 4, "Standard_D2ps_v5"),
        "vm:Standard_D16ps_v5": scaled(d2psV5, 8, "Standard_D2ps_v5"),
        "vm:Standard_D32ps_v5": scaled(d2psV5, 16, "Standard_D2ps_v5"),
        "vm:Standard_D2s_v5": d2sV5,
        "vm:Standard_D4s_v5": price(0.192, "hour", "corroborated", "many tables; exactly 2x D2s_v5", "2026"),
        "vm:Standard_D8s_v5": scaled(d2sV5, 4, "Standard_D2s_v5"),
        "vm:Standard_D16s_v5": scaled(d2sV5, 8, "Standard_D2s_v5"),
        "vm:Standard_D32s_v5": scaled(d2sV5, 16, "Standard_D2s_v5"),
        // Database: every SKU instanceCatalog.azure.db can pick, cheapest first.
        "mysql:Standard_D2ds_v4": mysqlD2,
        "mysql:Standard_E2ds_v4": mysqlE2,
        "mysql:Standard_D4ds_v4": scaled(mysqlD2, 2, "Standard_D2ds_v4"),
        "mysql:Standard_E4ds_v4": scaled(mysqlE2, 2, "Standard_E2ds_v4"),
        "mysql:Standard_D8ds_v4": scaled(mysqlD2, 4, "Standard_D2ds_v4"),
        "mysql:Standard_E8ds_v4": scaled(mysqlE2, 4, "Standard_E2ds_v4"),
        "mysql:storage-gb": price(0.138, "GB-month", "unverified", "West US golden as proxy; East US commonly $0.115", "2024"),
        "appgw-waf-v2:hour": price(0.36, "hour", "verified", `${golden} application_gateway_test (eastus)`, "2026-03-30"),
        "appgw-waf-v2:cu-hour": price(0.0144, "CU-hour", "verified", `${golden} application_gateway_test (eastus)`, "2026-03-30"),
        "public-ip:hour": price(0.005, "hour", "verified", `${golden} public_ip_test (eastus, Standard static)`, "2026-04"),
        "nat:hour": price(0.045, "hour", "corroborated", `${golden} nat_gateway_test (West Europe; same US list price)`, "2024"),
        "nat:gb": price(0.045, "GB", "corroborated", `${golden} nat_gateway_test (West Europe; same US list price)`, "2024"),
        // The first five rules are one bundle; a balancer without rules is free.
        "lb:hour": price(0.025, "hour", "unverified", "Standard LB first-5-rules bundle, single source", "2026"),
        "lb:extra-rule-hour": price(0.01, "rule-hour", "verified", `${golden} lb_rule_v2_test`, "2024"),
        "lb:gb": price(0.005, "GB", "verified", `${golden} lb_test`, "2024"),
        "blob-hot-lrs:gb": price(0.0208, "GB-month", "corroborated", "fixture + West US golden agree (eastus2 is $0.0184)", "2026-07"),
        "blob-hot-zrs:gb": price(0.026, "GB-month", "unverified", "West US golden + one fixture; East US not found", "2026"),
        "blob-cool-zrs:gb": price(0.0115, "GB-month", "unverified", "West US golden cool LRS used for ZRS (ZRS costs more)", "2024"),
        "blob-archive-lrs:gb": price(0.002, "GB-month", "unverified", "range $0.00099-0.002, upper bound taken", "2026"),
        "files-premium-zrs:gib": price(0.2, "GiB-month", "verified", `${retail}, provisioned`, "2026-07-24"),
        // Premium SSD is billed by tier size (the disk rounds up to the next tier); LRS.
        "managed-disk:P4": price(5.28, "disk-month", "verified", `${golden} AKS (eastus)`, "2024"),
        "managed-disk:P6": price(10.21, "disk-month", "unverified", "Azure managed disks pricing page from memory", "2026"),
        "managed-disk:P10": price(19.71, "disk-month", "verified", `${golden} AKS (eastus)`, "2024"),
        "managed-disk:P15": price(38.01, "disk-month", "unverified", "Azure managed disks pricing page from memory", "2026"),
        "managed-disk:P20": price(73.22, "disk-month", "unverified", "Azure managed disks pricing page from memory", "2026"),
        "managed-disk:P30": price(135.17, "disk-month", "unverified", "Azure managed disks pricing page from memory", "2026"),
        "log-analytics:gb": price(2.3, "GB", "unverified", "East US commonly quoted; West Europe golden is $2.99", "2026"),
        "log-analytics:retention-gb": price(0.1, "GB-month", "unverified", "Azure Monitor pricing page from memory (beyond 31 free days)", "2026"),
        "monitor:metric-alert": price(0.1, "signal-month", "unverified", "Azure Monitor pricing page from memory (per monitored time series)", "2026"),
        "private-endpoint:hour": price(0.01, "hour", "unverified", "Private Link pricing page from memory (plus $0.01/GB, not modelled)", "2026"),
        "private-dns:zone": price(0.5, "zone-month", "unverified", "Azure DNS pricing page from memory (first 25 zones)", "2026"),
        "keyvault:10k-ops": price(0.03, "10k operations", "verified", `${golden} key_vault_key_test`, "2024"),
        "keyvault:hsm-key": price(5, "key-month", "unverified", "Key Vault Premium RSA 3072/4096 HSM key, pricing page from memory ($1 for RSA 2048)", "2026"),
        "transfer:internet-gb": price(0.087, "GB", "unverified", "single static table (after the first 100 GB)", "2026"),
        // Announced but not applied: $0 until Azure bills it.
        "transfer:cross-zone-gb": price(0, "GB", "unverified", "Azure announced inter-zone charges but has not applied them", "2026"),
    },
};
