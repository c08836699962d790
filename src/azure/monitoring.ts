// STUB: replaced by the real AzureMonitoring.
import * as pulumi from "@pulumi/pulumi";
import type { Monitoring, MonitoringArgs } from "../tiers/contracts";
import type { AzureDbTier } from "./dbTier";
import type { AzureNetTier } from "./netTier";
import type { AzureStorageTier } from "./storageTier";
import type { AzureWebTier } from "./webTier";

export class AzureMonitoring extends pulumi.ComponentResource implements Monitoring {
    readonly alertTopic = pulumi.output("/subscriptions/0/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/stub");
    readonly auditTrail = pulumi.output("stub-activity-log");
    constructor(name: string, _args: MonitoringArgs<AzureNetTier, AzureStorageTier, AzureDbTier, AzureWebTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:azure:Monitoring", name, {}, opts);
        this.registerOutputs({});
    }
}
