import { bootTimeouts } from "../../app/cloudInit";

/** The boot script's two timed waits, as src/app/cloudInit.ts renders them (`flock -w`, `wait_healthy`). */
export const bootTimingSource = "src/app/cloudInit.ts:48-55 (bootTimeouts), used at `flock -w` and `wait_healthy` in bootScript";

/**
 * The longest a web server's first boot may wait, on its own timers, before OpenEMR answers: it
 * queues for the install lock up to `lockWaitSeconds` while another server installs, then may run
 * the install itself, which it abandons after `installSeconds`. Package installs and the image pull
 * come on top and have no timer, so this is a floor: a health-check grace shorter than it lets the
 * autoscaler replace servers that are still booting exactly as designed, for ever.
 */
export const bootWaitSeconds = bootTimeouts.lockWaitSeconds + bootTimeouts.installSeconds;
