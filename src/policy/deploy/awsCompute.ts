import { instanceArch } from "../../config/sizes";
import type { ResourceRule, StackRule, Violation } from "../types";
import { grantPropagationSeconds, scalingKeyOperations } from "../../aws/scalingKey";
import { sleepType, waitsBetween } from "../order";
import { bootTimingSource, bootWaitSeconds } from "./bootTiming";

export const asgGraceRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AWS-ASG-GRACE-COVERS-BOOT",
    title: "An Auto Scaling group's health-check grace period outlasts the web servers' own boot waits",
    category: "deploy",
    cloud: "aws",
    severity: "error",
    source: [
        // The grace period is how long Amazon EC2 Auto Scaling waits after an instance comes into service before it
        // acts on a failing health check (and replaces the instance).
        "https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-check-grace-period.html",
        bootTimingSource,
    ],
    appliesTo: ["aws:autoscaling/group:Group"],
    check({ inputs }) {
        const grace = Number(inputs.healthCheckGracePeriod ?? 0);
        if (grace >= bootWaitSeconds) return [];
        const set = inputs.healthCheckGracePeriod === undefined ? "is not set (a default of minutes at most)" : `is ${grace} s`;
        return [
            `healthCheckGracePeriod ${set}, shorter than the ${bootWaitSeconds} s a first boot may wait by design ` +
                "(install lock, then its own install): the group replaces servers that are still booting, in a loop.",
        ];
    },
};

export const launchTemplateArchRule: ResourceRule = {
    kind: "resource",
    id: "DEPLOY-AWS-LT-IMAGE-ARCH-MATCHES-TYPE",
    title: "A launch template's image is built for its instance type's CPU architecture",
    category: "deploy",
    cloud: "aws",
    severity: "error",
    source: [
        // The Auto Scaling group's creation fails: "ValidationError: You must use a valid fully-formed launch template.
        // The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the
        // specified AMI" (reported verbatim in public Terraform code comments; EC2 RunInstances answers the same
        // InvalidParameterValue).
        "https://github.com/aws/aws-graviton-getting-started",
        "src/aws/webServers.ts (serverImages: the AL2023 SSM parameters per architecture)",
    ],
    appliesTo: ["aws:ec2/launchTemplate:LaunchTemplate"],
    check({ inputs }) {
        // Only images whose architecture the id names: the AL2023 public parameters end in -arm64 / -x86_64.
        const imageArch = /-(arm64|x86_64)$/.exec(String(inputs.imageId ?? ""))?.[1];
        if (!imageArch || typeof inputs.instanceType !== "string") return [];
        const typeArch = instanceArch("aws", inputs.instanceType);
        return typeArch === imageArch
            ? []
            : [`instanceType ${inputs.instanceType} is ${typeArch} but imageId ${inputs.imageId} is ${imageArch}: the Auto Scaling group cannot launch it (set emr:cpuArch to match emr:webInstanceType)`];
    },
};

export const asgVolumeKeyRule: StackRule = {
    kind: "stack",
    id: "DEPLOY-AWS-ASG-VOLUME-KEY-USABLE",
    title: "An Auto Scaling group whose launch template encrypts volumes with a customer key launches as its own role, granted the key, after the grant has propagated",
    category: "deploy",
    cloud: "aws",
    severity: "error",
    source: [
        // "The predefined permissions also include access to your AWS managed keys. However, they do not include access
        // to your customer managed keys"; without it the instance fails to launch ("Client.InternalError: Client error
        // on launch", repost.aws/knowledge-center/kms-launch-ec2-instance).
        "https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html",
        "https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html",
        "@pulumi/aws@7.48.0:autoscaling/group.d.ts (serviceLinkedRoleArn, ignoreFailedScalingActivities); kms/grant.d.ts (granteePrincipal, operations)",
        // "When you create, retire, or revoke a grant, there might be a brief delay, usually less than five minutes, until
        // the grant is available throughout AWS KMS" (CreateGrant); the provider's capacity wait fails on the first
        // failed scaling activity unless ignoreFailedScalingActivities is set.
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html",
    ],
    appliesTo: ["aws:autoscaling/group:Group"],
    check(graph): Violation[] {
        return graph.ofType("aws:autoscaling/group:Group").flatMap((group) => {
            const template = graph.ofType("aws:ec2/launchTemplate:LaunchTemplate").find((t) => t.id === group.inputs.launchTemplate?.id);
            const keys = ((template?.inputs.blockDeviceMappings as any[]) ?? [])
                .map((m) => m.ebs?.kmsKeyId)
                .filter((k): k is string => typeof k === "string" && !/alias\/aws\/ebs$/.test(k));
            const role = group.inputs.serviceLinkedRoleArn;
            return [...new Set(keys)].flatMap((key) => {
                if (typeof role !== "string") {
                    return [
                        {
                            resourceKey: group.key,
                            reason: `its launch template encrypts volumes with ${key} but serviceLinkedRoleArn is not set: the group launches as the account's default Auto Scaling role, which a fresh account does not have yet and which no grant in this stack lets use the key, so launches fail`,
                        },
                    ];
                }
                // Only grants are looked at (the stack's keys keep their policy: src/aws/kms.ts).
                const grants = graph
                    .ofType("aws:kms/grant:Grant")
                    .filter((g) => g.inputs.granteePrincipal === role && (g.inputs.keyId === key || graph.referenced(g.inputs.keyId)?.outputs.arn === key));
                const granted = new Set(grants.flatMap((g) => g.inputs.operations ?? []));
                const missing = scalingKeyOperations.filter((op) => !granted.has(op));
                if (missing.length) {
                    return [{ resourceKey: group.key, reason: `its role ${role} has no grant on ${key} for ${missing.join(", ")}: Auto Scaling cannot create the encrypted volumes, so every launch fails` }];
                }
                const problems: Violation[] = [];
                if (!grants.every((g) => waitsBetween(graph, g, group, grantPropagationSeconds).length > 0)) {
                    problems.push({
                        resourceKey: group.key,
                        reason: `it does not wait for a ${sleepType} of createDuration >= ${grantPropagationSeconds}s after its role's grant on ${key}: a new grant takes up to five minutes to reach all of KMS, and launches before then fail`,
                    });
                }
                if (group.inputs.ignoreFailedScalingActivities !== true) {
                    problems.push({
                        resourceKey: group.key,
                        reason: "ignoreFailedScalingActivities is not true: one launch refused while the key's grant settles fails the whole `up` (the provider's capacity wait stops at the first failed scaling activity)",
                    });
                }
                return problems;
            });
        });
    },
};
