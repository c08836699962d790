import * as kms from "@pulumi/aws/kms";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as pulumi from "@pulumi/pulumi";

/** A service allowed to use a key, with the condition that scopes it to this account's resources. */
export interface KeyUser {
    /** Service principal, e.g. `logs.us-east-1.amazonaws.com`. */
    service: pulumi.Input<string>;
    actions: string[];
    condition?: Record<string, Record<string, pulumi.Input<string>>>;
}

export interface EncryptionKeyArgs {
    description: string;
    /** Services that encrypt with the key themselves (logs, CloudTrail, CloudWatch alarms to SNS). */
    users: KeyUser[];
    tags: Record<string, string>;
}

/**
 * A customer-managed KMS key with yearly rotation and a 30-day deletion window. The key policy
 * keeps the account root as administrator (so IAM policies grant use, as for RDS, EFS, S3 and
 * Secrets Manager via grants) and names each service principal that must use the key directly.
 * The key is protected: destroying it would make every backup it encrypts unreadable.
 */
export function encryptionKey(name: string, args: EncryptionKeyArgs, parent: pulumi.Resource): kms.Key {
    const accountId = getCallerIdentityOutput({}, { parent }).accountId;
    const policy = pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministers",
                Effect: "Allow",
                Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            ...args.users.map((user, i) => ({
                Sid: `ServiceUse${i}`,
                Effect: "Allow",
                Principal: { Service: user.service },
                Action: user.actions,
                Resource: "*",
                ...(user.condition ? { Condition: user.condition } : {}),
            })),
        ],
    });
    const key = new kms.Key(
        name,
        {
            description: args.description,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy,
            tags: args.tags,
        },
        { parent, protect: true },
    );
    new kms.Alias(name, { name: `alias/${name}-${pulumi.getStack()}`, targetKeyId: key.keyId }, { parent });
    return key;
}
