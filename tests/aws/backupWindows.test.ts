import { beforeAll, describe, expect, it } from "vitest";
import { backupStartClashes, databaseBlackouts } from "../../src/aws/backupWindows";
import { baseConfig, runStack, type Graph } from "../harness";

const windows = { backupWindow: "06:00-07:00", maintenanceWindow: "sun:07:30-sun:08:30" };
const rule = (schedule: string, startWindow?: number) => ({ ruleName: "r", schedule, startWindow });

describe("backupStartClashes", () => {
    it("blocks an hour before and during the backup and maintenance windows", () => {
        expect(databaseBlackouts(windows)).toEqual([
            { start: 5 * 60, end: 7 * 60 },
            { start: 6 * 60 + 30, end: 8 * 60 + 30 },
        ]);
    });

    it("flags a start that may fall in a blocked span, or that AWS chooses", () => {
        // The reviewed plan: 05:00 UTC with no start window, against RDS 06:00-07:00.
        expect(backupStartClashes([rule("cron(0 5 * * ? *)")], windows)).toEqual([expect.stringMatching(/declares no start window/)]);
        expect(backupStartClashes([rule("cron(0 5 * * ? *)", 60)], windows)).toEqual([expect.stringMatching(/may start at 05:00 UTC/)]);
        // A start window running into the blocked hour counts, not just the scheduled minute.
        expect(backupStartClashes([rule("cron(30 3 * * ? *)", 120)], windows)).toEqual([expect.stringMatching(/may start at 05:00 UTC/)]);
        expect(backupStartClashes([rule("cron(0 8 ? * SUN *)", 60)], windows)).toEqual([expect.stringMatching(/may start at 08:00 UTC/)]);
        expect(backupStartClashes([rule("cron(0 9 * * ? *)", 60), rule("cron(0 3 * * ? *)", 60)], windows)).toEqual([]);
    });

    it("follows windows that cross midnight", () => {
        const late = { backupWindow: "23:30-00:30", maintenanceWindow: "sat:10:00-sat:11:00" };
        expect(backupStartClashes([rule("cron(0 0 * * ? *)", 60)], late)).toHaveLength(1);
        expect(backupStartClashes([rule("cron(0 22 * * ? *)", 60)], late)).toHaveLength(1);
        expect(backupStartClashes([rule("cron(0 2 * * ? *)", 60)], late)).toEqual([]);
    });

    it("refuses a schedule it cannot check", () => {
        expect(() => backupStartClashes([rule("cron(0/30 * * * ? *)", 60)], windows)).toThrow(/only a fixed minute and hour/);
    });
});

describe("aws backup plan against the database's own windows", () => {
    let g: Graph;
    beforeAll(async () => {
        g = (await runStack({ ...baseConfig.aws })).ok();
    });

    it("starts every job where RDS accepts a snapshot", () => {
        const db = g.one("aws:rds/instance:Instance").inputs;
        const rules = g.one("aws:backup/plan:Plan").inputs.rules as Array<{ ruleName: string; schedule: string; startWindow?: number }>;
        expect(rules).toHaveLength(3);
        expect(backupStartClashes(rules, { backupWindow: db.backupWindow, maintenanceWindow: db.maintenanceWindow })).toEqual([]);
    });
});
