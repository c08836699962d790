import * as compute from "@pulumi/azure-native/compute";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { bootGraceSeconds } from "../app/bootTimings";
import { healthPort } from "../app/healthCheck";
import type { CpuArch } from "../config";
import { monitorAgentExtension } from "./webLogs";

/**
 * Ubuntu 24.04 LTS, Canonical's Gen2 image (Trusted Launch needs Gen2) for the servers' CPU
 * architecture, newest at each instance's creation: sku "server" is x64, "server-arm64" arm64
 * (Canonical's own marketplace names, as Azure's HPC image builder uses them:
 * builtin_marketplace_base_image_details aarch64 ubuntu 24.04 = Canonical ubuntu-24_04-lts
 * server-arm64). An arm64 image on an x64 size (or the reverse) does not boot: the size follows
 * the same emr:cpuArch (src/config/sizes.ts), and DEPLOY-AZ-VMSS-IMAGE-ARCH checks the pair.
 * Arm64 costs less for the same 2 vCPU / 8 GiB (cost-review.md (e) Azure #6 priced D2ps_v5 at
 * $0.077/h: -$27.74 a month on two servers against D2s_v5; the Dpsv6 rate is the catalog's to
 * verify) and everything the servers run has an arm64 build (webBoot.ts). Trusted Launch on Arm64 needs a Dpsv6/Dplsv6 size: Dpsv5 is "currently not
 * supported" (azure-compute-docs trusted-launch.md, 2025-04-21; DEPLOY-AZ-VMSS-TRUSTED-LAUNCH-SIZE).
 */
export function serverImage(cpuArch: CpuArch) {
    return { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: cpuArch === "arm64" ? "server-arm64" : "server", version: "latest" } as const;
}

/**
 * OS disk GiB: Premium SSD P4 (32 GiB, $5.28 a month) instead of P6 (64 GiB): -$9.86 a month on
 * two servers (cost-review.md (e) Azure #9). It must not be smaller than the image's own disk:
 * Canonical's Ubuntu Gen2 images are 30 GiB ("osDiskImage": {"operatingSystem": "Linux",
 * "sizeInGb": 30} for Canonical 22_04-lts-gen2, azure-compute-docs trusted-launch-faq.md);
 * DEPLOY-AZ-VMSS-OSDISK-FITS-IMAGE checks it. What lives there besides Ubuntu: Docker's images
 * (the OpenEMR image), its log cache (5 x 50 MB per container, webBoot.ts) and journald's capped
 * store; patient data never does (the shared files and the database hold it). Dpsv6 sizes have no
 * temp disk, so nothing else is on local storage either.
 */
export const osDiskGiB = 32;

/**
 * How long a new server may take to become healthy before it counts as broken: the boot's whole
 * budget (src/app/bootTimings.ts: packages, preparation, the wait for the install lock, then
 * possibly its own install). Shorter, and automatic repairs replace servers still queueing for
 * the lock, or kill an install midway (openemr-boot-review.md D6). bootGraceSeconds refuses a
 * table above the 90 minutes automatic repairs allow.
 */
const graceSeconds = bootGraceSeconds();

/** The servers' own identity: what they read the install secrets with (src/azure/installSecrets.ts). */
export function serverIdentity(name: string, args: { resourceGroupName: pulumi.Input<string>; tags: Record<string, string> }, parent: pulumi.Resource) {
    return new managedidentity.UserAssignedIdentity(`${name}-servers-id`, { resourceGroupName: args.resourceGroupName, tags: args.tags }, { parent });
}

export interface WebServersArgs {
    resourceGroupName: pulumi.Input<string>;
    zones: pulumi.Input<string[]>;
    /** The web (app) subnet: one regional subnet spanning every zone. */
    subnetId: pulumi.Input<string>;
    instanceType: string;
    /** The servers' CPU architecture: the image follows it (the size already does, src/config/sizes.ts). */
    cpuArch: CpuArch;
    minServers: number;
    identity: managedidentity.UserAssignedIdentity;
    /** The rendered cloud-init, base64-encoded. */
    customData: pulumi.Input<string>;
    gatewayBackendPoolId: pulumi.Input<string>;
    /** `nat-per-zone`: the egress load balancer pool (outbound rules); absent with a NAT gateway on the subnet. */
    outboundPoolId?: pulumi.Input<string>;
    /** OpenEMR's readiness path, asked on the servers' health port (src/app/healthCheck.ts). */
    healthCheckPath: string;
    /** What must exist before a server boots: egress, the shared files, the secrets, their grants, the gateway pool and the log association policy. */
    bootDependencies: pulumi.Resource[];
    tags: Record<string, string>;
}

/**
 * The web servers: one Flexible scale set over every zone (Azure spreads instances across the
 * zones), no public IP, SSH keys only, Trusted Launch with encryption at host, replaced by
 * automatic repairs when the local health endpoint fails after the boot grace.
 */
export function webServers(name: string, args: WebServersArgs, parent: pulumi.Resource): compute.VirtualMachineScaleSet {
    // Azure requires an admin credential. No port 22 is open anywhere; the private key stays in
    // the stack's encrypted state for a break-glass session through a bastion, should one be added.
    const adminKey = new tls.PrivateKey(`${name}-servers-ssh`, { algorithm: "RSA", rsaBits: 4096 }, { parent });
    const adminUsername = "emradmin";

    return new compute.VirtualMachineScaleSet(
        `${name}-servers`,
        {
            resourceGroupName: args.resourceGroupName,
            orchestrationMode: "Flexible",
            zones: args.zones,
            // With zones, the zone is the fault domain: Azure rejects a count above 1.
            platformFaultDomainCount: 1,
            singlePlacementGroup: false,
            sku: { name: args.instanceType, capacity: args.minServers },
            identity: { type: "UserAssigned", userAssignedIdentities: [args.identity.id] },
            // Manual: a deploy never restarts serving servers on its own. New servers (autoscale,
            // repairs) always boot the latest model; a new image tag reaches the running ones when
            // the operator reimages them one zone at a time. Rolling upgrades would also need
            // the health extension to be trusted on first boots that take up to 85 minutes.
            upgradePolicy: { mode: "Manual" },
            automaticRepairsPolicy: { enabled: true, gracePeriod: `PT${Math.ceil(graceSeconds / 60)}M`, repairAction: "Replace" },
            virtualMachineProfile: {
                osProfile: {
                    computerNamePrefix: "emrweb",
                    adminUsername,
                    customData: args.customData,
                    linuxConfiguration: {
                        disablePasswordAuthentication: true,
                        provisionVMAgent: true,
                        ssh: { publicKeys: [{ path: `/home/${adminUsername}/.ssh/authorized_keys`, keyData: adminKey.publicKeyOpenssh }] },
                    },
                },
                storageProfile: {
                    imageReference: serverImage(args.cpuArch),
                    // Premium SSD, locally redundant: a server and its disk share a zone, and the
                    // server is stateless (patient data lives in the database and the shared files),
                    // so zone-redundant disks would buy nothing. Premium keeps PHP's on-disk session
                    // files fast.
                    osDisk: {
                        createOption: "FromImage",
                        osType: "Linux",
                        caching: "ReadWrite",
                        diskSizeGB: osDiskGiB,
                        managedDisk: { storageAccountType: "Premium_LRS" },
                        deleteOption: "Delete",
                    },
                },
                // Encryption at host also encrypts temp disk and caches; the subscription must have
                // the Microsoft.Compute/EncryptionAtHost feature registered once, or creation fails.
                securityProfile: {
                    securityType: "TrustedLaunch",
                    uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
                    encryptionAtHost: true,
                },
                networkProfile: {
                    networkApiVersion: "2020-11-01",
                    networkInterfaceConfigurations: [
                        {
                            name: "nic",
                            primary: true,
                            deleteOption: "Delete",
                            ipConfigurations: [
                                {
                                    // No publicIPAddressConfiguration: the servers are unreachable from the internet.
                                    name: "ipconfig",
                                    primary: true,
                                    subnet: { id: args.subnetId },
                                    applicationGatewayBackendAddressPools: [{ id: args.gatewayBackendPoolId }],
                                    loadBalancerBackendAddressPools: args.outboundPoolId ? [{ id: args.outboundPoolId }] : [],
                                },
                            ],
                        },
                    ],
                },
                extensionProfile: {
                    extensions: [
                        {
                            // Drives automatic repairs (gateway probes do not): the same readiness
                            // endpoint the gateway probes. Version 2.0 = Rich Health States, which
                            // reads the endpoint's {"ApplicationHealthState": ...} body; a 503 is
                            // Unknown, which repairs treat like Unhealthy (MicrosoftDocs/azure-compute-docs
                            // virtual-machine-scale-sets-health-extension.md).
                            name: "health",
                            publisher: "Microsoft.ManagedServices",
                            type: "ApplicationHealthLinux",
                            typeHandlerVersion: "2.0",
                            autoUpgradeMinorVersion: true,
                            settings: {
                                protocol: "http",
                                port: healthPort,
                                requestPath: args.healthCheckPath,
                                intervalInSeconds: 10,
                                numberOfProbes: 3,
                                // Initializing, not Unknown, while the first boot may still run (max 14400 s).
                                gracePeriod: graceSeconds,
                            },
                        },
                        // Ships the serving container's output to the stack's workspace (webLogs.ts), as the servers' own identity.
                        monitorAgentExtension(args.identity.id),
                    ],
                },
                // Serial log and screenshots in Azure-managed storage: where a failed cloud-init shows.
                diagnosticsProfile: { bootDiagnostics: { enabled: true } },
            },
            tags: args.tags,
        },
        // Autoscale owns the instance count once running: an `up` must not reset it to the minimum.
        { parent, dependsOn: args.bootDependencies, ignoreChanges: ["sku.capacity"] },
    );
}
