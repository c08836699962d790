import * as pulumi from "@pulumi/pulumi";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { validateConfig } from "../config";
import { blocking, violationLines } from "../policy";
import { runProgram } from "./capture";
import { catalogFor, estimateCost } from "./cost/estimate";
import { renderCost, renderCostComparison, renderCostSummary } from "./cost/render";
import type { CostReport } from "./cost/types";
import { awsMock, azureMock } from "./mocks";
import { buildPlan, type Plan } from "./plan";
import { writePlanFiles } from "./report/files";
import { renderText, table } from "./report/text";
import { loadStackConfig, StackFileError } from "./stackConfig";

const usage = `usage: npm run plan -- [--stack NAME] [--cost] [--json] [--out DIR] [--check]
       npm run plan -- --compare STACK_A STACK_B

  --stack NAME   stack to plan (Pulumi.NAME.yaml), default aws-dev
  --json         print plan.json to stdout instead of the report
  --out DIR      where to write plan.json, architecture.mmd, zones.md (default out/<stack>)
  --cost         print the itemised monthly cost estimate (the summary is always printed)
  --check        exit 1 if losing any single zone takes a tier down, or a deploy rule fails
  --compare A B  plan two stacks and print them (and their costs) side by side`;

/** Where the program lives; the stack files may live elsewhere (tests point `root` at fixtures). */
const programRoot = resolve(__dirname, "../..");

export interface CliIo {
    /** Folder holding Pulumi.yaml and the Pulumi.<stack>.yaml files. */
    root: string;
    print: (text: string) => void;
    error: (text: string) => void;
    /** Loads (runs) the program afresh: `require` with a cleared cache in the CLI, `import` in vitest. */
    loadProgram: (path: string) => Promise<Record<string, unknown>>;
}

/** A problem with what the user asked for: printed as one line, exit code 2, no stack trace. */
class UsageError extends Error {}

/** Runs the real program for a stack under the mocks and builds its plan. */
/** A stack's plan and its monthly cost estimate. */
interface PlannedStack {
    plan: Plan;
    cost: CostReport;
}

async function planStack(io: CliIo, stack: string): Promise<PlannedStack> {
    const root = io.root;
    const stacks = readdirSync(root).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
    if (!stacks.includes(stack)) throw new UsageError(`unknown stack "${stack}": no Pulumi.${stack}.yaml (stacks: ${stacks.join(", ")})`);
    const { config, placeholders } = loadStackConfig(root, stack);
    const program = join(programRoot, "src", "index.ts");
    const run = await runProgram({ config, stack, clouds: [awsMock, azureMock], load: () => io.loadProgram(program) });
    if (run.error) throw run.error;
    const plan = buildPlan(run, stack, placeholders);
    // The program validated the config already; read it again for the cost's region and usage.
    const { region, usage } = validateConfig(config);
    let catalog;
    try {
        catalog = catalogFor(plan.cloud, region);
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
    return { plan, cost: estimateCost(plan, catalog, usage) };
}

function compare(a: Plan, b: Plan): string {
    const tiers = [...new Set([...a.resources, ...b.resources].map((r) => r.tier).filter((t): t is string => !!t))];
    const count = (p: Plan, tier: string) => String(p.resources.filter((r) => r.tier === tier).length);
    const zoneVerdict = (p: Plan) => (p.zoneFailure.every((f) => f.tiers.every((t) => t.survives)) ? "every tier survives" : "a tier goes down");
    return [
        `Side by side: ${a.stack} (${a.cloud}) vs ${b.stack} (${b.cloud})`,
        "",
        table([
            ["", a.stack, b.stack],
            ["zones", a.zones.join(","), b.zones.join(",")],
            ...tiers.map((t) => [`resources in ${t}`, count(a, t), count(b, t)]),
            ["resources in total", String(a.resources.length), String(b.resources.length)],
            ["loss of one zone", zoneVerdict(a), zoneVerdict(b)],
            ...a.availability.links.map((l, i) => [`SLA ${l.tier}`, `${l.sla.percent}% ${l.sla.service}`, `${b.availability.links[i].sla.percent}% ${b.availability.links[i].sla.service}`]),
            ["composite availability", `${a.availability.compositePercent.toFixed(3)}%`, `${b.availability.compositePercent.toFixed(3)}%`],
        ]),
    ].join("\n");
}

/** The plan command: returns the exit code; bad input of any kind is one line on `io.error`, code 2. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
    try {
        return await plan(argv, io);
    } catch (e) {
        const known =
            e instanceof UsageError ||
            e instanceof StackFileError ||
            pulumi.RunError.isInstance(e) ||
            (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true;
        io.error(`emr plan: ${(e as Error)?.message ?? String(e)}`);
        if (!known) io.error(String((e as Error)?.stack));
        return known ? 2 : 1;
    }
}

async function plan(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            stack: { type: "string", default: "aws-dev" },
            json: { type: "boolean", default: false },
            out: { type: "string" },
            check: { type: "boolean", default: false },
            cost: { type: "boolean", default: false },
            compare: { type: "boolean", default: false },
            help: { type: "boolean", default: false },
        },
    });
    if (values.help) {
        io.print(usage);
        return 0;
    }
    if (values.compare) {
        if (positionals.length !== 2) throw new UsageError("--compare needs two stack names, e.g. --compare aws-dev azure-dev");
        const [a, b] = [await planStack(io, positionals[0]), await planStack(io, positionals[1])];
        io.print(compare(a.plan, b.plan));
        io.print("\nMonthly cost, side by side\n" + renderCostComparison(a.cost, b.cost));
        return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\n${usage}`);

    const { plan: result, cost } = await planStack(io, values.stack!);
    const written = writePlanFiles(result, cost, resolve(values.out ?? join(io.root, "out", result.stack)));
    if (values.json) {
        io.print(JSON.stringify({ ...result, cost }, null, 2));
    } else {
        io.print(renderText(result));
        io.print("\n" + (values.cost ? renderCost(cost) : renderCostSummary(cost)));
        io.print(`\nWrote ${written.join(", ")}`);
    }
    const down = result.zoneFailure.some((f) => f.tiers.some((t) => !t.survives));
    const broken = blocking(result.rules);
    if (values.check) for (const line of violationLines(broken)) io.error(`emr plan --check: ${line}`);
    return values.check && (down || broken.length) ? 1 : 0;
}
