import * as storage from "@pulumi/azure-native/storage";
import type * as inputs from "@pulumi/azure-native/types/input";
import type * as pulumi from "@pulumi/pulumi";
import type { SharedFilesConfig } from "../config";
import { secureAccount } from "./storageAccount";
import { resourceLogs } from "./storageDiagnostics";
import type { DataKey } from "./storageVault";

export interface DocumentsArgs {
    resourceGroupName: pulumi.Input<string>;
    dataKey: DataKey;
    endpointSubnetId: pulumi.Input<string>;
    privateZoneId: pulumi.Input<string>;
    workspaceId: pulumi.Input<string>;
    policy: SharedFilesConfig;
    geoRedundant: boolean;
    /** How long the change feed (the record of every write and delete) is kept. */
    logRetentionDays: number;
    tags: Record<string, string>;
}

/** The container holding the documents. */
export const documentsContainerName = "documents";

/**
 * Deleted blobs and containers stay recoverable for 35 days: the database's point-in-time window,
 * so a document and the chart row pointing at it can be brought back to the same moment, and
 * longer than a month-end review cycle in which someone notices what went missing.
 */
export const softDeleteDays = 35;
/** Point-in-time restore of the container's state; Azure requires it to be shorter than soft delete. */
export const restoreDays = 30;

/**
 * The documents store: a StorageV2 account that survives a zone (ZRS: three synchronous copies in
 * three zones) or, with `geoRedundant`, also a region (GZRS adds an asynchronous copy in the
 * paired region). Every version is kept (versioning), deletes are soft, the container state can
 * be rolled back (point-in-time restore, which needs the change feed), and the lifecycle rule
 * moves documents to cheaper tiers and expires old versions as configured.
 */
export function documentsStore(name: string, args: DocumentsArgs, parent: pulumi.Resource) {
    const account = secureAccount(
        `${name}-docs`,
        {
            ...args,
            kind: "StorageV2",
            sku: args.geoRedundant ? "Standard_GZRS" : "Standard_ZRS",
            service: "blob",
            accessTier: "Hot",
        },
        parent,
    );
    const blobService = new storage.BlobServiceProperties(
        `${name}-docs-blob-service`,
        {
            resourceGroupName: args.resourceGroupName,
            accountName: account.name,
            // A singleton: any other name is a confusing 404 (pulumi-azure-native#1336).
            blobServicesName: "default",
            isVersioningEnabled: true,
            deleteRetentionPolicy: { enabled: true, days: softDeleteDays, allowPermanentDelete: false },
            containerDeleteRetentionPolicy: { enabled: true, days: softDeleteDays },
            changeFeed: { enabled: true, retentionInDays: args.logRetentionDays },
            restorePolicy: { enabled: true, days: restoreDays },
        },
        { parent: account },
    );
    const container = new storage.BlobContainer(
        `${name}-docs-container`,
        { resourceGroupName: args.resourceGroupName, accountName: account.name, containerName: documentsContainerName, publicAccess: "None" },
        { parent: account, protect: true, dependsOn: [blobService] },
    );
    new storage.ManagementPolicy(
        `${name}-docs-lifecycle`,
        {
            resourceGroupName: args.resourceGroupName,
            accountName: account.name,
            managementPolicyName: "default",
            policy: { rules: [lifecycleRule(args.policy)] },
        },
        { parent: account, dependsOn: [container] },
    );
    resourceLogs(
        `${name}-docs-blob-logs`,
        { resourceUri: blobService.id, workspaceId: args.workspaceId, categoryGroup: "allLogs", metrics: ["Transaction"] },
        blobService,
    );
    return { account, container };
}

/**
 * Cool after `infrequentAfterDays`, Cold after `archiveAfterDays` (both still read online in
 * milliseconds, like S3 Standard-IA and Glacier Instant Retrieval), and noncurrent versions
 * deleted after `noncurrentVersionExpireDays`. Not the Archive tier: ZRS, GZRS and RA-GZRS
 * accounts do not support it, and an archived scan would need hours of rehydration before a
 * clinician could open it.
 */
function lifecycleRule(policy: SharedFilesConfig): inputs.storage.ManagementPolicyRuleArgs {
    return {
        name: "documents-tiering",
        enabled: true,
        type: "Lifecycle",
        definition: {
            filters: { blobTypes: ["blockBlob"], prefixMatch: [`${documentsContainerName}/`] },
            actions: {
                baseBlob: {
                    tierToCool: { daysAfterModificationGreaterThan: policy.infrequentAfterDays },
                    tierToCold: { daysAfterModificationGreaterThan: policy.archiveAfterDays },
                },
                version: { delete: { daysAfterCreationGreaterThan: 365 } },
            },
        },
    };
}
