import type { EmrModel, Placement } from "./model";

/** The tiers a zone loss is judged on, in request order. */
export const tierNames = ["ingress", "web", "sessions", "egress", "database", "shared-files"] as const;
export type TierName = (typeof tierNames)[number];

/** Tiers that hold no data: a recovery point means nothing for them. */
export const statelessTiers: readonly TierName[] = ["ingress", "web", "egress"];

export interface TierOutcome {
    tier: TierName;
    /** The tier still serves requests after the zone is lost (perhaps after a switch-over). */
    survives: boolean;
    /** It serves with less capacity than configured (servers lost) until `recoverySeconds` has passed. */
    degraded: boolean;
    /** Something brings it back to full function without the zone; false: not until the zone returns (or an operator acts). */
    recovers: boolean;
    /** What is left, or what is lost, in this zone's failure. */
    detail: string;
    /** What takes over. */
    mechanism: string;
    /**
     * Seconds [min, max]: for a tier that keeps serving at full capacity, the interruption while
     * traffic moves ([0, 0]: none); for a degraded tier, the time until full capacity is back; for a
     * tier that goes down and recovers, the time until it serves again. [0, 0] when it does not recover.
     */
    recoverySeconds: [number, number];
    /** Data that can be lost; null for stateless tiers (ingress, web, egress). */
    rpo: string | null;
}

/** How a zone reads in prose: Azure numbers its zones ("2" reads as a count), other clouds name them. */
export const zoneName = (zone: string): string => (/^\d+$/.test(zone) ? `zone ${zone}` : zone);
/** Several zones in prose: "zones 1, 2" on Azure, "us-east-1a, us-east-1b" where zones have names. */
export const zoneList = (zones: string[]): string => (zones.length > 1 && zones.every((z) => /^\d+$/.test(z)) ? `zones ${zones.join(", ")}` : zones.map(zoneName).join(", "));

/** How bad an outcome is: down and not recovered, down, degraded, switched over, untouched. */
const rank = (o: TierOutcome) => (!o.survives ? (o.recovers ? 3 : 4) : o.degraded ? 2 : o.recoverySeconds[1] > 0 ? 1 : 0);

/** The worst of a tier's outcomes over several zone losses (the longest time breaks a tie). */
export const worstOutcome = (outcomes: TierOutcome[]): TierOutcome =>
    [...outcomes].sort((a, b) => rank(b) - rank(a) || b.recoverySeconds[1] - a.recoverySeconds[1])[0];

/**
 * A session store's failover: the replica is promoted and the endpoint's DNS name moves to it
 * ("if Multi-AZ is enabled, the downtime is minimized ... ElastiCache also propagates the DNS name
 * of the promoted replica", ElastiCache user guide AutoFailover.html). Neither AWS nor Microsoft
 * publishes a range: these seconds are an assumption (unverified), about the database's. Sessions
 * stay; requests that need one fail until the endpoint moves.
 */
const sessionFailoverSeconds: [number, number] = [30, 180];

/** Published failover times (facts/reliability.md 4.1): RDS Multi-AZ and Azure MySQL zone-redundant HA. */
const databaseFailoverSeconds: [number, number] = [60, 120];

const survivesLossOf = (placement: Placement, zone: string) =>
    placement.kind === "regional" ||
    (placement.kind === "zone-redundant" && placement.zones.some((z) => z !== zone)) ||
    (placement.kind === "zonal" && placement.zone !== zone);

interface OutcomeArgs {
    survives: boolean;
    degraded?: boolean;
    recovers?: boolean;
    detail: string;
    mechanism: string;
    recoverySeconds?: [number, number];
    rpo?: string;
}

const outcome = (tier: TierName, a: OutcomeArgs): TierOutcome => ({
    tier,
    survives: a.survives,
    degraded: a.survives && (a.degraded ?? false),
    recovers: a.recovers ?? a.survives,
    detail: a.detail,
    mechanism: a.mechanism,
    recoverySeconds: a.recoverySeconds ?? [0, 0],
    rpo: statelessTiers.includes(tier) ? null : (a.rpo ?? "0"),
});

/**
 * What happens to each tier when `lost` goes down, judged from the neutral model only: which
 * resources live only in that zone, and whether something in another zone takes over.
 */
export function simulateZoneLoss(model: EmrModel, lost: string): TierOutcome[] {
    const remaining = model.zones.filter((z) => z !== lost);

    const lbs = model.loadBalancers.filter((lb) => lb.zones.some((z) => z !== lost));
    const detection = Math.max(0, ...model.loadBalancers.map((lb) => lb.detectionSeconds ?? 0));
    const ingress = outcome("ingress", {
        survives: lbs.length > 0,
        detail: lbs.length ? `load balancer nodes left in ${zoneList(lbs[0].zones.filter((z) => z !== lost))}` : "no load balancer node outside the zone",
        mechanism: lbs.length ? "the load balancer stops routing to the lost zone's node and targets" : "nothing: the entry point is gone until the zone returns",
        recoverySeconds: lbs.length ? [detection, detection + 60] : [0, 0],
    });

    // Servers are spread evenly over the group's zones: the worst case loses ceil(min / zones).
    const web = model.serverGroups.map((sg) => {
        const inZone = sg.zones.includes(lost) ? Math.ceil(sg.min / sg.zones.length) : 0;
        const left = sg.zones.some((z) => z !== lost) ? sg.min - inZone : 0;
        return { left, inZone, sg };
    });
    const serversLeft = web.reduce((n, w) => n + w.left, 0);
    const serversLost = web.reduce((n, w) => n + w.inZone, 0);
    const replaced = web.every((w) => w.sg.replacesUnhealthy && w.sg.zones.length > 1);
    const webOutcome = outcome("web", {
        survives: serversLeft >= 1,
        degraded: serversLost > 0,
        recovers: replaced,
        detail: serversLost ? `${serversLeft} of ${serversLeft + serversLost} servers left (at minimum capacity)` : "no server in this zone",
        mechanism: replaced ? "the autoscaler launches replacements in the surviving zones" : "nothing: lost servers are not replaced",
        // A replacement boots, mounts the shared files and starts the container (no install).
        recoverySeconds: serversLost && replaced ? [detection, detection + 300] : [0, 0],
    });

    const sessions = sessionsOutcome(model, lost, serversLost, serversLeft + serversLost);

    const unserved = remaining.filter((z) => !model.egress.some((e) => e.serves.includes(z) && survivesLossOf(e.placement, lost)));
    const egress = outcome("egress", {
        survives: unserved.length === 0,
        detail: unserved.length ? `servers in ${zoneList(unserved)} lose their route out (their NAT was in ${zoneName(lost)})` : "every surviving zone keeps its own egress",
        mechanism: unserved.length ? "nothing until the NAT's zone returns" : "each zone's own NAT gateway, or a zone-redundant outbound address",
    });

    const dbs = model.databases.map((db) => ({ db, ok: survivesLossOf(db.placement, lost) && (db.placement.kind !== "zone-redundant" || db.automaticFailover) }));
    const primaryMayBeHere = dbs.some(({ db }) => db.placement.kind === "zone-redundant" && db.placement.zones.includes(lost));
    const dbOk = dbs.length > 0 && dbs.every((d) => d.ok);
    const database = outcome("database", {
        survives: dbOk,
        detail: dbOk ? "a synchronous standby in another zone" : "the only database copy is in this zone",
        mechanism: dbOk ? "automatic failover promotes the standby (synchronous: no data loss)" : "an operator restores from backup into another zone",
        recoverySeconds: dbOk && primaryMayBeHere ? databaseFailoverSeconds : [0, 0],
        rpo: dbOk ? "0" : "up to 5 min (point-in-time restore)",
    });

    // The shared file system holds sites/ and, under it, every patient document.
    const stores = model.stores;
    const filesOk = stores.length > 0 && stores.every((s) => survivesLossOf(s.placement, lost) && s.accessZones.some((z) => z !== lost));
    const files = outcome("shared-files", {
        survives: filesOk,
        detail: filesOk ? "sites/ and patient documents replicated across zones, reachable from the surviving zones" : `no copy or access point outside ${zoneName(lost)}`,
        mechanism: filesOk ? "zone-redundant storage: nothing to fail over" : "nothing until the zone returns",
    });

    return [ingress, webOutcome, sessions, egress, database, files];
}

/**
 * The clinicians' sessions. With a zone-redundant store they survive any server or zone (a replica
 * in another zone is promoted; writes not yet replicated, asynchronous, can be lost). With a store
 * in one zone, losing that zone loses every session and, with PHP unable to open one, every login
 * until the zone returns. With no store, sessions live on the servers' disks: the users of the lost
 * servers are logged out (they can log in again at once on the others).
 */
function sessionsOutcome(model: EmrModel, lost: string, serversLost: number, servers: number): TierOutcome {
    const stores = model.sessionStores;
    if (stores.length === 0) {
        return outcome("sessions", {
            survives: serversLost === 0,
            recovers: true,
            detail: serversLost ? `sessions live on each server: those of the ${serversLost} of ${servers} servers in ${zoneName(lost)} are lost` : "sessions live on each server; none in this zone",
            mechanism: serversLost ? "nothing: their clinicians are logged out and log in again on the surviving servers" : "no session store needed for this zone",
            rpo: serversLost ? `every session on the lost servers (their users are logged out)` : "0",
        });
    }
    // A single copy whose zone the stack does not name (Azure picks it) may be in any zone.
    const mayBeIn = (p: Placement) => p.kind === "zonal" && !model.zones.includes(p.zone);
    const survive = stores.every((s) => survivesLossOf(s.placement, lost) && !mayBeIn(s.placement));
    const primaryMayBeHere = stores.some((s) => s.placement.kind === "zone-redundant" && s.placement.zones.includes(lost));
    return outcome("sessions", {
        survives: survive,
        detail: survive ? "a replica of the session store in another zone" : `the only copy of the session store is in ${zoneName(lost)}: every session is lost`,
        mechanism: survive ? "automatic failover promotes the replica; the endpoint follows it" : "nothing until the zone returns: PHP cannot open a session, so nobody can log in",
        recoverySeconds: survive && primaryMayBeHere ? sessionFailoverSeconds : [0, 0],
        rpo: survive ? (primaryMayBeHere ? "session writes not yet replicated (asynchronous replica)" : "0") : "every session",
    });
}
