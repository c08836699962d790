import * as authorization from "@pulumi/azure-native/authorization";
import type * as inputs from "@pulumi/azure-native/types/input";
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import type * as time from "@pulumiverse/time";
import { grant, propagated, roleDefinitionId } from "./storageAccess";

/**
 * The syslog facility the serving container writes to (src/azure/webBoot.ts `serveLogArgs`) and the
 * only one the data collection rule collects. Nothing else on the servers logs to it: Ubuntu's own
 * services use the daemon/auth/kern/user facilities, the boot script writes to cloud-init's output
 * (facility daemon), and the installer container keeps Docker's json-file driver on the local disk
 * (src/app/bootScript.ts: installer errors can quote SQL with the app password). So the installer's
 * output can reach the workspace by no path: it never enters syslog, and local0 is all that ships.
 */
export const containerLogFacility = "local0";

/**
 * The Azure Monitor Agent (the VM extension that reads syslog and sends it to the workspace the
 * data collection rule names), authenticating with the servers' user-assigned identity.
 * - Publisher, type, and the settings for a user-assigned identity ("If you use a user-assigned
 *   managed identity, you must pass the managed identity details ... identifier-name: mi_res_id or
 *   object_id or client_id"): MicrosoftDocs/azure-monitor-docs articles/azure-monitor/agents/
 *   azure-monitor-agent-requirements.md; the agent refuses any other identifier-name
 *   (Azure/azure-linux-extensions AzureMonitorAgent/agent.py, the authentication.managedIdentity check).
 * - 1.36 with minor-version and automatic upgrades: what Microsoft's own built-in policy deploys on
 *   Linux scale sets with a user-assigned identity (Azure/azure-policy built-in-policies/
 *   policyDefinitions/Monitoring/AzureMonitor_Agent_Linux_VMSS_UAI_DINE.json, 3.9.0); Ubuntu 24.04
 *   is supported from Linux agent 1.33.1 (azure-monitor-agent-extension-versions.md, September 2024),
 *   and "Microsoft only supports Azure Monitoring Agent versions within the last 1 year".
 * - The identity needs no role: the agent uses it only to prove which VM it runs on; what it may
 *   send is what the data collection rules associated with that VM name (the requirements page
 *   lists a managed identity, not a role; Monitoring Metrics Publisher is for the Logs Ingestion
 *   API and custom metrics, neither used here).
 * - Egress: HTTPS to global.handler.control.monitor.azure.com, <region>.handler.control.monitor.azure.com
 *   and <workspace-id>.ods.opinsights.azure.com (azure-monitor-agent-network-configuration.md); the
 *   web subnet's security group filters inbound only and the servers egress through the net tier's
 *   load balancer or NAT gateway, so nothing more is opened.
 * - suppressFailures: a log agent that fails to install must not fail the server it runs on (nor
 *   the `pulumi up` that creates the scale set); the EMR serves without it ("Indicates whether
 *   failures stemming from the extension will be suppressed", @pulumi/azure-native 3.28.0
 *   types/input.d.ts compute VirtualMachineScaleSetExtensionArgs).
 */
export function monitorAgentExtension(identityId: pulumi.Input<string>): inputs.compute.VirtualMachineScaleSetExtensionArgs {
    return {
        name: "monitor-agent",
        publisher: "Microsoft.Azure.Monitor",
        type: "AzureMonitorLinuxAgent",
        typeHandlerVersion: "1.36",
        autoUpgradeMinorVersion: true,
        enableAutomaticUpgrade: true,
        suppressFailures: true,
        settings: { authentication: { managedIdentity: { "identifier-name": "mi_res_id", "identifier-value": identityId } } },
    };
}

/**
 * Built-in policy "Configure Linux Virtual Machines to be associated with a Data Collection Rule or
 * a Data Collection Endpoint" (4.3.0): on every Linux VM created or updated in its scope, it
 * deploys an association with the rule, as the assignment's identity, which needs the roles in the
 * definition's roleDefinitionIds: Monitoring Contributor and Log Analytics Contributor (Azure/
 * azure-policy built-in-policies/policyDefinitions/Monitoring/AzureMonitor_DCRA_VM_Linux_DINE.json).
 */
const associationPolicy = {
    definitionId: "/providers/Microsoft.Authorization/policyDefinitions/58e891b9-ce13-4ac3-86e4-ac3e1f20cb07",
    roles: { monitoringContributor: "749f88d5-cbae-40b8-bcfc-e573ddc772fa", logAnalyticsContributor: "92aaf0da-9dab-42b6-94a3-d43ce8d16293" },
};

export interface ServerLogShippingArgs {
    resourceGroupName: pulumi.Input<string>;
    /** The stack's resource group: the policy's scope, where the web servers are the only virtual machines. */
    resourceGroupId: pulumi.Input<string>;
    /** The stack's Log Analytics workspace (src/azure/netTier.ts), which keeps its tables for the stack's retention. */
    workspaceId: pulumi.Input<string>;
    tags: Record<string, string>;
}

/**
 * The serving container's output, from every web server into the stack's workspace:
 *
 * - A data collection rule sending syslog facility local0 (the serving container, through Docker's
 *   syslog driver: src/azure/webBoot.ts) into the workspace's Syslog table. Syslog rather than a
 *   custom text log: no custom table, no data collection endpoint, no file path to keep apart from
 *   the installer's json-file logs; it bills analytics ingestion per GB like the workspace's other
 *   tables (the plan's emr:usage logIngestGb). The table inherits the
 *   workspace's retention, `emr:logRetentionDays` ("By default, all tables in your workspace inherit
 *   the workspace's interactive retention setting", learn.microsoft.com/azure/azure-monitor/logs/
 *   data-retention-configure). The agent forwards from rsyslog, which Ubuntu's journald feeds
 *   (ForwardToSyslog defaults to yes there: Debian's systemd package, debian/patches/debian/
 *   Re-enable-journal-forwarding-to-syslog.patch);
 *   the agent writes its rsyslog forwarding rule itself whenever a rule of it collects syslog
 *   (Azure/azure-linux-extensions AzureMonitorAgent/agent.py syslogconfig_watcher, every 30 s).
 *
 * - How each server gets the rule. "To associate DCRs with a virtual machine scale set with
 *   flexible orchestration, use a policy to deploy the agent and associate the DCR with each VM.
 *   The policy will install the agent and associate the DCR with VMs as during scale out"
 *   (MicrosoftDocs/azure-monitor-docs articles/azure-monitor/data-collection/
 *   data-collection-rule-associations.md, 2026-01-20): an association on the scale set does not
 *   reach its Flexible VMs, and each VM's association can only be made once the VM exists, which
 *   autoscale and automatic repairs do without Pulumi. So the built-in association policy is
 *   assigned to the stack's resource group: "deployIfNotExists runs after a configurable delay
 *   when a Resource Provider handles a create ... request" (learn.microsoft.com/azure/governance/
 *   policy/concepts/effect-deploy-if-not-exists), here AfterProvisioning, for every server any
 *   time it is created. The agent itself is in the scale set's model (webServers.ts), so no policy
 *   installs it. `scopeToSupportedImages` is off: the policy's image list ends at Ubuntu 22.04
 *   (offers UbuntuServer / 0001-com-ubuntu-*), not Canonical's ubuntu-24_04-lts offer the servers
 *   run, which the agent supports; off, it applies to every Linux VM of the group. It applies only
 *   in the regions its rule lists (4.3.0: 57, eastus and every other large region among them); a
 *   stack elsewhere would get no association.
 *
 * - The scale set waits for the assignment and its grants to be in effect: "It takes around five
 *   minutes for the assignment to be applied" (learn.microsoft.com/azure/governance/policy/how-to/
 *   get-compliance-data, Evaluation triggers) and a role assignment up to ten (storageAccess.ts
 *   rbacPropagation); a server created earlier would stay unassociated, because deployIfNotExists
 *   acts on creates and updates, not on resources that already exist ("Existing non-compliant
 *   resources can be remediated with a remediation task"). The wait overlaps the database's
 *   creation, which the servers wait for anyway.
 */
export function serverLogShipping(name: string, args: ServerLogShippingArgs, parent: pulumi.Resource): { ready: time.Sleep[] } {
    const rule = new monitor.DataCollectionRule(
        `${name}-server-logs`,
        {
            resourceGroupName: args.resourceGroupName,
            kind: "Linux",
            description: "EMR web servers: the serving OpenEMR container's output (syslog local0) into the stack's workspace",
            dataSources: {
                // Docker's syslog driver writes stdout at Info and stderr at Err (moby daemon/logger/syslog/syslog.go Log).
                syslog: [{ name: "serving-container", streams: ["Microsoft-Syslog"], facilityNames: [containerLogFacility], logLevels: ["*"] }],
            },
            destinations: { logAnalytics: [{ name: "stack-workspace", workspaceResourceId: args.workspaceId }] },
            dataFlows: [{ streams: ["Microsoft-Syslog"], destinations: ["stack-workspace"] }],
            tags: args.tags,
        },
        { parent },
    );

    // The key ARM and Pulumi validate (src/config/validate.ts); an assignment with an identity needs a location.
    const location = new pulumi.Config("azure-native").require("location");
    const policy = new authorization.PolicyAssignment(
        `${name}-server-logs-association`,
        {
            scope: args.resourceGroupId,
            policyDefinitionId: associationPolicy.definitionId,
            // The major version the parameters below belong to; Microsoft's fixes within it apply.
            definitionVersion: "4.*.*",
            displayName: "EMR web servers: associate every Linux VM with the container-log data collection rule",
            parameters: {
                dcrResourceId: { value: rule.id },
                resourceType: { value: "Microsoft.Insights/dataCollectionRules" },
                scopeToSupportedImages: { value: false },
            },
            identity: { type: "SystemAssigned" },
            location,
        },
        { parent },
    );

    const subscriptionId = pulumi.output(args.resourceGroupId).apply((id) => id.split("/")[2]);
    const principalId = policy.identity.apply((identity) => identity!.principalId);
    const ready = Object.entries(associationPolicy.roles).map(([role, guid]) => {
        const access = grant(
            `${name}-server-logs-association-${role}`,
            { scope: args.resourceGroupId, principalId, principalType: "ServicePrincipal", roleDefinitionId: roleDefinitionId(subscriptionId, guid) },
            policy,
        );
        return propagated(`${name}-server-logs-association-${role}-propagation`, access, policy);
    });
    // What the scale set waits for: the policy and its grants in effect, so every server it creates is associated.
    return { ready };
}
