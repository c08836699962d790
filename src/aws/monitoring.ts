// STUB: replaced by the real AwsMonitoring.
import * as pulumi from "@pulumi/pulumi";
import type { Monitoring, MonitoringArgs } from "../tiers/contracts";
import type { AwsDbTier } from "./dbTier";
import type { AwsNetTier } from "./netTier";
import type { AwsStorageTier } from "./storageTier";
import type { AwsWebTier } from "./webTier";

export class AwsMonitoring extends pulumi.ComponentResource implements Monitoring {
    readonly alertTopic = pulumi.output("arn:stub-topic");
    readonly auditTrail = pulumi.output("arn:stub-trail");
    constructor(name: string, _args: MonitoringArgs<AwsNetTier, AwsStorageTier, AwsDbTier, AwsWebTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:aws:Monitoring", name, {}, opts);
        this.registerOutputs({});
    }
}
