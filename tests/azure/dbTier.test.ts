import { beforeAll, describe, expect, it } from "vitest";
import { resourceGroupOf } from "../../src/azure/installSecrets";
import { dataEncryption } from "../../src/azure/dbServer";
import { skuTier, storageRedundancy } from "../../src/azure/dbSettings";
import type { PlannedResource } from "../../src/plan/capture";
import { baseConfig, runStack, type Graph } from "../harness";

const SERVER = "azure-native:dbformysql:Server";
const CONFIGURATION = "azure-native:dbformysql:Configuration";
const LOCK = "azure-native:authorization:ManagementLockByScope";
const DIAGNOSTICS = "azure-native:monitor:DiagnosticSetting";
const SECRET = "azure-native:keyvault:Secret";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const DB_TIER = "emr:azure:DbTier::emr-db";
/** A whole program run under mocks takes several seconds; hooks get 10 s by default. */
const RUN_TIMEOUT = 60_000;

const serverOf = (g: Graph) => g.one(SERVER);
const password = (g: Graph, role: "admin" | "app") => g.byKey(`${PASSWORD}::emr-db-${role}-password`)!;
const underDbTier = (g: Graph, r: PlannedResource) => {
    for (let p = r.parent; p; p = g.byKey(p)?.parent) if (p === DB_TIER) return true;
    return false;
};
/** Whether `path` is, or lies inside, an input that was a Pulumi secret. */
const isSecretPath = (r: PlannedResource, path: string) => r.secretPaths.some((p) => path === p || path.startsWith(`${p}.`));

/** Every plain (non-secret) string input of `r` that contains `needle`, with its path. */
function plainOccurrences(r: PlannedResource, needle: string): string[] {
    const found: string[] = [];
    const visit = (value: unknown, path: string) => {
        if (path && isSecretPath(r, path)) return;
        if (typeof value === "string" && value.includes(needle)) found.push(`${r.key} ${path}`);
        else if (value !== null && typeof value === "object") {
            for (const [k, v] of Object.entries(value)) visit(v, Array.isArray(value) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
        }
    };
    visit(r.inputs, "");
    return found;
}

/** The storage tier's Key Vault (name and resource group), or the stub's placeholders while it has none. */
function keyVault(g: Graph): { name: string; resourceGroup: string } {
    const vaults = g.ofType("azure-native:keyvault:Vault");
    if (vaults.length === 0) return { name: "stub-kv", resourceGroup: "rg" };
    expect(vaults).toHaveLength(1);
    return { name: vaults[0].outputs.name, resourceGroup: vaults[0].inputs.resourceGroupName };
}

/**
 * The storage tier's customer-managed key as MySQL takes it, if that tier has one: the versionless
 * key URI, and the user-assigned identity granted a role on the key itself.
 */
function storageDataKey(g: Graph): { uri: string; identityId: string } | undefined {
    const keys = g.ofType("azure-native:keyvault:Key");
    if (keys.length === 0) return undefined;
    expect(keys).toHaveLength(1);
    const [key] = keys;
    const grantees = g.ofType("azure-native:authorization:RoleAssignment").filter((a) => a.inputs.scope === key.id).map((a) => a.inputs.principalId);
    const identities = g.ofType("azure-native:managedidentity:UserAssignedIdentity").filter((i) => grantees.includes(i.outputs.principalId));
    expect(identities).toHaveLength(1);
    // The versioned key URI: flexible server takes no versionless key (src/azure/dbServer.ts).
    return { uri: key.outputs.keyUriWithVersion, identityId: identities[0].id! };
}

describe("azure DbTier, default config (2 zones)", () => {
    let g: Graph;
    let db: PlannedResource;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.azure })).ok();
        db = serverOf(g);
    }, RUN_TIMEOUT);

    it("is a protected MySQL 8.4 General Purpose server with a zone-redundant standby in another zone", () => {
        expect(db.inputs).toMatchObject({
            version: "8.4",
            sku: { name: "Standard_D2ds_v4", tier: "GeneralPurpose" },
            availabilityZone: "1",
            highAvailability: { mode: "ZoneRedundant", standbyAvailabilityZone: "2" },
        });
        expect(db.inputs.highAvailability.standbyAvailabilityZone).not.toBe(db.inputs.availabilityZone);
        expect(db.protect).toBe(true);
        expect(g.tierOf(db)?.key).toBe(DB_TIER);
        expect(db.inputs.resourceGroupName).toBe(g.one("azure-native:resources:ResourceGroup").outputs.name);
    });

    it("lives in the delegated data subnet, resolves through the linked mysql private zone, and has no public access", () => {
        const subnet = g.referenced(db.inputs.network.delegatedSubnetResourceId)!;
        expect(subnet.key).toBe("azure-native:network:Subnet::emr-net-data");
        expect(subnet.inputs.delegations).toEqual([expect.objectContaining({ serviceName: "Microsoft.DBforMySQL/flexibleServers" })]);
        const zone = g.referenced(db.inputs.network.privateDnsZoneResourceId)!;
        expect(zone.key).toBe("azure-native:privatedns:PrivateZone::emr-net-dns-mysql");
        expect(zone.outputs.name).toMatch(/\.private\.mysql\.database\.azure\.com$/);
        const links = g.ofType("azure-native:privatedns:VirtualNetworkLink").filter((l) => l.inputs.privateZoneName === zone.outputs.name);
        expect(links.map((l) => l.inputs.virtualNetwork.id)).toEqual([g.one("azure-native:network:VirtualNetwork").id]);
        expect(db.inputs.network.publicNetworkAccess).toBe("Disabled");
        expect(g.ofType("azure-native:dbformysql:FirewallRule")).toEqual([]);
    });

    it("keeps 35 days of point-in-time restore in the region and grows its storage by itself", () => {
        expect(db.inputs.backup).toEqual({ backupRetentionDays: 35, geoRedundantBackup: "Disabled" });
        expect(db.inputs.storage).toMatchObject({
            storageSizeGB: 100,
            autoGrow: "Enabled",
            autoIoScaling: "Enabled",
            storageRedundancy: "ZoneRedundancy",
        });
    });

    it("takes maintenance in a custom off-hours window: Sunday 07:30 UTC", () => {
        expect(db.inputs.maintenanceWindow).toEqual({ customWindow: "Enabled", dayOfWeek: 0, startHour: 7, startMinute: 30 });
    });

    it("carries a CanNotDelete lock on top of protect", () => {
        const locks = g.ofType(LOCK).filter((l) => l.inputs.scope === db.id);
        expect(locks).toHaveLength(1);
        expect(locks[0].inputs.level).toBe("CanNotDelete");
        expect(locks[0].inputs.notes).toBeTruthy();
    });

    it("requires TLS >= 1.2 and audits connections, access and schema changes, never statement text", () => {
        const values = Object.fromEntries(g.ofType(CONFIGURATION).map((c) => [c.inputs.configurationName, c.inputs.value]));
        expect(values).toEqual({
            require_secure_transport: "ON",
            tls_version: "TLSv1.2,TLSv1.3",
            audit_log_events: "CONNECTION,DDL,DCL",
            audit_log_enabled: "ON",
            slow_query_log: "ON",
            sql_generate_invisible_primary_key: "OFF",
        });
        for (const event of ["DML", "DML_SELECT", "DML_NONSELECT", "GENERAL"]) expect(values.audit_log_events.split(",")).not.toContain(event);
    });

    it("applies the server parameters one at a time, each after the previous (ServerBusy otherwise)", () => {
        const parameters = g.ofType(CONFIGURATION);
        expect(parameters).toHaveLength(6);
        for (const p of parameters) {
            expect(p.inputs).toMatchObject({ serverName: db.outputs.name, resourceGroupName: db.inputs.resourceGroupName, source: "user-override" });
        }
        expect(parameters[0].dependsOn).toEqual([]);
        for (let i = 1; i < parameters.length; i++) expect(parameters[i].dependsOn).toEqual([parameters[i - 1].key]);
    });

    it("ships the audit and slow query logs and all metrics to the stack's Log Analytics workspace", () => {
        const settings = g.ofType(DIAGNOSTICS).filter((d) => d.inputs.resourceUri === db.id);
        expect(settings).toHaveLength(1);
        const { inputs } = settings[0];
        expect(g.referenced(inputs.workspaceId)?.key).toBe("azure-native:operationalinsights:Workspace::emr-net-logs");
        expect(inputs.logs).toEqual([
            { category: "MySqlAuditLogs", enabled: true },
            { category: "MySqlSlowLogs", enabled: true },
        ]);
        expect(inputs.metrics).toEqual([{ category: "AllMetrics", enabled: true }]);
    });

    it("logs in with a non-empty admin name and a generated password only secret state holds", () => {
        expect(db.inputs.administratorLogin).toBe("emradmin");
        expect(db.inputs.administratorLoginPassword).toBe(password(g, "admin").outputs.result);
        expect(isSecretPath(db, "administratorLoginPassword")).toBe(true);
        for (const role of ["admin", "app"] as const) {
            const { inputs } = password(g, role);
            expect(inputs.length).toBeGreaterThanOrEqual(24);
            expect(inputs).toMatchObject({ special: true, minLower: 1, minUpper: 1, minNumeric: 1, minSpecial: 1 });
            // The boot script refuses whitespace and `=` (openemr.sh word-splits, auto_configure.php splits on =);
            // quotes, backslash, shell and glob characters break sqlconf.php or the shell.
            expect(inputs.overrideSpecial).not.toMatch(/[\s='"`\\$*?[\]{}!#&;|<>()/@%]/);
        }
    });

    it("writes each login as its own JSON secret (RDS field names) into the storage tier's Key Vault", () => {
        const vault = keyVault(g);
        const secret = (name: string) => {
            const found = g.byKey(`${SECRET}::emr-db-${name}`)!;
            expect(found.parent).toBe(DB_TIER);
            expect(found.inputs).toMatchObject({ vaultName: vault.name, resourceGroupName: vault.resourceGroup, secretName: `emr-db-${name}` });
            expect(found.inputs.properties.contentType).toBe("application/json");
            expect(isSecretPath(found, "properties.value")).toBe(true);
            return JSON.parse(found.inputs.properties.value);
        };
        const host = db.outputs.fullyQualifiedDomainName;
        expect(secret("credentials")).toEqual({ username: "openemr", password: password(g, "app").outputs.result, host, port: 3306, dbname: "openemr" });
        expect(secret("admin-login")).toEqual({ username: "emradmin", password: password(g, "admin").outputs.result, host, port: 3306 });
        expect(g.run.outputs.dbEndpoint).toBe(host);
    });

    it("never shows a password in a plain input or a stack output", () => {
        for (const role of ["admin", "app"] as const) {
            const value = password(g, role).outputs.result;
            expect(g.resources.flatMap((r) => plainOccurrences(r, value))).toEqual([]);
            expect(JSON.stringify(g.run.outputs)).not.toContain(value);
        }
    });

    it("leaves creating the database and its user to OpenEMR's install, which fails when the database exists", () => {
        expect(g.ofType("azure-native:dbformysql:Database")).toEqual([]);
    });

    it("encrypts with the storage tier's customer-managed key as its identity once that tier offers one", () => {
        const key = storageDataKey(g);
        if (!key) {
            expect(db.inputs.dataEncryption).toEqual({ type: "SystemManaged" });
            expect(db.inputs.identity).toBeUndefined();
            return;
        }
        expect(db.inputs.dataEncryption).toEqual({ type: "AzureKeyVault", primaryKeyURI: key.uri, primaryUserAssignedIdentityId: key.identityId });
        expect(db.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [key.identityId] });
    });

    it("names every child after the component", () => {
        const children = g.resources.filter((r) => underDbTier(g, r));
        expect(children.length).toBeGreaterThanOrEqual(11);
        for (const child of children) expect(child.name.startsWith("emr-db-")).toBe(true);
    });
});

describe("azure DbTier, memory-optimized size, 14-day retention, geo-redundant backup, 3 zones", () => {
    let db: PlannedResource;
    let g: Graph;
    beforeAll(async () => {
        g = (
            await runStack({
                ...baseConfig.azure,
                "emr:dbSize": JSON.stringify({ vcpu: 2, memoryGiB: 16 }),
                "emr:backupRetentionDays": "14",
                "emr:geoRedundant": "true",
                "emr:zones": "3",
            })
        ).ok();
        db = serverOf(g);
    }, RUN_TIMEOUT);

    it("maps 2 vCPU / 16 GiB to a Memory Optimized E-series SKU on zone-redundant storage", () => {
        expect(db.inputs.sku).toEqual({ name: "Standard_E2ds_v4", tier: "MemoryOptimized" });
        expect(db.inputs.storage.storageRedundancy).toBe("ZoneRedundancy");
    });

    it("keeps the configured retention and copies backups to the paired region", () => {
        expect(db.inputs.backup).toEqual({ backupRetentionDays: 14, geoRedundantBackup: "Enabled" });
    });

    it("keeps the standby in zone 2, apart from the primary in zone 1, on a 3-zone stack", () => {
        expect(db.inputs.availabilityZone).toBe("1");
        expect(db.inputs.highAvailability).toEqual({ mode: "ZoneRedundant", standbyAvailabilityZone: "2" });
    });

    it("never sends a customer-managed key without its paired-region twin (Azure refuses geo backup then)", () => {
        if (db.inputs.dataEncryption.type === "AzureKeyVault") {
            expect(db.inputs.dataEncryption.geoBackupKeyURI).toBeTruthy();
            expect(db.inputs.dataEncryption.geoBackupUserAssignedIdentityId).toBeTruthy();
        } else {
            expect(db.inputs.dataEncryption).toEqual({ type: "SystemManaged" });
        }
    });
});

describe("azure DbTier settings", () => {
    it("puts D-series in General Purpose and E-series in Memory Optimized, and refuses Burstable (no HA)", () => {
        expect(skuTier("Standard_D4ds_v4")).toBe("GeneralPurpose");
        expect(skuTier("Standard_E8ds_v4")).toBe("MemoryOptimized");
        expect(() => skuTier("Standard_B2ms")).toThrow(/zone-redundant HA/);
        expect(storageRedundancy("ZoneRedundant")).toBe("ZoneRedundancy");
        expect(storageRedundancy("SameZone")).toBe("LocalRedundancy");
    });

    it("uses the key with its identity, adds the paired-region pair for geo backup, and falls back without it", () => {
        const key = { keyUri: "https://kv.vault.azure.net/keys/emr-data", identityId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/cmk" };
        const geoKey = { keyUri: "https://kv2.vault.azure.net/keys/emr-data", identityId: "/subscriptions/s/resourceGroups/rg2/providers/Microsoft.ManagedIdentity/userAssignedIdentities/cmk2" };
        expect(dataEncryption(undefined, { geoRedundant: false })).toEqual({ dataEncryption: { type: "SystemManaged" } });
        expect(dataEncryption(key, { geoRedundant: false, geoKey })).toEqual({
            dataEncryption: { type: "AzureKeyVault", primaryKeyURI: key.keyUri, primaryUserAssignedIdentityId: key.identityId },
            identity: { type: "UserAssigned", userAssignedIdentities: [key.identityId] },
        });
        expect(dataEncryption(key, { geoRedundant: true, geoKey })).toEqual({
            dataEncryption: {
                type: "AzureKeyVault",
                primaryKeyURI: key.keyUri,
                primaryUserAssignedIdentityId: key.identityId,
                geoBackupKeyURI: geoKey.keyUri,
                geoBackupUserAssignedIdentityId: geoKey.identityId,
            },
            identity: { type: "UserAssigned", userAssignedIdentities: [key.identityId, geoKey.identityId] },
        });
        expect(dataEncryption(key, { geoRedundant: true })).toEqual({ dataEncryption: { type: "SystemManaged" } });
    });

    it("finds the resource group in an ARM id", () => {
        expect(resourceGroupOf("/subscriptions/s/resourceGroups/emr-rg/providers/Microsoft.KeyVault/vaults/kv")).toBe("emr-rg");
        expect(() => resourceGroupOf("kv")).toThrow(/resource group/);
    });
});
