import { beforeAll, describe, expect, it } from "vitest";
import { baseConfig, runStack, type Graph } from "../harness";

const SERVER = "azure-native:dbformysql:Server";
const CONFIGURATION = "azure-native:dbformysql:Configuration";

describe("azure MySQL flexible server, as Azure accepts it", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.azure })).ok();
    }, 60_000);

    it("names the customer-managed key by its versioned URI (flexible server takes no versionless key)", () => {
        const key = g.one("azure-native:keyvault:Key");
        const { primaryKeyURI } = g.one(SERVER).inputs.dataEncryption;
        expect(primaryKeyURI).toMatch(/^https:\/\/[^/]+\.vault\.azure\.net\/keys\/emr-data\/[0-9a-f]{32}$/);
        expect(primaryKeyURI).toBe(key.outputs.keyUriWithVersion);
    });

    it("runs MySQL 8.4 LTS (8.0 enters paid Extended Support on Azure from 2027-01-01)", () => {
        expect(g.one(SERVER).inputs.version).toBe("8.4");
    });

    it("sets no server parameter MySQL 8.4 removed (dev.mysql.com optvar-changes-8-4.html)", () => {
        const removedIn84 = ["default_authentication_plugin", "avoid_temporal_upgrade", "binlog_transaction_dependency_tracking", "have_ssl", "have_openssl", "expire_logs_days"];
        const names = g.ofType(CONFIGURATION).map((p) => p.inputs.configurationName);
        expect(names.length).toBeGreaterThan(0);
        for (const removed of removedIn84) expect(names).not.toContain(removed);
    });

    it("keeps data and logs on zone-redundant storage under zone-redundant HA", () => {
        const server = g.one(SERVER);
        expect(server.inputs.highAvailability.mode).toBe("ZoneRedundant");
        expect(server.inputs.storage.storageRedundancy).toBe("ZoneRedundancy");
    });

    it("turns generated invisible primary keys off before the credentials the servers boot with exist", () => {
        const parameters = g.ofType(CONFIGURATION);
        const gipk = parameters.find((p) => p.inputs.configurationName === "sql_generate_invisible_primary_key");
        expect(gipk?.inputs.value).toBe("OFF");
        // Every parameter is in the serial chain whose last link gates the secret URI (dbTier.ts).
        const last = parameters.find((p) => !parameters.some((q) => q.dependsOn.includes(p.key)))!;
        const chain = new Set<string>();
        for (let p: typeof last | undefined = last; p; p = parameters.find((q) => p!.dependsOn.includes(q.key))) chain.add(p.key);
        expect(chain.has(gipk!.key)).toBe(true);
    });
});
