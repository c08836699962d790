import * as storage from "@pulumi/azure-native/storage";
import type * as pulumi from "@pulumi/pulumi";
import { secureAccount } from "./storageAccount";
import { resourceLogs } from "./storageDiagnostics";
import type { DataKey } from "./storageVault";

export interface SharedFilesArgs {
    resourceGroupName: pulumi.Input<string>;
    dataKey: DataKey;
    endpointSubnetId: pulumi.Input<string>;
    privateZoneId: pulumi.Input<string>;
    workspaceId: pulumi.Input<string>;
    /**
     * The share's provisioned size in GiB (emr:sharedFiles capacityGb, 100-102400, checked by
     * src/config/validate.ts): what Premium Files bills, used or not, and what it can hold. It
     * holds all of sites/, the patient documents included (OpenEMR writes them under
     * sites/<site>/documents), so it is sized by config rather than fixed.
     * Cost (provisioned v1, Premium ZRS, East US): about $0.20 per GiB-month, so the 100 GiB minimum
     * is $20 a month and every further 100 GiB another $20 (cost-review.md (c) "Azure Files Premium ZRS
     * NFS 100 GiB ... 20.00"); 5 TiB of documents would be $1,024 a month (cost-review.md (b) #8), which
     * is why the capacity is a config choice and an alert fires at 80% (monitoringAlerts.ts) instead
     * of provisioning for the worst case. IOPS and throughput grow with it (about 3,100 IOPS and
     * 110 MiB/s at 100 GiB). It can be raised online.
     * Limits: premium shares take 100 to 102,400 GiB ("Must be greater than 0, and less than or equal
     * to 5TB (5120). For Large File Shares, the maximum size is 102400", @pulumi/azure-native 3.28.0
     * storage/fileShare.d.ts shareQuota; the 100 GiB premium floor: kubernetes/kubernetes#99122
     * minimumPremiumShareSize), checked again on the graph by DEPLOY-AZ-FILES-PREMIUM-QUOTA.
     * The tier days of emr:sharedFiles do not apply here: Premium Files has one tier (SSD) and no
     * lifecycle to a cheaper class; they drive AWS EFS's Infrequent Access and Archive.
     */
    capacityGb: number;
    tags: Record<string, string>;
}

/** The share holding OpenEMR's `sites/` tree. */
export const shareName = "sites";

/**
 * A deleted share (and its snapshots) stays recoverable for 35 days: the database's point-in-time
 * window, so a site's files and the chart rows pointing at them can be brought back to the same
 * moment, and longer than a month-end review cycle in which someone notices what went missing.
 */
export const softDeleteDays = 35;


/**
 * The shared file system every web server mounts for `sites/` (Azure's EFS): an NFS 4.1 share on
 * a Premium FileStorage account with ZRS, so its data survives the loss of a zone. NFS is only
 * offered on premium FileStorage, which has no geo-redundant SKU: with `geoRedundant` the files
 * stay ZRS (the share snapshots are the recovery copy, see storageSnapshots.ts).
 *
 * In transit: NFS has no user authentication and, on its own, no encryption. The account keeps
 * "secure transfer required" on (`enableHttpsTrafficOnly`, set in secureAccount). Encryption in
 * transit for NFS is GA in every premium-files region except China North3, New Zealand North, West
 * Europe, East US 2, Central US, South Central US and Korea Central, still preview there and needing
 * the Microsoft.Storage/AllowEncryptionInTransitNFS4 feature (encryption-in-transit-for-nfs-shares.md,
 * 2025-06-27), which the stack registers in those regions (platformRequirements.ts). With it, that
 * setting makes the service refuse every NFS mount that is not TLS ("all the mounts to the NFS
 * volumes in the storage account are encrypted"): clients must mount with Microsoft's AZNFS helper (`mount -t aznfs`,
 * a stunnel TLS 1.2+/AES-GCM tunnel to port 2049), which the web servers' boot must install.
 * This works with the storage API of this SDK (2024-01-01): the rule lives in the service; the
 * newer per-protocol switch (fileServices protocolSettings.nfs.encryptionInTransit, API
 * 2025-01-01+) is not needed. Underneath, the share answers only on its private endpoint, whose
 * security group admits 2049 from the web subnet only.
 */
export function sharedFiles(name: string, args: SharedFilesArgs, parent: pulumi.Resource) {
    const account = secureAccount(
        `${name}-files`,
        { ...args, kind: "FileStorage", sku: "Premium_ZRS", service: "file" },
        parent,
    );
    const fileService = new storage.FileServiceProperties(
        `${name}-files-service`,
        {
            resourceGroupName: args.resourceGroupName,
            accountName: account.name,
            fileServicesName: "default",
            // A deleted share (and its snapshots) stays recoverable; supported for NFS shares since 2024.
            shareDeleteRetentionPolicy: { enabled: true, days: softDeleteDays },
        },
        { parent: account },
    );
    const share = new storage.FileShare(
        `${name}-files-share`,
        {
            resourceGroupName: args.resourceGroupName,
            accountName: account.name,
            shareName,
            enabledProtocols: "NFS",
            // The boot script creates and chowns sites/ as root (src/app/cloudInit.ts): root must stay root.
            rootSquash: "NoRootSquash",
            shareQuota: args.capacityGb,
        },
        // The protocol is fixed when the share is created.
        { parent: account, protect: true, dependsOn: [fileService], replaceOnChanges: ["enabledProtocols"] },
    );
    resourceLogs(
        `${name}-files-logs`,
        { resourceUri: fileService.id, workspaceId: args.workspaceId, categoryGroup: "allLogs", metrics: ["Transaction"] },
        fileService,
    );
    return { account, share, fileService };
}
