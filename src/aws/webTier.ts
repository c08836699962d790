// STUB: replaced by the real AwsWebTier.
import * as pulumi from "@pulumi/pulumi";
import type { WebTier, WebTierArgs } from "../tiers/contracts";
import type { AwsDbTier } from "./dbTier";
import type { AwsNetTier } from "./netTier";
import type { AwsStorageTier } from "./storageTier";

export class AwsWebTier extends pulumi.ComponentResource implements WebTier {
    readonly url = pulumi.output("https://stub");
    readonly loadBalancerId = pulumi.output("arn:stub-alb");
    readonly serverGroupId = pulumi.output("stub-asg");
    readonly loadBalancerArnSuffix = pulumi.output("app/stub/0");
    readonly targetGroupArnSuffix = pulumi.output("targetgroup/stub/0");
    readonly autoScalingGroupName = pulumi.output("stub-asg");
    constructor(name: string, _args: WebTierArgs<AwsNetTier, AwsStorageTier, AwsDbTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:aws:WebTier", name, {}, opts);
        this.registerOutputs({});
    }
}
