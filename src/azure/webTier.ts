// STUB: replaced by the real AzureWebTier.
import * as pulumi from "@pulumi/pulumi";
import type { WebTier, WebTierArgs } from "../tiers/contracts";
import type { AzureDbTier } from "./dbTier";
import type { AzureNetTier } from "./netTier";
import type { AzureStorageTier } from "./storageTier";

export class AzureWebTier extends pulumi.ComponentResource implements WebTier {
    readonly url = pulumi.output("https://stub");
    readonly loadBalancerId = pulumi.output("/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/applicationGateways/stub");
    readonly serverGroupId = pulumi.output("/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/stub");
    constructor(name: string, _args: WebTierArgs<AzureNetTier, AzureStorageTier, AzureDbTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:azure:WebTier", name, {}, opts);
        this.registerOutputs({});
    }
}
