import * as keyvault from "@pulumi/azure-native/keyvault";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DbSecret } from "../app/cloudInit";
import { mysqlPort, openemrDatabase } from "./dbSettings";

/** A database login; the password is a Pulumi secret. */
export interface DbLogin {
    username: string;
    password: pulumi.Output<string>;
}

export interface DbLogins {
    /** The server administrator: used once, by OpenEMR's first-boot install, to create the app user and database. */
    admin: DbLogin;
    /** The user OpenEMR connects as afterwards (written into its sqlconf.php by the install). */
    app: DbLogin;
}

/**
 * 32 characters from letters, digits and `-_.~`, at least one of each class (flexible server
 * wants three of upper, lower, digit, symbol). The set leaves out what breaks the places the
 * password travels: whitespace (the boot script refuses it), quotes and backslash (OpenEMR writes
 * it between single quotes into sqlconf.php), shell and glob characters ($ ` ! * ? [ and more).
 */
function password(name: string, parent: pulumi.Resource): pulumi.Output<string> {
    const generated = new random.RandomPassword(
        name,
        { length: 32, special: true, overrideSpecial: "-_.~", minLower: 1, minUpper: 1, minNumeric: 1, minSpecial: 1 },
        { parent },
    );
    // `result` is secret through the provider's additionalSecretOutputs, which only the engine
    // applies; marking it here keeps every use secret wherever the program runs (the mocks too),
    // since azure-native does not mark administratorLoginPassword or a secret's value itself.
    return pulumi.secret(generated.result);
}

/**
 * The admin login is never empty: an empty `administratorLogin` makes server creation hang with
 * no error (pulumi-azure-native#3063). Neither name is one Azure reserves (admin, root, azure_*...).
 */
export function dbLogins(name: string, parent: pulumi.Resource): DbLogins {
    return {
        admin: { username: "emradmin", password: password(`${name}-admin-password`, parent) },
        app: { username: "openemr", password: password(`${name}-app-password`, parent) },
    };
}

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
    const { admin, app } = args.logins;
    const value = pulumi.all([admin.password, app.password, args.host]).apply(
        ([password, appPassword, host]): DbSecret => ({
            username: admin.username,
            password,
            host,
            port: mysqlPort,
            dbname: openemrDatabase,
            appUsername: app.username,
            appPassword,
        }),
    );
    return new keyvault.Secret(
        `${name}-credentials`,
        {
            resourceGroupName: pulumi.output(args.keyVaultId).apply(resourceGroupOf),
            vaultName: args.keyVaultName,
            // Named, not autonamed: the boot script builds the secret's URL from this name.
            secretName: `${name}-credentials`,
            properties: { value: pulumi.jsonStringify(value), contentType: "application/json" },
            tags: args.tags,
        },
        { parent },
    );
}
