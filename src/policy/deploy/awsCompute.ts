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
