import { moduleNamespaces } from "../../azure/platformRequirements";
import * as pulumi from "@pulumi/pulumi";
import { hex, mockSubscriptionId, mockTenantId, type CloudMock } from "./shared";

/** The value inside a Pulumi secret envelope, or the value itself. */
const unsecret = (value: any) => (value?.[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig ? value.value : value);

/**
 * How azure-native reports an ARM error from an invoke: `Status=404 Code="..." Message="..."`
 * (pulumi/pulumi-azure-native provider/pkg/azure/client_azcore.go, PulumiAzcoreResponseError),
 * carried as a gRPC error whose `details` the SDK turns into the rejection's message
 * (@pulumi/pulumi runtime/invoke.js: `innerReject(new Error(err.details))`). The mock
 * subscription is a fresh one: nothing outside the stack exists.
 */
export const armError = (status: number, code: string, message: string) => {
    const text = `Status=${status} Code="${code}" Message="${message}"`;
    return Object.assign(new Error(text), { details: text });
};

/** ARM provider namespace of each azure-native module (the table the subscription registration uses). */
const azureNamespace = moduleNamespaces;

/** ARM collection names that are not simply the type name in lower camel case plus "s". */
const azureCollection: Record<string, string> = {
    "dbformysql:Server": "flexibleServers",
    "privatedns:PrivateZone": "privateDnsZones",
    "network:PublicIPAddress": "publicIPAddresses",
    "compute:VirtualMachineScaleSet": "virtualMachineScaleSets",
    "monitor:AutoscaleSetting": "autoscalesettings",
    "storage:BlobServiceProperties": "blobServices",
    "storage:FileServiceProperties": "fileServices",
    "storage:FileShare": "shares",
    "storage:BlobContainer": "containers",
    "redisenterprise:Database": "databases",
    // Singular in ARM (REST spec redisenterprise.json RedisEnterprise_Get ".../Microsoft.Cache/redisEnterprise/{clusterName}").
    "redisenterprise:RedisEnterprise": "redisEnterprise",
    "storage:ManagementPolicy": "managementPolicies",
    "network:FlowLog": "flowLogs",
    "network:WebApplicationFirewallPolicy": "ApplicationGatewayWebApplicationFirewallPolicies",
    "managedidentity:UserAssignedIdentity": "userAssignedIdentities",
};

/** The input that holds a resource's own name where it is not `<typeName>Name`. */
const azureOwnName: Record<string, string> = {
    "storage:StorageAccount": "accountName",
    "compute:VirtualMachineScaleSet": "vmScaleSetName",
    "storage:FileShare": "shareName",
    "storage:BlobContainer": "containerName",
    "storage:BlobServiceProperties": "blobServicesName",
    "storage:FileServiceProperties": "fileServicesName",
    "managedidentity:UserAssignedIdentity": "resourceName",
    "keyvault:Secret": "secretName",
    "dbformysql:Configuration": "configurationName",
    "network:WebApplicationFirewallPolicy": "policyName",
    "authorization:ManagementLockByScope": "lockName",
};

/**
 * Child resources: the parent collection, the input naming the parent, and any fixed segment ARM
 * puts between them: a share and a container hang off the account's one file / blob service,
 * `default` (Azure/azure-rest-api-specs storage/resource-manager/Microsoft.Storage/stable/2024-01-01
 * file.json FileShares_Get ".../storageAccounts/{accountName}/fileServices/default/shares/{shareName}",
 * blob.json BlobContainers_Get ".../blobServices/default/containers/{containerName}"), so code that
 * builds ARM URLs from their ids (the share snapshot workflow) meets the ids Azure returns.
 */
const azureParent: Record<string, [string, string] | [string, string, string]> = {
    "network:Subnet": ["virtualNetworks", "virtualNetworkName"],
    "privatedns:VirtualNetworkLink": ["privateDnsZones", "privateZoneName"],
    "dbformysql:Database": ["flexibleServers", "serverName"],
    "dbformysql:Configuration": ["flexibleServers", "serverName"],
    "keyvault:Secret": ["vaults", "vaultName"],
    "keyvault:Key": ["vaults", "vaultName"],
    "storage:BlobServiceProperties": ["storageAccounts", "accountName"],
    "storage:FileServiceProperties": ["storageAccounts", "accountName"],
    "storage:ManagementPolicy": ["storageAccounts", "accountName"],
    "storage:FileShare": ["storageAccounts", "accountName", "fileServices/default"],
    "storage:BlobContainer": ["storageAccounts", "accountName", "blobServices/default"],
    "network:FlowLog": ["networkWatchers", "networkWatcherName"],
    "network:PrivateDnsZoneGroup": ["privateEndpoints", "privateEndpointName"],
    "redisenterprise:Database": ["redisEnterprise", "clusterName"],
};

/**
 * Resources whose id does not sit under their resource group's provider path. Resource groups and
 * subscription deployments hang off the subscription; diagnostic settings, role and policy
 * assignments and locks off what they apply to (REST specs: ManagementLocks_CreateOrUpdateByScope
 * "/{scope}/providers/Microsoft.Authorization/locks/{lockName}", RoleAssignments_Create
 * "/{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}"). A role
 * definition: the subscription form, as the REST spec's RoleDefinitions_Get example shows for a
 * built-in role; which form ARM reports for a custom role defined at a resource group is not
 * documented, so the program never uses a custom role's own id in an assignment (roleDefinitionId
 * in src/azure/storageAccess.ts).
 */
const anchoredIds: Record<string, (inputs: Record<string, any>, physical: string, sub: string) => string> = {
    "resources:ResourceGroup": (_, physical, sub) => `${sub}/resourceGroups/${physical}`,
    "resources:DeploymentAtSubscriptionScope": (_, physical, sub) => `${sub}/providers/Microsoft.Resources/deployments/${physical}`,
    "monitor:DiagnosticSetting": (inputs, physical) => `${inputs.resourceUri}/providers/Microsoft.Insights/diagnosticSettings/${physical}`,
    "authorization:RoleAssignment": (inputs, physical) => `${inputs.scope}/providers/Microsoft.Authorization/roleAssignments/${physical}`,
    "authorization:RoleDefinition": (_, physical, sub) => `${sub}/providers/Microsoft.Authorization/roleDefinitions/${physical}`,
    "authorization:ManagementLockByScope": (inputs, physical) => `${inputs.scope}/providers/Microsoft.Authorization/locks/${physical}`,
    "authorization:PolicyAssignment": (inputs, physical) => `${inputs.scope}/providers/Microsoft.Authorization/policyAssignments/${physical}`,
};

export const azureMock: CloudMock = {
    prefix: "azure-native:",
    resource({ type, name, inputs }, region) {
        const [, module, kind] = type.split(":");
        const short = `${module}:${kind}`;
        const ownKey = azureOwnName[short] ?? Object.keys(inputs).find((k) => k.toLowerCase() === `${kind}name`.toLowerCase());
        // Autonaming appends a random suffix; storage accounts allow only lowercase letters and digits.
        const autoname = kind === "StorageAccount" ? `${name.replace(/[^a-z0-9]/g, "").slice(0, 16)}${hex(name, 8)}` : `${name}${hex(name, 8)}`;
        const physical: string = (ownKey && inputs[ownKey]) ?? autoname;
        const sub = `/subscriptions/${mockSubscriptionId}`;
        const group = `${sub}/resourceGroups/${inputs.resourceGroupName ?? "emr-rg"}`;
        const collection = azureCollection[short] ?? `${kind.charAt(0).toLowerCase()}${kind.slice(1)}s`;
        const parent = azureParent[short];
        const parentPath = parent ? `/${parent[0]}/${inputs[parent[1]]}${parent[2] ? `/${parent[2]}` : ""}` : "";
        const id = anchoredIds[short]?.(inputs, physical, sub) ?? `${group}/providers/${azureNamespace[module] ?? module}${parentPath}/${collection}/${physical}`;
        const state: Record<string, unknown> = { ...inputs, name: physical, id, location: inputs.location ?? region };
        switch (type) {
            case "azure-native:dbformysql:Server":
                state.fullyQualifiedDomainName = `${physical}.mysql.database.azure.com`;
                break;
            case "azure-native:redisenterprise:RedisEnterprise":
                // Azure Managed Redis host names: <name>.<region>.redis.azure.net (learn.microsoft.com/azure/redis/architecture).
                state.hostName = `${physical}.${region}.redis.azure.net`;
                break;
            case "azure-native:keyvault:Vault":
                state.properties = { ...inputs.properties, vaultUri: `https://${physical}.vault.azure.net/` };
                break;
            case "azure-native:keyvault:Secret":
                // A secret `value` makes the SDK send the whole `properties` object as one secret
                // envelope ({[specialSigKey]: specialSecretSig, value}); spread as it is, the URI
                // the provider returns next to it would be lost inside the envelope.
                state.properties = { ...unsecret(inputs.properties), secretUri: `https://${inputs.vaultName}.vault.azure.net/secrets/${physical}` };
                break;
            case "azure-native:keyvault:Key":
                state.keyUri = `https://${inputs.vaultName}.vault.azure.net/keys/${physical}`;
                state.keyUriWithVersion = `${state.keyUri}/${hex(name, 32)}`;
                break;
            case "azure-native:network:PublicIPAddress":
                state.ipAddress = `20.0.0.${parseInt(hex(name, 2), 16) % 250}`;
                break;
            case "azure-native:managedidentity:UserAssignedIdentity":
                state.clientId = `${hex(name, 8)}-0000-4000-8000-${hex(name + "c", 12)}`;
                state.principalId = `${hex(name + "p", 8)}-0000-4000-8000-${hex(name + "p", 12)}`;
                break;
            case "azure-native:authorization:PolicyAssignment":
                // A system-assigned identity comes back with its principal (azure-rest-api-specs
                // Microsoft.Authorization/policy/stable/2025-01-01/examples/updatePolicyAssignmentWithIdentity.json).
                if (inputs.identity?.type === "SystemAssigned") {
                    state.identity = { ...inputs.identity, principalId: `${hex(name + "p", 8)}-0000-4000-8000-${hex(name + "p", 12)}`, tenantId: mockTenantId };
                }
                break;
            case "azure-native:monitor:DataCollectionRule":
                // "dcr-" and 32 hex digits: what logs ingestion and the agent address the rule by
                // (MicrosoftDocs/azure-monitor-docs data-collection-rule samples, "immutableId").
                state.immutableId = `dcr-${hex(name, 32)}`;
                break;
            case "azure-native:operationalinsights:Workspace":
                state.customerId = `${hex(name, 8)}-0000-4000-8000-${hex(name + "w", 12)}`;
                break;
            case "azure-native:storage:StorageAccount":
                state.primaryEndpoints = {
                    blob: `https://${physical}.blob.core.windows.net/`,
                    file: `https://${physical}.file.core.windows.net/`,
                };
                break;
        }
        return { id, state };
    },
    calls: {
        "azure-native:authorization:getClientConfig": () => ({
            clientId: "22222222-2222-4222-8222-222222222222",
            objectId: "33333333-3333-4333-8333-333333333333",
            subscriptionId: mockSubscriptionId,
            tenantId: mockTenantId,
        }),
        // An opaque bearer token for ARM (the provider returns the deployer's access token).
        "azure-native:authorization:getClientToken": () => ({ token: "mock-arm-access-token" }),
        // Access keys as Azure issues them: base64 of 32 bytes, so `+`, `/` and `=` occur (the boot percent-encodes them).
        "azure-native:redisenterprise:listDatabaseKeys": ({ clusterName }) => ({
            primaryKey: `${Buffer.from(`primary ${clusterName} mock key..`).toString("base64").slice(0, 40)}+/a=`,
            secondaryKey: `${Buffer.from(`secondary ${clusterName} mock k.`).toString("base64").slice(0, 40)}+/b=`,
        }),
        "azure-native:resources:getResourceGroup": ({ resourceGroupName }) => {
            throw armError(404, "ResourceGroupNotFound", `Resource group '${resourceGroupName}' could not be found.`);
        },
        "azure-native:network:getNetworkWatcher": ({ resourceGroupName }) => {
            throw armError(404, "ResourceGroupNotFound", `Resource group '${resourceGroupName}' could not be found.`);
        },
    },
};

