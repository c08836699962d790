import * as iam from "@pulumi/aws/iam";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as pulumi from "@pulumi/pulumi";
import { trustStatement, type TrustedService } from "./serviceTrust";

export interface ServiceRoleArgs {
    /** The service that assumes the role: one whose trust keys serviceTrust.ts documents. */
    service: TrustedService;
    /**
     * The resource the service acts for, as an `aws:SourceArn` pattern. Required exactly when the
     * service is documented to send `aws:SourceArn` (serviceTrust.ts), since it is the narrowest scope.
     */
    sourceArn?: pulumi.Input<string>;
    /** AWS-managed policies to attach (by ARN). */
    managedPolicyArns?: string[];
    /** An inline least-privilege policy (IAM JSON), when the managed ones are too broad or absent. */
    policy?: pulumi.Input<string>;
    tags: Record<string, string>;
}

/**
 * An IAM role that only `service` can assume, scoped against the confused deputy with exactly the
 * condition keys AWS documents for that service (serviceTrust.ts): a key the service does not send
 * would lock it out (CloudTrail, for one, then refuses to create the trail), plus its policies.
 */
export function serviceRole(name: string, args: ServiceRoleArgs, parent: pulumi.Resource): iam.Role {
    const accountId = getCallerIdentityOutput({}, { parent }).accountId;
    const role = new iam.Role(
        name,
        {
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [trustStatement(args.service, { accountId, sourceArn: args.sourceArn })],
            }),
            tags: args.tags,
        },
        { parent },
    );
    (args.managedPolicyArns ?? []).forEach((policyArn, i) => {
        new iam.RolePolicyAttachment(`${name}-managed-${i}`, { role: role.name, policyArn }, { parent: role });
    });
    if (args.policy) {
        new iam.RolePolicy(`${name}-policy`, { role: role.id, policy: args.policy }, { parent: role });
    }
    return role;
}
