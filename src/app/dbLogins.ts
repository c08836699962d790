import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DbSecret } from "./cloudInit";

/** The database OpenEMR's first-boot install creates (it must not exist beforehand). */
export const openemrDatabase = "openemr";

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
 * 32 characters from letters, digits and `-_.~`, at least one of each class (Azure wants three
 * of upper, lower, digit, symbol). The set leaves out what RDS forbids (/ @ " space) and what
 * breaks the places the password travels: whitespace (the boot script refuses it), quotes and
 * backslash (OpenEMR writes it between single quotes into sqlconf.php), shell and glob characters.
 */
function password(name: string, parent: pulumi.Resource): pulumi.Output<string> {
    const generated = new random.RandomPassword(
        name,
        { length: 32, special: true, overrideSpecial: "-_.~", minLower: 1, minUpper: 1, minNumeric: 1, minSpecial: 1 },
        { parent },
    );
    // `result` is secret through the provider's additionalSecretOutputs, which only the engine
    // applies; marking it here keeps every use secret wherever the program runs (the mocks too).
    return pulumi.secret(generated.result);
}

/**
 * Generated logins for both clouds. The admin name is never empty (an empty Azure
 * `administratorLogin` hangs server creation, pulumi-azure-native#3063) and neither name is one
 * a cloud reserves (admin, root, rdsadmin, azure_*).
 */
export function dbLogins(name: string, parent: pulumi.Resource): DbLogins {
    return {
        admin: { username: "emradmin", password: password(`${name}-admin-password`, parent) },
        app: { username: "openemr", password: password(`${name}-app-password`, parent) },
    };
}

/** The secret's JSON, the {@link DbSecret} contract the boot script reads; a Pulumi secret. */
export function dbSecretJson(logins: DbLogins, host: pulumi.Input<string>, port: pulumi.Input<number>): pulumi.Output<string> {
    const { admin, app } = logins;
    return pulumi.jsonStringify(
        pulumi.all([admin.password, app.password, host, port]).apply(
            ([password, appPassword, h, p]): DbSecret => ({
                username: admin.username,
                password,
                host: h,
                port: p,
                dbname: openemrDatabase,
                appUsername: app.username,
                appPassword,
            }),
        ),
    );
}
