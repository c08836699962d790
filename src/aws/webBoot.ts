import { fstabMount, shellQuote, type CloudBootSteps } from "../app/cloudInit";

/**
 * Amazon Linux 2023 boot steps. The AWS CLI v2 and curl are preinstalled; the instance profile
 * (through IMDSv2) signs the Secrets Manager call and the EFS mount.
 */
export function awsBootSteps(args: { region: string; fileSystemId: string; secretArn: string }): CloudBootSteps {
    return {
        cloud: "aws",
        packages: ["docker", "amazon-efs-utils", "jq"],
        // efs-utils: `tls` wraps NFS in TLS (stunnel), `iam` has EFS authorize the instance role, which
        // needs elasticfilesystem:ClientMount, ClientWrite and ClientRootAccess (the image chowns sites/ as root).
        mountSharedFs: fstabMount(`${args.fileSystemId}:/`, "efs", ["_netdev", "tls", "iam"]),
        fetchDbSecret: `aws secretsmanager get-secret-value --region ${shellQuote(args.region)} --secret-id ${shellQuote(args.secretArn)} --query SecretString --output text`,
        // RDS certificates chain to Amazon's RDS CAs, which are not in the OS trust store.
        fetchDbCaBundle: `curl -fsS --retry 5 --retry-all-errors ${shellQuote(`https://truststore.pki.rds.amazonaws.com/${args.region}/${args.region}-bundle.pem`)}`,
    };
}
