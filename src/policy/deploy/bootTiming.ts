import { bootBudgetSeconds, bootTimings } from "../../app/bootTimings";

/** Where the boot's waits are set: the one table the boot script and the grace periods both come from. */
export const bootTimingSource = "src/app/bootTimings.ts (bootTimings, bootBudgetSeconds)";

/**
 * The longest a web server's first boot may take by its own design before it gives up: packages,
 * preparation, the wait for the install lock, then its own critical section (it may have to
 * install after a failed lock holder). A health-check grace shorter than this lets the cloud
 * replace servers that are still booting exactly as designed, in a loop. It is the floor the
 * rules hold the grace periods to, read from the table rather than from the grace periods the
 * program derives from the same table, so a grace computed some other way is still judged.
 */
export const bootWaitSeconds = bootBudgetSeconds(bootTimings);
