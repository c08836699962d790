import type { InstallSecretRefs } from "./bootSecrets";
import { shellQuote } from "./shell";

/**
 * The few steps that differ per cloud, each the body of a bash function the shared boot script
 * calls. Everything else (order, retries, the lock, the install, the containers) is written once.
 */
export interface CloudBootSteps {
    cloud: "aws" | "azure";
    /** OS packages cloud-init installs before the boot script runs. */
    packages: string[];
    /** Optional: prepares the host before the mount (e.g. installs a mount helper). Retried until the prepare deadline, so it must be idempotent. */
    prepareHost?: string;
    /** Mounts the shared file system at "$SHARED_DIR" (already created) now and at every reboot. Retried; idempotent. */
    mountSharedFs: string;
    /**
     * Optional: an executable script (its text) that keeps containers away from the instance
     * metadata service. It runs before dockerd on every start (so before Docker restarts any
     * container after a reboot) and again from the boot script once Docker is up. Idempotent.
     */
    isolateContainers?: string;
    /** Prints the JSON value of install secret "$1" (a reference from `secrets`), authenticating as the machine. Retried. */
    fetchSecret: string;
    /** Where the install secrets are. */
    secrets: InstallSecretRefs;
    /**
     * Takes the servers' read access to the install secrets away for good; gets the secret references
     * as "$@". Idempotent: every boot that finds the install complete runs it again.
     */
    closeInstallSecrets: string;
    /** Prints the PEM bundle of the roots the database server's certificate chains to. Retried. */
    printDbCa: string;
    /** Where the session store's password is (src/app/sessionStore.ts SessionSecret): readable by the servers at every boot. */
    sessionSecret: string;
    /** The OS's bundle of public root CAs on the host; the serving container gets it as the image's redis-ca. */
    sessionCaFile: string;
    /**
     * Sets the bash array LOG_ARGS to the `docker run` log options of serving container "$1":
     * rotation on the local disk, or shipping to the cloud's log service.
     */
    serveLogArgs: string;
}

export interface EmrAppSettings {
    /** The OpenEMR image, pinned (src/config/validate.ts refuses floating tags). */
    image: string;
    dbHost: string;
    dbPort: number;
    dbName: string;
    /** OpenEMR's readiness endpoint inside the container, e.g. /meta/health/readyz. */
    readinessPath: string;
    /** Where the shared file system is mounted; outside /mnt, which Azure images give the temp disk. */
    sharedDir?: string;
}

/** Bash that mounts `source` at "$SHARED_DIR" now and on every reboot (via /etc/fstab), without duplicating the fstab line on a retry. */
export function fstabMount(source: string, fsType: string, options: string[]): string {
    return [
        `grep -qsF " $SHARED_DIR " /etc/fstab ||`,
        `    printf '%s %s %s %s 0 0\\n' ${shellQuote(source)} "$SHARED_DIR" ${shellQuote(fsType)} ${shellQuote(options.join(","))} >> /etc/fstab`,
        `mountpoint -q "$SHARED_DIR" || mount "$SHARED_DIR"`,
    ].join("\n");
}
