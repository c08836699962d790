import * as keyvault from "@pulumi/azure-native/keyvault";
import * as pulumi from "@pulumi/pulumi";
import { dbSecretJson, type DbLogins } from "../app/dbLogins";
import { mysqlPort } from "./dbSettings";

export interface CredentialsSecretArgs {
    logins: DbLogins;
    host: pulumi.Output<string>;
    keyVaultName: pulumi.Input<string>;
    /** The vault's resource id: the secret is declared in the vault's own resource group. */
    keyVaultId: pulumi.Input<string>;
    tags: Record<string, string>;
}

/** The resource group named in an ARM resource id. */
export function resourceGroupOf(id: string): string {
    const group = /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
    if (!group) throw new Error(`not an ARM resource id with a resource group: ${id}`);
    return group;
}

/**
 * The Key Vault secret the web servers read at boot with their managed identity: the JSON of
 * {@link DbSecret}, both logins (the admin one only matters for the first-boot install), host,
 * port and database name. Its value is a Pulumi secret (built from the passwords with
 * `pulumi.all` + `jsonStringify`, which keep the secret flag), so state holds it encrypted.
 */
export function credentialsSecret(name: string, args: CredentialsSecretArgs, parent: pulumi.Resource): keyvault.Secret {
    return new keyvault.Secret(
        `${name}-credentials`,
        {
            resourceGroupName: pulumi.output(args.keyVaultId).apply(resourceGroupOf),
            vaultName: args.keyVaultName,
            // Named, not autonamed: the boot script builds the secret's URL from this name.
            secretName: `${name}-credentials`,
            properties: { value: dbSecretJson(args.logins, args.host, mysqlPort), contentType: "application/json" },
            tags: args.tags,
        },
        { parent },
    );
}
