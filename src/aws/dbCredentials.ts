import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { openemrDatabase } from "./dbSettings";

/** A database login; the password is a Pulumi secret (RandomPassword results always are). */
export interface DbLogin {
    username: string;
    password: pulumi.Output<string>;
}

export interface DbLogins {
    /** The RDS master user: used once, by OpenEMR's first-boot install, to create the app user and database. */
    master: DbLogin;
    /** The user OpenEMR connects as afterwards (written into its sqlconf.php by the install). */
    app: DbLogin;
}

/**
 * 32 characters drawn from letters, digits and the RFC 3986 unreserved marks `-_.~` (about 193
 * bits). That set avoids what RDS forbids in a master password (/ @ " and space) and what breaks
 * the places the password travels: OpenEMR writes it between single quotes into sqlconf.php
 * unescaped (' and \), the container passes it through shell and URLs ($ ` ! # % & ; and more).
 */
function password(name: string, parent: pulumi.Resource): pulumi.Output<string> {
    return new random.RandomPassword(name, { length: 32, special: true, overrideSpecial: "-_.~" }, { parent }).result;
}

export function dbLogins(name: string, parent: pulumi.Resource): DbLogins {
    return {
        master: { username: "emradmin", password: password(`${name}-master-password`, parent) },
        app: { username: "openemr", password: password(`${name}-app-password`, parent) },
    };
}

export interface CredentialsSecretArgs {
    logins: DbLogins;
    host: pulumi.Output<string>;
    port: pulumi.Output<number>;
    /** The data key: the secret is encrypted with the key that encrypts the database itself. */
    keyArn: pulumi.Input<string>;
    tags: Record<string, string>;
}

/**
 * The Secrets Manager secret the web servers read at boot: both logins (the master one only
 * matters for the first-boot install), host, port and database name, as one JSON document.
 * Returns the secret's ARN once its value is written, so nothing boots against an empty secret.
 *
 * The password is generated here, not by RDS (`manageMasterUserPassword`): an RDS-managed
 * password rotates every 7 days, and OpenEMR keeps its password in sqlconf.php, so the EMR would
 * lose its database a week after install (facts/aws.md, section 3, item 5). Rotation, when it comes,
 * must update sqlconf.php in the same step (dual-user rotation).
 */
export function credentialsSecret(name: string, args: CredentialsSecretArgs, parent: pulumi.Resource): pulumi.Output<string> {
    const secret = new aws.secretsmanager.Secret(
        `${name}-credentials`,
        {
            description: "EMR database credentials (master and app user), host, port and database name",
            kmsKeyId: args.keyArn,
            // A deleted secret stays recoverable for the longest window AWS allows.
            recoveryWindowInDays: 30,
            tags: args.tags,
        },
        { parent },
    );
    const version = new aws.secretsmanager.SecretVersion(
        `${name}-credentials-value`,
        {
            secretId: secret.id,
            // Secret because the passwords are: jsonStringify keeps the secret flag.
            secretString: pulumi.jsonStringify({
                username: args.logins.master.username,
                password: args.logins.master.password,
                appUsername: args.logins.app.username,
                appPassword: args.logins.app.password,
                host: args.host,
                port: args.port,
                dbname: openemrDatabase,
            }),
        },
        { parent: secret },
    );
    return pulumi.all([secret.arn, version.id]).apply(([arn]) => arn);
}
