import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ServiceRoleArgs {
    /** The service that assumes the role, e.g. `vpc-flow-logs.amazonaws.com`. */
    service: string;
    /** AWS-managed policies to attach (by ARN). */
    managedPolicyArns?: string[];
    /** An inline least-privilege policy (IAM JSON), when the managed ones are too broad or absent. */
    policy?: pulumi.Input<string>;
    tags: Record<string, string>;
}

/**
 * An IAM role that only `service` can assume, scoped to this account with `aws:SourceAccount`
 * where the service supports it (confused-deputy protection), plus its policies.
 */
export function serviceRole(name: string, args: ServiceRoleArgs, parent: pulumi.Resource): aws.iam.Role {
    const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;
    // EC2 and RDS monitoring do not send aws:SourceAccount, so the condition would lock them out.
    const scoped = !["ec2.amazonaws.com", "monitoring.rds.amazonaws.com"].includes(args.service);
    const role = new aws.iam.Role(
        name,
        {
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: args.service },
                        Action: "sts:AssumeRole",
                        ...(scoped ? { Condition: { StringEquals: { "aws:SourceAccount": accountId } } } : {}),
                    },
                ],
            }),
            tags: args.tags,
        },
        { parent },
    );
    (args.managedPolicyArns ?? []).forEach((policyArn, i) => {
        new aws.iam.RolePolicyAttachment(`${name}-managed-${i}`, { role: role.name, policyArn }, { parent: role });
    });
    if (args.policy) {
        new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy: args.policy }, { parent: role });
    }
    return role;
}
