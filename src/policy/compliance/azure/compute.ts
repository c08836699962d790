import type { ResourceRule } from "../../types";
import { hipaa, list, said, types } from "./refs";

/** The web servers: a Flexible virtual machine scale set. */

const scaleSetArgs = "@pulumi/azure-native@3.28.0:compute/virtualMachineScaleSet.d.ts (VirtualMachineScaleSetArgs)";
const policyRepo = "Azure/azure-policy@f4a50bacae07ddb096943c597669bcae494a6e29:built-in-policies/policyDefinitions";
const checkovRepo = "bridgecrewio/checkov@03d5fdad:checkov/terraform/checks/resource/azure";

export const scaleSetEncryptionAtHostRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-VMSS-ENCRYPTION-AT-HOST",
    title: "The web servers encrypt temp disks, caches and disk traffic at the host (encryptionAtHost)",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.encryptionAtRest],
        checkov: ["CKV_AZURE_97"],
        azurePolicy: ["Virtual machines and virtual machine scale sets should have encryption at host enabled (fc4d8e41-e223-45ea-9bf5-eada37891d87)"],
    },
    source: [
        // "temp disks and OS/data disk caches are encrypted at rest ... data flows encrypted to the Storage service"
        "https://learn.microsoft.com/azure/virtual-machines/disk-encryption#encryption-at-host---end-to-end-encryption-for-your-vm-data",
        `${scaleSetArgs}; types/input.d.ts compute.SecurityProfileArgs.encryptionAtHost`,
        `${policyRepo}/Compute/HostBasedEncryptionRequired_Deny.json`,
        `${checkovRepo}/VMEncryptionAtHostEnabled.py`,
    ],
    appliesTo: [types.scaleSet],
    check({ inputs }) {
        const value = inputs.virtualMachineProfile?.securityProfile?.encryptionAtHost;
        return value === true
            ? []
            : [`virtualMachineProfile.securityProfile.encryptionAtHost ${said(value)}: the temp disk and disk caches (where PHP sessions, uploads in flight and swapped memory land) are not encrypted.`];
    },
};

export const scaleSetSshKeysOnlyRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-VMSS-SSH-KEYS-ONLY",
    title: "The web servers accept SSH keys only: password authentication disabled, no admin password",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.authentication, hipaa.uniqueUser],
        checkov: ["CKV_AZURE_49", "CKV_AZURE_149", "CKV_AZURE_178"],
        trivy: ["AVD-AZU-0039"],
        azurePolicy: ["Authentication to Linux machines should require SSH keys (630c64f9-8b6b-4c64-b511-6544ceff6fd6)"],
    },
    source: [
        "https://learn.microsoft.com/azure/virtual-machines/linux/create-ssh-keys-detailed",
        `${scaleSetArgs}; types/input.d.ts compute.LinuxConfigurationArgs (disablePasswordAuthentication, ssh.publicKeys), VirtualMachineScaleSetOSProfileArgs.adminPassword`,
        `${checkovRepo}/VMDisablePasswordAuthentication.py`,
    ],
    appliesTo: [types.scaleSet],
    check({ inputs }) {
        const os = inputs.virtualMachineProfile?.osProfile ?? {};
        const problems: string[] = [];
        if (os.linuxConfiguration?.disablePasswordAuthentication !== true)
            problems.push(`virtualMachineProfile.osProfile.linuxConfiguration.disablePasswordAuthentication ${said(os.linuxConfiguration?.disablePasswordAuthentication)}: a shared admin password can be guessed and cannot be tied to one person.`);
        if (os.adminPassword !== undefined) problems.push("virtualMachineProfile.osProfile.adminPassword is set: a shared administrator password on every server.");
        return problems;
    },
};

export const scaleSetManagedIdentityRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-VMSS-MANAGED-IDENTITY",
    title: "The web servers authenticate to Azure with a managed identity, not stored credentials",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.uniqueUser, hipaa.authentication] },
    source: [
        // "Managed identities ... eliminate the need for developers to manage credentials"
        "https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/overview",
        `${scaleSetArgs}.identity`,
    ],
    appliesTo: [types.scaleSet],
    check({ inputs }) {
        const kind = String(inputs.identity?.type ?? "None");
        return /SystemAssigned|UserAssigned/.test(kind)
            ? []
            : [`identity.type ${said(inputs.identity?.type)}: without a managed identity the servers need a stored secret to read Key Vault and the share, a credential nobody rotates.`];
    },
};

export const scaleSetNoPublicIpRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-VMSS-NO-PUBLIC-IP",
    title: "No web server gets a public IP address (only the gateway faces the internet)",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: { hipaa: [hipaa.accessControl, hipaa.transmission], trivy: ["AVD-AZU-0076"] },
    source: [
        // publicIPAddressConfiguration: "The publicIPAddressConfiguration" of a scale set IP configuration gives each instance its own public IP.
        "https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-networking#public-ipv4-per-virtual-machine",
        "@pulumi/azure-native@3.28.0:types/input.d.ts compute.VirtualMachineScaleSetIPConfigurationArgs.publicIPAddressConfiguration",
    ],
    appliesTo: [types.scaleSet],
    check({ inputs }) {
        return list(inputs.virtualMachineProfile?.networkProfile?.networkInterfaceConfigurations).flatMap((nic) =>
            list(nic.ipConfigurations)
                .filter((ip) => ip.publicIPAddressConfiguration)
                .map((ip) => `networkInterfaceConfigurations "${nic.name}" ipConfigurations "${ip.name}" has a publicIPAddressConfiguration: every server would answer on the internet beside the gateway and its WAF.`),
        );
    },
};

export const scaleSetZonesRule: ResourceRule = {
    kind: "resource",
    id: "EMR-AZ-VMSS-ZONES",
    title: "The web servers are spread over at least two availability zones",
    category: "compliance",
    cloud: "azure",
    severity: "error",
    controls: {
        hipaa: [hipaa.emergencyMode, hipaa.disasterRecovery],
        azurePolicy: ["[Preview]: Virtual Machine Scale Sets should be Zone Resilient (d3903bdf-ab85-4cce-85d3-2934d77629d4)"],
    },
    source: ["https://learn.microsoft.com/azure/reliability/reliability-virtual-machine-scale-sets", `${scaleSetArgs}.zones`, `${policyRepo}/Resilience/Compute_virtualMachineScaleSets_ZoneResilient_Audit.json`],
    appliesTo: [types.scaleSet],
    check({ inputs }) {
        const zones = new Set(list(inputs.zones));
        return zones.size >= 2 ? [] : [`zones ${said(inputs.zones)}: with fewer than two zones, one zone's outage takes every web server down.`];
    },
};

export const computeRules = [scaleSetEncryptionAtHostRule, scaleSetSshKeysOnlyRule, scaleSetManagedIdentityRule, scaleSetNoPublicIpRule, scaleSetZonesRule];
