import type { EmrModel, Placement } from "./model";

/** The tiers a zone loss is judged on, in request order. */
export const tierNames = ["ingress", "web", "egress", "database", "shared-files"] as const;
export type TierName = (typeof tierNames)[number];

export interface TierOutcome {
    tier: TierName;
    survives: boolean;
    /** What is left, or what is lost, in this zone's failure. */
    detail: string;
    /** What takes over. */
    mechanism: string;
    /** Expected time until the tier serves again at full function, in seconds [min, max]. */
    recoverySeconds: [number, number];
    /** Data that can be lost. */
    rpo: string;
}

/** Published failover times (facts/reliability.md 4.1): RDS Multi-AZ and Azure MySQL zone-redundant HA. */
const databaseFailoverSeconds: [number, number] = [60, 120];

const survivesLossOf = (placement: Placement, zone: string) =>
    placement.kind === "regional" ||
    (placement.kind === "zone-redundant" && placement.zones.some((z) => z !== zone)) ||
    (placement.kind === "zonal" && placement.zone !== zone);

const outcome = (tier: TierName, survives: boolean, detail: string, mechanism: string, recoverySeconds: [number, number], rpo = "0"): TierOutcome => ({
    tier,
    survives,
    detail,
    mechanism,
    recoverySeconds,
    rpo,
});

/**
 * What happens to each tier when `lost` goes down, judged from the neutral model only: which
 * resources live only in that zone, and whether something in another zone takes over.
 */
export function simulateZoneLoss(model: EmrModel, lost: string): TierOutcome[] {
    const remaining = model.zones.filter((z) => z !== lost);

    const lbs = model.loadBalancers.filter((lb) => lb.zones.some((z) => z !== lost));
    const detection = Math.max(0, ...model.loadBalancers.map((lb) => lb.detectionSeconds ?? 0));
    const ingress = outcome(
        "ingress",
        lbs.length > 0,
        lbs.length ? `load balancer nodes left in ${lbs[0].zones.filter((z) => z !== lost).join(", ")}` : "no load balancer node outside the zone",
        "the load balancer stops routing to the lost zone's node and targets",
        [detection, detection + 60],
    );

    // Servers are spread evenly over the group's zones: the worst case loses ceil(min / zones).
    const web = model.serverGroups.map((sg) => {
        const inZone = sg.zones.includes(lost) ? Math.ceil(sg.min / sg.zones.length) : 0;
        const left = sg.zones.some((z) => z !== lost) ? sg.min - inZone : 0;
        return { left, sg };
    });
    const serversLeft = web.reduce((n, w) => n + w.left, 0);
    const replaced = web.every((w) => w.sg.replacesUnhealthy && w.sg.zones.length > 1);
    const webOutcome = outcome(
        "web",
        serversLeft >= 1,
        `${serversLeft} of ${web.reduce((n, w) => n + w.sg.min, 0)} servers left at minimum capacity`,
        replaced ? "the autoscaler launches replacements in the surviving zones" : "none: lost servers are not replaced",
        // A replacement boots, mounts the shared files and starts the container (no install).
        [detection, detection + 300],
    );

    const unserved = remaining.filter((z) => !model.egress.some((e) => e.serves.includes(z) && survivesLossOf(e.placement, lost)));
    const egress = outcome(
        "egress",
        unserved.length === 0,
        unserved.length ? `servers in ${unserved.join(", ")} lose their route out (their NAT was in ${lost})` : "every surviving zone keeps its own egress",
        unserved.length ? "none until the NAT's zone returns" : "each zone's own NAT gateway",
        [0, 0],
    );

    const dbs = model.databases.map((db) => ({ db, ok: survivesLossOf(db.placement, lost) && (db.placement.kind !== "zone-redundant" || db.automaticFailover) }));
    const primaryMayBeHere = dbs.some(({ db }) => db.placement.kind === "zone-redundant" && db.placement.zones.includes(lost));
    const database = outcome(
        "database",
        dbs.length > 0 && dbs.every((d) => d.ok),
        dbs.every((d) => d.ok) ? "a synchronous standby in another zone" : "the only database copy is in this zone",
        dbs.every((d) => d.ok) ? "automatic failover promotes the standby (synchronous: no data loss)" : "restore from backup",
        primaryMayBeHere ? databaseFailoverSeconds : [0, 0],
        dbs.every((d) => d.ok) ? "0" : "up to 5 min (point-in-time restore)",
    );

    // The shared file system holds sites/ and, under it, every patient document.
    const stores = model.stores;
    const filesOk = stores.length > 0 && stores.every((s) => survivesLossOf(s.placement, lost) && s.accessZones.some((z) => z !== lost));
    const files = outcome(
        "shared-files",
        filesOk,
        filesOk ? "sites/ and patient documents replicated across zones, reachable from the surviving zones" : `no copy or access point outside ${lost}`,
        filesOk ? "zone-redundant storage: nothing to fail over" : "none",
        [0, 0],
    );

    return [ingress, webOutcome, egress, database, files];
}
