import * as authorization from "@pulumi/azure-native/authorization";
import * as compute from "@pulumi/azure-native/compute";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { bootTimeouts } from "../app/cloudInit";

/** Built-in role "Key Vault Secrets User": read secret values, nothing else. */
export const keyVaultSecretsUserRoleId = "4633458b-17de-408a-b874-0445c86b69e6";

/** Ubuntu 24.04 LTS, Canonical's Gen2 image (Trusted Launch needs Gen2), newest at each instance's creation. */
export const serverImage = { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" } as const;

/**
 * How long a new server may take to become healthy before it counts as broken: packages and the
 * image pull (600 s), the wait for another server's install lock, then possibly its own install
 * (the boot script gives up after each). Shorter, and automatic repairs replace servers still
 * queueing for the lock on a fresh stack. 85 minutes, under the 90 Azure allows.
 */
export const bootGraceSeconds = 600 + bootTimeouts.lockWaitSeconds + bootTimeouts.installSeconds;

/**
 * The servers' own identity, allowed to read exactly one secret: the database credentials. Key
 * Vault RBAC takes a single secret as a role scope, so the servers cannot read anything else in
 * the vault (the TLS material, other stacks' secrets).
 */
export function serverIdentity(
    name: string,
    args: { resourceGroupName: pulumi.Input<string>; secretScope: pulumi.Input<string>; tags: Record<string, string> },
    parent: pulumi.Resource,
) {
    const identity = new managedidentity.UserAssignedIdentity(`${name}-servers-id`, { resourceGroupName: args.resourceGroupName, tags: args.tags }, { parent });
    const subscriptionId = authorization.getClientConfigOutput({ parent }).subscriptionId;
    const readSecret = new authorization.RoleAssignment(
        `${name}-servers-read-db-secret`,
        {
            scope: args.secretScope,
            roleDefinitionId: pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${keyVaultSecretsUserRoleId}`,
            principalId: identity.principalId,
            // Stated, so a just-created identity not yet replicated in Entra ID is not refused.
            principalType: "ServicePrincipal",
            description: "EMR web servers read the database credentials at boot",
        },
        { parent: identity },
    );
    return { identity, readSecret };
}

export interface WebServersArgs {
    resourceGroupName: pulumi.Input<string>;
    zones: pulumi.Input<string[]>;
    /** The web (app) subnet: one regional subnet spanning every zone. */
    subnetId: pulumi.Input<string>;
    instanceType: string;
    minServers: number;
    identity: managedidentity.UserAssignedIdentity;
    /** The rendered cloud-init, base64-encoded. */
    customData: pulumi.Input<string>;
    gatewayBackendPoolId: pulumi.Input<string>;
    /** `nat-per-zone`: the egress load balancer pool (outbound rules); absent with a NAT gateway on the subnet. */
    outboundPoolId?: pulumi.Input<string>;
    healthCheckPath: string;
    /** What must exist before a server boots: egress, the shared files, the secret and the gateway pool. */
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
            automaticRepairsPolicy: { enabled: true, gracePeriod: `PT${Math.ceil(bootGraceSeconds / 60)}M`, repairAction: "Replace" },
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
                    imageReference: serverImage,
                    // Premium SSD, locally redundant: a server and its disk share a zone, and the
                    // server is stateless (patient data lives in the database and the shared files),
                    // so zone-redundant disks would buy nothing. Premium keeps PHP's on-disk session
                    // files fast.
                    osDisk: {
                        createOption: "FromImage",
                        osType: "Linux",
                        caching: "ReadWrite",
                        diskSizeGB: 64,
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
                            // Drives automatic repairs (gateway probes do not): the same page the gateway probes.
                            name: "health",
                            publisher: "Microsoft.ManagedServices",
                            type: "ApplicationHealthLinux",
                            typeHandlerVersion: "2.0",
                            autoUpgradeMinorVersion: true,
                            settings: {
                                protocol: "http",
                                port: 80,
                                requestPath: args.healthCheckPath,
                                intervalInSeconds: 10,
                                numberOfProbes: 3,
                                // Initializing, not Unhealthy, while the first boot may still run.
                                gracePeriod: bootGraceSeconds,
                            },
                        },
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
