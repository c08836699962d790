import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { sessionIniJq } from "../../src/app/sessionStore";
import { baseConfig, runStack, type Graph } from "../harness";

const CLUSTER = "azure-native:redisenterprise:RedisEnterprise";
const customDataOf = (g: Graph) => Buffer.from(g.one("azure-native:compute:VirtualMachineScaleSet").inputs.virtualMachineProfile.osProfile.customData, "base64").toString("utf8");

describe("azure session store", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.azure })).ok();
    }, 60_000);

    it("is Azure Managed Redis with high availability, TLS 1.2+, no public access, one non-cluster endpoint with access keys", () => {
        const cluster = g.one(CLUSTER).inputs;
        expect(cluster).toMatchObject({ sku: { name: "Balanced_B0" }, highAvailability: "Enabled", minimumTlsVersion: "1.2", publicNetworkAccess: "Disabled" });
        expect(g.one("azure-native:redisenterprise:Database").inputs).toMatchObject({
            clientProtocol: "Encrypted",
            clusteringPolicy: "EnterpriseCluster",
            port: 10000,
            accessKeysAuthentication: "Enabled",
        });
    });

    it("is reached through a private endpoint in the endpoints subnet, named in privatelink.redis.azure.net, and the subnet admits 10000 from the web subnet only", () => {
        const cluster = g.one(CLUSTER);
        const endpoint = g.ofType("azure-native:network:PrivateEndpoint").find((e) => e.inputs.privateLinkServiceConnections[0].privateLinkServiceId === cluster.id)!;
        expect(endpoint.inputs.privateLinkServiceConnections[0].groupIds).toEqual(["redisEnterprise"]);
        const group = g.ofType("azure-native:network:PrivateDnsZoneGroup").find((z) => z.inputs.privateEndpointName === endpoint.outputs.name)!;
        expect(g.referenced(group.inputs.privateDnsZoneConfigs[0].privateDnsZoneId)!.inputs.privateZoneName).toBe("privatelink.redis.azure.net");
        const subnet = g.ofType("azure-native:network:Subnet").find((s) => s.id === endpoint.inputs.subnet.id)!;
        const nsg = g.referenced(subnet.inputs.networkSecurityGroup.id)!;
        const allowing10000 = (nsg.inputs.securityRules ?? []).filter((r: any) => r.access === "Allow" && r.direction === "Inbound" && [r.destinationPortRange, ...(r.destinationPortRanges ?? [])].includes("10000"));
        const app = g.ofType("azure-native:network:Subnet").find((s) => s.inputs.subnetName?.endsWith("app") || s.name.endsWith("-app"))!;
        expect(allowing10000.map((r: any) => r.sourceAddressPrefix ?? r.sourceAddressPrefixes)).toEqual([app.inputs.addressPrefix]);
    });

    it("the rendered boot names the key's secret URL (never the key); the servers' identity reads that one secret", () => {
        const secret = g.ofType("azure-native:keyvault:Secret").find((s) => g.tierOf(s)?.type === "emr:azure:SessionTier")!;
        const text = customDataOf(g);
        expect(text).toContain(`readonly SESSION_SECRET='${secret.outputs.properties.secretUri}'`);
        expect(text).toContain("SESSION_CA='/etc/ssl/certs/ca-certificates.crt'");
        expect(text).not.toContain(JSON.parse(secret.inputs.properties.value).password);
        const identity = g.ofType("azure-native:managedidentity:UserAssignedIdentity").find((i) => text.includes(i.outputs.clientId))!;
        const grants = g.ofType("azure-native:authorization:RoleAssignment").filter((a) => a.inputs.scope === `${g.one("azure-native:keyvault:Vault").id}/secrets/${secret.outputs.name}`);
        expect(grants.map((a) => a.inputs.principalId)).toContain(identity.outputs.principalId);
    });

    it("the secret gives PHP host:10000 over TLS and the key percent-encoded, which PHP's query parser decodes back (Azure keys carry + / =)", () => {
        const secret = g.ofType("azure-native:keyvault:Secret").find((s) => g.tierOf(s)?.type === "emr:azure:SessionTier")!;
        const value = JSON.parse(secret.inputs.properties.value);
        expect(value.password).toMatch(/[+/=]/);
        const ini = execFileSync("jq", ["-er", sessionIniJq], { input: secret.inputs.properties.value, encoding: "utf8" });
        expect(ini.split("\n")[0]).toBe("session.save_handler = redis");
        const path = /^session\.save_path = "([^"$\\]*)"$/m.exec(ini)![1];
        const url = new URL(path);
        expect([url.protocol, url.hostname, url.port]).toEqual(["tls:", g.one(CLUSTER).outputs.hostName, "10000"]);
        // php_url_decode, like URLSearchParams, turns "+" into a space: the key's "+" must arrive as %2B.
        expect(url.searchParams.get("auth[pass]")).toBe(value.password);
        expect(url.searchParams.get("stream[cafile]")).toBe("/etc/emr-php/session-ca.pem");
    });

    it("alerts on memory, connections, server load and failovers to the on-call action group", () => {
        const alerts = g.ofType("azure-native:monitor:MetricAlert").filter((a) => a.inputs.scopes?.[0] === g.one(CLUSTER).id);
        expect(alerts.flatMap((a) => a.inputs.criteria.allOf.map((c: any) => c.metricName)).sort()).toEqual(["connectedclients", "errors", "serverLoad", "usedmemorypercentage"]);
        const group = g.one("azure-native:monitor:ActionGroup").id;
        for (const alert of alerts) expect(alert.inputs.actions).toEqual([{ actionGroupId: group }]);
    });
});
