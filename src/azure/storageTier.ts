import * as pulumi from "@pulumi/pulumi";
import type { StorageTier, StorageTierArgs } from "../tiers/contracts";
import type { AzureNetTier } from "./netTier";
import { shareName, sharedFiles } from "./storageFiles";
import { backupRetention, shareSnapshots } from "./storageSnapshots";
import { dataKey } from "./storageVault";

/**
 * Everything that holds data outside the database: the Key Vault with the stack's
 * customer-managed key (and the identity the data services use it as), the NFS share for
 * OpenEMR's sites/ (which holds the patient documents: OpenEMR writes them under
 * sites/<site>/documents and nowhere else) and its daily snapshots (its backup). No Blob account:
 * nothing in the stack writes one (cost-review.md (b) #8), so none is declared, nor its private
 * endpoint ($7.30 a month + $0.01/GB), blob private DNS zone ($0.50), resource logs and alert: the
 * ZRS account's own bill was $28-120 a month depending on what the plan assumed it held.
 * All of it zone-redundant, reachable only through private endpoints, Entra-only, TLS-only,
 * encrypted with the customer-managed key on top of Azure's own, audited into the workspace, and
 * protected. How this differs from AWS: see storageFiles.ts (NFS in transit) and
 * storageSnapshots.ts (Azure Backup does not take NFS shares, so a scheduled snapshot job does and
 * no Recovery Services vault is declared).
 */
export class AzureStorageTier extends pulumi.ComponentResource implements StorageTier {
    /** The NFS source: "<account>.file.core.windows.net:/<account>/<share>" (mount with `-t aznfs`: TLS). */
    readonly sharedFileSystem: pulumi.Output<string>;
    /** The job that backs up the shared files: the snapshot Logic App's name (no vault: see storageSnapshots.ts). */
    readonly backupTarget: pulumi.Output<string>;
    readonly keyVaultName: pulumi.Output<string>;
    readonly keyVaultId: pulumi.Output<string>;
    /** https://<vault>.vault.azure.net/ */
    readonly keyVaultUri: pulumi.Output<string>;
    readonly filesAccountName: pulumi.Output<string>;
    readonly fileShareName: pulumi.Output<string>;
    /** <account>/fileServices/default: where the share's capacity metrics are published. */
    readonly fileServiceId: pulumi.Output<string>;
    /** The share's provisioned GiB (its capacity alert fires at 80% of it). */
    readonly fileShareQuotaGiB: number;
    readonly filesAccountId: pulumi.Output<string>;
    /** The customer-managed key's resource id (role assignment scope). */
    readonly dataKeyId: pulumi.Output<string>;
    /** The URI of its current version (MySQL `primaryKeyURI`: flexible server takes only a versioned key, see dbServer.ts). */
    readonly dataKeyUri: pulumi.Output<string>;
    /** The user-assigned identity allowed to wrap/unwrap with the key (MySQL `primaryUserAssignedIdentityId`). */
    readonly encryptionIdentityId: pulumi.Output<string>;
    /** The wait after that identity's grant on the key: a service created with the key depends on it. */
    readonly encryptionReady: pulumi.Resource;
    readonly encryptionIdentityPrincipalId: pulumi.Output<string>;
    readonly encryptionIdentityClientId: pulumi.Output<string>;
    /** The Logic App taking the share snapshots (alert on its RunsFailed metric). */
    readonly snapshotWorkflowId: pulumi.Output<string>;

    constructor(name: string, args: StorageTierArgs<AzureNetTier>, opts?: pulumi.ComponentResourceOptions) {
        super("emr:azure:StorageTier", name, {}, opts);
        const parent = this;
        const net = args.net;
        const resourceGroupName = net.resourceGroupName;
        const common = { resourceGroupName, endpointSubnetId: net.endpointSubnetId, workspaceId: net.workspaceId, tags: args.tags };

        const key = dataKey(name, { ...common, privateZoneId: net.privateZoneIds.vault }, parent);
        const files = sharedFiles(
            name,
            { ...common, dataKey: key, privateZoneId: net.privateZoneIds.file, capacityGb: args.files.capacityGb },
            parent,
        );

        const retention = backupRetention(args.backupRetentionDays);
        const snapshots = shareSnapshots(
            `${name}-snapshots`,
            {
                ...common,
                resourceGroupId: net.resourceGroupId,
                accountId: files.account.id,
                shareId: files.share.id,
                shareName,
                retention,
            },
            parent,
        );

        this.sharedFileSystem = pulumi.interpolate`${files.account.name}.file.core.windows.net:/${files.account.name}/${files.share.name}`;
        this.backupTarget = snapshots.name;
        this.keyVaultName = key.vault.name;
        this.keyVaultId = key.vault.id;
        this.keyVaultUri = key.vault.properties.vaultUri;
        this.filesAccountName = files.account.name;
        this.fileShareName = files.share.name;
        this.fileServiceId = files.fileService.id;
        this.fileShareQuotaGiB = args.files.capacityGb;
        this.filesAccountId = files.account.id;
        this.dataKeyId = key.key.id;
        this.dataKeyUri = key.key.keyUriWithVersion;
        this.encryptionIdentityId = key.identity.id;
        this.encryptionReady = key.keyUsable;
        this.encryptionIdentityPrincipalId = key.identity.principalId;
        this.encryptionIdentityClientId = key.identity.clientId;
        this.snapshotWorkflowId = snapshots.id;
        this.registerOutputs({
            sharedFileSystem: this.sharedFileSystem,
            backupTarget: this.backupTarget,
            keyVaultName: this.keyVaultName,
            keyVaultId: this.keyVaultId,
            dataKeyUri: this.dataKeyUri,
            encryptionIdentityId: this.encryptionIdentityId,
        });
    }
}
