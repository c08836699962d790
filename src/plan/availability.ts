import type { EmrModel } from "./model";
import { simulateZoneLoss, worstOutcome, type TierName } from "./zones";

/** A published monthly uptime commitment. */
export interface Sla {
    service: string;
    percent: number;
    source: string;
    status: "verified" | "corroborated" | "unverified";
}

const sla = (service: string, percent: number, source: string, status: Sla["status"] = "verified"): Sla => ({ service, percent, source, status });

/** The SLAs of the serial chain's links, per cloud and variant (facts/reliability.md 4.2). */
const slas = {
    aws: {
        loadBalancer: { multiZone: sla("ALB across 2+ zones", 99.99, "AWS ELB SLA, 2022-07-25"), singleZone: sla("ALB in one zone", 99.9, "AWS ELB SLA, 2022-07-25") },
        servers: { multiZone: sla("EC2 across 2+ zones", 99.99, "AWS Compute SLA"), singleZone: sla("EC2 single instance", 99.5, "AWS Compute SLA") },
        database: { multiZone: sla("RDS Multi-AZ DB instance", 99.95, "Amazon RDS SLA, 2024-01-22"), singleZone: sla("RDS single-AZ", 99.5, "Amazon RDS SLA, 2024-01-22") },
        sharedFiles: { multiZone: sla("EFS Regional", 99.99, "Amazon EFS SLA, 2022-05-04"), singleZone: sla("EFS One Zone", 99.9, "Amazon EFS SLA, 2022-05-04") },
        // The ElastiCache SLA's tiers as AWS's Database Blog tabulates them ("Introducing 99.99%
        // Availability with Amazon ElastiCache for Redis and Amazon MemoryDB for Redis": Single-AZ
        // 99.50%, Previous Generation Multi-AZ 99.9%, Multi-AZ 99.99%; read in mirrors of the post);
        // the SLA page itself (aws.amazon.com/elasticache/sla) was not read.
        sessions: {
            multiZone: sla("ElastiCache Multi-AZ with automatic failover", 99.99, "AWS Database Blog, ElastiCache 99.99% Multi-AZ SLA", "corroborated"),
            singleZone: sla("ElastiCache single-AZ", 99.5, "AWS Database Blog, ElastiCache Single-AZ SLA", "corroborated"),
        },
    },
    azure: {
        loadBalancer: {
            multiZone: sla("Application Gateway v2 (zone-redundant)", 99.95, "Azure SLA for Application Gateway; eligibility: reliability docs", "unverified"),
            singleZone: sla("Application Gateway v2 (zone-redundant)", 99.95, "Azure SLA for Application Gateway", "unverified"),
        },
        servers: { multiZone: sla("VMs across 2+ zones", 99.99, "Azure SLA for Virtual Machines"), singleZone: sla("single VM, premium SSD", 99.9, "Azure SLA for Virtual Machines") },
        database: {
            multiZone: sla("MySQL flexible, zone-redundant HA", 99.99, "Azure reliability docs + SLA for Azure Database for MySQL", "corroborated"),
            singleZone: sla("MySQL flexible, no HA", 99.9, "Azure reliability docs", "corroborated"),
        },
        sharedFiles: { multiZone: sla("Azure Files premium ZRS", 99.9, "Azure SLA for Storage", "corroborated"), singleZone: sla("Azure Files LRS", 99.9, "Azure SLA for Storage", "corroborated") },
        // Azure Managed Redis with high availability: 99.9% as two nodes in one datacenter
        // ("Standard replication"), 99.99% zone-redundant (MicrosoftDocs/azure-docs
        // articles/redis/high-availability.md @2862937, ms.date 2025-05-18, pointing at the Cache
        // SLA v1_1); without high availability there is no SLA (reliability-managed-redis.md:
        // "You must enable high availability configuration" to qualify).
        sessions: {
            multiZone: sla("Azure Managed Redis, high availability (zone-redundant)", 99.99, "Azure Managed Redis high-availability docs (Cache SLA v1_1)", "corroborated"),
            // Placed in one zone only without high availability (src/plan/placement/azure.ts), which
            // has no SLA at all; 99.9% is what high availability in one datacenter gets, the most
            // such a store could be credited for.
            singleZone: sla("Azure Managed Redis without high availability: no SLA (99.9% is one datacenter with it)", 99.9, "Azure Managed Redis high-availability docs (Cache SLA v1_1)", "corroborated"),
        },
    },
} satisfies Record<EmrModel["cloud"], Record<string, Record<"multiZone" | "singleZone", Sla>>>;

export interface ChainLink {
    tier: "load balancer" | "web servers" | "session store" | "database" | "shared files";
    sla: Sla;
    /** The worst zone loss for this link: does it keep serving, at full capacity, and does it come back. */
    survives: boolean;
    degraded: boolean;
    recovers: boolean;
    /** Seconds [min, max] as TierOutcome.recoverySeconds reads, for the worst zone loss. */
    rtoSeconds: [number, number];
    /** Data that can be lost; null for stateless links (load balancer, web servers). */
    rpo: string | null;
}

export interface Availability {
    links: ChainLink[];
    /**
     * Product of the links' SLAs, in percent: every link must be up for the EMR to work. An SLA is
     * the monthly uptime below which the provider owes service credits, not a cap on downtime.
     */
    compositePercent: number;
    /** The minutes a month below `compositePercent` (730 h): the point where credits start, not a promise. */
    allowedDowntimeMinutesPerMonth: number;
}

/** 730 hours a month, the convention of the SLAs and the price catalogs. */
const minutesPerMonth = 730 * 60;

/**
 * The composite availability of the serial chain (load balancer x servers x session store x
 * database x shared files, which hold the documents): every link must be up for the EMR to work, so the SLAs multiply.
 */
export function availability(model: EmrModel): Availability {
    const table = slas[model.cloud];
    const multi = (zones: number) => (zones >= 2 ? "multiZone" : "singleZone");
    const zonesOf = (p: { kind: string; zones?: string[] } | undefined) => (p?.kind === "zonal" ? 1 : p?.kind === "zone-redundant" ? p.zones!.length : 2);
    const outcomes = model.zones.flatMap((z) => simulateZoneLoss(model, z));
    const worst = (tier: TierName): Pick<ChainLink, "survives" | "degraded" | "recovers" | "rtoSeconds" | "rpo"> => {
        const o = worstOutcome(outcomes.filter((x) => x.tier === tier));
        return { survives: o.survives, degraded: o.degraded, recovers: o.recovers, rtoSeconds: o.recoverySeconds, rpo: o.rpo };
    };
    const links: ChainLink[] = [
        { tier: "load balancer", sla: table.loadBalancer[multi(model.loadBalancers[0]?.zones.length ?? 0)], ...worst("ingress") },
        { tier: "web servers", sla: table.servers[multi(model.serverGroups[0]?.zones.length ?? 0)], ...worst("web") },
        // Servers keep sessions on their own disks without a store: then the servers' link covers them.
        ...(model.sessionStores.length ? [{ tier: "session store" as const, sla: table.sessions[multi(zonesOf(model.sessionStores[0].placement))], ...worst("sessions") }] : []),
        { tier: "database", sla: table.database[multi(zonesOf(model.databases[0]?.placement))], ...worst("database") },
        { tier: "shared files", sla: table.sharedFiles[multi(zonesOf(model.stores.find((s) => s.kind === "shared-files")?.placement))], ...worst("shared-files") },
    ];
    const compositePercent = links.reduce((a, l) => a * (l.sla.percent / 100), 1) * 100;
    return { links, compositePercent, allowedDowntimeMinutesPerMonth: ((100 - compositePercent) / 100) * minutesPerMonth };
}
