import { instanceArch } from "../../config/sizes";
import type { ResourceRule } from "../types";
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
