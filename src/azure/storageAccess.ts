import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";

/**
 * Built-in role definition GUIDs (Azure RBAC built-in roles, "Security" section). They are the
 * same in every tenant, so they are constants rather than look-ups.
 */
export const builtInRoles = {
    /** Read a key and wrap/unwrap with it: all a service needs to use a customer-managed key. */
    keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    /** Create and manage keys (data plane). */
    keyVaultCryptoOfficer: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
    /** Read secret contents (data plane). */
    keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
} as const;

export interface Grant {
    scope: pulumi.Input<string>;
    principalId: pulumi.Input<string>;
    /** The full role definition resource id. */
    roleDefinitionId: pulumi.Input<string>;
    /**
     * Always stated: azure-native sends "User" when it is left out, and Azure refuses a role
     * assignment whose type does not match the principal (UnmatchedPrincipalType). For a managed
     * identity created seconds earlier, "ServicePrincipal" also spares the PrincipalNotFound error
     * while Entra ID replicates it.
     */
    principalType: pulumi.Input<"User" | "ServicePrincipal">;
}

/** The Azure CLI's application id: a token with it is a person signed in with `az login`. */
const azureCliAppId = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/**
 * The principal running `pulumi up`, as a role assignment needs it. azure-native signs in as a
 * service principal or managed identity (client secret, certificate, OIDC, MSI) or through the
 * Azure CLI, where a person's token carries the CLI's own application id; so that id, and only
 * it, means a user.
 */
export function deployingPrincipal(client: pulumi.Output<{ objectId: string; clientId: string }>) {
    return {
        principalId: client.objectId,
        principalType: client.clientId.apply((id): "User" | "ServicePrincipal" => (id === azureCliAppId ? "User" : "ServicePrincipal")),
    };
}

/** A role assignment; its name is a GUID that azure-native generates. */
export function grant(name: string, args: Grant, parent: pulumi.Resource, dependsOn: pulumi.Resource[] = []): authorization.RoleAssignment {
    return new authorization.RoleAssignment(name, { ...args }, { parent, dependsOn });
}

/**
 * A role definition's id in the form role assignments take (`/subscriptions/<id>/providers/...`),
 * for built-in roles and for custom roles defined at a resource group alike (the custom role's
 * own resource id carries its resource group, which assignments do not accept).
 */
export function roleDefinitionId(subscriptionId: pulumi.Input<string>, guid: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

/**
 * How long a role assignment takes to reach Key Vault: "Role assignments latency: at current
 * expected performance, it will take up to 10 minutes (600 seconds) after role assignments is
 * changed for role to be applied" (MicrosoftDocs/azure-docs key-vault/general/rbac-guide.md, Known
 * limits and performance); the MySQL CMK page says the same of the key ("Permission changes can
 * take up to 10 minutes to impact the key vault"). Shorter waits (Azure Verified Modules' Key Vault
 * module waits 30-60 s, wait_for_rbac_before_key_operations) usually pass and sometimes do not
 * (Azure/bicep#16601, pulumi-azure-native#890): the first `pulumi up` must not need a retry.
 */
export const rbacPropagation = "600s";

/**
 * A wait after a grant, for whatever Azure checks against the grant as it is created (Key Vault
 * key creation, storage accounts and MySQL opening the customer-managed key). It waits only when
 * it is created (time_sleep create_duration), so only the first `up` and a replaced grant pay it:
 * the grant's id is its trigger. Consumers name the wait in their dependsOn, so the graph says
 * "after the grant has propagated", not merely "after the grant".
 */
export function propagated(name: string, grant: authorization.RoleAssignment, parent: pulumi.Resource): time.Sleep {
    return new time.Sleep(name, { createDuration: rbacPropagation, triggers: { roleAssignment: grant.id } }, { parent, dependsOn: [grant] });
}
