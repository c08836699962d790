import { awsResourceRule, hipaa, isTrue, notCustomerKey, shown } from "./shared";

/** KMS keys, and the services whose data at rest this stack seals with them (secrets, alerts, logs). */
const kmsKey = "aws:kms/key:Key";

/** Key specs that can rotate automatically: symmetric encryption keys only (and HMAC keys do not). */
const rotatable = (spec: unknown) => spec === undefined || spec === "SYMMETRIC_DEFAULT";

export const kmsRotationRule = awsResourceRule({
    id: "EMR-AWS-KMS-ROTATION",
    title: "Customer managed keys rotate their key material every year",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest], checkov: ["CKV_AWS_7"] },
    source: [
        "https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-enable.html",
        // enableKeyRotation: "Defaults to `false`." (:374-376)
        "@pulumi/aws@7.48.0:kms/key.d.ts:374-376",
    ],
    appliesTo: [kmsKey],
    check({ inputs }) {
        const spec = inputs.customerMasterKeySpec ?? inputs.keySpec;
        if (!rotatable(spec)) return [];
        return isTrue(inputs.enableKeyRotation)
            ? []
            : [`enableKeyRotation is ${shown(inputs.enableKeyRotation)} (default false): the same key material protects patient data for the key's whole life, so one leak of it exposes everything ever sealed with it`];
    },
});

export const kmsDeletionWindowRule = awsResourceRule({
    id: "EMR-AWS-KMS-DELETION-WINDOW",
    title: "A key scheduled for deletion waits the full 30 days, time to notice and cancel",
    severity: "error",
    controls: { hipaa: [hipaa.integrity, hipaa.backup] },
    source: [
        "https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html",
        // deletionWindowInDays: "between `7` and `30`, inclusive. If you do not specify a value, it defaults to `30`." (:364-368)
        "@pulumi/aws@7.48.0:kms/key.d.ts:364-368",
    ],
    appliesTo: [kmsKey],
    check({ inputs }) {
        const days = inputs.deletionWindowInDays ?? 30;
        return days >= 30
            ? []
            : [`deletionWindowInDays is ${days}: a deleted key makes every database snapshot, file and backup sealed with it unreadable for good; keep the 30-day maximum to notice and cancel a deletion`];
    },
});

export const secretsKeyRule = awsResourceRule({
    id: "EMR-AWS-SECRETS-CMK",
    title: "Secrets Manager secrets are encrypted with a customer managed key",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest, hipaa.accessControl], checkov: ["CKV_AWS_149"], cdkNag: ["HIPAA.Security-SecretsManagerUsingKMSKey"] },
    source: ["https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html", "@pulumi/aws@7.48.0:secretsmanager/secret.d.ts:77"],
    appliesTo: ["aws:secretsmanager/secret:Secret"],
    check({ inputs }) {
        const key = notCustomerKey("kmsKeyId", inputs.kmsKeyId, "Secrets Manager uses the AWS managed key aws/secretsmanager");
        return key ? [`${key}; with a customer key, reading the database login also needs kms:Decrypt on that key, a second lock the key policy controls`] : [];
    },
});

export const snsKeyRule = awsResourceRule({
    id: "EMR-AWS-SNS-CMK",
    title: "Alert topics are encrypted at rest with a customer managed key",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest], checkov: ["CKV_AWS_26"], cdkNag: ["HIPAA.Security-SNSEncryptedKMS"] },
    source: [
        "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
        // CloudWatch alarms publish to an encrypted topic only through a customer managed key whose policy grants cloudwatch.amazonaws.com.
        "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services",
        "@pulumi/aws@7.48.0:sns/topic.d.ts:173",
    ],
    appliesTo: ["aws:sns/topic:Topic"],
    check({ inputs }) {
        const key = notCustomerKey("kmsMasterKeyId", inputs.kmsMasterKeyId, "the topic is not encrypted at rest with a key the account holds");
        return key ? [`${key}; alarm messages name hosts and the database, and CloudWatch can only publish to an encrypted topic whose customer key grants it`] : [];
    },
});

export const logGroupKeyRule = awsResourceRule({
    id: "EMR-AWS-LOGS-CMK",
    title: "CloudWatch log groups are encrypted with a customer managed key",
    severity: "error",
    controls: { hipaa: [hipaa.encryptionAtRest, hipaa.audit], checkov: ["CKV_AWS_158"], cdkNag: ["HIPAA.Security-CloudWatchLogGroupEncrypted"] },
    source: ["https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html", "@pulumi/aws@7.48.0:cloudwatch/logGroup.d.ts:68"],
    appliesTo: ["aws:cloudwatch/logGroup:LogGroup"],
    check({ inputs }) {
        // Without kmsKeyId CloudWatch Logs still encrypts, with a key the service owns (the page above).
        const key = notCustomerKey("kmsKeyId", inputs.kmsKeyId, "CloudWatch Logs encrypts with a key the service owns");
        return key ? [`${key}; application and database logs can carry patient names and record numbers`] : [];
    },
});

export const keyRules = [kmsRotationRule, kmsDeletionWindowRule, secretsKeyRule, snsKeyRule, logGroupKeyRule];
