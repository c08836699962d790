// The AWS services the servers call, as the instance role of the calling server (known by its
// address: the role the stack gave the instance profile), every call judged by the role's own
// inline policy (cloud.json aws.policy, produced by src/aws/webServerRole.ts; see iam.mjs).
// Secrets Manager JSON API (docs.aws.amazon.com/secretsmanager/latest/apireference/, X-Amz-Target
// secretsmanager.<Operation>): GetSecretValue {"ARN","Name","SecretString","VersionId",
// "VersionStages"}; TagResource (empty 200); DescribeSecret. Errors are 400 {"__type","message"}:
// ResourceNotFoundException "Secrets Manager can't find the specified secret.", AccessDenied
// "User: <assumed-role ARN> is not authorized to perform: <action> on resource: <arn> because no
// identity-based policy allows the <action> action" (the IAM wording for a missing Allow,
// IAM User Guide troubleshoot_access-denied.html). GetSecretValue of a secret under a customer
// managed key also needs kms:Decrypt on that key, which Secrets Manager asks with
// kms:ViaService=secretsmanager.<region>.amazonaws.com (docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html);
// without it: "Access to KMS is not allowed".
import { decide, resourceTagKeys } from "./iam.mjs";

export function secretsManager(cloud, caller, target, input, save) {
    const { aws } = cloud;
    const operation = String(target).replace(/^secretsmanager\./, "");
    const server = cloud.servers[caller];
    const fail = (type, message) => [400, { __type: type, message }];
    if (!server) return fail("UnrecognizedClientException", "The security token included in the request is invalid.");
    const secret = aws.secrets[input.SecretId];
    if (!secret) return fail("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    const principal = `arn:aws:sts::123456789012:assumed-role/${aws.roleName}/${server.instanceId}`;
    const action = `secretsmanager:${operation}`;
    const context = { ...resourceTagKeys("secretsmanager", secret.Tags) };
    if (operation === "TagResource") {
        for (const tag of input.Tags ?? []) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
        context["aws:TagKeys"] = (input.Tags ?? []).map((t) => t.Key);
    }
    if (decide(aws.policy, action, input.SecretId, context) !== "allow") {
        return fail("AccessDeniedException", `User: ${principal} is not authorized to perform: ${action} on resource: ${input.SecretId} because no identity-based policy allows the ${action} action`);
    }
    switch (operation) {
        case "GetSecretValue": {
            const kms = decide(aws.policy, "kms:Decrypt", secret.KmsKeyId, { "kms:ViaService": `secretsmanager.${aws.region}.amazonaws.com` });
            if (kms !== "allow") return fail("AccessDeniedException", "Access to KMS is not allowed");
            secret.Reads = [...(secret.Reads ?? []), server.name];
            save();
            return [200, { ARN: input.SecretId, Name: secret.Name, SecretString: secret.SecretString, VersionId: "v1", VersionStages: ["AWSCURRENT"] }];
        }
        case "TagResource":
            secret.Tags = [...secret.Tags.filter((t) => !input.Tags.some((n) => n.Key === t.Key)), ...input.Tags];
            save();
            return [200, {}];
        case "DescribeSecret":
            return [200, { ARN: input.SecretId, Name: secret.Name, Tags: secret.Tags }];
        default:
            return fail("InvalidRequestException", `drill: the Secrets Manager stand-in does not implement ${operation}`);
    }
}
