/**
 * When AWS Backup may start a database snapshot. AWS Backup's troubleshooting guide: "In general,
 * AWS database services cannot start backups 1 hour before or during their maintenance window or
 * automatic backup window ... Snapshot backups scheduled during those times will fail."
 * (docs.aws.amazon.com/aws-backup/latest/devguide/troubleshooting.html, "Troubleshoot creating
 * resources"; Aurora is exempt, RDS for MySQL is not.) A backup rule's job may start anywhere in
 * [scheduled time, scheduled time + start window], so that whole span must stay clear.
 */

const minutesPerDay = 24 * 60;
/** "1 hour before" the database's own windows. */
export const databaseBlackoutLeadMinutes = 60;

/** A span of the day in minutes after 00:00 UTC; `end` may pass midnight (> 1440). */
export interface DaySpan {
    start: number;
    end: number;
}

/** The RDS windows as the DB instance declares them: `hh24:mi-hh24:mi` and `ddd:hh24:mi-ddd:hh24:mi`. */
export interface DatabaseWindows {
    backupWindow: string;
    maintenanceWindow: string;
}

/** The parts of a backup rule that decide when its jobs start. */
export interface BackupRuleTiming {
    ruleName: string;
    /** `cron(minutes hours day-of-month month day-of-week year)`, UTC. */
    schedule: string;
    /**
     * Minutes after the scheduled time within which the job must start (API `StartWindowMinutes`,
     * "must be at least 60 minutes", docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRule.html).
     * Left unset, AWS picks it and the span cannot be checked, which counts as a clash.
     */
    startWindow?: number;
}

const clock = (hhmm: string): number => {
    const [h, m] = hhmm.split(":").map(Number);
    return h * 60 + m;
};

/** `hh:mm-hh:mm`, optionally with a `ddd:` day before each side; a span past midnight keeps going. */
function windowSpan(window: string): DaySpan {
    const [from, to] = window.split("-").map((side) => side.replace(/^[a-z]{3}:/, ""));
    const start = clock(from);
    const end = clock(to);
    return { start, end: end <= start ? end + minutesPerDay : end };
}

/**
 * The spans in which AWS Backup cannot start a snapshot of the database. The weekly maintenance
 * window is treated as daily: the daily rule runs on its day too, so it must clear it every day.
 */
export function databaseBlackouts(windows: DatabaseWindows): DaySpan[] {
    return [windows.backupWindow, windows.maintenanceWindow].map((w) => {
        const span = windowSpan(w);
        return { start: span.start - databaseBlackoutLeadMinutes, end: span.end };
    });
}

/** When a rule's jobs may start: its scheduled minute plus its (declared) start window. */
export function ruleStartSpan(rule: BackupRuleTiming & { startWindow: number }): DaySpan {
    const fields = /^cron\((\S+) (\S+) /.exec(rule.schedule);
    const [minute, hour] = [Number(fields?.[1]), Number(fields?.[2])];
    if (!Number.isInteger(minute) || !Number.isInteger(hour)) {
        throw new Error(`backup rule ${rule.ruleName}: cannot check ${rule.schedule}; only a fixed minute and hour are supported`);
    }
    const start = hour * 60 + minute;
    return { start, end: start + rule.startWindow };
}

const minutesOf = (span: DaySpan): Set<number> => {
    const minutes = new Set<number>();
    for (let m = span.start; m < span.end; m++) minutes.add(((m % minutesPerDay) + minutesPerDay) % minutesPerDay);
    return minutes;
};

/** One line per rule whose jobs could start while the database refuses snapshots; empty when none. */
export function backupStartClashes(rules: BackupRuleTiming[], windows: DatabaseWindows): string[] {
    const blocked = databaseBlackouts(windows).flatMap((span) => [...minutesOf(span)]);
    return rules.flatMap((rule) => {
        const startWindow = rule.startWindow;
        if (startWindow === undefined) return [`backup rule ${rule.ruleName} (${rule.schedule}) declares no start window, so when its jobs start is AWS's choice and cannot be kept clear of the database's windows`];
        const starts = minutesOf(ruleStartSpan({ ...rule, startWindow }));
        const clash = blocked.find((m) => starts.has(m));
        if (clash === undefined) return [];
        const at = `${String(Math.floor(clash / 60)).padStart(2, "0")}:${String(clash % 60).padStart(2, "0")}`;
        return [`backup rule ${rule.ruleName} (${rule.schedule}, start window ${startWindow} min) may start at ${at} UTC, within an hour before or during the database's backup window ${windows.backupWindow} or maintenance window ${windows.maintenanceWindow}`];
    });
}
