import { beforeAll, describe, expect, it } from "vitest";
import { servingContainer } from "../../src/app/healthCheck";
import { containerLogFacility } from "../../src/azure/webLogs";
import type { PlannedResource } from "../../src/plan/capture";
import { rbacLatencySeconds } from "../../src/policy/deploy/azureAccess";
import { goDurationSeconds, sleepType } from "../../src/policy/order";
import { createdBefore } from "../../src/policy/order";
import { tableRetentionOf } from "./tableRetention";
import { baseConfig, runStack, type Graph } from "../harness";
import { bashFunction, logOptions, serveLogArgs } from "../serveLogArgs";

const T = {
    vmss: "azure-native:compute:VirtualMachineScaleSet",
    identity: "azure-native:managedidentity:UserAssignedIdentity",
    rule: "azure-native:monitor:DataCollectionRule",
    association: "azure-native:monitor:DataCollectionRuleAssociation",
    policy: "azure-native:authorization:PolicyAssignment",
    role: "azure-native:authorization:RoleAssignment",
    workspace: "azure-native:operationalinsights:Workspace",
    group: "azure-native:resources:ResourceGroup",
} as const;

/** Built-in "Configure Linux Virtual Machines to be associated with a Data Collection Rule or a Data Collection Endpoint" (Azure/azure-policy AzureMonitor_DCRA_VM_Linux_DINE.json). */
const associationPolicyId = "/providers/Microsoft.Authorization/policyDefinitions/58e891b9-ce13-4ac3-86e4-ac3e1f20cb07";
/** That definition's roleDefinitionIds: Monitoring Contributor, Log Analytics Contributor. */
const associationRoles = ["749f88d5-cbae-40b8-bcfc-e573ddc772fa", "92aaf0da-9dab-42b6-94a3-d43ce8d16293"];

/** Follows a reference and checks it lands on a resource of `type`. */
function follow(g: Graph, ref: unknown, type: string): PlannedResource {
    const target = g.referenced(ref);
    expect(target?.type, `reference ${String(ref)}`).toBe(type);
    return target!;
}

const scaleSetOf = (g: Graph) => g.one(T.vmss);
const extensionsOf = (g: Graph) => scaleSetOf(g).inputs.virtualMachineProfile.extensionProfile.extensions as any[];
const cloudInitOf = (g: Graph) => Buffer.from(scaleSetOf(g).inputs.virtualMachineProfile.osProfile.customData, "base64").toString("utf8");

describe("azure web servers' container logs, shipped to the stack's workspace (emr:logRetentionDays 90)", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.azure, "emr:logRetentionDays": "90" })).ok();
    });

    it("installs the Azure Monitor Agent on every server, authenticating as the servers' user-assigned identity", () => {
        const vmss = scaleSetOf(g).inputs;
        expect(vmss.identity.type).toBe("UserAssigned");
        const identity = follow(g, vmss.identity.userAssignedIdentities[0], T.identity);
        const agents = extensionsOf(g).filter((e) => e.type === "AzureMonitorLinuxAgent");
        expect(agents).toHaveLength(1);
        const agent = agents[0];
        expect(agent).toMatchObject({ publisher: "Microsoft.Azure.Monitor", autoUpgradeMinorVersion: true, enableAutomaticUpgrade: true });
        // Ubuntu 24.04 is supported from Linux agent 1.33 (azure-monitor-agent-extension-versions.md).
        const [major, minor] = String(agent.typeHandlerVersion).split(".").map(Number);
        expect(major).toBe(1);
        expect(minor).toBeGreaterThanOrEqual(33);
        expect(agent.settings).toEqual({ authentication: { managedIdentity: { "identifier-name": "mi_res_id", "identifier-value": identity.id } } });
        // The agent needs no role: the servers' identity keeps exactly its install-secret grants and the session store's.
        const grants = g.ofType(T.role).filter((r) => r.inputs.principalId === identity.outputs.principalId);
        expect(grants.map((r) => r.name).sort()).toEqual(["emr-web-read-install-secret-0", "emr-web-read-install-secret-1", "emr-web-read-install-secret-2", "emr-web-servers-read-session-secret"]);
    });

    it("collects only the serving container's syslog facility into the stack's workspace, kept for the stack's retention", () => {
        const rule = g.one(T.rule);
        expect(g.tierOf(rule)?.key).toBe("emr:azure:WebTier::emr-web");
        expect(rule.inputs.kind).toBe("Linux");
        expect(rule.inputs.dataSources.syslog).toEqual([
            { name: "serving-container", streams: ["Microsoft-Syslog"], facilityNames: [containerLogFacility], logLevels: ["*"] },
        ]);
        expect(Object.keys(rule.inputs.dataSources)).toEqual(["syslog"]);
        const [destination] = rule.inputs.destinations.logAnalytics;
        expect(rule.inputs.destinations.logAnalytics).toHaveLength(1);
        const workspace = follow(g, destination.workspaceResourceId, T.workspace);
        expect(workspace.key).toBe(`${T.workspace}::emr-net-logs`);
        // The Syslog table keeps the stack's retention: 30 days interactive, the rest long-term.
        expect(tableRetentionOf(g, "Syslog")).toEqual({ retentionInDays: 30, totalRetentionInDays: 90 });
        expect(rule.inputs.dataFlows).toEqual([{ streams: ["Microsoft-Syslog"], destinations: [destination.name] }]);
    });

    it("associates every server the scale set ever creates through the built-in policy on the stack's resource group, in effect before the first", () => {
        // No association on the scale set itself: it does not reach a Flexible scale set's VMs.
        expect(g.ofType(T.association)).toHaveLength(0);
        expect(scaleSetOf(g).inputs.orchestrationMode).toBe("Flexible");
        const policy = g.one(T.policy);
        const group = g.one(T.group);
        expect(group.outputs.name).toBe(scaleSetOf(g).inputs.resourceGroupName);
        expect(policy.inputs).toMatchObject({ scope: group.id, policyDefinitionId: associationPolicyId, definitionVersion: "4.*.*", identity: { type: "SystemAssigned" } });
        expect(policy.inputs.location).toBe("eastus");
        expect(follow(g, policy.inputs.parameters.dcrResourceId.value, T.rule)).toBe(g.one(T.rule));
        expect(policy.inputs.parameters.resourceType).toEqual({ value: "Microsoft.Insights/dataCollectionRules" });
        // The policy's own image list stops at Ubuntu 22.04; the servers run Canonical's 24.04 offer.
        expect(scaleSetOf(g).inputs.virtualMachineProfile.storageProfile.imageReference.offer).toBe("ubuntu-24_04-lts");
        expect(policy.inputs.parameters.scopeToSupportedImages).toEqual({ value: false });
        expect(policy.inputs.enforcementMode ?? "Default").toBe("Default");

        // The assignment's identity holds the definition's roles, on the group, and the scale set waits them out.
        const grants = g.ofType(T.role).filter((r) => r.inputs.principalId === policy.outputs.identity.principalId);
        expect(grants.map((r) => String(r.inputs.roleDefinitionId).split("/").pop()).sort()).toEqual([...associationRoles].sort());
        const before = createdBefore(g, scaleSetOf(g));
        for (const grant of grants) {
            expect(grant.inputs).toMatchObject({ scope: group.id, principalType: "ServicePrincipal" });
            expect(String(grant.inputs.roleDefinitionId)).toMatch(/^\/subscriptions\/[^/]+\/providers\/Microsoft\.Authorization\/roleDefinitions\//);
            const waits = g
                .ofType(sleepType)
                .filter((s) => before.has(s.key) && createdBefore(g, s).has(grant.key) && goDurationSeconds(s.inputs.createDuration) >= rbacLatencySeconds);
            expect(waits, grant.key).not.toHaveLength(0);
        }
    });

    it("boots the serving container with Docker's syslog driver on that facility, rotating its local copy", () => {
        const { driver, opts } = logOptions(serveLogArgs(cloudInitOf(g), servingContainer));
        expect(driver).toBe("syslog");
        expect(opts).toEqual({
            "syslog-address": "unixgram:///dev/log",
            "syslog-facility": g.one(T.rule).inputs.dataSources.syslog[0].facilityNames[0],
            tag: servingContainer,
            mode: "non-blocking",
            "max-buffer-size": "8m",
            // Docker's dual-logging cache: what `docker logs` reads, rotated at 5 x 50 MB.
            "cache-max-size": "50m",
            "cache-max-file": "5",
        });
        expect(opts["cache-disabled"]).toBeUndefined();
    });

    it("keeps the installer's output off the shipped path", () => {
        const text = cloudInitOf(g);
        const install = bashFunction(text, "install_emr");
        expect(install).toMatch(/docker run -d --name emr-install --log-driver json-file /);
        expect(install).not.toContain("LOG_ARGS");
        // Only the serving container logs to syslog; nothing else in the boot names the shipped facility.
        expect(text.match(/LOG_ARGS\[@\]/g)).toHaveLength(1);
        expect(bashFunction(text, "run_serving")).toContain(`"\${LOG_ARGS[@]}"`);
        expect(text.match(/--log-driver syslog/g)).toHaveLength(1);
        expect(text.match(new RegExp(`\\b${containerLogFacility}\\b`, "g"))).toHaveLength(1);
    });
});
