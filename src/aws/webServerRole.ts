import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceRole } from "./iam";

export interface WebServerRoleArgs {
    region: pulumi.Input<string>;
    /** The database credentials secret: the only secret the servers may read. */
    secretArn: pulumi.Input<string>;
    /** The CMK that encrypts the secret (and the stack's data). */
    dataKeyArn: pulumi.Input<string>;
    fileSystemArn: pulumi.Input<string>;
    tags: Record<string, string>;
}

/** Session Manager (shell access without SSH keys or an open port 22) and its inventory/patching agent. */
const sessionManagerPolicyArn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

/**
 * The web servers' identity (instance profile), least privilege: read the one database secret,
 * decrypt it only through Secrets Manager, mount and write the shared file system: what the boot
 * script does (src/app/cloudInit.ts) and nothing more.
 */
export function webServerRole(name: string, args: WebServerRoleArgs, parent: pulumi.Resource): aws.iam.InstanceProfile {
    const policy = pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadDbSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: args.secretArn },
            {
                Sid: "DecryptDbSecret",
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
        ],
    });
    const role = serviceRole(
        `${name}-role`,
        { service: "ec2.amazonaws.com", managedPolicyArns: [sessionManagerPolicyArn], policy, tags: args.tags },
        parent,
    );
    return new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name, tags: args.tags }, { parent: role });
}
