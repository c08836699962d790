import type { ResourceRule } from "../../types";
import { awsResourceRule } from "./shared";
import { hipaa } from "../hipaa";

const replicationGroup = "aws:elasticache/replicationGroup:ReplicationGroup";

/**
 * The PHP session store holds what a signed-in clinician's session carries (user, site, the
 * patient in context): ePHI-adjacent data, held to the same controls as the database.
 * Input names: @pulumi/aws 7.48 elasticache/replicationGroup.d.ts. The checkov ids are read in
 * bridgecrewio/checkov @03d5fdad8d checkov/terraform/checks/resource/aws/ElasticacheReplicationGroup*.py.
 * No cdk-nag id is cited: the HIPAA.Security rules for ElastiCache were not found at a source here.
 */
export const awsSessionComplianceRules: readonly ResourceRule[] = [
    awsResourceRule({
        id: "EMR-AWS-SESSION-ENCRYPTED-CMK",
        title: "The ElastiCache session store is encrypted at rest with a customer-managed KMS key",
        severity: "error",
        source: [
            "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
            "bridgecrewio/checkov:checkov/terraform/checks/resource/aws/ElasticacheReplicationGroupEncryptionAtRest.py",
        ],
        appliesTo: [replicationGroup],
        controls: { hipaa: [hipaa.encryptionAtRest], checkov: ["CKV_AWS_29", "CKV_AWS_191"] },
        check({ inputs }) {
            const reasons: string[] = [];
            if (inputs.atRestEncryptionEnabled !== true) reasons.push("atRestEncryptionEnabled is not true");
            if (!inputs.kmsKeyId) reasons.push("no kmsKeyId: encrypted with an AWS-owned key, not the stack's");
            return reasons;
        },
    }),
    awsResourceRule({
        id: "EMR-AWS-SESSION-TLS-AUTH",
        title: "The ElastiCache session store requires TLS and authentication",
        severity: "error",
        source: [
            "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",
            "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html",
            "bridgecrewio/checkov:checkov/terraform/checks/resource/aws/ElasticacheReplicationGroupEncryptionAtTransitAuthToken.py",
        ],
        appliesTo: [replicationGroup],
        controls: { hipaa: [hipaa.transmission, hipaa.transmissionEncryption, hipaa.authentication], checkov: ["CKV_AWS_30", "CKV_AWS_31"] },
        check({ inputs }) {
            const reasons: string[] = [];
            // "preferred" also accepts plain-text connections (in-transit-encryption.html, transit encryption mode).
            if (inputs.transitEncryptionEnabled !== true || (inputs.transitEncryptionMode ?? "required") !== "required") reasons.push("transit encryption is not required");
            if (!inputs.authToken && !(inputs.userGroupIds ?? []).length) reasons.push("no AUTH token or RBAC user group: any client in the network can read sessions");
            return reasons;
        },
    }),
];
