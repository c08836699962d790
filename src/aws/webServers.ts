import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as lb from "@pulumi/aws/lb";
import * as pulumi from "@pulumi/pulumi";
import { bootGraceSeconds } from "../app/bootTimings";
import type { CpuArch } from "../config";
import type { ScalingRole } from "./webScalingRole";

/**
 * Amazon Linux 2023, newest image of the servers' architecture, resolved by EC2 at each launch (no
 * AMI lookup at deploy). AWS's public parameters /aws/service/ami-amazon-linux-latest/
 * al2023-ami-kernel-default-{arm64,x86_64}: the x86_64 one is the one this stack launched before;
 * the arm64 one differs only in its suffix, as public deployments resolve it (e.g. `aws ec2
 * run-instances --image-id resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64
 * --instance-type t4g.micro`; not read in the AL2023 User Guide itself). Everything the boot
 * installs exists for both (webBoot.ts), and so does the OpenEMR image as far as read: openemr/
 * openemr-devops .github/workflows/build-800.yml builds 8.0.0 for `linux/amd64,linux/arm64`; the
 * workflow of the configured 8.3.0 was not in the sources (`docker buildx imagetools inspect
 * openemr/openemr:8.3.0` lists its platforms). Arm costs less for the
 * same size: t4g.large $0.0672/h against t3.large $0.0832/h, -$23.36 a month on two servers
 * (cost-review.md (a), (e) AWS rank 5).
 */
export const serverImages: Record<CpuArch, string> = {
    arm64: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    x86_64: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
};


/**
 * The root volume, GiB. It holds the OS and Docker with the OpenEMR image (two versions during an
 * image change); patient data lives on EFS and in the database, sessions in the session store,
 * logs go to CloudWatch. 16 rather than 30 GiB saves 2 x 14 GiB x $0.08 = $2.24 a month on the two servers of
 * a dev stack (cost-review.md (e) AWS rank 9). It must be at least the AMI's root snapshot, 8 GiB
 * for AL2023 (secondary source: namecheap/ec2-github-runner#44, "Amazon Linux 2023 default: 8 GiB
 * gp3"; not read at AWS), or EC2 refuses the launch. The OpenEMR image's unpacked size was not found
 * in any source; a server that fills its disk fails its health check and is replaced.
 */
export const rootVolumeGiB = 16;

/**
 * The autoscaler leaves a new server alone this long before acting on a failing load-balancer
 * check: the boot's whole budget (src/app/bootTimings.ts: packages, preparation, the wait for the
 * install lock, then possibly its own install), so it never replaces a server still queueing, nor
 * kills an installer mid-install (openemr-boot-review.md D6). The load balancer itself stops
 * routing to a failing server after 20 s regardless.
 */
const healthCheckGracePeriod = bootGraceSeconds();

/** Scale out when average CPU passes this (percent): headroom for a zone's loss on the rest. */
const cpuTarget = 50;
/** Requests per server per minute to scale at (~17 req/s of PHP pages per 2-vCPU server). */
const requestsPerServerTarget = 1000;

export interface WebServersArgs {
    instanceType: string;
    /** The instance type's architecture: picks the OS image. */
    cpuArch: CpuArch;
    minServers: number;
    maxServers: number;
    /** The app (private) subnets of every zone. */
    subnetIds: pulumi.Input<string[]>;
    securityGroupId: pulumi.Input<string>;
    instanceProfileArn: pulumi.Input<string>;
    /** The key of the root volumes, and the Auto Scaling role that may use it (webScalingRole.ts). */
    volumeKeyArn: pulumi.Input<string>;
    scalingRole: ScalingRole;
    /** The rendered cloud-init, base64-encoded. */
    userData: pulumi.Input<string>;
    targetGroup: lb.TargetGroup;
    loadBalancer: lb.LoadBalancer;
    /** What must exist before the group: what the servers boot against, and the listener using the target group. */
    dependsOn: pulumi.Resource[];
    tags: Record<string, string>;
}

/**
 * The web servers: a launch template (IMDSv2 only, no public IP, no SSH key, encrypted root) and an
 * Auto Scaling group over the app subnets of every zone, replaced on the load balancer's health
 * verdict, refreshed without ever dropping below full capacity, scaled on CPU and request count.
 */
export function webServers(name: string, args: WebServersArgs, parent: pulumi.Resource): autoscaling.Group {
    const serverTags = { ...args.tags, Name: `${name}-server` };
    const template = new ec2.LaunchTemplate(
        `${name}-lt`,
        {
            description: "EMR web server (OpenEMR container on Amazon Linux 2023)",
            imageId: serverImages[args.cpuArch],
            instanceType: args.instanceType,
            iamInstanceProfile: { arn: args.instanceProfileArn },
            // Hop limit 1: only the host (where the AWS CLI fetches the secret) reaches the
            // metadata service; the container behind Docker's bridge is one hop too far.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
            networkInterfaces: [
                { deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: [args.securityGroupId], deleteOnTermination: "true" },
            ],
            blockDeviceMappings: [
                {
                    deviceName: "/dev/xvda",
                    // Under the stack's data key, which the group's own service-linked role may use
                    // (webScalingRole.ts).
                    ebs: { volumeSize: rootVolumeGiB, volumeType: "gp3", encrypted: "true", kmsKeyId: args.volumeKeyArn, deleteOnTermination: "true" },
                },
            ],
            monitoring: { enabled: true },
            userData: args.userData,
            tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: serverTags })),
            updateDefaultVersion: true,
            tags: args.tags,
        },
        { parent },
    );

    const group = new autoscaling.Group(
        `${name}-asg`,
        {
            vpcZoneIdentifiers: args.subnetIds,
            minSize: args.minServers,
            maxSize: args.maxServers,
            desiredCapacity: args.minServers,
            // A numbered version: a template change updates the group, which starts the refresh below.
            launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` },
            targetGroupArns: [args.targetGroup.arn],
            healthCheckType: "ELB",
            healthCheckGracePeriod,
            serviceLinkedRoleArn: args.scalingRole.arn,
            // A launch refused while the key's grant propagates is retried within the capacity wait
            // instead of failing the `up` (webScalingRole.ts). The price: a launch that keeps failing
            // (a wrong key, no capacity) shows only as this wait timing out; the README's
            // troubleshooting table says where the cause is (the group's scaling activities).
            ignoreFailedScalingActivities: true,
            // The provider's default, said here because the line above leans on it.
            waitForCapacityTimeout: "10m",
            // Scaling ignores a new server's metrics until it has booted (OpenEMR is installed by then).
            defaultInstanceWarmup: 300,
            instanceRefresh: {
                strategy: "Rolling",
                preferences: {
                    // Launch the replacement first, then retire the old server: with the minimum of
                    // two servers in two zones, capacity (and zone coverage) never drops mid-deploy.
                    minHealthyPercentage: 100,
                    maxHealthyPercentage: 200,
                    // Auto rollback is unavailable with an SSM-resolved image id; a failed refresh stops.
                },
            },
            // On-demand only: nothing to rebalance away from.
            capacityRebalance: false,
            enabledMetrics: [
                "GroupMinSize",
                "GroupMaxSize",
                "GroupDesiredCapacity",
                "GroupInServiceInstances",
                "GroupPendingInstances",
                "GroupTerminatingInstances",
                "GroupTotalInstances",
            ],
            metricsGranularity: "1Minute",
            tags: Object.entries(serverTags).map(([key, value]) => ({ key, value, propagateAtLaunch: key === "Name" })),
        },
        // Autoscaling owns the desired count once running: an `up` must not reset it to the minimum.
        { parent, dependsOn: [...args.dependsOn, args.scalingRole.ready], ignoreChanges: ["desiredCapacity"] },
    );

    const targetTracking = (metric: string, predefinedMetricType: string, targetValue: number, resourceLabel?: pulumi.Input<string>) =>
        new autoscaling.Policy(
            `${name}-scale-${metric}`,
            {
                autoscalingGroupName: group.name,
                policyType: "TargetTrackingScaling",
                targetTrackingConfiguration: { predefinedMetricSpecification: { predefinedMetricType, resourceLabel }, targetValue },
            },
            { parent: group },
        );
    targetTracking("cpu", "ASGAverageCPUUtilization", cpuTarget);
    targetTracking(
        "requests",
        "ALBRequestCountPerTarget",
        requestsPerServerTarget,
        pulumi.interpolate`${args.loadBalancer.arnSuffix}/${args.targetGroup.arnSuffix}`,
    );
    return group;
}
