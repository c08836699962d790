import type * as keyvault from "@pulumi/azure-native/keyvault";
import type * as pulumi from "@pulumi/pulumi";
import { dbLoginSecretJson, openemrDatabase, type DbLogins } from "../app/dbLogins";
import { mysqlPort } from "./dbSettings";
import { installSecret } from "./installSecrets";

export interface CredentialsSecretArgs {
    logins: DbLogins;
    host: pulumi.Output<string>;
    keyVaultName: pulumi.Input<string>;
    /** The vault's resource id: the secrets are declared in the vault's own resource group. */
    keyVaultId: pulumi.Input<string>;
    tags: Record<string, string>;
}

/** The database's two login secrets. */
export interface DbSecrets {
    /** OpenEMR's own login (the installer writes it into sqlconf.php), with host, port and database name. */
    app: keyvault.Secret;
    /** The server administrator, which only the first install uses. */
    admin: keyvault.Secret;
}

/**
 * The database logins in Key Vault, one secret each (src/app/bootSecrets.ts DbLoginSecret), so the
 * administrator can be handed to the installer alone and taken away from the servers after it
 * (src/azure/installSecrets.ts).
 */
export function credentialsSecrets(name: string, args: CredentialsSecretArgs, parent: pulumi.Resource): DbSecrets {
    const { logins, host, keyVaultName, keyVaultId, tags } = args;
    const secret = (suffix: string, value: pulumi.Output<string>) =>
        installSecret(`${name}-${suffix}`, { secretName: `${name}-${suffix}`, value, keyVaultName, keyVaultId, tags }, parent);
    return {
        app: secret("credentials", dbLoginSecretJson(logins.app, host, mysqlPort, openemrDatabase)),
        admin: secret("admin-login", dbLoginSecretJson(logins.admin, host, mysqlPort)),
    };
}
