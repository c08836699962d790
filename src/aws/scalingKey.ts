/**
 * What the Auto Scaling group's own role needs on the servers' volume key, and how long its grant
 * is given to settle: the program (webScalingRole.ts) and DEPLOY-AWS-ASG-VOLUME-KEY-USABLE read
 * them here, without loading the AWS provider.
 *
 * The operations AWS's knowledge-center answer grants the role (repost.aws/knowledge-center/
 * kms-launch-ec2-instance), the user guide's key-policy statements as grant operations.
 */
export const scalingKeyOperations = ["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "DescribeKey", "CreateGrant"];

/**
 * "When you create, retire, or revoke a grant, there might be a brief delay, usually less than five
 * minutes, until the grant is available throughout AWS KMS" (KMS API reference, CreateGrant).
 */
export const grantPropagationSeconds = 300;
