import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { bootBudgetSeconds, bootTimings } from "../../src/app/bootTimings";
import { healthPort } from "../../src/app/healthCheck";
import { bootWaitsOf } from "../app/renderSamples";
import { pkcs12 } from "../../src/azure/webPkcs12";
import type { PlannedResource } from "../../src/plan/capture";
import { transformed } from "../wafMatch";
import { baseConfig, runStack, type Graph } from "../harness";

const T = {
    gateway: "azure-native:network:ApplicationGateway",
    waf: "azure-native:network:WebApplicationFirewallPolicy",
    ip: "azure-native:network:PublicIPAddress",
    vmss: "azure-native:compute:VirtualMachineScaleSet",
    autoscale: "azure-native:monitor:AutoscaleSetting",
    identity: "azure-native:managedidentity:UserAssignedIdentity",
    role: "azure-native:authorization:RoleAssignment",
    diagnostics: "azure-native:monitor:DiagnosticSetting",
    loadBalancer: "azure-native:network:LoadBalancer",
    vault: "azure-native:keyvault:Vault",
    secret: "azure-native:keyvault:Secret",
    workspace: "azure-native:operationalinsights:Workspace",
    privateKey: "tls:index/privateKey:PrivateKey",
    selfSigned: "tls:index/selfSignedCert:SelfSignedCert",
    password: "random:index/randomPassword:RandomPassword",
} as const;
const webTierKey = "emr:azure:WebTier::emr-web";

/** The resources of `type` that belong to the web tier. */
const web = (g: Graph, type: string) => g.ofType(type).filter((r) => g.tierOf(r)?.key === webTierKey);
const webOne = (g: Graph, type: string) => {
    const found = web(g, type);
    expect(found, type).toHaveLength(1);
    return found[0];
};
/** Follows a reference and checks it lands on a resource of `type`. */
function follow(g: Graph, ref: unknown, type: string): PlannedResource {
    const target = g.referenced(ref);
    expect(target?.type, `reference ${String(ref)}`).toBe(type);
    return target!;
}
const gatewayOf = (g: Graph) => webOne(g, T.gateway);
/** A gateway sub-resource id: the gateway's own id plus collection and item. */
const inGateway = (g: Graph, collection: string, item: string) => `${gatewayOf(g).id}/${collection}/${item}`;
const scaleSetOf = (g: Graph) => webOne(g, T.vmss);
const nicOf = (g: Graph) => {
    const nics = scaleSetOf(g).inputs.virtualMachineProfile.networkProfile.networkInterfaceConfigurations;
    expect(nics).toHaveLength(1);
    expect(nics[0].ipConfigurations).toHaveLength(1);
    return { nic: nics[0], ipConfig: nics[0].ipConfigurations[0] };
};
const cloudInitOf = (g: Graph) => Buffer.from(scaleSetOf(g).inputs.virtualMachineProfile.osProfile.customData, "base64").toString("utf8");
const subnetId = (g: Graph, role: string) => g.byKey(`azure-native:network:Subnet::emr-net-${role}`)!.id;

describe("azure WebTier, default stack (2 zones, nat-per-zone, self-signed TLS)", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.azure })).ok();
    });

    it("runs a WAF_v2 gateway autoscaled from 0 reserved instances (HA is in the fixed price) in the configured zones", () => {
        const gw = gatewayOf(g).inputs;
        expect(gw.sku).toEqual({ name: "WAF_v2", tier: "WAF_v2" });
        expect(gw.sku.capacity).toBeUndefined();
        // Each reserved instance bills 10 CU around the clock; 0 still keeps the gateway HA (Microsoft).
        expect(gw.autoscaleConfiguration.minCapacity).toBe(0);
        expect(gw.autoscaleConfiguration.maxCapacity).toBeGreaterThan(gw.autoscaleConfiguration.minCapacity);
        expect(gw.zones).toEqual(["1", "2"]);
        expect(gw.enableHttp2).toBe(true);
        // Sub-resource ids are built from this explicit name (autonaming would break them).
        expect(gw.applicationGatewayName).toBe("emr-web-gateway-test");
        expect(gatewayOf(g).id).toMatch(/\/applicationGateways\/emr-web-gateway-test$/);
        expect(gw.gatewayIPConfigurations).toEqual([{ name: "gateway", subnet: { id: subnetId(g, "edge") } }]);
    });

    it("fronts it with a Standard, static, zone-redundant public IP and publishes https://<ip>", () => {
        const gw = gatewayOf(g).inputs;
        expect(gw.frontendIPConfigurations).toHaveLength(1);
        const ip = follow(g, gw.frontendIPConfigurations[0].publicIPAddress.id, T.ip);
        expect(ip.inputs).toMatchObject({ sku: { name: "Standard", tier: "Regional" }, publicIPAllocationMethod: "Static", zones: ["1", "2", "3"] });
        expect(g.run.outputs.url).toBe(`https://${ip.outputs.ipAddress}`);
    });

    it("listens on 443 with the certificate and on 80 only to redirect permanently to the https listener", () => {
        const gw = gatewayOf(g).inputs;
        expect(gw.frontendPorts.map((p: any) => [p.name, p.port])).toEqual([["http", 80], ["https", 443]]);
        const listener = (name: string) => gw.httpListeners.find((l: any) => l.name === name);
        expect(listener("https")).toEqual({
            name: "https",
            protocol: "Https",
            frontendIPConfiguration: { id: inGateway(g, "frontendIPConfigurations", "public") },
            frontendPort: { id: inGateway(g, "frontendPorts", "https") },
            sslCertificate: { id: inGateway(g, "sslCertificates", "tls") },
        });
        expect(listener("http")).toMatchObject({ protocol: "Http", frontendPort: { id: inGateway(g, "frontendPorts", "http") } });
        expect(gw.redirectConfigurations).toEqual([
            {
                name: "http-to-https",
                redirectType: "Permanent",
                targetListener: { id: inGateway(g, "httpListeners", "https") },
                includePath: true,
                includeQueryString: true,
            },
        ]);
        const rule = (listenerName: string) => gw.requestRoutingRules.find((r: any) => r.httpListener.id === inGateway(g, "httpListeners", listenerName));
        expect(rule("http")).toMatchObject({ ruleType: "Basic", redirectConfiguration: { id: inGateway(g, "redirectConfigurations", "http-to-https") } });
        expect(rule("http").backendAddressPool).toBeUndefined();
        expect(rule("https")).toMatchObject({
            ruleType: "Basic",
            backendAddressPool: { id: inGateway(g, "backendAddressPools", "web") },
            backendHttpSettings: { id: inGateway(g, "backendHttpSettingsCollection", "web") },
        });
    });

    it("gives every routing rule a distinct priority (v2 requires one on each)", () => {
        const priorities = gatewayOf(g).inputs.requestRoutingRules.map((r: any) => r.priority);
        expect(priorities).toHaveLength(2);
        for (const p of priorities) expect(Number.isInteger(p) && p >= 1 && p <= 20000).toBe(true);
        expect(new Set(priorities).size).toBe(priorities.length);
    });

    it("accepts TLS 1.2 and newer only, with forward-secret AEAD suites", () => {
        const policy = gatewayOf(g).inputs.sslPolicy;
        expect(policy).toMatchObject({ policyType: "CustomV2", minProtocolVersion: "TLSv1_2" });
        expect(policy.cipherSuites.length).toBeGreaterThan(0);
        for (const suite of policy.cipherSuites) expect(suite).toMatch(/^TLS_ECDHE_(RSA|ECDSA)_WITH_AES_(128|256)_GCM_SHA(256|384)$/);
    });

    it("probes each server's readiness endpoint on the health port, dropping a dead server within 30 s, with sticky sessions and draining", () => {
        const gw = gatewayOf(g).inputs;
        expect(gw.probes).toHaveLength(1);
        const probe = gw.probes[0];
        expect(probe).toMatchObject({ name: "emr", protocol: "Http", path: "/meta/health/readyz", port: healthPort, match: { statusCodes: ["200"] } });
        expect(probe.interval * probe.unhealthyThreshold).toBeLessThanOrEqual(30);
        expect(probe.timeout).toBeLessThanOrEqual(probe.interval);
        expect(gw.backendAddressPools).toEqual([{ name: "web" }]);
        expect(gw.backendHttpSettingsCollection).toEqual([
            expect.objectContaining({
                name: "web",
                port: 80,
                protocol: "Http",
                cookieBasedAffinity: "Enabled",
                requestTimeout: 120,
                connectionDraining: { enabled: true, drainTimeoutInSec: 30 },
                probe: { id: inGateway(g, "probes", "emr") },
            }),
        ]);
    });

    it("presents a generated self-signed certificate for the gateway's IP, as a password-protected PFX", () => {
        const certificates = gatewayOf(g).inputs.sslCertificates;
        expect(certificates).toHaveLength(1);
        const { name, data, password, keyVaultSecretId } = certificates[0];
        expect(name).toBe("tls");
        expect(keyVaultSecretId).toBeUndefined();
        const cert = webOne(g, T.selfSigned);
        expect(cert.inputs.ipAddresses).toEqual([follow(g, gatewayOf(g).inputs.frontendIPConfigurations[0].publicIPAddress.id, T.ip).outputs.ipAddress]);
        expect(cert.inputs.allowedUses).toContain("server_auth");
        const tlsKey = g.byKey(`${T.privateKey}::emr-web-tls-key`)!;
        const pfxPassword = g.byKey(`${T.password}::emr-web-tls-pfx-password`)!;
        expect(password).toBe(pfxPassword.outputs.result);
        expect(data).toBe(pkcs12(tlsKey.outputs.privateKeyPem, cert.outputs.certPem, pfxPassword.outputs.result));
        expect(gatewayOf(g).secretPaths).toContain("sslCertificates");
        // An inline certificate needs no identity: the gateway reads no Key Vault.
        expect(gatewayOf(g).inputs.identity).toBeUndefined();
    });

    it("attaches a blocking WAF policy: rate limit per client IP, DRS 2.1 and Bot Manager, upload limits for scans", () => {
        const gw = gatewayOf(g).inputs;
        expect(gw.forceFirewallPolicyAssociation).toBe(true);
        expect(gw.webApplicationFirewallConfiguration).toBeUndefined();
        const policy = follow(g, gw.firewallPolicy.id, T.waf);
        expect(g.tierOf(policy)?.key).toBe(webTierKey);
        const { policySettings, managedRules, customRules } = policy.inputs;
        expect(policySettings).toMatchObject({ state: "Enabled", mode: "Prevention", requestBodyCheck: true, requestBodyEnforcement: true, fileUploadEnforcement: true });
        expect(policySettings.fileUploadLimitInMb).toBeGreaterThanOrEqual(50);
        expect(policySettings.maxRequestBodySizeInKb).toBeGreaterThan(128);
        expect(policySettings.maxRequestBodySizeInKb).toBeLessThanOrEqual(2048);
        expect(managedRules.managedRuleSets).toEqual([
            { ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1" },
            { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.1" },
        ]);
        expect(customRules.map((r: any) => r.name)).toEqual(["RateLimitPerClientIp", "HideReadinessEndpoint"]);
        // OpenEMR's health endpoints are refused to clients, however the path is spelled.
        const hide = customRules[1];
        expect(hide).toMatchObject({ ruleType: "MatchRule", action: "Block", state: "Enabled" });
        const [condition] = hide.matchConditions;
        expect(condition).toMatchObject({ matchVariables: [{ variableName: "RequestUri" }], operator: "Contains" });
        const blocked = (uri: string) => condition.matchValues.some((v: string) => transformed(uri, condition.transforms).includes(v));
        for (const uri of ["/meta/health/readyz", "//meta/health/readyz", "/META/Health/readyz?x=1", "/meta%2Fhealth%2Freadyz"]) expect(blocked(uri), uri).toBe(true);
        for (const uri of ["/interface/login/login.php", "/meta/healthcare-report.php"]) expect(blocked(uri), uri).toBe(false);
        expect(customRules[0]).toMatchObject({
            ruleType: "RateLimitRule",
            action: "Block",
            state: "Enabled",
            rateLimitDuration: "FiveMins",
            rateLimitThreshold: 2000,
            groupByUserSession: [{ groupByVariables: [{ variableName: "ClientAddr" }] }],
        });
        expect(customRules[0].name).toMatch(/^[A-Za-z0-9]+$/);
    });

    it("sends the gateway's access and firewall logs to the network tier's workspace", () => {
        const setting = webOne(g, T.diagnostics).inputs;
        expect(setting.resourceUri).toBe(gatewayOf(g).id);
        expect(follow(g, setting.workspaceId, T.workspace).key).toBe(`${T.workspace}::emr-net-logs`);
        expect(setting.logs.map((l: any) => [l.category, l.enabled])).toEqual([
            ["ApplicationGatewayAccessLog", true],
            ["ApplicationGatewayFirewallLog", true],
        ]);
    });

    it("runs the servers as a Flexible scale set over both zones, fault domain count 1, sized from the config", () => {
        const vmss = scaleSetOf(g).inputs;
        expect(vmss).toMatchObject({ orchestrationMode: "Flexible", zones: ["1", "2"], platformFaultDomainCount: 1, singlePlacementGroup: false });
        // Arm64 by default (emr:cpuArch): a Dps-family size ("p": Arm CPU), 2 vCPU / 8 GiB.
        expect(vmss.sku).toEqual({ name: expect.stringMatching(/^Standard_D2p[a-z]*_v\d+$/), capacity: 2 });
        expect(vmss.upgradePolicy).toEqual({ mode: "Manual" });
        // Autoscale owns the count once running.
        expect(g.one(T.vmss).ignoreChanges).toEqual(["sku.capacity"]);
    });

    it("boots Ubuntu 24.04 arm64 with Trusted Launch, encryption at host, a 32 GiB (P4) premium OS disk and SSH keys only", () => {
        const profile = scaleSetOf(g).inputs.virtualMachineProfile;
        expect(profile.storageProfile.imageReference).toEqual({ publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server-arm64", version: "latest" });
        // P4: no smaller than the image's 30 GiB disk, half the P6 price.
        expect(profile.storageProfile.osDisk).toMatchObject({ createOption: "FromImage", diskSizeGB: 32, managedDisk: { storageAccountType: "Premium_LRS" }, deleteOption: "Delete" });
        expect(profile.securityProfile).toEqual({ securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true }, encryptionAtHost: true });
        const os = profile.osProfile;
        expect(os.adminPassword).toBeUndefined();
        expect(os.linuxConfiguration.disablePasswordAuthentication).toBe(true);
        const sshKey = g.byKey(`${T.privateKey}::emr-web-servers-ssh`)!;
        expect(os.linuxConfiguration.ssh.publicKeys).toEqual([{ path: `/home/${os.adminUsername}/.ssh/authorized_keys`, keyData: sshKey.outputs.publicKeyOpenssh }]);
    });

    it("puts the NICs in the web subnet with no public IP, in the gateway pool and the egress pool", () => {
        const { nic, ipConfig } = nicOf(g);
        expect(scaleSetOf(g).inputs.virtualMachineProfile.networkProfile.networkApiVersion).toBe("2020-11-01");
        expect(nic).toMatchObject({ primary: true, deleteOption: "Delete" });
        expect(ipConfig.subnet).toEqual({ id: subnetId(g, "app") });
        expect(ipConfig.publicIPAddressConfiguration).toBeUndefined();
        expect(ipConfig.applicationGatewayBackendAddressPools).toEqual([{ id: inGateway(g, "backendAddressPools", "web") }]);
        const egress = g.one(T.loadBalancer);
        expect(ipConfig.loadBalancerBackendAddressPools).toEqual([{ id: `${egress.id}/backendAddressPools/${egress.inputs.backendAddressPools[0].name}` }]);
        expect(egress.inputs.outboundRules[0].backendAddressPool.id).toBe(ipConfig.loadBalancerBackendAddressPools[0].id);
    });

    it("creates the servers only after egress, storage, the database, their secret grants and the gateway exist", () => {
        expect(scaleSetOf(g).dependsOn).toEqual(
            expect.arrayContaining([
                "emr:azure:NetTier::emr-net",
                "emr:azure:StorageTier::emr-storage",
                "emr:azure:DbTier::emr-db",
                // Each install-secret grant, once propagated (the boot reads them minutes later).
                ...[0, 1, 2].map((i) => `time:index/sleep:Sleep::emr-web-install-access-propagation-${i}`),
                gatewayOf(g).key,
            ]),
        );
    });

    it("repairs servers on the Application Health extension's verdict, after a grace that outlasts every boot wait", () => {
        const vmss = scaleSetOf(g).inputs;
        const repairs = vmss.automaticRepairsPolicy;
        expect(repairs).toMatchObject({ enabled: true, repairAction: "Replace" });
        const minutes = Number(/^PT(\d+)M$/.exec(repairs.gracePeriod)?.[1]);
        // Longer than everything the deployed boot script waits for: a queueing server is never repaired away.
        expect(minutes * 60).toBeGreaterThan(bootWaitsOf(cloudInitOf(g)));
        expect(bootWaitsOf(cloudInitOf(g))).toBe(bootBudgetSeconds(bootTimings));
        expect(minutes).toBeLessThanOrEqual(90);
        // One health extension; the other is the log agent (tests/azure/webLogs.test.ts).
        const health = vmss.virtualMachineProfile.extensionProfile.extensions.filter((e: any) => e.type !== "AzureMonitorLinuxAgent");
        expect(health).toHaveLength(1);
        // Rich Health States: the readiness endpoint answers {"ApplicationHealthState": "Healthy"} (src/app/healthCheck.ts).
        expect(health[0]).toMatchObject({ publisher: "Microsoft.ManagedServices", type: "ApplicationHealthLinux", typeHandlerVersion: "2.0" });
        const settings = health[0].settings;
        expect(settings).toMatchObject({ protocol: "http", port: healthPort, requestPath: "/meta/health/readyz" });
        expect(settings.intervalInSeconds * settings.numberOfProbes).toBeLessThanOrEqual(60);
        expect(settings.gracePeriod).toBeGreaterThan(bootWaitsOf(cloudInitOf(g)));
        expect(settings.gracePeriod).toBeLessThanOrEqual(14400);
    });

    /** The Key Vault secrets the servers may read until the install is done: the DB tier's two and the web tier's one. */
    const installSecrets = (g: Graph) => ["emr-db-admin-login", "emr-db-credentials", "emr-web-emr-admin"].map((name) => g.byKey(`${T.secret}::${name}`)!);

    it("lets the servers' own identity read only the three install secrets, with a role that can end its own grants", () => {
        const identity = follow(g, scaleSetOf(g).inputs.identity.userAssignedIdentities[0], T.identity);
        expect(scaleSetOf(g).inputs.identity.type).toBe("UserAssigned");
        const vault = g.one(T.vault);
        // Besides: the session store's key, read at every boot with the built-in Key Vault Secrets User.
        const session = g.byKey("azure-native:authorization:RoleAssignment::emr-web-servers-read-session-secret")!;
        expect(session.inputs).toMatchObject({ scope: `${vault.id}/secrets/emr-session-credentials`, principalId: identity.outputs.principalId });
        expect(session.inputs.roleDefinitionId).toMatch(/\/roleDefinitions\/4633458b-17de-408a-b874-0445c86b69e6$/);
        const grants = g.ofType(T.role).filter((r) => r.inputs.principalId === identity.outputs.principalId && r !== session);
        expect(grants.map((r) => r.inputs.scope).sort()).toEqual(installSecrets(g).map((x) => `${vault.id}/secrets/${x.outputs.name}`).sort());
        const role = g.byKey("azure-native:authorization:RoleDefinition::emr-web-install-reader")!;
        const [, , subscription, , group] = String(vault.id).split("/");
        for (const grant of grants) {
            // The subscription form, never the custom role's own id (its form is ARM's to choose).
            expect(grant.inputs.roleDefinitionId).toBe(`/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${role.outputs.name}`);
            expect(grant.inputs.principalType).toBe("ServicePrincipal");
        }
        expect(role.inputs.permissions).toEqual([
            {
                actions: ["Microsoft.Authorization/roleAssignments/read", "Microsoft.Authorization/roleAssignments/delete"],
                dataActions: ["Microsoft.KeyVault/vaults/secrets/getSecret/action"],
            },
        ]);
        expect(role.inputs.assignableScopes).toEqual([`/subscriptions/${subscription}/resourceGroups/${group}`]);
        expect(role.inputs.scope).toBe(role.inputs.assignableScopes[0]);
    });

    it("lets whoever deploys the stack read the first administrator's password, and only that secret", () => {
        const mine = g.ofType(T.role).filter((r) => r.inputs.principalId === "33333333-3333-4333-8333-333333333333");
        const onSecrets = mine.filter((r) => /\/secrets\//.test(r.inputs.scope));
        expect(onSecrets.map((r) => r.inputs.scope)).toEqual([`${g.one(T.vault).id}/secrets/${g.byKey(`${T.secret}::emr-web-emr-admin`)!.outputs.name}`]);
        // Key Vault Secrets User (read secret contents), in the subscription form.
        expect(onSecrets[0].inputs.roleDefinitionId).toMatch(/^\/subscriptions\/[^/]+\/providers\/Microsoft\.Authorization\/roleDefinitions\/4633458b-17de-408a-b874-0445c86b69e6$/);
        expect(g.run.outputs.adminPasswordSecret).toBe(`https://${g.one(T.vault).outputs.name}.vault.azure.net/secrets/${g.byKey(`${T.secret}::emr-web-emr-admin`)!.outputs.name}`);
    });

    it("boots from cloud-init that reads the install secrets with the identity and deletes exactly its grants afterwards", () => {
        const text = cloudInitOf(g);
        expect(text.startsWith("#cloud-config\n")).toBe(true);
        const identity = follow(g, scaleSetOf(g).inputs.identity.userAssignedIdentities[0], T.identity);
        expect(text).toContain(`client_id=${identity.outputs.clientId}`);
        expect(text).toContain("resource=https%3A%2F%2Fvault.azure.net");
        const vaultName = g.one(T.vault).outputs.name;
        for (const secret of installSecrets(g)) expect(text).toContain(`'https://${vaultName}.vault.azure.net/secrets/${secret.outputs.name}'`);
        // The revocation: an ARM token, then DELETE of each grant by id.
        expect(text).toContain("resource=https%3A%2F%2Fmanagement.azure.com%2F");
        // Every install grant, and never the session store's (the servers read it at every boot).
        const grants = g.ofType(T.role).filter((r) => r.inputs.principalId === identity.outputs.principalId && r.name !== "emr-web-servers-read-session-secret");
        const deleted = /for id in (.*); do/.exec(text)![1].split(" ").map((w) => w.replace(/'/g, ""));
        expect(deleted.sort()).toEqual(grants.map((r) => r.id).sort());
        expect(text).toContain(`-X DELETE "https://management.azure.com$id?api-version=2022-04-01"`);
        // The database admin and app logins, the first OpenEMR administrator, the PFX password.
        const passwords = g.ofType(T.password).map((p) => p.outputs.result as string);
        expect(passwords).toHaveLength(4);
        for (const password of passwords) expect(text).not.toContain(password);
        expect(text).not.toMatch(/mock-[0-9a-f]{8}/);
    });

    it("cuts the containers off from the instance metadata service before Docker starts any", () => {
        const text = cloudInitOf(g);
        expect(text).toMatch(/ExecStartPre=\/usr\/local\/sbin\/emr-isolate-containers\.sh/);
        expect(text).toContain("iptables -w -I DOCKER-USER -d 169.254.169.254/32 -j DROP");
    });

    it("generates the first OpenEMR administrator into Key Vault and exports only its URL", () => {
        const secret = g.byKey(`${T.secret}::emr-web-emr-admin`)!;
        expect(g.run.outputs.adminPasswordSecret).toBe(secret.outputs.properties.secretUri);
        const password = g.byKey(`${T.password}::emr-web-emr-admin-password`)!.outputs.result;
        expect(JSON.parse(secret.inputs.properties.value)).toEqual({ username: "oeadmin", password });
        expect(JSON.stringify(g.run.outputs)).not.toContain(password);
    });

    it("autoscales the scale set on CPU between emr:minServers and emr:maxServers", () => {
        const setting = webOne(g, T.autoscale).inputs;
        expect(setting.targetResourceUri).toBe(scaleSetOf(g).id);
        expect(setting.profiles).toHaveLength(1);
        expect(setting.profiles[0].capacity).toEqual({ minimum: "2", maximum: "6", default: "2" });
        const rules = setting.profiles[0].rules;
        const rule = (direction: string) => rules.find((r: any) => r.scaleAction.direction === direction);
        for (const r of rules) {
            expect(r.metricTrigger).toMatchObject({
                metricName: "Percentage CPU",
                metricNamespace: "microsoft.compute/virtualmachinescalesets",
                metricResourceUri: scaleSetOf(g).id,
                statistic: "Average",
                timeAggregation: "Average",
            });
            expect(r.scaleAction).toMatchObject({ type: "ChangeCount", value: "1" });
            expect(r.scaleAction.cooldown).toMatch(/^PT\d+M$/);
        }
        expect(rule("Increase").metricTrigger).toMatchObject({ operator: "GreaterThan" });
        expect(rule("Increase").metricTrigger.threshold).toBeGreaterThanOrEqual(60);
        expect(rule("Increase").metricTrigger.threshold).toBeLessThanOrEqual(70);
        expect(rule("Decrease").metricTrigger).toMatchObject({ operator: "LessThan" });
        expect(rule("Decrease").metricTrigger.threshold).toBeGreaterThanOrEqual(25);
        expect(rule("Decrease").metricTrigger.threshold).toBeLessThanOrEqual(30);
    });

    it("hands the gateway's and scale set's resource ids to the monitoring tier as loadBalancerId and serverGroupId", () => {
        const scopes = g.ofType("azure-native:monitor:MetricAlert").flatMap((a) => a.inputs.scopes as string[]);
        expect(scopes).toContain(gatewayOf(g).id);
        expect(scopes).toContain(scaleSetOf(g).id);
    });
});

describe("azure WebTier, x86_64, 3 zones, single NAT, 3 to 9 servers, Key Vault certificate", () => {
    const certificate = "https://corp-certs.vault.azure.net/secrets/emr-tls";
    let g: Graph;
    beforeAll(async () => {
        g = (
            await runStack({
                ...baseConfig.azure,
                "emr:zones": "3",
                "emr:egress": "single-nat",
                "emr:minServers": "3",
                "emr:maxServers": "9",
                "emr:certificate": certificate,
                "emr:cpuArch": "x86_64",
            })
        ).ok();
    });

    it("boots the x64 Ubuntu image on an x64 size when emr:cpuArch is x86_64", () => {
        expect(scaleSetOf(g).inputs.virtualMachineProfile.storageProfile.imageReference.sku).toBe("server");
        expect(scaleSetOf(g).inputs.sku.name).toBe("Standard_D2s_v5");
    });

    it("spans all three zones with the gateway and the servers", () => {
        expect(gatewayOf(g).inputs.zones).toEqual(["1", "2", "3"]);
        expect(scaleSetOf(g).inputs.zones).toEqual(["1", "2", "3"]);
        expect(scaleSetOf(g).inputs.platformFaultDomainCount).toBe(1);
    });

    it("joins only the gateway pool: egress is the web subnet's NAT gateway", () => {
        const { ipConfig } = nicOf(g);
        expect(ipConfig.applicationGatewayBackendAddressPools).toEqual([{ id: inGateway(g, "backendAddressPools", "web") }]);
        expect(ipConfig.loadBalancerBackendAddressPools).toEqual([]);
        expect(g.ofType(T.loadBalancer)).toHaveLength(0);
        const app = g.byKey("azure-native:network:Subnet::emr-net-app")!;
        expect(follow(g, app.inputs.natGateway.id, "azure-native:network:NatGateway")).toBeDefined();
        expect(scaleSetOf(g).dependsOn).toContain("emr:azure:NetTier::emr-net");
    });

    it("reads the operator's Key Vault certificate with the gateway's own identity, and generates none", () => {
        const gw = gatewayOf(g).inputs;
        expect(gw.sslCertificates).toEqual([{ name: "tls", keyVaultSecretId: certificate }]);
        expect(gw.identity.type).toBe("UserAssigned");
        expect(gw.identity.userAssignedIdentities).toHaveLength(1);
        const identity = follow(g, gw.identity.userAssignedIdentities[0], T.identity);
        expect(g.tierOf(identity)?.key).toBe(webTierKey);
        expect(identity.outputs.principalId).not.toBe(follow(g, scaleSetOf(g).inputs.identity.userAssignedIdentities[0], T.identity).outputs.principalId);
        expect(web(g, T.selfSigned)).toHaveLength(0);
        // No PFX password either: the only generated password is the first OpenEMR administrator's.
        expect(web(g, T.password).map((p) => p.name)).toEqual(["emr-web-emr-admin-password"]);
    });

    it("takes its capacity and autoscale bounds from emr:minServers and emr:maxServers", () => {
        expect(scaleSetOf(g).inputs.sku.capacity).toBe(3);
        expect(webOne(g, T.autoscale).inputs.profiles[0].capacity).toEqual({ minimum: "3", maximum: "9", default: "3" });
        expect(scaleSetOf(g).ignoreChanges).toEqual(["sku.capacity"]);
    });
});

describe("azure WebTier with emr:domain", () => {
    it("stops with a ConfigError naming emr:domain before declaring any web resource", async () => {
        const g = await runStack({ ...baseConfig.azure, "emr:domain": "emr.example.org", "emr:dnsZoneId": "zone" });
        const error = g.run.error as { name?: string; key?: string; message?: string };
        expect(error?.name).toBe("ConfigError");
        expect(error.key).toBe("emr:domain");
        expect(error.message).toContain("emr:certificate");
        expect(g.resources.filter((r) => r.key === webTierKey || g.tierOf(r)?.key === webTierKey)).toHaveLength(0);
    });
});

describe("pkcs12 (the self-signed certificate's PFX)", () => {
    /** Runs openssl; returns stdout, or throws with stderr. `-info` details go to stderr, also returned. */
    const run = (args: string[], input?: string) => {
        const result = spawnSync("openssl", args, { input, encoding: "utf8" });
        if (result.status !== 0) throw new Error(`openssl ${args[0]}: ${result.error ?? result.stderr}`);
        return { stdout: result.stdout, stderr: result.stderr };
    };
    const openssl = (args: string[], input?: string) => run(args, input).stdout;
    const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;

    it.skipIf(!hasOpenssl)("round-trips a real key and certificate through OpenSSL, with the password only", () => {
        const dir = mkdtempSync(join(tmpdir(), "pfx-"));
        onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
        const keyFile = join(dir, "key.pem");
        // PKCS#1, as @pulumi/tls emits RSA keys.
        openssl(["genrsa", "-traditional", "-out", keyFile, "2048"]);
        const certPem = openssl(["req", "-x509", "-key", keyFile, "-days", "1", "-subj", "/CN=emr.invalid"]);
        const keyPem = openssl(["pkey", "-in", keyFile, "-traditional"]);
        expect(keyPem).toContain("BEGIN RSA PRIVATE KEY");

        const pfx = pkcs12(keyPem, certPem, "Secret123");
        expect(pkcs12(keyPem, certPem, "Secret123")).toBe(pfx);
        const pfxFile = join(dir, "out.pfx");
        writeFileSync(pfxFile, Buffer.from(pfx, "base64"));

        const info = run(["pkcs12", "-in", pfxFile, "-passin", "pass:Secret123", "-info", "-nodes"]);
        expect(info.stderr).toContain("MAC: sha1");
        expect(info.stderr).toContain("Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC");
        const fingerprint = (pem: string) => openssl(["x509", "-noout", "-fingerprint", "-sha256"], pem);
        expect(fingerprint(info.stdout)).toBe(fingerprint(certPem));
        const publicKey = (pem: string) => openssl(["pkey", "-pubout"], pem);
        expect(publicKey(openssl(["pkcs12", "-in", pfxFile, "-passin", "pass:Secret123", "-nodes", "-nocerts"]))).toBe(publicKey(keyPem));
        expect(() => openssl(["pkcs12", "-in", pfxFile, "-passin", "pass:wrong", "-nodes"])).toThrow();
    });
});
