import type * as pulumi from "@pulumi/pulumi";
import type { CpuArch, EgressMode, SharedFilesConfig, TlsSource } from "../config";

/**
 * The cloud-neutral contracts. Each cloud implements every tier as a ComponentResource
 * (`emr:<cloud>:<Tier>`) whose public fields include the neutral outputs below; a cloud may add
 * its own fields for its later tiers to use (an AWS security group id, an Azure DNS zone), but
 * src/emr.ts and the stack outputs only ever see these.
 */

/** The three subnet roles of every zone: load balancer, web servers, data services. */
export const subnetRoles = ["edge", "app", "data"] as const;
export type SubnetRole = (typeof subnetRoles)[number];

/** Settings every tier receives. */
export interface TierArgs {
    /** Tags/labels applied to everything the tier declares. */
    tags: Record<string, string>;
    logRetentionDays: number;
}

export interface NetTierArgs extends TierArgs {
    /** How many availability zones to span (2 or 3). */
    zoneCount: number;
    networkCidr: string;
    egress: EgressMode;
    /** Client networks allowed to reach the load balancer. */
    allowedCidrs: string[];
}

export interface NetTier {
    /** How many zones the network spans (known before any output resolves, to size per-zone resources). */
    readonly zoneCount: number;
    /** The zone names in use, in order. */
    readonly zones: pulumi.Output<string[]>;
    readonly networkId: pulumi.Output<string>;
    /** Subnet ids per role; on a cloud whose subnets are zonal, one per zone in zone order. */
    readonly subnetIds: Record<SubnetRole, pulumi.Output<string[]>>;
}

export interface StorageTierArgs<N extends NetTier> extends TierArgs {
    net: N;
    /** The shared file system's capacity and tiers; it holds `sites/` and with it the patient documents. */
    files: SharedFilesConfig;
    geoRedundant: boolean;
    backupRetentionDays: number;
}

export interface StorageTier {
    /**
     * The shared file system the web servers mount for the EMR's `sites/` tree. It holds the
     * patient documents too: OpenEMR writes them under `sites/<site>/documents` and nowhere else
     * (no object store is written by OpenEMR, so the stack declares none for documents).
     */
    readonly sharedFileSystem: pulumi.Output<string>;
    /** Where backups of the database and file system are kept. */
    readonly backupTarget: pulumi.Output<string>;
}

export interface DbTierArgs<N extends NetTier, S extends StorageTier> extends TierArgs {
    net: N;
    storage: S;
    instanceType: string;
    storageGb: number;
    backupRetentionDays: number;
    geoRedundant: boolean;
}

export interface DbTier {
    readonly endpoint: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly databaseName: pulumi.Output<string>;
    /** Where OpenEMR's own database login is stored (never the login itself); the first install reads it. */
    readonly credentialsSecret: pulumi.Output<string>;
    /** Where the database server's administrator login is stored; the servers may read it only until the install is done. */
    readonly adminLoginSecret: pulumi.Output<string>;
}

export interface SessionTierArgs<N extends NetTier, S extends StorageTier> extends TierArgs {
    net: N;
    storage: S;
}

/**
 * Where the web servers keep PHP sessions: one zone-redundant Redis-protocol store with a single
 * endpoint (not cluster mode: OpenEMR's session handler breaks on a cluster, openemr/openemr#10436),
 * TLS only, a password, reachable from the web servers only. A server or a zone lost no longer
 * logs its clinicians out.
 */
export interface SessionTier {
    /** The store's host name (it follows the primary across a failover). */
    readonly endpoint: pulumi.Output<string>;
    /** Its TLS port. */
    readonly port: pulumi.Output<number>;
    /** Where the store's password is kept (a Secrets Manager ARN / a Key Vault secret URL), never the password. */
    readonly credentialsSecret: pulumi.Output<string>;
}

export interface WebTierArgs<N extends NetTier, S extends StorageTier, D extends DbTier, X extends SessionTier = SessionTier> extends TierArgs {
    net: N;
    storage: S;
    db: D;
    /** The shared session store the serving containers use. */
    session: X;
    instanceType: string;
    /** The servers' CPU architecture: the OS image and every package the boot installs follow it. */
    cpuArch: CpuArch;
    minServers: number;
    maxServers: number;
    image: string;
    /** OpenEMR's readiness endpoint inside the container; the load balancers probe the same path on the servers' health port. */
    healthCheckPath: string;
    tls: TlsSource;
}

export interface WebTier {
    /** The EMR's public https URL. */
    readonly url: pulumi.Output<string>;
    readonly loadBalancerId: pulumi.Output<string>;
    readonly serverGroupId: pulumi.Output<string>;
    /**
     * Where the first OpenEMR administrator's login is stored (a Secrets Manager ARN / a Key Vault
     * secret URL), never the password itself: the operator reads it there for the first login.
     */
    readonly adminPasswordSecret: pulumi.Output<string>;
}

export interface MonitoringArgs<N extends NetTier, S extends StorageTier, D extends DbTier, W extends WebTier, X extends SessionTier = SessionTier>
    extends TierArgs {
    net: N;
    storage: S;
    db: D;
    session: X;
    web: W;
    alertEmail: string;
}

export interface Monitoring {
    /** What the alarms notify (SNS topic / action group). */
    readonly alertTopic: pulumi.Output<string>;
    /** The control-plane audit trail. */
    readonly auditTrail: pulumi.Output<string>;
}

/** Builds the tiers of one cloud. src/emr.ts calls them in order and never branches on the cloud. */
export interface CloudPlatform<
    N extends NetTier,
    S extends StorageTier,
    D extends DbTier,
    W extends WebTier,
    M extends Monitoring,
    X extends SessionTier,
> {
    net(name: string, args: NetTierArgs): N;
    storage(name: string, args: StorageTierArgs<N>): S;
    db(name: string, args: DbTierArgs<N, S>): D;
    session(name: string, args: SessionTierArgs<N, S>): X;
    web(name: string, args: WebTierArgs<N, S, D, X>): W;
    monitoring(name: string, args: MonitoringArgs<N, S, D, W, X>): M;
}
