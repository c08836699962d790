/**
 * The neutral reading of a captured stack: what the EMR consists of, in terms that mean the same
 * on every cloud. Each cloud has a reader (src/plan/model/<cloud>.ts) that derives it from the
 * resources' own inputs; the invariant suite, the zone simulation and the reports use only this.
 */

/** Where a resource lives, as far as zone failures are concerned. */
export type Placement =
    /** Lives in one zone and fails with it. */
    | { kind: "zonal"; zone: string }
    /** Spread over these zones and survives the loss of any one of them. */
    | { kind: "zone-redundant"; zones: string[] }
    /** A regional service that does not depend on any one zone. */
    | { kind: "regional" };

export interface LoadBalancerModel {
    key: string;
    /** Zones the load balancer has nodes in. */
    zones: string[];
    public: boolean;
    /** Lowest TLS version the HTTPS listener accepts, e.g. "1.2". */
    minTlsVersion: string | undefined;
    httpRedirectsToHttps: boolean;
    /** The web application firewall in front of the servers, if any. */
    firewall: FirewallModel | undefined;
    accessLogs: boolean;
    /** Seconds from a server going bad to the load balancer taking it out (interval x threshold). */
    detectionSeconds: number | undefined;
    healthCheckPath: string | undefined;
}

export interface FirewallModel {
    key: string;
    /** Managed rule sets (AWS managed rule groups, Azure DRS / Bot Manager). */
    managedRuleSets: string[];
    /** A per-client rate limit blocks floods. */
    rateLimit: boolean;
    /** Matches are blocked, not only counted (AWS rule actions / Azure Prevention mode). */
    blocks: boolean;
}

export interface ServerGroupModel {
    key: string;
    zones: string[];
    min: number;
    max: number;
    /** Unhealthy servers are replaced automatically (ELB health check / automatic repairs). */
    replacesUnhealthy: boolean;
    autoscales: boolean;
    /** `pulumi up` leaves the current capacity alone, so a deploy never undoes a scale-out. */
    capacityOwnedByAutoscaler: boolean;
    publicIp: boolean;
    /** The boot config reads the database secret from the secret store with the server's identity. */
    fetchesSecretAtBoot: boolean;
    /** A generated secret value appears in the boot config (must be false). */
    bootConfigHasSecret: boolean;
}

export interface EgressModel {
    key: string;
    placement: Placement;
    /** Zones whose app subnets send their internet traffic through this egress. */
    serves: string[];
}

export interface DatabaseModel {
    key: string;
    engine: string;
    /** Zone-redundant when a synchronous standby runs in another zone than the primary. */
    placement: Placement;
    /** Zones of the subnets the database may run in. */
    subnetZones: string[];
    /** The standby is promoted without an operator (and with no data loss: synchronous). */
    automaticFailover: boolean;
    inDataSubnets: boolean;
    public: boolean;
    encrypted: boolean;
    customerManagedKey: boolean;
    requiresTls: boolean;
    backupRetentionDays: number;
    deletionProtection: boolean;
    /** Backups outlive a deletion: a final snapshot (AWS), or the retained backups of a dropped server (Azure). */
    backupsOutliveDeletion: boolean;
    protect: boolean;
    auditLogs: boolean;
}

/**
 * The shared file system: OpenEMR's `sites/` tree and with it the patient documents, which
 * OpenEMR writes under `sites/<site>/documents` (src/app/bootScript.ts documentsOnShare).
 */
export interface StoreModel {
    key: string;
    kind: "shared-files";
    /** Every server group's boot mounts it under the folder OpenEMR writes documents to. */
    holdsDocuments: boolean;
    placement: Placement;
    /** Zones it can be reached from (NFS mount targets / private endpoints); all zones for a public-endpoint service. */
    accessZones: string[];
    encrypted: boolean;
    customerManagedKey: boolean;
    versioned: boolean;
    /** Deleted data can be recovered for a while (noncurrent versions on S3, soft delete on Azure). */
    softDelete: boolean;
    public: boolean;
    tlsOnly: boolean;
    protect: boolean;
    /** Backup copies are kept outside the primary zone (backup vault / zone-redundant replicas). */
    backedUpOffZone: boolean;
    /** An alarm watches how full it is (stored bytes / used share capacity) and notifies. */
    capacityAlarm: boolean;
    /** An alarm fires when the job that backs it up fails. */
    backupFailureAlarm: boolean;
}

/**
 * The shared PHP session store (a Redis-protocol cache): whether a clinician's session outlives
 * the server, and the zone, it was served from.
 */
export interface SessionStoreModel {
    key: string;
    /** Zone-redundant when a replica in another zone is promoted automatically. */
    placement: Placement;
    /** Clients must use TLS. */
    tls: boolean;
    /** Clients must authenticate (AUTH token / access key). */
    auth: boolean;
    encrypted: boolean;
    customerManagedKey: boolean;
    public: boolean;
    /** Every server group's boot hands the store's secret to the serving containers. */
    usedByServers: boolean;
}

export interface AuditModel {
    flowLogRetentionDays: number | undefined;
    loadBalancerAccessLogs: boolean;
    databaseAuditLogRetentionDays: number | undefined;
    controlPlaneTrail: boolean;
    /** Retention of every log store (log groups / workspaces); undefined entries keep logs forever. */
    logRetentionDays: Array<number | undefined>;
}

export interface AlarmModel {
    key: string;
    tier: "web" | "db" | "sessions" | "storage" | "backup" | "other";
    metric: string;
    /** E-mail addresses its action reaches. */
    notifies: string[];
}

export interface SecretModel {
    key: string;
    /** Its value comes from a generator (random password), not from config or code. */
    generated: boolean;
    /** Marked secret in the Pulumi state. */
    secretInState: boolean;
    /** Encrypted under keys the customer controls: a KMS CMK (AWS), the stack's own Key Vault (Azure). */
    encryptedWithCustomerKey: boolean;
}

export interface EmrModel {
    cloud: "aws" | "azure";
    zones: string[];
    loadBalancers: LoadBalancerModel[];
    serverGroups: ServerGroupModel[];
    egress: EgressModel[];
    databases: DatabaseModel[];
    stores: StoreModel[];
    /** Where PHP sessions live; empty: on each server's own disk (lost with the server). */
    sessionStores: SessionStoreModel[];
    audit: AuditModel;
    alarms: AlarmModel[];
    secrets: SecretModel[];
    /** Keys of resources reachable from the internet (should be the load balancer only). */
    publicEndpoints: string[];
    /** Keys of resources that hold data at rest without encryption (should be empty). */
    unencrypted: string[];
}
