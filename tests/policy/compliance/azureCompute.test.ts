import { describe, expect, it } from "vitest";
import {
    scaleSetEncryptionAtHostRule,
    scaleSetManagedIdentityRule,
    scaleSetNoPublicIpRule,
    scaleSetSshKeysOnlyRule,
    scaleSetZonesRule,
} from "../../../src/policy/compliance/azure/compute";
import { graphOf, judge, reasons, resource } from "../fixtures";

// The web scale set of src/azure/webServers.ts, as captured, cut to what the rules read.
const profile = () => ({
    securityProfile: { encryptionAtHost: true, securityType: "TrustedLaunch" },
    osProfile: { adminUsername: "emradmin", linuxConfiguration: { disablePasswordAuthentication: true, ssh: { publicKeys: [{ keyData: "ssh-rsa AAAA", path: "/home/emradmin/.ssh/authorized_keys" }] } } },
    networkProfile: { networkInterfaceConfigurations: [{ name: "nic", primary: true, ipConfigurations: [{ name: "ipconfig", primary: true, subnet: { id: "/subnets/app" } }] }] },
});
const scaleSet = (change: (inputs: Record<string, any>) => void = () => {}) => {
    const inputs: Record<string, any> = { identity: { type: "UserAssigned", userAssignedIdentities: ["/identities/web"] }, zones: ["1", "2", "3"], virtualMachineProfile: profile() };
    change(inputs);
    return graphOf(resource("azure-native:compute:VirtualMachineScaleSet", "web", inputs));
};

describe("EMR-AZ-VMSS-ENCRYPTION-AT-HOST", () => {
    it("passes encryption at host", () => expect(judge(scaleSetEncryptionAtHostRule, scaleSet()).status).toBe("pass"));
    it("fails it unset", () => {
        expect(reasons(judge(scaleSetEncryptionAtHostRule, scaleSet((i) => delete i.virtualMachineProfile.securityProfile)))).toContain("securityProfile.encryptionAtHost is unset");
    });
});

describe("EMR-AZ-VMSS-SSH-KEYS-ONLY", () => {
    it("passes keys only", () => expect(judge(scaleSetSshKeysOnlyRule, scaleSet()).status).toBe("pass"));
    it("fails password authentication with an admin password", () => {
        const text = reasons(
            judge(
                scaleSetSshKeysOnlyRule,
                scaleSet((i) => {
                    i.virtualMachineProfile.osProfile.linuxConfiguration.disablePasswordAuthentication = false;
                    i.virtualMachineProfile.osProfile.adminPassword = "Passw0rd!";
                }),
            ),
        );
        expect(text).toContain("disablePasswordAuthentication is false");
        expect(text).toContain("adminPassword is set");
    });
});

describe("EMR-AZ-VMSS-MANAGED-IDENTITY", () => {
    it.each(["UserAssigned", "SystemAssigned", "SystemAssigned, UserAssigned"])("passes %s", (type) => expect(judge(scaleSetManagedIdentityRule, scaleSet((i) => (i.identity = { type }))).status).toBe("pass"));
    it.each([undefined, { type: "None" }])("fails identity %o", (identity) => {
        expect(reasons(judge(scaleSetManagedIdentityRule, scaleSet((i) => (i.identity = identity))))).toContain("identity.type");
    });
});

describe("EMR-AZ-VMSS-NO-PUBLIC-IP", () => {
    it("passes private NICs", () => expect(judge(scaleSetNoPublicIpRule, scaleSet()).status).toBe("pass"));
    it("fails a public IP per instance", () => {
        const text = reasons(judge(scaleSetNoPublicIpRule, scaleSet((i) => (i.virtualMachineProfile.networkProfile.networkInterfaceConfigurations[0].ipConfigurations[0].publicIPAddressConfiguration = { name: "pip" }))));
        expect(text).toContain('networkInterfaceConfigurations "nic" ipConfigurations "ipconfig" has a publicIPAddressConfiguration');
    });
});

describe("EMR-AZ-VMSS-ZONES", () => {
    it.each([[["1", "2"]], [["1", "2", "3"]]])("passes zones %o", (zones) => expect(judge(scaleSetZonesRule, scaleSet((i) => (i.zones = zones))).status).toBe("pass"));
    it.each([[["1"]], [undefined], [["2", "2"]]])("fails zones %o", (zones) => expect(reasons(judge(scaleSetZonesRule, scaleSet((i) => (i.zones = zones))))).toContain("zones"));
});
