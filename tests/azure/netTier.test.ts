import { beforeAll, describe, expect, it } from "vitest";
import { stackLogTables } from "../../src/azure/logRetention";
import { tableRetentionOf } from "./tableRetention";
import { baseConfig, runStack, type Graph } from "../harness";

const SUBNET = "azure-native:network:Subnet";
const subnet = (g: Graph, role: string) => g.byKey(`${SUBNET}::emr-net-${role}`)!;
const rulesOf = (g: Graph, role: string) => g.referenced(subnet(g, role).inputs.networkSecurityGroup.id)!.inputs.securityRules;

describe("azure NetTier", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.azure, "emr:logRetentionDays": "90" })).ok();
    });

    it("gives each role its own subnet without default outbound access, the data one delegated to MySQL", () => {
        expect(["edge", "app", "data", "endpoints"].map((r) => subnet(g, r).inputs.addressPrefix)).toEqual([
            "10.20.0.0/20",
            "10.20.64.0/20",
            "10.20.128.0/20",
            "10.20.192.0/20",
        ]);
        for (const s of g.ofType(SUBNET)) expect(s.inputs.defaultOutboundAccess).toBe(false);
        expect(subnet(g, "data").inputs.delegations).toEqual([{ name: "mysql-flexible", serviceName: "Microsoft.DBforMySQL/flexibleServers" }]);
        // A network-isolated v2 gateway refuses an undelegated subnet (src/azure/netTier.ts).
        expect(subnet(g, "edge").inputs.delegations).toEqual([{ name: "application-gateway", serviceName: "Microsoft.Network/applicationGateways" }]);
        expect(subnet(g, "endpoints").inputs.privateEndpointNetworkPolicies).toBe("Enabled");
    });

    it("admits only each tier's traffic and denies the rest", () => {
        // One source or port goes in the singular field, several in the plural (netSecurity.ts).
        const allow = (role: string) =>
            rulesOf(g, role)
                .filter((r: any) => r.access === "Allow")
                .map((r: any) => [r.sourceAddressPrefixes ?? [r.sourceAddressPrefix], r.destinationPortRanges ?? [r.destinationPortRange]]);
        // From the gateway's subnet: exactly the ports the gateway sends traffic to and probes.
        const gateway = g.one("azure-native:network:ApplicationGateway").inputs;
        const gatewayPorts = [...gateway.backendHttpSettingsCollection.map((b: any) => b.port), ...gateway.probes.map((p: any) => p.port)].map(String);
        expect(gatewayPorts).toEqual(["80", "8080"]);
        expect(allow("app")).toEqual([[["10.20.0.0/20"], gatewayPorts]]);
        expect(allow("data")).toEqual([[["10.20.64.0/20"], ["3306"]]]);
        expect(allow("endpoints")).toEqual([
            // Key Vault and Files (443), NFS (2049), Azure Managed Redis (10000).
            [["10.20.64.0/20"], ["443", "2049", "10000"]],
            [["10.20.128.0/20"], ["443"]],
        ]);
        expect(allow("edge")).toContainEqual([["GatewayManager"], ["65200-65535"]]);
        for (const role of ["edge", "app", "data", "endpoints"]) {
            expect(rulesOf(g, role).at(-1)).toMatchObject({ access: "Deny", direction: "Inbound", sourceAddressPrefix: "*", priority: 4000 });
        }
    });

    it("sends egress through a zone-redundant load balancer outbound rule", () => {
        const lb = g.one("azure-native:network:LoadBalancer");
        expect(lb.inputs.outboundRules).toHaveLength(1);
        const ip = g.referenced(lb.inputs.frontendIPConfigurations[0].publicIPAddress.id)!;
        expect(ip.inputs.zones).toEqual(["1", "2", "3"]);
        expect(g.ofType("azure-native:network:NatGateway")).toEqual([]);
    });

    it("links the private DNS zones and logs VNet flows with the configured retention", () => {
        const zones = g.ofType("azure-native:privatedns:PrivateZone").map((z) => z.inputs.privateZoneName);
        expect(zones).toContain("privatelink.vaultcore.azure.net");
        expect(zones.some((z: string) => z.endsWith(".private.mysql.database.azure.com"))).toBe(true);
        expect(g.ofType("azure-native:privatedns:VirtualNetworkLink")).toHaveLength(zones.length);
        const flow = g.one("azure-native:network:FlowLog");
        expect(flow.inputs.retentionPolicy).toEqual({ enabled: true, days: 90 });
        expect(flow.inputs.targetResourceId).toBe(g.one("azure-native:network:VirtualNetwork").id);
        // Raw records only: Traffic Analytics ($3.50/GB re-processing into the workspace) is off.
        expect(flow.inputs.flowAnalyticsConfiguration).toBeUndefined();
        // 30 days interactive (included in the ingestion price); every table the stack writes keeps 90 in total.
        expect(g.one("azure-native:operationalinsights:Workspace").inputs.retentionInDays).toBe(30);
        for (const table of stackLogTables) expect(tableRetentionOf(g, table).totalRetentionInDays, table).toBe(90);
    });
});

describe("azure NetTier in single-nat mode", () => {
    it("attaches one zonal NAT gateway to the web subnet instead", async () => {
        const g = (await runStack({ ...baseConfig.azure, "emr:egress": "single-nat" })).ok();
        const nat = g.one("azure-native:network:NatGateway");
        expect(nat.inputs.zones).toEqual(["1"]);
        expect(subnet(g, "app").inputs.natGateway).toEqual({ id: nat.id });
        expect(g.ofType("azure-native:network:LoadBalancer")).toEqual([]);
    });
});
