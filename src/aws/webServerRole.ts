import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { serviceRole } from "./iam";
import { installTag } from "./installSecrets";

export interface WebServerRoleArgs {
    region: pulumi.Input<string>;
    /** The install secrets (database administrator, app login, first OpenEMR administrator): the only secrets the servers may read. */
    installSecretArns: pulumi.Input<string>[];
    /** The session store's secret: read at every boot, for as long as the servers run. */
    sessionSecretArn: pulumi.Input<string>;
    /** The CMK that encrypts the secrets (and the stack's data). */
    dataKeyArn: pulumi.Input<string>;
    fileSystemArn: pulumi.Input<string>;
    /** The log group the serving containers' output goes to (Docker's awslogs driver). */
    containerLogGroupArn: pulumi.Input<string>;
    tags: Record<string, string>;
}

/** Session Manager (shell access without SSH keys or an open port 22) and its inventory/patching agent. */
const sessionManagerPolicyArn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

/**
 * The web servers' identity (instance profile), least privilege: what the boot script
 * (src/app/bootScript.ts) and Docker do, nothing more. The install secrets are readable only
 * while tagged `emr-install=pending`, and the only tag change the servers may make is to
 * `complete` (src/aws/installSecrets.ts): after the first install no server, however compromised,
 * can read the database administrator or the first OpenEMR password again.
 *
 * Lockout check: TagResource "is blocked and returns an Access Denied error" when the change would
 * make the caller lose "your permissions for this secret" (Secrets Manager API reference,
 * TagResource). Here TagResource itself stays allowed after the change (its condition is on the
 * request, not on the secret's tags), and changing only the controlling tag's value through
 * TagResource is the documented working path (aws-cloudformation/cloudformation-coverage-roadmap#1707).
 * The boot script treats a refusal as a warning and retries at every later boot.
 */
export function webServerRole(name: string, args: WebServerRoleArgs, parent: pulumi.Resource): iam.InstanceProfile {
    const policy = pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadInstallSecretsUntilInstalled",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: args.installSecretArns,
                Condition: { StringEquals: { [`secretsmanager:ResourceTag/${installTag.key}`]: installTag.pending } },
            },
            {
                Sid: "ReadSessionStoreSecret",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: args.sessionSecretArn,
            },
            {
                Sid: "CloseInstallSecrets",
                Effect: "Allow",
                Action: "secretsmanager:TagResource",
                Resource: args.installSecretArns,
                Condition: {
                    StringEquals: { [`aws:RequestTag/${installTag.key}`]: installTag.complete },
                    "ForAllValues:StringEquals": { "aws:TagKeys": [installTag.key] },
                },
            },
            {
                Sid: "DecryptInstallSecrets",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: args.dataKeyArn,
                // Only when Secrets Manager asks on the server's behalf: the role cannot decrypt
                // backups, snapshots or anything else the data key protects by calling KMS itself.
                Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${args.region}.amazonaws.com` } },
            },
            {
                Sid: "MountSharedFs",
                Effect: "Allow",
                // ClientRootAccess: the mount uses EFS IAM authorization (`iam` option) and the
                // OpenEMR image chowns sites/ as root at first boot; without it root is squashed.
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"],
                Resource: args.fileSystemArn,
            },
            {
                Sid: "ShipContainerLogs",
                Effect: "Allow",
                // What Docker's awslogs driver calls (docs.docker.com/engine/logging/drivers/awslogs:
                // "logs:CreateLogStream", "logs:PutLogEvents"); the group is declared by the stack.
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: pulumi.interpolate`${args.containerLogGroupArn}:*`,
            },
        ],
    });
    const role = serviceRole(
        `${name}-role`,
        { service: "ec2.amazonaws.com", managedPolicyArns: [sessionManagerPolicyArn], policy, tags: args.tags },
        parent,
    );
    return new iam.InstanceProfile(`${name}-profile`, { role: role.name, tags: args.tags }, { parent: role });
}
