import type { InstallSecretRefs } from "../app/bootSecrets";
import { fstabMount, type CloudBootSteps } from "../app/bootSteps";
import { shellQuote } from "../app/shell";
import { installTag } from "./installSecrets";

/**
 * Amazon Linux 2023 boot steps. The AWS CLI v2, curl and python3 are preinstalled; the instance
 * profile (through IMDSv2, hop limit 1: only the host, never a container, reaches it) signs the
 * Secrets Manager calls, the EFS mount and Docker's CloudWatch Logs calls.
 */
export function awsBootSteps(args: { region: string; fileSystemId: string; secrets: InstallSecretRefs; sessionSecret: string; containerLogGroup: string }): CloudBootSteps {
    const region = shellQuote(args.region);
    return {
        cloud: "aws",
        // The same packages on arm64 and x86_64 (webServers.ts picks the image): AL2023 ships
        // docker and amazon-efs-utils for "aarch64, x86_64" (AL2023 release notes,
        // docs.aws.amazon.com/linux/al2023/release-notes/vercmp-AL2023.12-AL2023.12.html: docker
        // 25.0.16, amazon-efs-utils 3.1.3), and efs-utils builds for both (aws/efs-utils@def6e74
        // amazon-efs-utils.spec: `BuildArch: x86_64 aarch64`). jq was not checked per architecture.
        // Docker's awslogs log driver is built into dockerd (moby daemon/logger/awslogs), on every architecture.
        packages: ["docker", "amazon-efs-utils", "jq"],
        // efs-utils: `tls` wraps NFS in TLS (stunnel), `iam` has EFS authorize the instance role, which
        // needs elasticfilesystem:ClientMount, ClientWrite and ClientRootAccess (the image chowns sites/ as root).
        mountSharedFs: fstabMount(`${args.fileSystemId}:/`, "efs", ["_netdev", "tls", "iam"]),
        fetchSecret: `aws secretsmanager get-secret-value --region ${region} --secret-id "$1" --query SecretString --output text`,
        secrets: args.secrets,
        // The one tag change the instance role may make (src/aws/webServerRole.ts).
        closeInstallSecrets: [
            `local arn`,
            `for arn in "$@"; do`,
            `    aws secretsmanager tag-resource --region ${region} --secret-id "$arn" --tags Key=${installTag.key},Value=${installTag.complete} || return 1`,
            `done`,
        ].join("\n"),
        // The regional bundle holds the CA the instance uses (rds-ca-rsa2048-g1, src/aws/dbTier.ts) and its
        // successors; RDS CAs are not in the OS trust store. docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
        sessionSecret: args.sessionSecret,
        // AL2023's ca-certificates bundle (the p11-kit extract linked from the traditional path), which
        // holds Amazon Root CA 1, the root of ElastiCache's in-transit certificates (src/app/sessionStore.ts).
        sessionCaFile: "/etc/pki/tls/certs/ca-bundle.crt",
        printDbCa: `curl -fsS ${shellQuote(`https://truststore.pki.rds.amazonaws.com/${args.region}/${args.region}-bundle.pem`)}`,
        // Docker's awslogs driver (docs.docker.com/engine/logging/drivers/awslogs): one stream per server
        // and container; non-blocking so a CloudWatch hiccup never stalls Apache on a full pipe.
        serveLogArgs: [
            `LOG_ARGS=(--log-driver awslogs --log-opt awslogs-region=${region} --log-opt awslogs-group=${shellQuote(args.containerLogGroup)}`,
            `    --log-opt "awslogs-stream=$HOSTNAME/$1" --log-opt mode=non-blocking --log-opt max-buffer-size=8m)`,
        ].join("\n"),
    };
}
