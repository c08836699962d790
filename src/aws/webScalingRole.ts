import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";
import { createHash } from "node:crypto";
import { grantPropagationSeconds, scalingKeyOperations } from "./scalingKey";

/**
 * The Auto Scaling group's own service-linked role, so the servers' root volumes can be encrypted
 * with the stack's data key. Auto Scaling launches instances as a service-linked role whose fixed
 * permissions cover AWS managed keys but not customer managed ones ("They do not include access to
 * your customer managed keys", EC2 Auto Scaling user guide, key-policy-requirements-EBS-encryption),
 * so the role must be let use the key. The account's default role, AWSServiceRoleForAutoScaling,
 * does not exist in a fresh account until the first group creates it, so nothing can name it
 * before; a role with a custom suffix is one the stack creates itself ("A service-linked role with
 * a custom suffix that you specify when you create the role", with "exactly the same" permissions:
 * autoscaling-service-linked-role) and hands to the group (CreateAutoScalingGroup
 * ServiceLinkedRoleARN).
 *
 * Its use of the key is a KMS grant with the operations AWS's knowledge-center answer grants the
 * role (repost.aws/knowledge-center/kms-launch-ec2-instance: Encrypt, Decrypt, ReEncryptFrom,
 * ReEncryptTo, GenerateDataKey, GenerateDataKeyWithoutPlaintext, DescribeKey, CreateGrant: the
 * key-policy statements of the user guide, as grant operations). A grant rather than a key-policy
 * statement: the key (the storage tier's) stays as it is, and the provider retries CreateGrant while
 * IAM has not yet propagated the new role (terraform-provider-aws internal/service/kms/grant.go:
 * RetryWhenIsOneOf3[... InvalidArnException] "a newly created IAM Role doesn't show up").
 * The provider's CreateGrant retry proves only that KMS resolves the role, not that the grant has
 * reached all of KMS, which takes "usually less than five minutes" (KMS CreateGrant API reference,
 * eventual consistency); a new role, too, is refused by the services for a while ("Access denied
 * when attempting to assume role ... AWSServiceRoleForAutoScaling" on launches right after its
 * creation). A launch refused by KMS fails ("Client.InternalError: Client error on launch"), and the
 * provider's wait for the group's capacity fails on the first failed scaling activity unless told
 * to ignore them (group.d.ts ignoreFailedScalingActivities). So the group waits for `ready`, five
 * minutes after the grant (only when the grant is created: a sleep waits at creation, the grant's
 * id its trigger, as src/azure/storageAccess.ts propagated() does for Azure role assignments; the
 * database takes longer to create, so a first `up` loses no time), and also ignores failed
 * activities within its capacity wait (webServers.ts), so a late straggler is retried, not fatal.
 */
export interface ScalingRole {
    arn: pulumi.Output<string>;
    /** What the group waits for: the grant, given time to reach all of KMS. */
    ready: time.Sleep;
}

/**
 * The custom suffix: unique per project, stack and region (a service-linked role is account-wide
 * and the same stack name may run in two regions), readable, and short enough for IAM's 64-character
 * role names ("AWSServiceRoleForAutoScaling_" is 29).
 */
export function scalingRoleSuffix(project: string, stack: string, region: string): string {
    const hash = createHash("sha256").update(`${project}/${stack}/${region}`).digest("hex").slice(0, 8);
    // No underscore: the provider reads the suffix back from the role name split at "_" and finds
    // none when there are two (terraform-provider-aws iam/service_linked_role.go
    // DecodeServiceLinkedRoleID, `len(roleNameParts) == 2`), so the ForceNew suffix would differ on
    // every refresh and the role be replaced on every `up`.
    return `emr-${stack.replace(/[^A-Za-z0-9+=,.@-]/g, "-").slice(0, 18)}-${hash}`;
}

export function scalingRole(name: string, args: { region: pulumi.Input<string>; dataKeyArn: pulumi.Input<string>; tags: Record<string, string> }, parent: pulumi.Resource): ScalingRole {
    const role = new iam.ServiceLinkedRole(
        `${name}-scaling-role`,
        {
            awsServiceName: "autoscaling.amazonaws.com",
            customSuffix: pulumi.output(args.region).apply((region) => scalingRoleSuffix(pulumi.getProject(), pulumi.getStack(), region)),
            description: `EMR web servers of stack ${pulumi.getStack()}: launches them with root volumes under the stack's data key`,
            tags: args.tags,
        },
        { parent },
    );
    const grant = new kms.Grant(
        `${name}-scaling-key`,
        { keyId: args.dataKeyArn, granteePrincipal: role.arn, operations: scalingKeyOperations, name: `${name}-scaling-ebs` },
        { parent: role },
    );
    // A sleep waits only when created: changing grantPropagationSeconds alone updates it without waiting.
    const ready = new time.Sleep(`${name}-scaling-key-propagation`, { createDuration: `${grantPropagationSeconds}s`, triggers: { grant: grant.id } }, { parent: role, dependsOn: [grant] });
    return { arn: role.arn, ready };
}
