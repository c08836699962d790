/**
 * How long a new KMS grant is given to reach all of KMS before anything relies on it: "When you
 * create, retire, or revoke a grant, there might be a brief delay, usually less than five minutes,
 * until the grant is available throughout AWS KMS" (KMS API reference, CreateGrant). Used by the
 * Auto Scaling role's grant (webScalingRole.ts) and checked by DEPLOY-AWS-ASG-VOLUME-KEY-USABLE;
 * no SDK import here, so the rules read it without loading the AWS provider.
 */
export const grantPropagationSeconds = 300;
