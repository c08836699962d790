import type { PlannedResource } from "../capture";
import type { Graph } from "../graph";
import { classify } from "../placement";
import { alarmTier, generatedSecretValues, placementOf } from "./common";
import { azureSessionStores } from "./sessionStores";
import type { DatabaseModel, EmrModel, LoadBalancerModel, Placement, ServerGroupModel, StoreModel } from "./types";

const T = (kind: string) => `azure-native:${kind}`;
/** The last segment of an Azure sub-resource id: the item's name inside its parent. */
const leaf = (ref: { id?: string } | undefined) => String(ref?.id ?? "").split("/").pop();

/** Lowest TLS version of an App Gateway SSL policy (predefined 2022 policies are TLS 1.2+). */
function minTlsOf(policy: any): string | undefined {
    if (!policy) return undefined;
    if (policy.minProtocolVersion) return String(policy.minProtocolVersion).replace(/^TLSv/, "").replace("_", ".");
    return /^AppGwSslPolicy2022/.test(policy.policyName ?? "") || /^AppGwSslPolicy20170401S/.test(policy.policyName ?? "") ? "1.2" : "1.0";
}

/**
 * Reads an Azure stack's graph into the neutral model, from the resources' own inputs. Azure
 * subnets span the region, so the configured zones come from the stack's `zones` output and
 * each zonal resource says its zones itself.
 */
export function readAzureModel(g: Graph): EmrModel {
    const zones = ((g.run.outputs.zones as string[] | undefined) ?? []).map(String);
    const placement = placementOf(classify(g));
    const secretValues = generatedSecretValues(g);
    const diagnostics = g.ofType(T("monitor:DiagnosticSetting"));
    const diagnosed = (r: PlannedResource | undefined) => !!r && diagnostics.some((d) => d.inputs.resourceUri === r.id && (d.inputs.logs ?? []).some((l: any) => l.enabled));
    // Total retention per table (interactive + long-term), as the stack's ARM deployment sets it
    // (src/azure/logRetention.ts); a table it does not name keeps the workspace's interactive days.
    const workspaces = g.ofType(T("operationalinsights:Workspace"));
    const tableTotals = g.ofType(T("resources:Deployment")).flatMap((d) =>
        ((d.inputs.properties?.template?.resources ?? []) as any[]).filter((r) => r.type === "Microsoft.OperationalInsights/workspaces/tables"),
    );
    const totalRetention = (table: string) =>
        workspaces.map((w) => tableTotals.find((r) => r.name === `${w.outputs.name}/${table}`)?.properties?.totalRetentionInDays ?? (w.inputs.retentionInDays as number | undefined));
    const workspaceRetention = tableTotals.length ? tableTotals.map((r) => r.properties?.totalRetentionInDays as number | undefined) : workspaces.map((w) => w.inputs.retentionInDays as number | undefined);
    const mysql = g.ofType(T("dbformysql:Server"));
    const parameter = (server: PlannedResource, name: string) =>
        g.ofType(T("dbformysql:Configuration")).find((c) => c.inputs.serverName === server.outputs.name && c.inputs.configurationName === name)?.inputs.value;
    const scaleSets = g.ofType(T("compute:VirtualMachineScaleSet"));
    const ipConfigs = scaleSets.flatMap((s) => s.inputs.virtualMachineProfile?.networkProfile?.networkInterfaceConfigurations ?? []).flatMap((n: any) => n.ipConfigurations ?? []);

    return {
        cloud: "azure",
        zones,
        loadBalancers: g.ofType(T("network:ApplicationGateway")).map((gw) => gateway(g, gw, diagnosed(gw))),
        serverGroups: scaleSets.map((s) => scaleSet(g, s, secretValues)),
        egress: [
            // Outbound rules SNAT every server whose NIC joins the balancer's backend pool.
            ...g.ofType(T("network:LoadBalancer")).filter((lb) => (lb.inputs.outboundRules ?? []).length > 0).map((lb) => ({
                key: lb.key,
                placement: placement(lb),
                serves: (lb.inputs.outboundRules ?? []).some((rule: any) => ipConfigs.some((ip: any) => (ip.loadBalancerBackendAddressPools ?? []).some((p: any) => p.id === rule.backendAddressPool?.id)))
                    ? zones
                    : [],
            })),
            // A NAT gateway serves the subnets that name it.
            ...g.ofType(T("network:NatGateway")).map((nat) => ({
                key: nat.key,
                placement: placement(nat),
                serves: g.ofType(T("network:Subnet")).some((s) => s.inputs.natGateway?.id === nat.id) ? zones : [],
            })),
        ],
        databases: mysql.map((server) => database(g, server, placement(server), zones, parameter, diagnosed(server))),
        stores: stores(g, placement, zones),
        sessionStores: azureSessionStores(g, placement, scaleSets.map((s) => Buffer.from(s.inputs.virtualMachineProfile?.osProfile?.customData ?? "", "base64").toString("utf8"))),
        audit: {
            flowLogRetentionDays: g.ofType(T("network:FlowLog")).map((f) => (f.inputs.retentionPolicy?.enabled ? f.inputs.retentionPolicy.days : undefined))[0],
            loadBalancerAccessLogs: g.ofType(T("network:ApplicationGateway")).every(diagnosed),
            databaseAuditLogRetentionDays: mysql.every((s) => parameter(s, "audit_log_enabled") === "ON" && diagnosed(s)) ? totalRetention("AzureDiagnostics")[0] : undefined,
            controlPlaneTrail: diagnostics.some((d) => /^\/subscriptions\/[^/]+$/.test(d.inputs.resourceUri ?? "")),
            logRetentionDays: [...workspaceRetention, ...g.ofType(T("network:FlowLog")).map((f) => f.inputs.retentionPolicy?.days)],
        },
        alarms: g.ofType(T("monitor:MetricAlert")).map((a) => {
            const criteria = a.inputs.criteria?.allOf ?? [];
            const groups = (a.inputs.actions ?? []).map((x: any) => g.referenced(x.actionGroupId));
            return {
                key: a.key,
                tier: alarmTier(criteria[0]?.metricNamespace ?? g.referenced(a.inputs.scopes?.[0])?.type),
                metric: criteria.map((c: any) => `${c.metricNamespace}/${c.metricName}`).join(","),
                notifies: groups.flatMap((grp: PlannedResource | undefined) => (grp?.inputs.emailReceivers ?? []).map((e: any) => e.emailAddress)),
            };
        }),
        secrets: g.ofType(T("keyvault:Secret")).map((s) => ({
            key: s.key,
            // Generated: by a password generator, or issued by the service itself (an Azure Managed
            // Redis access key, which Azure generates: the secret names the cluster's host beside it).
            generated:
                secretValues.some((v) => String(s.inputs.properties?.value ?? "").includes(v)) ||
                g.ofType(T("redisenterprise:RedisEnterprise")).some((r) => String(s.inputs.properties?.value ?? "").includes(`"host":"${r.outputs.hostName}"`)),
            secretInState: s.secretPaths.some((p) => p.startsWith("properties.value") || p === "properties"),
            // Held in the stack's own Key Vault, whose purge protection keeps the keys under its control.
            encryptedWithCustomerKey:
                g.ofType(T("keyvault:Vault")).find((v) => v.outputs.name === s.inputs.vaultName)?.inputs.properties?.enablePurgeProtection === true,
        })),
        publicEndpoints: [
            ...g.ofType(T("network:ApplicationGateway")).filter((gw) => (gw.inputs.frontendIPConfigurations ?? []).some((f: any) => f.publicIPAddress)),
            ...g.ofType(T("storage:StorageAccount")).filter(reachableFromInternet),
            ...g.ofType(T("keyvault:Vault")).filter((v) => reachableFromInternet({ inputs: { ...v.inputs.properties } } as PlannedResource)),
            ...g.ofType(T("redisenterprise:RedisEnterprise")).filter((r) => r.inputs.publicNetworkAccess !== "Disabled"),
            ...mysql.filter((s) => s.inputs.network?.publicNetworkAccess !== "Disabled" && !s.inputs.network?.delegatedSubnetResourceId),
            ...scaleSets.filter((s) => ipConfigsOf(s).some((ip: any) => ip.publicIPAddressConfiguration)),
        ].map((r) => r.key),
        // Azure encrypts storage, MySQL and Key Vault at rest always; VM temp disks and caches need encryption at host.
        unencrypted: scaleSets.filter((s) => s.inputs.virtualMachineProfile?.securityProfile?.encryptionAtHost !== true).map((s) => s.key),
    };
}

/** Public network access on, and no firewall that denies by default. */
const reachableFromInternet = (r: PlannedResource) =>
    r.inputs.publicNetworkAccess !== "Disabled" && (r.inputs.networkRuleSet ?? r.inputs.networkAcls)?.defaultAction !== "Deny";

const ipConfigsOf = (s: PlannedResource) =>
    (s.inputs.virtualMachineProfile?.networkProfile?.networkInterfaceConfigurations ?? []).flatMap((n: any) => n.ipConfigurations ?? []);

function gateway(g: Graph, gw: PlannedResource, accessLogs: boolean): LoadBalancerModel {
    const listeners = gw.inputs.httpListeners ?? [];
    const httpListener = listeners.find((l: any) => l.protocol === "Http");
    const httpsListener = listeners.find((l: any) => l.protocol === "Https");
    const httpRule = (gw.inputs.requestRoutingRules ?? []).find((r: any) => leaf(r.httpListener) === httpListener?.name);
    const redirect = (gw.inputs.redirectConfigurations ?? []).find((r: any) => r.name === leaf(httpRule?.redirectConfiguration));
    const probe = (gw.inputs.probes ?? [])[0];
    const policy = g.referenced(gw.inputs.firewallPolicy?.id);
    return {
        key: gw.key,
        zones: [...(gw.inputs.zones ?? [])].sort(),
        public: (gw.inputs.frontendIPConfigurations ?? []).some((f: any) => f.publicIPAddress),
        minTlsVersion: minTlsOf(gw.inputs.sslPolicy),
        httpRedirectsToHttps: !!httpRule && !httpRule.backendAddressPool && leaf(redirect?.targetListener) === httpsListener?.name,
        firewall: policy && {
            key: policy.key,
            managedRuleSets: (policy.inputs.managedRules?.managedRuleSets ?? []).map((m: any) => `${m.ruleSetType} ${m.ruleSetVersion}`),
            rateLimit: (policy.inputs.customRules ?? []).some((r: any) => r.ruleType === "RateLimitRule" && r.action === "Block"),
            blocks: policy.inputs.policySettings?.mode === "Prevention" && policy.inputs.policySettings?.state === "Enabled",
        },
        accessLogs,
        detectionSeconds: probe ? probe.interval * probe.unhealthyThreshold : undefined,
        healthCheckPath: probe?.path,
    };
}

function scaleSet(g: Graph, s: PlannedResource, secretValues: string[]): ServerGroupModel {
    const autoscale = g.ofType(T("monitor:AutoscaleSetting")).find((a) => a.inputs.targetResourceUri === s.id);
    const capacity = autoscale?.inputs.profiles?.[0]?.capacity;
    const boot = Buffer.from(s.inputs.virtualMachineProfile?.osProfile?.customData ?? "", "base64").toString("utf8");
    const secretNames = g.ofType(T("keyvault:Secret")).map((x) => x.outputs.name as string);
    return {
        key: s.key,
        zones: [...(s.inputs.zones ?? [])].sort(),
        min: Number(capacity?.minimum ?? s.inputs.sku?.capacity ?? 0),
        max: Number(capacity?.maximum ?? s.inputs.sku?.capacity ?? 0),
        replacesUnhealthy: s.inputs.automaticRepairsPolicy?.enabled === true,
        autoscales: autoscale?.inputs.enabled !== false && !!autoscale,
        capacityOwnedByAutoscaler: s.ignoreChanges.includes("sku.capacity"),
        publicIp: ipConfigsOf(s).some((ip: any) => ip.publicIPAddressConfiguration),
        fetchesSecretAtBoot: secretNames.some((n) => boot.includes(`/secrets/${n}`)),
        bootConfigHasSecret: secretValues.some((v) => boot.includes(v)),
    };
}

function database(
    g: Graph,
    server: PlannedResource,
    placement: Placement,
    zones: string[],
    parameter: (s: PlannedResource, name: string) => unknown,
    diagnosed: boolean,
): DatabaseModel {
    const subnet = g.referenced(server.inputs.network?.delegatedSubnetResourceId);
    const locked = g.ofType(T("authorization:ManagementLockByScope")).some((l) => l.inputs.scope === server.id && l.inputs.level === "CanNotDelete");
    return {
        key: server.key,
        engine: `mysql ${server.inputs.version}`,
        placement,
        subnetZones: zones,
        automaticFailover: server.inputs.highAvailability?.mode === "ZoneRedundant" && placement.kind === "zone-redundant",
        inDataSubnets: (subnet?.inputs.delegations ?? []).some((d: any) => d.serviceName === "Microsoft.DBforMySQL/flexibleServers"),
        public: server.inputs.network?.publicNetworkAccess === "Enabled",
        encrypted: true,
        customerManagedKey: server.inputs.dataEncryption?.type === "AzureKeyVault",
        requiresTls: String(parameter(server, "require_secure_transport")).toUpperCase() === "ON",
        backupRetentionDays: server.inputs.backup?.backupRetentionDays ?? 0,
        deletionProtection: locked,
        // Azure keeps a dropped flexible server's backups and lets it be restored (the lock stops the drop first).
        backupsOutliveDeletion: locked,
        protect: server.protect,
        auditLogs: String(parameter(server, "audit_log_enabled")).toUpperCase() === "ON" && diagnosed,
    };
}

function stores(g: Graph, placement: (r: PlannedResource) => Placement, zones: string[]): StoreModel[] {
    const files = g.ofType(T("storage:StorageAccount")).find((a) => a.outputs.name === String(g.run.outputs.sharedFileSystem ?? "").split(/[./]/)[0]);
    if (!files) return [];
    const fileService = g.ofType(T("storage:FileServiceProperties")).find((f) => f.inputs.accountName === files.outputs.name);
    // Azure Backup cannot protect NFS shares yet: a scheduled snapshot workflow (Logic App) does.
    const snapshotJobs = g.ofType(T("logic:Workflow"));
    const boots = g.ofType(T("compute:VirtualMachineScaleSet")).map((s) => Buffer.from(s.inputs.virtualMachineProfile?.osProfile?.customData ?? "", "base64").toString("utf8"));
    const alerts = g.ofType(T("monitor:MetricAlert")).map((a) => ({
        scopes: (a.inputs.scopes ?? []).map(String),
        metrics: (a.inputs.criteria?.allOf ?? []).map((c: any) => String(c.metricName)),
    }));
    const alertOn = (metric: string, scope: (s: string) => boolean) => alerts.some((a) => a.metrics.includes(metric) && a.scopes.some(scope));
    return [
        {
            key: files.key,
            kind: "shared-files",
            // The boot mounts `<account>.file.core.windows.net:/<account>/<share>` (src/azure/webBoot.ts).
            holdsDocuments: boots.length > 0 && boots.every((b) => b.includes(`${files.outputs.name}.file.core.windows.net:/`)),
            placement: placement(files),
            // Reached through a private endpoint, which serves every zone of the VNet.
            accessZones: zones,
            encrypted: true,
            customerManagedKey: files.inputs.encryption?.keySource === "Microsoft.Keyvault",
            versioned: false,
            softDelete: fileService?.inputs.shareDeleteRetentionPolicy?.enabled === true,
            public: reachableFromInternet(files) || files.inputs.allowBlobPublicAccess === true,
            tlsOnly: files.inputs.enableHttpsTrafficOnly === true && ["TLS1_2", "TLS1_3"].includes(files.inputs.minimumTlsVersion),
            protect: files.protect,
            backedUpOffZone: placement(files).kind !== "zonal" && snapshotJobs.length > 0,
            // Azure Files publishes FileCapacity (bytes used) on the account's fileServices.
            capacityAlarm: alertOn("FileCapacity", (s) => s.startsWith(String(files.id))),
            // A failed snapshot run is a failed RunsFailed of the workflow.
            backupFailureAlarm: snapshotJobs.some((w) => alertOn("RunsFailed", (s) => s === w.id)),
        },
    ];
}
