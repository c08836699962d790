import { describe, expect, it } from "vitest";
import { imageArchRule, osDiskFitsImageRule, trustedLaunchSizeRule } from "../../src/policy/deploy/azureComputeSizes";
import { resource } from "./fixtures";

const scaleSet = (size: string, sku: string, extra: { securityType?: string; diskSizeGB?: number } = {}) =>
    resource("azure-native:compute:VirtualMachineScaleSet", "servers", {
        sku: { name: size, capacity: 2 },
        virtualMachineProfile: {
            storageProfile: { imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku, version: "latest" }, osDisk: { diskSizeGB: extra.diskSizeGB } },
            securityProfile: extra.securityType ? { securityType: extra.securityType } : undefined,
        },
    });

describe("DEPLOY-AZ-VMSS-IMAGE-ARCH", () => {
    it.each([["Standard_D2ps_v6", "server-arm64"], ["Standard_D2s_v5", "server"], ["Standard_E4pds_v6", "server-arm64"]])("passes %s with %s", (size, sku) => {
        expect(imageArchRule.check(scaleSet(size, sku))).toEqual([]);
    });

    it("fails an Arm64 size with the x64 image, and an x64 size with the Arm64 image", () => {
        expect(imageArchRule.check(scaleSet("Standard_D2ps_v6", "server"))).toEqual([expect.stringContaining('size Standard_D2ps_v6 has an Arm64 CPU but imageReference.sku "server"')]);
        expect(imageArchRule.check(scaleSet("Standard_D2s_v5", "server-arm64"))).toEqual([expect.stringContaining("has an x64 CPU")]);
    });
});

describe("DEPLOY-AZ-VMSS-TRUSTED-LAUNCH-SIZE", () => {
    it.each(["Standard_D2ps_v5", "Standard_D4pds_v5", "Standard_D2pls_v5", "Standard_D8plds_v5"])("fails Trusted Launch on %s", (size) => {
        expect(trustedLaunchSizeRule.check(scaleSet(size, "server-arm64", { securityType: "TrustedLaunch" }))).toEqual([
            expect.stringContaining(`"TrustedLaunch" on size ${size}, a Dp*v5`),
        ]);
    });

    it("passes Trusted Launch on Dpsv6 and Dsv5, and a Dpsv5 size without it", () => {
        expect(trustedLaunchSizeRule.check(scaleSet("Standard_D2ps_v6", "server-arm64", { securityType: "TrustedLaunch" }))).toEqual([]);
        expect(trustedLaunchSizeRule.check(scaleSet("Standard_D2s_v5", "server", { securityType: "TrustedLaunch" }))).toEqual([]);
        expect(trustedLaunchSizeRule.check(scaleSet("Standard_D2ps_v5", "server-arm64", { securityType: "Standard" }))).toEqual([]);
    });
});

describe("DEPLOY-AZ-VMSS-OSDISK-FITS-IMAGE", () => {
    it("passes 30 GiB and more, and an unset size (the image's own)", () => {
        for (const diskSizeGB of [30, 32, 64, undefined]) expect(osDiskFitsImageRule.check(scaleSet("Standard_D2ps_v6", "server-arm64", { diskSizeGB }))).toEqual([]);
    });

    it("fails an OS disk smaller than Canonical's 30 GiB image disk", () => {
        expect(osDiskFitsImageRule.check(scaleSet("Standard_D2ps_v6", "server-arm64", { diskSizeGB: 16 }))).toEqual([expect.stringContaining("diskSizeGB is 16")]);
    });
});
