import type * as pulumi from "@pulumi/pulumi";
import { dbLoginSecretJson, openemrDatabase, type DbLogins } from "../app/dbLogins";
import { installSecret } from "./installSecrets";

export interface CredentialsSecretArgs {
    logins: DbLogins;
    host: pulumi.Output<string>;
    port: pulumi.Output<number>;
    /** The data key: the secrets are encrypted with the key that encrypts the database itself. */
    keyArn: pulumi.Input<string>;
    tags: Record<string, string>;
}

/** The ARNs of the database's two login secrets. */
export interface DbSecretArns {
    /** OpenEMR's own login (the installer writes it into sqlconf.php), with host, port and database name. */
    app: pulumi.Output<string>;
    /** The server administrator, which only the first install uses. */
    admin: pulumi.Output<string>;
}

/**
 * The database logins in Secrets Manager, one secret each, in RDS's own field names
 * (src/app/bootSecrets.ts DbLoginSecret): separate so the administrator can be handed to the
 * installer alone and taken away from the servers after it (src/aws/installSecrets.ts).
 *
 * The passwords are generated here, not by RDS (`manageMasterUserPassword`): an RDS-managed
 * password rotates every 7 days, and OpenEMR keeps its password in sqlconf.php, so the EMR would
 * lose its database a week after install (facts/aws.md, section 3, item 5). Rotation, when it
 * comes, must update sqlconf.php in the same step (dual-user rotation).
 */
export function credentialsSecrets(name: string, args: CredentialsSecretArgs, parent: pulumi.Resource): DbSecretArns {
    const { logins, host, port, keyArn, tags } = args;
    return {
        app: installSecret(
            `${name}-credentials`,
            { description: "EMR database: OpenEMR's login, host, port and database name", value: dbLoginSecretJson(logins.app, host, port, openemrDatabase), keyArn, tags },
            parent,
        ),
        admin: installSecret(
            `${name}-admin-login`,
            { description: "EMR database: the server administrator login (first install only)", value: dbLoginSecretJson(logins.admin, host, port), keyArn, tags },
            parent,
        ),
    };
}
