import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/plan/cli";
import { runCli } from "../../src/plan/cli";
import { loadStackConfig } from "../../src/plan/stackConfig";
import { runStack } from "../harness";

/**
 * The README shows the plan's own figures (a sample of the default report, the presets' monthly
 * totals, the alarm counts). They are copies, so they drift when a price, an alarm or a resource changes: this
 * holds them to what the plan prints today. To refresh: `npm run plan`, and `npm run plan --
 * --stack <preset>` for each total.
 */
const readme = readFileSync("README.md", "utf8");

async function plan(stack: string): Promise<string> {
    const out: string[] = [];
    const io: CliIo = {
        root: process.cwd(),
        print: (t) => out.push(t),
        error: () => undefined,
        loadProgram: () => Promise.reject(new Error("runs come from io.run")),
        run: async (config, name) => (await runStack(config, name)).run,
    };
    const code = await runCli(["--stack", stack, "--out", mkdtempSync(join(tmpdir(), "emr-readme-"))], io);
    expect(code).toBe(0);
    return out.join("\n");
}

describe("the README's copies of the plan", () => {
    it("shows the default report's summary as `npm run plan` prints it", async () => {
        const sample = /What `npm run plan` prints first[^\n]*\n\n```\n([\s\S]*?)\n```/.exec(readme)?.[1];
        expect(sample, "README sample block").toBeDefined();
        const printed = (await plan("aws-dev")).split("\n");
        expect(printed.slice(0, sample!.split("\n").length).join("\n")).toBe(sample);
    });

    it.each([
        ["dev", 2, "aws-dev"],
        ["dev", 3, "azure-dev"],
        ["prod", 2, "aws-prod"],
        ["prod", 3, "azure-prod"],
    ])("lists the %s preset's monthly total (column %i) as the %s plan prints it", async (preset, column, stack) => {
        const row = readme.split("\n").find((l) => l.startsWith(`| ${preset} (`));
        expect(row, `README cost table row for ${preset}`).toBeDefined();
        const total = /^Monthly cost {2}(\$[\d,]+\.\d\d) a month/m.exec(await plan(stack))?.[1];
        expect(row!.split("|").map((c) => c.trim())[column]).toBe(total);
    });

    it.each([
        ["aws-dev", /(\d+) alarms on dimension sets/, "aws:cloudwatch/metricAlarm:MetricAlarm"],
        ["azure-dev", /(\d+) metric alerts \(/, "azure-native:monitor:MetricAlert"],
    ])("counts the %s stack's alarms as its program declares them", async (stack, said, type) => {
        const count = Number(said.exec(readme)?.[1]);
        const graph = (await runStack(loadStackConfig(process.cwd(), stack).config, stack)).ok();
        expect(count).toBe(graph.ofType(type).length);
    });
});
