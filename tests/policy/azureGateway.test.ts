import { describe, expect, it } from "vitest";
import { gatewayAutoscaleBoundsRule } from "../../src/policy/deploy/azureGateway";
import { resource } from "./fixtures";

const gateway = (autoscaleConfiguration: Record<string, unknown>) =>
    resource("azure-native:network:ApplicationGateway", "gw", { sku: { name: "WAF_v2", tier: "WAF_v2" }, autoscaleConfiguration });

describe("DEPLOY-AZ-APPGW-AUTOSCALE-BOUNDS", () => {
    it.each([[{ minCapacity: 0, maxCapacity: 10 }], [{ minCapacity: 2, maxCapacity: 125 }], [{ minCapacity: 0 }]])("passes %j", (scale) => {
        expect(gatewayAutoscaleBoundsRule.check(gateway(scale))).toEqual([]);
    });

    it.each([
        [{ minCapacity: -1, maxCapacity: 10 }, "minCapacity -1 is outside 0-125"],
        [{ minCapacity: 0, maxCapacity: 126 }, "maxCapacity 126 is outside 0-125"],
        [{ minCapacity: 10, maxCapacity: 10 }, "maxCapacity 10 is not above minCapacity 10"],
        [{ minCapacity: 30 }, "maxCapacity 20 is not above minCapacity 30"],
    ])("fails %j", (scale, reason) => {
        expect(gatewayAutoscaleBoundsRule.check(gateway(scale))).toEqual([expect.stringContaining(reason)]);
    });
});
