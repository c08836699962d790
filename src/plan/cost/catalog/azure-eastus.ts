import type { PriceCatalog } from "../types";
import { price, scaled } from "./price";

/**
 * Azure East US pay-as-you-go prices, from /work/shared/facts/prices.md §2.2 (sources there).
 * Where only a West US figure exists (MySQL Flexible) it stands in, marked unverified.
 * MySQL prices are per server node per hour: the rule bills zone-redundant HA as two nodes.
 */
const golden = "Infracost golden test (live price API)";
const retail = "Azure Retail Prices API capture (eastus)";
const azureWordpress = "agenticcodingops/azure-wordpress cost guide: Azure Retail Prices API, eastus, checked against the MySQL pricing page (cost-review.md (a))";
const reviewed = "cost-review.md (a)";

const d2sV5 = price(0.096, "hour", "verified", `${retail}, Linux`, "2026");
// No East US reading of Dpsv6 was found; taken at the Dpsv5 price it succeeds (D2ps_v5 $0.077,
// cost-review.md (a): independent static table), so the estimate says "unverified".
const d2psV6 = price(0.077, "hour", "unverified", "assumed equal to D2ps_v5 ($0.077/h, cost-review.md (a)); no Dpsv6 East US reading found", "2026");
const mysqlD2 = price(0.171, "hour", "corroborated", `${azureWordpress}; $0.0855 per vCore-h`, "2026-10-03");
// Derived: the West US golden E4ds_v4 ($382.81 a month = $0.2622/h per 2 vCores) x the East/West US
// General Purpose ratio 0.171/0.195 (cost-review.md (a)); no East US reading found.
const mysqlE2 = price(0.23, "hour", "unverified", `${golden} mysql_flexible_server_test (westus E4ds_v4) x East/West GP ratio`, "2025-07-07");

export const azureEastus: PriceCatalog = {
    cloud: "azure",
    region: "eastus",
    currency: "USD",
    hoursPerMonth: 730,
    date: "2026-08-21",
    prices: {
        // Web servers: every size instanceCatalog.azure.web can pick, cheapest first (arm64, x86_64).
        "vm:Standard_D2ps_v6": d2psV6,
        "vm:Standard_D4ps_v6": scaled(d2psV6, 2, "Standard_D2ps_v6"),
        "vm:Standard_D8ps_v6": scaled(d2psV6, 4, "Standard_D2ps_v6"),
        "vm:Standard_D16ps_v6": scaled(d2psV6, 8, "Standard_D2ps_v6"),
        "vm:Standard_D32ps_v6": scaled(d2psV6, 16, "Standard_D2ps_v6"),
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
        "mysql:storage-gb": price(0.115, "GB-month", "corroborated", azureWordpress, "2026-10-03"),
        "appgw-waf-v2:hour": price(0.36, "hour", "verified", `${golden} application_gateway_test (eastus)`, "2026-03-30"),
        "appgw-waf-v2:cu-hour": price(0.0144, "CU-hour", "verified", `${golden} application_gateway_test (eastus)`, "2026-03-30"),
        "public-ip:hour": price(0.005, "hour", "verified", `${golden} public_ip_test (eastus, Standard static)`, "2026-04"),
        "nat:hour": price(0.045, "hour", "corroborated", `${golden} nat_gateway_test (West Europe; same US list price)`, "2024"),
        "nat:gb": price(0.045, "GB", "corroborated", `${golden} nat_gateway_test (West Europe; same US list price)`, "2024"),
        // The first five rules are one bundle; a balancer without rules is free.
        "lb:hour": price(0.025, "hour", "corroborated", `${reviewed}: retail meter "Standard Included LB Rules and Outbound Rules" quoted by several 2026 pricing tools`, "2026"),
        "lb:extra-rule-hour": price(0.01, "rule-hour", "verified", `${golden} lb_rule_v2_test`, "2024"),
        "lb:gb": price(0.005, "GB", "verified", `${golden} lb_test`, "2024"),
        "blob-hot-lrs:gb": price(0.0208, "GB-month", "corroborated", "fixture + West US golden agree (eastus2 is $0.0184)", "2026-07"),
        "blob-hot-zrs:gb": price(0.026, "GB-month", "corroborated", `${reviewed}: West US golden; East US Hot LRS equals West US`, "2024-07"),
        "files-premium-zrs:gib": price(0.2, "GiB-month", "verified", `${retail}, provisioned`, "2026-07-24"),
        "files-premium-zrs:snapshot-gb": price(0.17, "GB-month", "verified", `${retail}, Premium ZRS snapshots (${reviewed})`, "2026-07-24"),
        // Premium SSD is billed by tier size (the disk rounds up to the next tier); LRS.
        "managed-disk:P4": price(5.28, "disk-month", "verified", `${golden} AKS (eastus)`, "2024"),
        "managed-disk:P6": price(10.21, "disk-month", "corroborated", `${reviewed}: West US 2 retail $9.28 x the eastus/westus2 P10 ratio; also quoted at $10.207`, "2026-09-25"),
        "managed-disk:P10": price(19.71, "disk-month", "verified", `${golden} AKS (eastus)`, "2024"),
        "managed-disk:P15": price(38.01, "disk-month", "unverified", "Azure managed disks pricing page from memory", "2026"),
        "managed-disk:P20": price(73.22, "disk-month", "unverified", "Azure managed disks pricing page from memory", "2026"),
        "managed-disk:P30": price(135.17, "disk-month", "unverified", "Azure managed disks pricing page from memory", "2026"),
        "log-analytics:gb": price(2.3, "GB", "corroborated", `${reviewed}: two retail-API readings (azure-wordpress eastus; hcs-patient-portal westus2)`, "2026-10-03"),
        "log-analytics:retention-gb": price(0.1, "GB-month", "corroborated", `${reviewed}: azure-wordpress guide (interactive beyond 31 days)`, "2026-10-03"),
        // Long-term retention: West Europe golden "Archive data" $0.026; East US about $0.02.
        "log-analytics:long-term-gb": price(0.02, "GB-month", "unverified", `${reviewed}: ~$0.02 East US; ${golden} log_analytics_workspace_test (West Europe) $0.026`, "2024-08"),
        "flow-logs:gb": price(0.5, "GB", "corroborated", `${golden} network_watcher_flow_log_test (West Europe; same list price)`, "2024-07"),
        "traffic-analytics-10:gb": price(3.5, "GB", "corroborated", `${golden} network_watcher_flow_log_test (10-minute interval)`, "2024-07"),
        "traffic-analytics-60:gb": price(2.3, "GB", "corroborated", `${golden} network_watcher_flow_log_test (60-minute interval)`, "2024-07"),
        "monitor:metric-alert": price(0.1, "signal-month", "verified", `${golden} monitor_metric_alert_test (eastus; first 10 series free)`, "2024-07"),
        // Balanced B0 with high availability = two nodes, each billed at the "B0 Cache Instance"
        // meter: $0.016 per node-hour (Azure Retail Prices API, product "Azure Managed Redis -
        // Balanced", eastus2, effectiveStartDate 2026-01-01, read 2026-08-11 and 2026-10-03 in
        // secondary transcriptions). Infracost's golden test in eastus bills Balanced_B3 with HA as
        // 1,460 node-hours ($94.90) and without as 730 ($47.45): HA doubles, and East US's B3
        // ($0.065) is East US 2's, so B0 is taken as the same ($0.032 with HA, $23.36 a month).
        // East US readings of B0 itself agree: "~$0.016/hr ... (eastus B0 Cache Instance)" (an ops
        // log, 2026-09-21) and "~$23/mo ... HA in East US" (microsoft/simplechat PR #1438, 2026-09-04).
        "managed-redis:Balanced_B0-ha": price(0.032, "hour", "corroborated", `2 nodes x $0.016 (Retail Prices API, eastus2, 2026-08/10; eastus readings ~$0.016/node-hour, ~$23/month with HA); ${golden} managed_redis_test (eastus: HA = 2 x 730 node-hours)`, "2026-10"),
        "private-endpoint:hour": price(0.01, "hour", "verified", `${golden} private_endpoint_test`, "2024-07"),
        "private-endpoint:gb": price(0.01, "GB", "verified", `${golden} private_endpoint_test (inbound and outbound each)`, "2024-07"),
        "private-dns:zone": price(0.5, "zone-month", "verified", `${golden} private_dns_zone_test (first 25 zones)`, "2024-07"),
        "keyvault:10k-ops": price(0.03, "10k operations", "verified", `${golden} key_vault_key_test`, "2024"),
        "keyvault:hsm-key": price(5, "key-month", "verified", `${golden} key_vault_key_test (eastus, RSA-HSM 3072, first 250 keys)`, "2024-07"),
        "transfer:internet-gb": price(0.087, "GB", "verified", `${reviewed}: eastus retail fixture; hcs-patient-portal ("Data Transfer Zone 1", after 100 GB)`, "2026-09"),
        // Announced but not applied: $0 until Azure bills it.
        "transfer:cross-zone-gb": price(0, "GB", "unverified", "Azure announced inter-zone charges but has not applied them", "2026"),
    },
};
