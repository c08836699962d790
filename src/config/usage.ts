/**
 * What the stack does in a month, which the declared resources cannot tell: the usage-based
 * lines of the estimate (marked `*`) are these numbers times a unit price. `emr:usageProfile`
 * picks a profile (a dev stack does not hold a clinic's documents nor serve its traffic), and
 * `emr:usage` overrides any field of it. Quantities are per month and for the whole stack: a
 * rule splits them evenly over the resources that carry them (e.g. NAT GB over the NAT gateways).
 * Storage that follows from a declared setting is derived there, not assumed here: the age mix of
 * the documents from the file system's lifecycle, the stored logs from each store's retention.
 */
export interface UsageAssumptions {
    /** Patient documents on the shared file system (all ages), GB. */
    documentsGb: number;
    /** Documents added a month, GB: with a steady intake, how many are younger than each lifecycle step. */
    documentsAddedGbPerMonth: number;
    /** The rest of OpenEMR's `sites/` tree (configuration, templates, caches), GB: read often, never tiered. */
    siteFilesGb: number;
    /** Backup storage of the shared file system (AWS Backup warm copies: a full copy plus changes), GB. */
    fileBackupGb: number;
    /** Share snapshot storage (Azure Files bills the blocks a snapshot holds that the share no longer has), GB. */
    fileSnapshotGb: number;
    /** AWS Backup's daily/weekly/monthly RDS snapshots beyond the free allowance the automated backups use, GB. */
    dbSnapshotGb: number;
    /** Access logs, audit trail and flow-log files kept in object storage, GB. */
    logArchiveGb: number;
    /** Logs ingested into CloudWatch Logs / Log Analytics (resource and flow logs, the web servers' container output), GB. */
    logIngestGb: number;
    /** VNet flow-log records collected (Azure bills collection beyond 5 GB and Traffic Analytics per GB), GB. */
    flowLogGb: number;
    /** Data sent to the internet (responses to users, mostly), GB. */
    internetEgressGb: number;
    /** Internet egress the cloud does not bill each month (AWS and Azure both give 100 GB). */
    freeEgressGb: number;
    /** Outbound traffic of the servers through NAT (updates, image pulls, APIs), GB. */
    natProcessedGb: number;
    /** Data processed by an Azure Standard Load Balancer (its outbound rules carry the NAT traffic), GB. */
    loadBalancerProcessedGb: number;
    /** Data through Azure private endpoints (the NFS share, Key Vault), GB, billed in and out. */
    privateEndpointGb: number;
    /** Traffic between zones (web -> database in another zone), GB, billed on each side on AWS. */
    crossZoneGb: number;
    /** HTTP requests reaching the web application firewall, millions. */
    requestsMillions: number;
    /** Average ALB load balancer capacity units (a small EMR: 0.5-2). */
    albLcu: number;
    /** Average Application Gateway capacity units in use; billed as at least 10 per minimum instance. */
    appGatewayCapacityUnits: number;
    /** Key Vault / KMS / Secrets Manager API operations, tens of thousands. */
    keyOperations10k: number;
    /** Object-level API calls the control-plane trail records as data events, hundred-thousands. */
    auditDataEvents100k: number;
}

export const usageProfileNames = ["dev", "prod"] as const;
export type UsageProfileName = (typeof usageProfileNames)[number];

/**
 * `prod`: a small clinic's production EMR (about 10 clinicians), the reference article's traffic
 * (facts/prices.md §1.1: 300 GB egress, 5 M requests, 200 GB through NAT) and cost-review.md (c)'s
 * volumes for logs (30 GB), backups (240 GB of RDS snapshots in year 1) and the VNet flow logs
 * (10 GB). Its documents: 300 GB growing 10 GB a month (scanned referrals and results for a
 * clinic of that size; the article's 5 TiB is a hospital-sized archive, and on Azure's provisioned
 * Premium share would cost $1,024 a month on its own).
 * `dev`: a test stack with synthetic patients: a few GB of documents, a tenth of the traffic.
 */
export const usageProfiles: Record<UsageProfileName, UsageAssumptions> = {
    dev: {
        documentsGb: 10,
        documentsAddedGbPerMonth: 1,
        siteFilesGb: 2,
        fileBackupGb: 12,
        fileSnapshotGb: 2,
        dbSnapshotGb: 20,
        logArchiveGb: 10,
        logIngestGb: 10,
        flowLogGb: 2,
        internetEgressGb: 30,
        freeEgressGb: 100,
        natProcessedGb: 50,
        loadBalancerProcessedGb: 50,
        privateEndpointGb: 10,
        crossZoneGb: 30,
        requestsMillions: 0.5,
        albLcu: 0.5,
        appGatewayCapacityUnits: 1,
        keyOperations10k: 5,
        auditDataEvents100k: 1,
    },
    prod: {
        documentsGb: 300,
        documentsAddedGbPerMonth: 10,
        siteFilesGb: 5,
        fileBackupGb: 330,
        fileSnapshotGb: 20,
        dbSnapshotGb: 240,
        logArchiveGb: 50,
        logIngestGb: 30,
        flowLogGb: 10,
        internetEgressGb: 300,
        freeEgressGb: 100,
        natProcessedGb: 200,
        loadBalancerProcessedGb: 200,
        privateEndpointGb: 100,
        crossZoneGb: 200,
        requestsMillions: 5,
        albLcu: 1,
        appGatewayCapacityUnits: 2,
        keyOperations10k: 30,
        auditDataEvents100k: 10,
    },
};

/** The default profile's numbers (what `emr:usage` fields are checked against). */
export const defaultUsage: UsageAssumptions = usageProfiles.dev;
