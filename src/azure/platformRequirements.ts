/**
 * What an Azure subscription must have before this stack's resources can be created, as data: the
 * resource providers the resource types live in and the subscription features some settings need.
 * subscriptionRegistration.ts registers them on the first `pulumi up`; the plan's deploy rules read
 * the same tables to check that every resource is covered.
 */

/** The ARM namespace of each azure-native module the stack uses (azure-native maps one module to one namespace). */
export const moduleNamespaces: Record<string, string> = {
    authorization: "Microsoft.Authorization",
    compute: "Microsoft.Compute",
    dbformysql: "Microsoft.DBforMySQL",
    features: "Microsoft.Features",
    keyvault: "Microsoft.KeyVault",
    logic: "Microsoft.Logic",
    managedidentity: "Microsoft.ManagedIdentity",
    monitor: "Microsoft.Insights",
    network: "Microsoft.Network",
    operationalinsights: "Microsoft.OperationalInsights",
    privatedns: "Microsoft.Network",
    // Azure Managed Redis (Microsoft.Cache/redisEnterprise, src/azure/sessionTier.ts).
    redisenterprise: "Microsoft.Cache",
    resources: "Microsoft.Resources",
    storage: "Microsoft.Storage",
};

/**
 * Namespaces every subscription has registered from the start ("Resource providers for Azure
 * services", registered by default: Microsoft.Authorization, Microsoft.Features,
 * Microsoft.Resources, ...; learn.microsoft.com/azure/azure-resource-manager/management/
 * azure-services-resource-providers). Registering them again would be harmless but slow.
 */
export const registeredByDefault = ["Microsoft.Authorization", "Microsoft.Features", "Microsoft.Resources"];

/** The namespace of an azure-native resource type token (`azure-native:<module>:<Type>`), if it is one. */
export function namespaceOf(type: string): string | undefined {
    const [pkg, module] = type.split(":");
    return pkg === "azure-native" ? moduleNamespaces[module] : undefined;
}

/**
 * The namespaces the stack registers: every module's, except those registered by default.
 * Microsoft.Insights is the one that matters most: azure-native registers a namespace by itself only
 * when ARM answers 409 MissingSubscriptionRegistration (azure-sdk-for-go sdk/azcore/arm/runtime/
 * policy_register_rp.go, in the pipeline azure-native builds in provider/pkg/azure/client_azcore.go),
 * but diagnostic settings answer "The subscription ... is not registered to use microsoft.insights"
 * with code Conflict, which that policy ignores (pulumi/pulumi-azure-native#3479, open;
 * Azure/Enterprise-Scale#1382: "known on new/fresh subscriptions"). Learn says the same of ARM
 * templates: "a resource in the template requires supporting resources that aren't in the template.
 * Common examples are monitoring or security resources. You need to register those resource
 * providers manually" (resource-providers-and-types.md).
 */
export const stackProviders: string[] = [...new Set(Object.values(moduleNamespaces))].filter((ns) => !registeredByDefault.includes(ns)).sort();

/** A subscription feature ("preview feature") a setting of the stack needs. */
export interface FeatureRequirement {
    namespace: string;
    feature: string;
    /** The resource type and setting that needs it. */
    requiredBy: string;
    /** Only in these regions (ARM names); everywhere when absent. */
    regions?: string[];
    source: string;
}

export const subscriptionFeatures: FeatureRequirement[] = [
    {
        namespace: "Microsoft.Compute",
        feature: "EncryptionAtHost",
        requiredBy: "azure-native:compute:VirtualMachineScaleSet virtualMachineProfile.securityProfile.encryptionAtHost",
        source:
            "MicrosoftDocs/azure-compute-docs virtual-machines/disks-enable-host-based-encryption-portal.md: \"You must enable the feature for your subscription before you can use encryption at host\" (az feature register --name EncryptionAtHost --namespace Microsoft.Compute)",
    },
    {
        namespace: "Microsoft.Storage",
        feature: "AllowEncryptionInTransitNFS4",
        requiredBy: "azure-native:storage:FileShare enabledProtocols NFS, mounted with TLS (AZNFS) on an account requiring secure transfer",
        // "EiT is now Generally Available (GA) in all regions that support Azure Premium Files except
        // China North3, New Zealand North, West Europe, US East2, US Central, US South and Korea
        // Central ... You must register your subscription ... in the preview regions. No registration
        // is needed in the GA regions."
        regions: ["chinanorth3", "newzealandnorth", "westeurope", "eastus2", "centralus", "southcentralus", "koreacentral"],
        source: "MicrosoftDocs/azure-docs storage/files/encryption-in-transit-for-nfs-shares.md (ms.date 2025-06-27), Supported regions",
    },
];

/** The features a stack in `region` needs. */
export function featuresFor(region: string): FeatureRequirement[] {
    const normalized = region.toLowerCase().replace(/\s+/g, "");
    return subscriptionFeatures.filter((f) => !f.regions || f.regions.includes(normalized));
}

/** The commands an operator runs to do by hand what the stack does (README, error messages). */
export function manualCommands(region: string): string[] {
    return [
        ...featuresFor(region).map((f) => `az feature register --namespace ${f.namespace} --name ${f.feature}`),
        ...stackProviders.map((ns) => `az provider register --namespace ${ns} --wait`),
    ];
}

/**
 * Creates that Azure authorizes, as they happen, against a role assignment made in the same
 * deployment: each must depend on a propagation wait after that grant (storageAccess.ts
 * `propagated`), or the first `pulumi up` fails and a retry ten minutes later passes.
 */
export interface GrantedCreate {
    type: string;
    /** Whether this resource's inputs make Azure check the grant at creation. */
    applies(inputs: Record<string, any>): boolean;
    /** The role, and whose. */
    role: string;
    source: string;
}

export const grantedCreates: GrantedCreate[] = [
    {
        type: "azure-native:keyvault:Key",
        applies: () => true,
        role: "Key Vault Crypto Officer, the deploying principal (RBAC vault: ARM key reads/writes are data-plane checked)",
        source: "pulumi/pulumi-azure-native#890, pulumi/pulumi-azure-nextgen#195 (ForbiddenByRbac)",
    },
    {
        type: "azure-native:storage:StorageAccount",
        applies: (inputs) => inputs.encryption?.keySource === "Microsoft.Keyvault",
        role: "Key Vault Crypto Service Encryption User, the account's encryption identity",
        source: "Azure/bicep#16601 (KeyVaultAuthenticationFailure, passes on retry)",
    },
    {
        type: "azure-native:dbformysql:Server",
        applies: (inputs) => inputs.dataEncryption?.type === "AzureKeyVault",
        role: "Key Vault Crypto Service Encryption User, primaryUserAssignedIdentityId",
        source: "azure-databases-docs mysql/flexible-server/concepts-customer-managed-key.md (\"Permission changes can take up to 10 minutes\")",
    },
    {
        type: "azure-native:compute:VirtualMachineScaleSet",
        applies: (inputs) => typeof inputs.virtualMachineProfile?.osProfile?.customData === "string",
        role: "the install-reader role on each install secret, the servers' identity: the first boot reads them minutes after the create, with retries shorter than 10 minutes",
        source: "MicrosoftDocs/azure-docs key-vault/general/rbac-guide.md (\"up to 10 minutes (600 seconds)\"); src/app/bootTimings.ts resetSeconds",
    },
];
