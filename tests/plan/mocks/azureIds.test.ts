import { beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../../src/plan/capture";
import { capturedStack } from "../../policy/stacks";

/**
 * The resource ids the Azure mock hands the program are the ids ARM returns: the program builds
 * ARM URLs, scopes and rule matches from them (the share snapshot workflow's DELETE, lock scopes,
 * role assignment scopes), and an id ARM never returns would hide a wrong URL. Each path is the
 * resource's GET path in Azure/azure-rest-api-specs (resource-manager specs of each provider,
 * e.g. storage file.json FileShares_Get, locks.json ManagementLocks_GetByScope, redisenterprise.json
 * RedisEnterprise_Get), with {scope} standing for the id of what an extension resource applies to.
 * Compared without regard to case, as ARM compares ids (the specs themselves write some segments
 * in lower case: resourcegroups, microsoft.insights).
 * A type the stacks start to use must be added here, with its path read in the spec.
 */
const rg = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}";
const armPaths: Record<string, string> = {
    "authorization:ManagementLockByScope": "{scope}/providers/Microsoft.Authorization/locks/{lockName}",
    "authorization:PolicyAssignment": "{scope}/providers/Microsoft.Authorization/policyAssignments/{policyAssignmentName}",
    "authorization:RoleAssignment": "{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
    // The subscription form of RoleDefinitions_Get's built-in example (see src/plan/mocks/azure.ts anchoredIds).
    "authorization:RoleDefinition": "/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}",
    "compute:VirtualMachineScaleSet": `${rg}/providers/Microsoft.Compute/virtualMachineScaleSets/{vmScaleSetName}`,
    "dbformysql:Configuration": `${rg}/providers/Microsoft.DBforMySQL/flexibleServers/{serverName}/configurations/{configurationName}`,
    "dbformysql:Server": `${rg}/providers/Microsoft.DBforMySQL/flexibleServers/{serverName}`,
    "keyvault:Key": `${rg}/providers/Microsoft.KeyVault/vaults/{vaultName}/keys/{keyName}`,
    "keyvault:Secret": `${rg}/providers/Microsoft.KeyVault/vaults/{vaultName}/secrets/{secretName}`,
    "keyvault:Vault": `${rg}/providers/Microsoft.KeyVault/vaults/{vaultName}`,
    "logic:Workflow": `${rg}/providers/Microsoft.Logic/workflows/{workflowName}`,
    "managedidentity:UserAssignedIdentity": `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}`,
    "monitor:ActionGroup": `${rg}/providers/Microsoft.Insights/actionGroups/{actionGroupName}`,
    "monitor:AutoscaleSetting": `${rg}/providers/Microsoft.Insights/autoscalesettings/{autoscaleSettingName}`,
    "monitor:DataCollectionRule": `${rg}/providers/Microsoft.Insights/dataCollectionRules/{dataCollectionRuleName}`,
    "monitor:DiagnosticSetting": "{scope}/providers/Microsoft.Insights/diagnosticSettings/{name}",
    "monitor:MetricAlert": `${rg}/providers/Microsoft.Insights/metricAlerts/{ruleName}`,
    "network:ApplicationGateway": `${rg}/providers/Microsoft.Network/applicationGateways/{applicationGatewayName}`,
    "network:FlowLog": `${rg}/providers/Microsoft.Network/networkWatchers/{networkWatcherName}/flowLogs/{flowLogName}`,
    "network:LoadBalancer": `${rg}/providers/Microsoft.Network/loadBalancers/{loadBalancerName}`,
    "network:NetworkSecurityGroup": `${rg}/providers/Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}`,
    "network:PrivateDnsZoneGroup": `${rg}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{privateDnsZoneGroupName}`,
    "network:PrivateEndpoint": `${rg}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}`,
    "network:PublicIPAddress": `${rg}/providers/Microsoft.Network/publicIPAddresses/{publicIpAddressName}`,
    "network:Subnet": `${rg}/providers/Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{subnetName}`,
    "network:VirtualNetwork": `${rg}/providers/Microsoft.Network/virtualNetworks/{virtualNetworkName}`,
    "network:WebApplicationFirewallPolicy": `${rg}/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/{policyName}`,
    "operationalinsights:Workspace": `${rg}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}`,
    "privatedns:PrivateZone": `${rg}/providers/Microsoft.Network/privateDnsZones/{privateZoneName}`,
    "privatedns:VirtualNetworkLink": `${rg}/providers/Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks/{virtualNetworkLinkName}`,
    "redisenterprise:Database": `${rg}/providers/Microsoft.Cache/redisEnterprise/{clusterName}/databases/{databaseName}`,
    "redisenterprise:RedisEnterprise": `${rg}/providers/Microsoft.Cache/redisEnterprise/{clusterName}`,
    "resources:Deployment": `${rg}/providers/Microsoft.Resources/deployments/{deploymentName}`,
    "resources:DeploymentAtSubscriptionScope": "/subscriptions/{subscriptionId}/providers/Microsoft.Resources/deployments/{deploymentName}",
    "resources:ResourceGroup": rg,
    "storage:FileServiceProperties": `${rg}/providers/Microsoft.Storage/storageAccounts/{accountName}/fileServices/default`,
    "storage:FileShare": `${rg}/providers/Microsoft.Storage/storageAccounts/{accountName}/fileServices/default/shares/{shareName}`,
    "storage:StorageAccount": `${rg}/providers/Microsoft.Storage/storageAccounts/{accountName}`,
};

/** The path as a pattern: a {parameter} is one segment, {scope} any resource id. */
const pattern = (path: string) => new RegExp(`^${path.replace(/[.]/g, "\\.").replace("{scope}", "/subscriptions/.+").replace(/\{[A-Za-z]+\}/g, "[^/]+")}$`, "i");

let resources: PlannedResource[] = [];
beforeAll(async () => {
    for (const stack of ["azure-dev", "azure-prod"]) resources.push(...(await capturedStack(stack)).run.resources.filter((r) => r.custom && r.type.startsWith("azure-native:")));
}, 60_000);

describe("the Azure mock's resource ids", () => {
    it("follow the ARM path of every type the stacks declare", () => {
        const wrong = resources.flatMap((r) => {
            const path = armPaths[r.type.replace("azure-native:", "")];
            if (!path) return [`${r.type}: no ARM path listed here (read it in the REST spec and add it)`];
            return pattern(path).test(String(r.id)) ? [] : [`${r.key}: ${r.id} is not ${path}`];
        });
        expect(wrong).toEqual([]);
    });

    it("anchor extension resources on what they apply to", () => {
        for (const r of resources.filter((r) => ["authorization:ManagementLockByScope", "authorization:RoleAssignment"].includes(r.type.replace("azure-native:", "")))) {
            expect(String(r.id).startsWith(`${r.inputs.scope}/providers/Microsoft.Authorization/`)).toBe(true);
        }
    });
});
