import type { PlannedResource } from "../../plan/capture";
import type { Graph } from "../../plan/graph";
import { at } from "../inputs";
import { sleepType, waitsBetween } from "../order";
import type { StackRule, Violation } from "../types";

const roleAssignment = "azure-native:authorization:RoleAssignment";
const identityType = "azure-native:managedidentity:UserAssignedIdentity";
const keyType = "azure-native:keyvault:Key";
const vaultType = "azure-native:keyvault:Vault";
const scaleSetType = "azure-native:compute:VirtualMachineScaleSet";


/**
 * Key Vault's documented role-assignment latency: "Role assignments latency: at current expected
 * performance, it will take up to 10 minutes (600 seconds) after role assignments is changed for
 * role to be applied" (MicrosoftDocs/azure-docs articles/key-vault/general/rbac-guide.md, Known
 * limits and performance). A shorter wait usually passes and sometimes does not.
 */
export const rbacLatencySeconds = 600;


/**
 * Where each customer-managed-key consumer names the identity it reads the key as and the key
 * itself: Azure checks the identity's access to the key when it creates the resource, so the
 * create needs the identity's grant on the key to have propagated.
 * - Storage: Azure/bicep#16601 ("Deploying blob storage with CMK and rbac-enabled keyVault fails
 *   due to a race condition ... KeyVaultAuthenticationFailure ... successful if retried").
 * - MySQL flexible server: azure-databases-docs concepts-customer-managed-key.md ("Permission
 *   changes can take up to 10 minutes to impact the key vault").
 * - Recovery Services vault: azure-docs backup/encryption-at-rest-with-cmk.md (the identity must
 *   hold the key permissions before the key is assigned).
 */
const keyConsumers: Record<string, { identity: string; keyUri: (inputs: Record<string, any>) => string | undefined }[]> = {
    "azure-native:storage:StorageAccount": [
        {
            identity: "encryption.encryptionIdentity.encryptionUserAssignedIdentity",
            keyUri: (i) => {
                const vaultUri = at(i, "encryption.keyVaultProperties.keyVaultUri");
                const keyName = at(i, "encryption.keyVaultProperties.keyName");
                return typeof vaultUri === "string" && keyName ? `${vaultUri.replace(/\/?$/, "/")}keys/${keyName}` : undefined;
            },
        },
    ],
    "azure-native:dbformysql:Server": [
        { identity: "dataEncryption.primaryUserAssignedIdentityId", keyUri: (i) => at(i, "dataEncryption.primaryKeyURI") as string | undefined },
        { identity: "dataEncryption.geoBackupUserAssignedIdentityId", keyUri: (i) => at(i, "dataEncryption.geoBackupKeyURI") as string | undefined },
    ],
    "azure-native:recoveryservices:Vault": [
        {
            identity: "properties.encryption.kekIdentity.userAssignedIdentity",
            keyUri: (i) => at(i, "properties.encryption.keyVaultProperties.keyUri") as string | undefined,
        },
    ],
};

/** The Key resource a key URI (versionless or versioned) names. */
function keyByUri(graph: Graph, uri: string): PlannedResource | undefined {
    return graph.ofType(keyType).find((k) => typeof k.outputs.keyUri === "string" && (uri === k.outputs.keyUri || uri.startsWith(`${k.outputs.keyUri}/`)));
}

/** A scope covers a resource when it is the resource's id or an ARM ancestor of it. */
const covers = (scope: unknown, id: unknown) => typeof scope === "string" && typeof id === "string" && (id === scope || id.startsWith(`${scope}/`));

/**
 * A scale set whose servers read the granted secret while they boot, as the grantee identity: the
 * boot's own retries are bounded (src/app/bootTimings.ts resetSeconds, minutes), shorter than the
 * grant's documented latency, and the first servers boot minutes after the create. So the create
 * waits out the propagation, like a create Azure checks itself.
 */
function bootReaders(graph: Graph, grant: PlannedResource, grantee: PlannedResource | undefined): PlannedResource[] {
    const secret = /\/secrets\/([^/]+)$/.exec(String(grant.inputs.scope))?.[1];
    if (!grantee || !secret) return [];
    return graph.ofType(scaleSetType).filter((vmss) => {
        const identities = Object.keys(vmss.inputs.identity?.userAssignedIdentities ?? {}).concat(vmss.inputs.identity?.userAssignedIdentities ?? []);
        const customData = at(vmss.inputs, "virtualMachineProfile.osProfile.customData");
        const boot = typeof customData === "string" ? Buffer.from(customData, "base64").toString("utf8") : "";
        return identities.includes(String(grantee.id)) && boot.includes(`/secrets/${secret}`);
    });
}

/**
 * Resources Azure checks against `grant` while it creates them (or that use it within minutes of
 * being created, with retries shorter than its propagation), and why. A resource that uses a grant
 * only much later (a workflow on a daily schedule) is not one.
 */
function consumersOf(graph: Graph, grant: PlannedResource): { consumer: PlannedResource; because: string }[] {
    const found = new Map<string, { consumer: PlannedResource; because: string }>();
    // Created as the grantee identity with a key inside the grant's scope.
    const grantee = graph.ofType(identityType).find((i) => i.outputs.principalId === grant.inputs.principalId);
    for (const [type, uses] of Object.entries(keyConsumers)) {
        for (const r of graph.ofType(type)) {
            for (const use of uses) {
                const uri = use.keyUri(r.inputs);
                const key = uri ? keyByUri(graph, uri) : undefined;
                if (grantee && key && at(r.inputs, use.identity) === grantee.id && covers(grant.inputs.scope, key.id)) {
                    found.set(r.key, { consumer: r, because: `${use.identity} reads key ${uri} with the grantee identity when it is created` });
                }
            }
        }
    }
    for (const vmss of bootReaders(graph, grant, grantee)) {
        found.set(vmss.key, { consumer: vmss, because: `its servers read secret ${grant.inputs.scope} at boot with the grantee identity, minutes after the create` });
    }
    // Keys created in a Key Vault with RBAC authorization need the creator's data-plane role
    // ("Key Vault Crypto Officer", pulumi/pulumi-azure-native#890: ForbiddenByRbac).
    const cryptoOfficer = "14b46e9e-c2b7-41b4-b07b-48a6ebf60603";
    if (String(grant.inputs.roleDefinitionId).endsWith(`/${cryptoOfficer}`)) {
        for (const key of graph.ofType(keyType)) {
            const vault = graph.ofType(vaultType).find((v) => v.outputs.name === key.inputs.vaultName);
            if (vault && covers(grant.inputs.scope, vault.id)) found.set(key.key, { consumer: key, because: "it is created by the deployer inside the grant's scope" });
        }
    }
    return [...found.values()];
}

export const grantPropagationRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AZ-GRANT-PROPAGATION-WAIT",
    title: "A resource Azure checks against a role assignment as it creates it waits out the grant's propagation first",
    category: "deploy",
    cloud: "azure",
    severity: "error",
    source: [
        // "Deploying blob storage with CMK and rbac-enabled keyVault fails due to a race condition ... the deployment is
        // successful if the deployment is retried"
        "https://github.com/Azure/bicep/issues/16601",
        // "Role assignments latency: ... up to 10 minutes (600 seconds) after role assignments is changed"
        "MicrosoftDocs/azure-docs:articles/key-vault/general/rbac-guide.md (Known limits and performance)",
        // "Permission changes can take up to 10 minutes to impact the key vault"
        "MicrosoftDocs/azure-databases-docs:articles/mysql/flexible-server/concepts-customer-managed-key.md",
        // "ForbiddenByRbac ... If role assignments ... were changed recently, please observe propagation time."
        "https://github.com/pulumi/pulumi-azure-native/issues/890",
        // The wait: "This resource will create (at least) 30 seconds after null_resource.previous".
        "pulumiverse/pulumi-time:sdk/nodejs/sleep.ts",
    ],
    appliesTo: [roleAssignment],
    check(graph): Violation[] {
        return graph.ofType(roleAssignment).flatMap((grant) =>
            consumersOf(graph, grant)
                .filter(({ consumer }) => waitsBetween(graph, grant, consumer, rbacLatencySeconds).length === 0)
                .map(({ consumer, because }) => ({
                    resourceKey: consumer.key,
                    reason:
                        `needs the role assignment ${grant.key} (scope ${grant.inputs.scope}) at creation (${because}), but waits for no ` +
                        `${sleepType} of createDuration >= ${rbacLatencySeconds}s that itself waits for the grant: a role assignment takes up to ` +
                        "10 minutes to apply, so the first `pulumi up` is refused here (ForbiddenByRbac / KeyVaultAuthenticationFailure).",
                })),
        );
    },
};
