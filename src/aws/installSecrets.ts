import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as pulumi from "@pulumi/pulumi";

/**
 * The tag that ends the servers' access to an install secret. The instance role may read a secret
 * only while it carries `emr-install=pending` (`secretsmanager:ResourceTag/emr-install`), and may
 * only ever set that tag to `complete` (`aws:RequestTag/emr-install`, `aws:TagKeys`), which the
 * boot script does once OpenEMR is installed: from then on no server can read the database
 * administrator or the first OpenEMR password again, and no server can give itself access back.
 * Condition keys: docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html
 * (the Secret resource type carries `secretsmanager:ResourceTag/tag-key` and
 * `aws:ResourceTag/${TagKey}`; TagResource takes `aws:RequestTag/${TagKey}` and `aws:TagKeys`).
 */
export const installTag = { key: "emr-install", pending: "pending", complete: "complete" } as const;

export interface InstallSecretArgs {
    description: string;
    /** The secret JSON; a Pulumi secret. */
    value: pulumi.Output<string>;
    /** The data key: secrets are encrypted with the key that encrypts the database itself. */
    keyArn: pulumi.Input<string>;
    tags: Record<string, string>;
}

/**
 * A Secrets Manager secret the first install reads, tagged `emr-install=pending`. Returns its ARN
 * once the value is written, so nothing boots against an empty secret. Pulumi never sets the tag
 * back: the boot script's `complete` stays, through `pulumi up --refresh` too (ignoreChanges is
 * passed to the provider's Diff as paths to treat as unchanged: pulumi/pulumi proto/pulumi/
 * provider.proto DiffRequest.ignoreChanges).
 */
export function installSecret(name: string, args: InstallSecretArgs, parent: pulumi.Resource): pulumi.Output<string> {
    const secret = new secretsmanager.Secret(
        name,
        {
            description: args.description,
            kmsKeyId: args.keyArn,
            // A deleted secret stays recoverable for the longest window AWS allows.
            recoveryWindowInDays: 30,
            tags: { ...args.tags, [installTag.key]: installTag.pending },
        },
        { parent, ignoreChanges: [`tags["${installTag.key}"]`, `tagsAll["${installTag.key}"]`] },
    );
    // Secret because its value is: jsonStringify keeps the secret flag.
    const version = new secretsmanager.SecretVersion(`${name}-value`, { secretId: secret.id, secretString: args.value }, { parent: secret });
    return pulumi.all([secret.arn, version.id]).apply(([arn]) => arn);
}
