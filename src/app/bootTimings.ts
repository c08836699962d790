/**
 * How long each step of a web server's boot may take, in seconds. This is the one table both the
 * boot script's own waits and the web tiers' grace periods come from (AWS Auto Scaling health-check
 * grace, Azure health-extension grace and automatic-repairs grace), so they cannot drift apart: a
 * grace shorter than the boot's waits has the cloud replace a server that is still queueing for
 * the install lock, or kill an installer mid-install (openemr-boot-review.md D6).
 */
export interface BootTimings {
    /**
     * cloud-init's own package phase (dnf / apt, before the boot script runs). Not enforced by the
     * script, only budgeted for: AL2023 and Ubuntu install Docker and the NFS helpers in 1-4 minutes.
     */
    packagesSeconds: number;
    /** The boot script's preparation, from its start: AZNFS, the shared mount, Docker, the image pull, with retries. */
    prepareSeconds: number;
    /**
     * From taking the lock: if another server recorded another build of the image while this one
     * pulled (the tag was republished meanwhile; src/app/imagePin.ts), pulling the recorded one;
     * then, before an install, reading the install secrets and the database CA (retried: a new
     * role grant can take a few minutes to apply) and resetting a half-built install (drop the
     * database and app user, clear sites/).
     */
    resetSeconds: number;
    /**
     * One install attempt: the installer container until OpenEMR's readiness check passes.
     * openemr-on-eks measured 17 min 30 s for its whole 8.2.0 application phase
     * (openemr/openemr-on-eks@775533e k8s/deploy.sh:82); openemr-on-ecs documents 5-15 minutes.
     */
    installSeconds: number;
    /** One serving container's start until its readiness check passes (the images start in 15-40 s, docker/binary/README.md benchmarks). */
    startSeconds: number;
    /** How long a server queues for the install lock: it must outlast one other holder's whole critical section. */
    lockWaitSeconds: number;
    /** Between readiness polls (boot script waits, the health endpoint's cache); also the first retry delay, doubling up to 30 times it. */
    pollSeconds: number;
    /**
     * How long the health endpoint keeps answering healthy while OpenEMR cannot reach its database
     * (and only then: a server whose OpenEMR is down answers unhealthy at once). A database
     * failover takes the database away from every server at once: "Failover times are typically
     * 60-120 seconds" (docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.Failover.html;
     * Azure's zone-redundant HA fails over in the same range, azure-databases-docs mysql/
     * flexible-server/concepts-high-availability.md). Unhealthy that early, every server would be
     * replaced (the Auto Scaling group's ELB check, Azure's automatic repairs) for a blip that
     * needs nothing; a failure that outlasts this is this server's own to be replaced for.
     */
    databaseOutageSeconds: number;
}

/** What one lock holder may do before it lets go: reset, install, then start its own serving container. */
export function criticalSectionSeconds(t: BootTimings): number {
    return t.resetSeconds + t.installSeconds + t.startSeconds;
}

/**
 * The longest a boot can take before the script gives up on its own: packages, preparation, the
 * wait for the lock, then its own critical section (it may have to install after a failed holder).
 */
export function bootBudgetSeconds(t: BootTimings): number {
    return t.packagesSeconds + t.prepareSeconds + t.lockWaitSeconds + criticalSectionSeconds(t);
}

/** After the boot's own waits: the first healthy answers reaching the load balancer and the health extension. */
export const graceMarginSeconds = 240;

/** The default table: every grace period in the stack is derived from it. */
export const bootTimings: BootTimings = {
    packagesSeconds: 480,
    prepareSeconds: 600,
    resetSeconds: 180,
    installSeconds: 1500,
    startSeconds: 300,
    lockWaitSeconds: 180 + 1500 + 300,
    pollSeconds: 10,
    databaseOutageSeconds: 300,
};

/**
 * How long the clouds leave a new server alone before acting on a failing health check. Azure caps
 * automatic repairs at 90 minutes (@pulumi/azure-native types/input.d.ts AutomaticRepairsPolicyArgs
 * .gracePeriod: "The maximum allowed grace period is 90 minutes (PT90M)"), so a table that needs
 * more is refused here rather than truncated there.
 */
export function bootGraceSeconds(t: BootTimings = bootTimings): number {
    if (t.lockWaitSeconds < criticalSectionSeconds(t)) {
        throw new Error(`boot timings: lockWaitSeconds (${t.lockWaitSeconds}) must outlast one lock holder (${criticalSectionSeconds(t)})`);
    }
    const grace = bootBudgetSeconds(t) + graceMarginSeconds;
    if (grace > 90 * 60) throw new Error(`boot timings: the boot needs ${grace} s of grace; Azure automatic repairs allow at most 5400 s`);
    return grace;
}
