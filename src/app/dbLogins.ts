import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DbLoginSecret, EmrAdminSecret } from "./bootSecrets";

/** The database OpenEMR's first-boot install creates (it must not exist beforehand). */
export const openemrDatabase = "openemr";

/** A login; the password is a Pulumi secret. */
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
 * breaks the places the password travels: whitespace and `=` (openemr.sh word-splits the
 * installer settings and auto_configure.php splits each on `=`; the boot script refuses them,
 * src/app/bootSecrets.ts), quotes and backslash (the installer writes the app password between
 * single quotes into sqlconf.php), shell and glob characters (the 8.0.0 image expands
 * `${CONFIGURATION}` unquoted).
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

/**
 * OpenEMR's first administrator, generated: never the image's default `admin` / `pass`
 * (auto_configure.php `$installSettings['iuser'] = 'admin'; ... ['iuserpass'] = 'pass';`).
 * Not named `admin` either, so the one account every scanner tries does not exist.
 */
export function emrAdminLogin(name: string, parent: pulumi.Resource): DbLogin {
    return { username: "oeadmin", password: password(`${name}-emr-admin-password`, parent) };
}

/** A database login's secret JSON ({@link DbLoginSecret}); a Pulumi secret. */
export function dbLoginSecretJson(
    login: DbLogin,
    host: pulumi.Input<string>,
    port: pulumi.Input<number>,
    dbname?: string,
): pulumi.Output<string> {
    return pulumi.jsonStringify(
        pulumi.all([login.password, host, port]).apply(
            ([password, h, p]): DbLoginSecret => ({ username: login.username, password, host: h, port: p, ...(dbname ? { dbname } : {}) }),
        ),
    );
}

/** OpenEMR's first administrator as secret JSON ({@link EmrAdminSecret}); a Pulumi secret. */
export function emrAdminSecretJson(login: DbLogin): pulumi.Output<string> {
    return pulumi.jsonStringify(login.password.apply((password): EmrAdminSecret => ({ username: login.username, password })));
}
