/**
 * What the stack does in a month, which the declared resources cannot tell: the usage-based
 * lines of the estimate (marked `*`) are these numbers times a unit price. Defaults follow the
 * reference article's example (facts/prices.md §1.1/§1.2); the `emr:usage` config key overrides
 * any field. Quantities are per month and for the whole stack: a rule splits them evenly over
 * the resources that carry them (e.g. NAT GB over the NAT gateways).
 */
export interface UsageAssumptions {
    /** Patient documents in the hot class (S3 Standard / Blob Hot), GB. The article's 5 TiB. */
    documentsHotGb: number;
    /** Documents older than the lifecycle's first transition (S3 Standard-IA / Blob Cool), GB. */
    documentsCoolGb: number;
    /** Documents in the archive tier (S3 Glacier Instant Retrieval / Blob Archive), GB. */
    documentsArchiveGb: number;
    /** Shared OpenEMR `sites` files on EFS (AWS bills used GB; Azure Files Premium bills the provisioned quota). */
    sharedFilesGb: number;
    /** Access logs, audit trail and flow-log files kept in object storage, GB. */
    logArchiveGb: number;
    /** Data sent to the internet (responses to users, mostly), GB. */
    internetEgressGb: number;
    /** Internet egress the cloud does not bill each month (AWS and Azure both give 100 GB). */
    freeEgressGb: number;
    /** Outbound traffic of the servers through NAT (updates, image pulls, APIs), GB. */
    natProcessedGb: number;
    /** Data processed by an Azure Standard Load Balancer (its outbound rules carry the NAT traffic), GB. */
    loadBalancerProcessedGb: number;
    /** Traffic between zones (web -> database in another zone, replication), GB, billed on each side on AWS. */
    crossZoneGb: number;
    /** Logs ingested into CloudWatch Logs / Log Analytics (resource and flow logs, the web servers' container output), GB. */
    logIngestGb: number;
    /** Logs kept in CloudWatch Logs beyond ingestion, GB-month (Log Analytics keeps 31 days free). */
    logStoredGb: number;
    /** HTTP requests reaching the web application firewall, millions. */
    requestsMillions: number;
    /** Average ALB load balancer capacity units (a small EMR: 0.5-2). */
    albLcu: number;
    /** Average Application Gateway capacity units in use; billed as at least 10 per minimum instance. */
    appGatewayCapacityUnits: number;
    /** Key Vault / KMS / Secrets Manager API operations, tens of thousands. */
    keyOperations10k: number;
    /** Object reads/writes on the documents recorded as CloudTrail data events, hundred-thousands. */
    auditDataEvents100k: number;
    /** Backup storage of the shared files (AWS Backup warm storage), GB. */
    backupGb: number;
}

export const defaultUsage: UsageAssumptions = {
    documentsHotGb: 5120,
    documentsCoolGb: 0,
    documentsArchiveGb: 0,
    sharedFilesGb: 10,
    logArchiveGb: 50,
    internetEgressGb: 300,
    freeEgressGb: 100,
    natProcessedGb: 200,
    loadBalancerProcessedGb: 200,
    crossZoneGb: 200,
    logIngestGb: 30,
    logStoredGb: 30,
    requestsMillions: 5,
    albLcu: 1,
    appGatewayCapacityUnits: 0,
    keyOperations10k: 30,
    auditDataEvents100k: 10,
    backupGb: 50,
};
