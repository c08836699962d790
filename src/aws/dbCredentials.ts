import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dbSecretJson, type DbLogins } from "../app/dbLogins";

export interface CredentialsSecretArgs {
    logins: DbLogins;
    host: pulumi.Output<string>;
    port: pulumi.Output<number>;
    /** The data key: the secret is encrypted with the key that encrypts the database itself. */
    keyArn: pulumi.Input<string>;
    tags: Record<string, string>;
}

/**
 * The Secrets Manager secret the web servers read at boot: both logins (the admin one only
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
            description: "EMR database credentials (admin and app user), host, port and database name",
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
            secretString: dbSecretJson(args.logins, args.host, args.port),
        },
        { parent: secret },
    );
    return pulumi.all([secret.arn, version.id]).apply(([arn]) => arn);
}
