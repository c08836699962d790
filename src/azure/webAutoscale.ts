import * as monitor from "@pulumi/azure-native/monitor";
import type * as inputs from "@pulumi/azure-native/types/input";
import type * as pulumi from "@pulumi/pulumi";

/**
 * CPU thresholds (percent, 5-minute average). Out at 60: with two servers in two zones, the
 * survivor of a zone loss takes the other's load, so the pair must never run near full. In below
 * 25, over a longer window, so the count does not flap around a steady load.
 */
export const cpuScaling = { outAbove: 60, inBelow: 25 } as const;

export interface WebAutoscaleArgs {
    resourceGroupName: pulumi.Input<string>;
    scaleSetId: pulumi.Input<string>;
    minServers: number;
    maxServers: number;
    tags: Record<string, string>;
}

/** Azure Monitor autoscale for the web scale set, on average CPU, one server at a time. */
export function webAutoscale(name: string, args: WebAutoscaleArgs, parent: pulumi.Resource): monitor.AutoscaleSetting {
    const cpuRule = (direction: "Increase" | "Decrease"): inputs.monitor.ScaleRuleArgs => {
        const out = direction === "Increase";
        return {
            metricTrigger: {
                metricName: "Percentage CPU",
                metricNamespace: "microsoft.compute/virtualmachinescalesets",
                metricResourceUri: args.scaleSetId,
                timeGrain: "PT1M",
                statistic: "Average",
                timeAggregation: "Average",
                timeWindow: out ? "PT5M" : "PT15M",
                operator: out ? "GreaterThan" : "LessThan",
                threshold: out ? cpuScaling.outAbove : cpuScaling.inBelow,
            },
            // A new server needs about ten minutes (packages, image pull, start) before it takes load.
            scaleAction: { direction, type: "ChangeCount", value: "1", cooldown: out ? "PT10M" : "PT15M" },
        };
    };
    return new monitor.AutoscaleSetting(
        `${name}-autoscale`,
        {
            resourceGroupName: args.resourceGroupName,
            targetResourceUri: args.scaleSetId,
            enabled: true,
            profiles: [
                {
                    name: "cpu",
                    capacity: { minimum: String(args.minServers), maximum: String(args.maxServers), default: String(args.minServers) },
                    rules: [cpuRule("Increase"), cpuRule("Decrease")],
                },
            ],
            tags: args.tags,
        },
        { parent },
    );
}
