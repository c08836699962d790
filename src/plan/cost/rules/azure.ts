import type { PlanResource } from "../../plan";
import type { CostRule, RuleContext, RuleSet } from "../types";
import { share } from "./share";

const T = (t: string) => `azure-native:${t}`;
const types = {
    vmss: T("compute:VirtualMachineScaleSet"),
    autoscale: T("monitor:AutoscaleSetting"),
    nat: T("network:NatGateway"),
    lb: T("network:LoadBalancer"),
    account: T("storage:StorageAccount"),
    workspace: T("operationalinsights:Workspace"),
    keyVault: T("keyvault:Vault"),
};

/** Premium SSD tiers (GiB): a disk is billed as the smallest tier it fits in. */
const premiumTiers: Array<[string, number]> = [["P4", 32], ["P6", 64], ["P10", 128], ["P15", 256], ["P20", 512], ["P30", 1024]];
export const premiumTier = (gb: number): string => premiumTiers.find(([, size]) => gb <= size)?.[0] ?? "P40+";

/** The scale set's floor: its autoscale minimum, else the declared capacity. */
function minInstances(r: PlanResource, ctx: RuleContext): number {
    const autoscale = ctx.dependents(r, types.autoscale)[0];
    const min = (autoscale?.inputs.profiles as Array<{ capacity: { minimum: string } }> | undefined)?.[0]?.capacity.minimum;
    return Number(min ?? (r.inputs.sku as { capacity?: number }).capacity ?? 0);
}

const scaleSet: CostRule = (r, price, _usage, ctx) => {
    const n = minInstances(r, ctx);
    const sku = String((r.inputs.sku as { name: string }).name);
    const os = (r.inputs.virtualMachineProfile as any)?.storageProfile?.osDisk;
    const account = String(os?.managedDisk?.storageAccountType ?? "Premium_LRS");
    const tier = premiumTier(Number(os?.diskSizeGB ?? 30));
    // Only Premium LRS tiers are in the catalog; another disk type is reported, not guessed.
    const diskId = account === "Premium_LRS" ? `managed-disk:${tier}` : `managed-disk-${account}:${tier}`;
    return [price.hourly(`Instances (${sku}, min ${n})`, `vm:${sku}`, n), price.monthly(`OS disk ${account} ${tier} (${n} x ${os?.diskSizeGB} GB)`, diskId, n)];
};

/** Zone-redundant (or same-zone) HA runs a standby of the same size: compute and storage bill twice. */
const mysqlServer: CostRule = (r, price) => {
    const ha = ["ZoneRedundant", "SameZone"].includes(String((r.inputs.highAvailability as { mode?: string })?.mode));
    const nodes = ha ? 2 : 1;
    const sku = String((r.inputs.sku as { name: string }).name);
    const gb = Number((r.inputs.storage as { storageSizeGB?: number })?.storageSizeGB ?? 0);
    const suffix = ha ? " (HA: primary + standby)" : "";
    return [price.hourly(`Compute (${sku})${suffix}`, `mysql:${sku}`, nodes), price.monthly(`Storage${suffix}`, "mysql:storage-gb", nodes * gb)];
};

/** Fixed hours plus capacity units; the autoscale minimum reserves 10 CU per instance. */
const applicationGateway: CostRule = (r, price, usage) => {
    const tier = String((r.inputs.sku as { tier: string }).tier).toLowerCase().replace("_", "-");
    const min = Number((r.inputs.autoscaleConfiguration as { minCapacity?: number })?.minCapacity ?? (r.inputs.sku as { capacity?: number }).capacity ?? 0);
    const reserved = 10 * min;
    const cu = Math.max(reserved, usage.appGatewayCapacityUnits);
    return [
        price.hourly(`Gateway (${tier})`, `appgw-${tier}:hour`),
        price.monthly(`Capacity units (${cu} CU; min ${min} instances reserve ${reserved})`, `appgw-${tier}:cu-hour`, cu * 730, cu > reserved),
    ];
};

/** The first five rules (load-balancing, outbound, inbound NAT) are one bundle; no rule, no charge. */
const loadBalancer: CostRule = (r, price, usage, ctx) => {
    const rules = ["loadBalancingRules", "outboundRules", "inboundNatRules"].reduce((n, k) => n + ((r.inputs[k] as unknown[] | undefined)?.length ?? 0), 0);
    if (rules === 0) return [];
    return [
        price.hourly(`Rules (first 5 bundle, ${rules} used)`, "lb:hour"),
        ...(rules > 5 ? [price.hourly(`Rules beyond 5`, "lb:extra-rule-hour", rules - 5)] : []),
        price.monthly("Data processed", "lb:gb", share(usage.loadBalancerProcessedGb, ctx.count(types.lb)), true),
    ];
};

const redundancy = (account: PlanResource) => String((account.inputs.sku as { name: string }).name).split("_")[1].toLowerCase();

/** Blob accounts hold logs only (documents live on the Premium share), split evenly. */
const storageAccount: CostRule = (r, price, usage, ctx) => {
    if (r.inputs.kind === "FileStorage") return []; // billed per provisioned share
    const logAccounts = ctx.plan.resources.filter((a) => a.type === types.account && a.inputs.kind !== "FileStorage").length;
    return [price.monthly("Hot blob storage (logs)", `blob-hot-${redundancy(r)}:gb`, share(usage.logArchiveGb, logAccounts), true)];
};

/**
 * Premium file shares bill the provisioned quota, whatever is used, and their snapshots bill the
 * blocks they hold that the share no longer has (cost-review.md (a): Premium ZRS snapshots).
 * Snapshots exist when a workflow takes them (src/azure/storageSnapshots.ts).
 */
const fileShare: CostRule = (r, price, usage, ctx) => {
    const account = ctx.dependencies(r, types.account)[0];
    const sku = account ? String((account.inputs.sku as { name: string }).name) : "Premium_LRS";
    const [tier, red] = sku.toLowerCase().split("_");
    const snapshots = ctx.count(T("logic:Workflow")) > 0;
    return [
        price.monthly(`Provisioned ${sku} share`, `files-${tier}-${red}:gib`, Number(r.inputs.shareQuota ?? 0)),
        ...(snapshots ? [price.monthly("Share snapshots (changed blocks)", `files-${tier}-${red}:snapshot-gb`, usage.fileSnapshotGb, true)] : []),
    ];
};

/**
 * The total retention the stack gives the workspace's tables (the deployments that depend on the
 * workspace): an ARM deployment of
 * `Microsoft.OperationalInsights/workspaces/tables` (src/azure/logRetention.ts: Azure's tables
 * exist before any data and cannot be created or deleted, so they are updated, not declared).
 */
function tableTotalRetention(deployments: PlanResource[]): number[] {
    return deployments
        .flatMap((d) => ((d.inputs.properties as any)?.template?.resources ?? []) as Array<{ type: string; properties?: { totalRetentionInDays?: number } }>)
        .filter((t) => t.type === "Microsoft.OperationalInsights/workspaces/tables")
        .map((t) => Number(t.properties?.totalRetentionInDays ?? 0));
}

/**
 * Log Analytics bills ingestion, interactive retention beyond the 31 days that come free, and
 * long-term retention up to each table's total retention (cost-review.md (a): $0.10 interactive,
 * about $0.02 long-term). Stored GB-months: a month's ingestion times the months kept.
 */
const workspace: CostRule = (r, price, usage, ctx) => {
    const ingested = share(usage.logIngestGb, ctx.count(types.workspace));
    const interactive = Number(r.inputs.retentionInDays ?? 30);
    const total = Math.max(interactive, ...tableTotalRetention(ctx.dependents(r, T("resources:Deployment"))));
    const months = (days: number) => Math.max(0, days) / (365 / 12);
    const gbMonths = (days: number) => Math.round(ingested * months(days) * 100) / 100;
    return [
        price.monthly("Data ingested", "log-analytics:gb", ingested, true),
        ...(interactive > 31 ? [price.monthly(`Interactive retention ${interactive} days (beyond 31 free)`, "log-analytics:retention-gb", gbMonths(interactive - 31), true)] : []),
        ...(total > interactive ? [price.monthly(`Long-term retention to ${total} days`, "log-analytics:long-term-gb", gbMonths(total - interactive), true)] : []),
    ];
};

/**
 * VNet flow logs: collection beyond the first 5 GB a month, and Traffic Analytics per GB
 * processed when it is on (10-minute interval $3.50, 60-minute $2.30: cost-review.md (a)).
 */
const flowLog: CostRule = (r, price, usage, ctx) => {
    const gb = share(usage.flowLogGb, ctx.count(T("network:FlowLog")));
    const analytics = (r.inputs.flowAnalyticsConfiguration as any)?.networkWatcherFlowAnalyticsConfiguration;
    return [
        price.monthly("Flow logs collected (after 5 GB free)", "flow-logs:gb", Math.max(0, gb - 5), true),
        ...(analytics?.enabled ? [price.monthly(`Traffic Analytics (${analytics.trafficAnalyticsInterval ?? 60}-minute)`, `traffic-analytics-${analytics.trafficAnalyticsInterval === 10 ? 10 : 60}:gb`, gb, true)] : []),
    ];
};

/** Each monitored time series is billed, the first 10 of the subscription's a month are free. */
const metricAlert: CostRule = (r, price, _usage, ctx) => {
    const rank = ctx.plan.resources.filter((a) => a.type === r.type).map((a) => a.key).sort().indexOf(r.key);
    return [rank < 10 ? price.monthly("Metric alert signal (one of the 10 free)", "monitor:metric-alert", 0) : price.monthly("Metric alert signal", "monitor:metric-alert", 1)];
};

/** Hours, and every GB through the endpoint, in and out ($0.01 each way). */
const privateEndpoint: CostRule = (_r, price, usage, ctx) => [
    price.hourly("Private endpoint", "private-endpoint:hour"),
    price.monthly("Data processed (in and out)", "private-endpoint:gb", 2 * share(usage.privateEndpointGb, ctx.count(T("network:PrivateEndpoint"))), true),
];

const perHour = (name: string, priceId: string): CostRule => (_r, price) => [price.hourly(name, priceId)];

export const azureRules: RuleSet = {
    rules: {
        [types.vmss]: scaleSet,
        [T("dbformysql:Server")]: mysqlServer,
        [T("network:ApplicationGateway")]: applicationGateway,
        [types.lb]: loadBalancer,
        [T("network:PublicIPAddress")]: perHour("Standard public IP", "public-ip:hour"),
        [types.nat]: (_r, price, usage, ctx) => [
            price.hourly("NAT gateway", "nat:hour"),
            price.monthly("Data processed", "nat:gb", share(usage.natProcessedGb, ctx.count(types.nat)), true),
        ],
        [types.account]: storageAccount,
        [T("storage:FileShare")]: fileShare,
        [types.workspace]: workspace,
        [types.keyVault]: (_r, price, usage, ctx) => [price.monthly("Operations", "keyvault:10k-ops", share(usage.keyOperations10k, ctx.count(types.keyVault)), true)],
        // Software-protected keys bill only operations (on the vault); HSM keys bill per key.
        [T("keyvault:Key")]: (r, price) => (/-HSM$/.test(String((r.inputs.properties as { kty?: string })?.kty)) ? [price.monthly("HSM-protected key", "keyvault:hsm-key", 1)] : []),
        [T("network:PrivateEndpoint")]: privateEndpoint,
        [T("network:FlowLog")]: flowLog,
        [T("privatedns:PrivateZone")]: (_r, price) => [price.monthly("Private DNS zone", "private-dns:zone", 1)],
        [T("monitor:MetricAlert")]: metricAlert,
        // Azure Managed Redis bills the cluster per hour by SKU, high availability included in the
        // SKU's HA price (the price catalog's entry says which).
        [T("redisenterprise:RedisEnterprise")]: (r, price) => {
            const sku = String((r.inputs.sku as { name?: string })?.name);
            const ha = r.inputs.highAvailability !== "Disabled";
            return [price.hourly(`Azure Managed Redis ${sku}${ha ? " (high availability)" : ""}`, `managed-redis:${sku}${ha ? "-ha" : ""}`)];
        },
    },
    free: {
        ...Object.fromEntries(
            ["resources:ResourceGroup", "network:VirtualNetwork", "network:Subnet", "network:NetworkSecurityGroup", "privatedns:VirtualNetworkLink", "network:PrivateDnsZoneGroup"].map((t) => [
                T(t),
                "network configuration: no charge",
            ]),
        ),
        ...Object.fromEntries(
            ["authorization:RoleAssignment", "authorization:RoleDefinition", "managedidentity:UserAssignedIdentity", "authorization:ManagementLockByScope"].map((t) => [T(t), "identity and access: no charge"]),
        ),
        ...Object.fromEntries(
            ["storage:BlobServiceProperties", "storage:BlobContainer", "storage:ManagementPolicy", "storage:FileServiceProperties"].map((t) => [T(t), "storage setting: billed on the account or share"]),
        ),
        [T("resources:Deployment")]: "ARM deployment record (it sets the log tables' retention, billed on the workspace)",
        [T("monitor:DiagnosticSetting")]: "billed as ingestion at its destination",
        // The web servers' container output lands in the workspace's Syslog table: emr:usage logIngestGb.
        [T("monitor:DataCollectionRule")]: "billed as ingestion in the workspace it sends to",
        [T("authorization:PolicyAssignment")]: "Azure Policy on Azure resources: no charge (its deployments create only free associations)",
        [types.autoscale]: "autoscale: no charge",
        [T("monitor:ActionGroup")]: "first 1,000 e-mails a month are free",
        [T("logic:Workflow")]: "consumption plan: a daily run of a few actions costs under $0.01",
        [T("dbformysql:Configuration")]: "server parameter: no charge",
        [T("keyvault:Secret")]: "billed as vault operations",
        [T("redisenterprise:Database")]: "billed on its Azure Managed Redis cluster",
        [T("network:WebApplicationFirewallPolicy")]: "included in the WAF_v2 gateway price",
        [T("resources:DeploymentAtSubscriptionScope")]: "ARM deployment record (it ensures the region's Network Watcher, which is free)",
        "pulumi-nodejs:dynamic:Resource": "subscription provider and feature registration: no charge",
        "pulumi-nodejs:dynamic:SkuPreflight": "reads the region's VM sizes before the scale set is created: no charge",
    },
    stack: (price, usage) => [
        price.monthly(`Internet egress (after ${usage.freeEgressGb} GB free)`, "transfer:internet-gb", Math.max(0, usage.internetEgressGb - usage.freeEgressGb), true),
        price.monthly("Cross-zone traffic (not billed yet)", "transfer:cross-zone-gb", usage.crossZoneGb, true),
    ],
};
