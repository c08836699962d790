import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import type * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { roleDefinitionId } from "./storageAccess";

/** The subscription named in an ARM resource id. */
const subscriptionOf = (id: string) => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? id;

/** The resource group named in an ARM resource id. */
export function resourceGroupOf(id: string): string {
    const group = /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
    if (!group) throw new Error(`not an ARM resource id with a resource group: ${id}`);
    return group;
}

export interface VaultSecretArgs {
    /** The secret's name: given, not autonamed, because the boot script builds the secret's URL from it. */
    secretName: string;
    /** The secret JSON; a Pulumi secret (built with `pulumi.all` + `jsonStringify`, which keep the flag), so state holds it encrypted. */
    value: pulumi.Output<string>;
    keyVaultName: pulumi.Input<string>;
    /** The vault's resource id: the secret is declared in the vault's own resource group. */
    keyVaultId: pulumi.Input<string>;
    tags: Record<string, string>;
}

/** A Key Vault secret the first install reads (JSON, src/app/bootSecrets.ts). */
export function installSecret(name: string, args: VaultSecretArgs, parent: pulumi.Resource): keyvault.Secret {
    return new keyvault.Secret(
        name,
        {
            resourceGroupName: pulumi.output(args.keyVaultId).apply(resourceGroupOf),
            vaultName: args.keyVaultName,
            secretName: args.secretName,
            properties: { value: args.value, contentType: "application/json" },
            tags: args.tags,
        },
        { parent },
    );
}

/**
 * What the servers may do with one install secret, and nothing else: read its value
 * (`Microsoft.KeyVault/vaults/secrets/getSecret/action`, the one data action of the built-in "Key
 * Vault Secrets User") and delete role assignments at that secret's scope, which is how the boot
 * script ends its own access once OpenEMR is installed (REST "Role Assignments - Delete By Id":
 * requires `Microsoft.Authorization/roleAssignments/delete`). Deleting the assignment removes both
 * permissions at once, and nothing lets the identity grant itself anything: a compromised server
 * cannot read the database administrator or the first OpenEMR password after the install.
 *
 * Why not the secret's own attributes (disable it, or set `exp`)? Disabling needs the secret
 * update permission, which would also let a compromised server enable it again, and Key Vault
 * treats `exp` on a secret as information, not as a lock.
 */
const installReaderPermissions = {
    actions: ["Microsoft.Authorization/roleAssignments/read", "Microsoft.Authorization/roleAssignments/delete"],
    dataActions: ["Microsoft.KeyVault/vaults/secrets/getSecret/action"],
};

export interface InstallAccessArgs {
    identity: managedidentity.UserAssignedIdentity;
    keyVaultId: pulumi.Input<string>;
    keyVaultName: pulumi.Input<string>;
    /** The install secrets' names in that vault. */
    secretNames: pulumi.Input<string>[];
}

/**
 * The servers' read access to each install secret: one assignment of the install-reader role per
 * secret (Key Vault RBAC takes a single secret as a scope, so they can read nothing else in the
 * vault). The boot script deletes them once the install is complete; a later `pulumi up --refresh`
 * would declare them again, and the next server boot deletes them again (the boot closes the
 * install secrets at every start that finds the install complete).
 */
export function installSecretAccess(name: string, args: InstallAccessArgs, parent: pulumi.Resource): authorization.RoleAssignment[] {
    const vaultGroup = pulumi.output(args.keyVaultId).apply((id) => /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)/i.exec(id)?.[1] ?? id);
    // Custom roles are assignable at a subscription, management group or resource group, not at a
    // resource: the vault's resource group. Role names are unique per tenant, hence the vault's name.
    const role = new authorization.RoleDefinition(
        `${name}-install-reader`,
        {
            scope: vaultGroup,
            roleName: pulumi.interpolate`EMR install secret reader (${args.keyVaultName})`,
            description: "Reads one EMR install secret and can end that access itself (delete its own role assignment)",
            roleType: "CustomRole",
            permissions: [installReaderPermissions],
            assignableScopes: [vaultGroup],
        },
        { parent },
    );
    return args.secretNames.map(
        (secretName, i) =>
            new authorization.RoleAssignment(
                `${name}-read-install-secret-${i}`,
                {
                    scope: pulumi.interpolate`${args.keyVaultId}/secrets/${secretName}`,
                    // The subscription form, whatever id ARM reports for a role defined at a
                    // resource group (roleDefinitionId in storageAccess.ts).
                    roleDefinitionId: roleDefinitionId(pulumi.output(args.keyVaultId).apply(subscriptionOf), role.name),
                    principalId: args.identity.principalId,
                    // Stated, so a just-created identity not yet replicated in Entra ID is not refused.
                    principalType: "ServicePrincipal",
                    description: "EMR web servers read an install secret until OpenEMR is installed",
                },
                { parent: args.identity },
            ),
    );
}
