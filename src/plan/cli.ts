import * as pulumi from "@pulumi/pulumi";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { validateConfig } from "../config";
import { bootConfigs } from "./bootConfig";
import { runProgram, type ProgramRun } from "./capture";
import { closest, help, parsePlanArgs, UsageError, usageLine, type PlanArgs } from "./command/args";
import { fsProblem, prepareOutDir } from "./command/outDir";
import { catalogFor, estimateCost } from "./cost/estimate";
import { renderCost, renderCostComparison } from "./cost/render";
import type { CostReport } from "./cost/types";
import { diffPlans, renderDiff, type SavedPlan } from "./diff";
import { gateVerdict } from "./gates";
import { awsMock, azureMock } from "./mocks";
import { buildPlan, resourceCount, type Plan } from "./plan";
import { writePlanFiles } from "./report/files";
import { renderCompliance } from "./report/compliance";
import { renderSummary } from "./report/summary";
import { renderDetails, renderTree, table } from "./report/text";
import { loadStackConfig, StackFileError } from "./stackConfig";
import { complianceRules, deployRules } from "../policy";
import { UnknownExemptionError } from "../policy/exemptions";
import { toSarif } from "../policy/sarif";

/** Where the program lives; the stack files may live elsewhere (tests point `root` at fixtures). */
const programRoot = resolve(__dirname, "../..");

export interface CliIo {
    /** Folder holding Pulumi.yaml and the Pulumi.<stack>.yaml files. */
    root: string;
    print: (text: string) => void;
    error: (text: string) => void;
    /** Loads (runs) the program afresh: `require` with a cleared cache in the CLI, `import` in vitest. */
    loadProgram: (path: string) => Promise<Record<string, unknown>>;
    /** The environment npm ran the command in (npm_config_* betrays options npm swallowed). */
    env?: Record<string, string | undefined>;
    /**
     * Runs the program for a stack config instead of loading it here: the tests hand in their
     * cache of runs (tests/runCache.ts), since a run is a pure function of sources and config.
     */
    run?: (config: Record<string, string>, stack: string) => Promise<ProgramRun>;
    /** Today, YYYY-MM-DD (UTC), for compliance exemptions' expiry; tests fix it. */
    today?: string;
}

const today = (io: CliIo) => io.today ?? new Date().toISOString().slice(0, 10);

/** A stack's plan and its monthly cost estimate. */
interface PlannedStack {
    plan: Plan;
    cost: CostReport;
}

const stacksIn = (root: string) => readdirSync(root).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);

function requireStack(root: string, stack: string): void {
    const stacks = stacksIn(root);
    if (stacks.includes(stack)) return;
    const guess = closest(stack, stacks);
    throw new UsageError(`unknown stack "${stack}": no Pulumi.${stack}.yaml${guess ? `; did you mean ${guess}?` : ""} (stacks: ${stacks.join(", ")})`);
}

/** Runs the real program for a stack under the mocks (offline, no cloud calls) and builds its plan and cost. */
async function planStack(io: CliIo, stack: string): Promise<PlannedStack> {
    const { config, placeholders } = loadStackConfig(io.root, stack);
    const program = join(programRoot, "src", "index.ts");
    const run = io.run ? await io.run(config, stack) : await runProgram({ config, stack, clouds: [awsMock, azureMock], load: () => io.loadProgram(program) });
    if (run.error) throw run.error;
    // The program validated the config already; read it again for the cost's region and usage and
    // the compliance exemptions.
    const { region, usage, complianceExemptions } = validateConfig(config);
    let plan: Plan;
    try {
        plan = buildPlan(run, stack, placeholders, { exemptions: complianceExemptions, today: today(io) });
    } catch (e) {
        if (e instanceof UnknownExemptionError) throw new UsageError(e.message);
        throw e;
    }
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
    const zoneVerdict = (p: Plan) => (p.zoneFailure.every((f) => f.tiers.every((t) => t.survives)) ? "every tier keeps serving" : "a tier stops");
    return [
        `Side by side: ${a.stack} (${a.cloud}) vs ${b.stack} (${b.cloud}), offline, no cloud calls`,
        "",
        table([
            ["", a.stack, b.stack],
            ["zones", a.zones.join(","), b.zones.join(",")],
            ...tiers.map((t) => [`resources in ${t}`, count(a, t), count(b, t)]),
            ["resources in total (tier components not counted)", String(resourceCount(a)), String(resourceCount(b))],
            ["loss of one zone", zoneVerdict(a), zoneVerdict(b)],
            ...a.availability.links.map((l, i) => [`SLA ${l.tier}`, `${l.sla.percent}% ${l.sla.service}`, `${b.availability.links[i].sla.percent}% ${b.availability.links[i].sla.service}`]),
            ["composite SLA (credits below it)", `${a.availability.compositePercent.toFixed(3)}%`, `${b.availability.compositePercent.toFixed(3)}%`],
        ]),
    ].join("\n");
}

/** --sarif: every rule's results of every planned stack, for code scanning (src/policy/sarif.ts). */
function writeSarif(path: string, plans: Plan[]): void {
    const { version } = JSON.parse(readFileSync(join(programRoot, "package.json"), "utf8")) as { version: string };
    const log = toSarif(plans.map((p) => ({ stack: p.stack, results: p.rules })), [...deployRules, ...complianceRules], { version });
    try {
        writeFileSync(path, JSON.stringify(log, null, 2) + "\n");
    } catch (e) {
        throw fsProblem(`--sarif ${path}: cannot write it`, e);
    }
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
        if (e instanceof UsageError && e.usageLine) io.error(usageLine);
        if (!known) io.error(String((e as Error)?.stack));
        return known ? 2 : 1;
    }
}

/** The stacks a command covers, each checked to exist before anything runs. */
function stacksOf(args: PlanArgs, root: string): string[] {
    const stacks = args.all ? stacksIn(root) : args.stacks.length ? args.stacks : [args.cloudInit ? `${args.cloudInit}-dev` : "aws-dev"];
    for (const s of stacks) requireStack(root, s);
    return stacks;
}

/** A saved plan.json for --diff, read before the (slower) planning so a bad path fails fast. */
function readSavedPlan(path: string): SavedPlan {
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (e) {
        throw fsProblem(`--diff ${path}`, e);
    }
    let saved: SavedPlan;
    try {
        saved = JSON.parse(text);
    } catch {
        throw new UsageError(`--diff ${path}: not JSON; give a plan.json the plan wrote (out/<stack>/plan.json)`);
    }
    if (saved?.schemaVersion !== 1 || !Array.isArray(saved.resources)) throw new UsageError(`--diff ${path}: not a plan.json (schemaVersion 1 with resources)`);
    return saved;
}

async function plan(argv: string[], io: CliIo): Promise<number> {
    const args = parsePlanArgs(argv, io.env);
    if (args.help) {
        io.print(help);
        return 0;
    }
    const stacks = stacksOf(args, io.root);

    if (args.cloudInit) {
        const { plan: p } = await planStack(io, stacks[0]);
        if (p.cloud !== args.cloudInit) throw new UsageError(`--cloud-init ${args.cloudInit}: stack ${p.stack} is ${p.cloud}; name a ${args.cloudInit} stack with --stack, or use --cloud-init ${p.cloud}`);
        const configs = bootConfigs(p);
        io.print(configs.map((c) => (configs.length > 1 ? `# ${c.name}\n${c.text}` : c.text)).join("\n"));
        return 0;
    }

    const several = stacks.length > 1;
    const outDir = (stack: string) => (several ? resolve(args.out ?? join(io.root, "out"), stack) : resolve(args.out ?? join(io.root, "out", stack)));
    for (const s of stacks) prepareOutDir(outDir(s));
    const saved = args.diff === undefined ? undefined : readSavedPlan(args.diff);
    // A SARIF file that cannot be written fails now, in one line, not after the planning.
    if (args.sarif !== undefined) prepareOutDir(dirname(resolve(args.sarif)), `--sarif ${args.sarif}`);

    const planned: Array<PlannedStack & { written: string[] }> = [];
    for (const stack of stacks) {
        const p = await planStack(io, stack);
        let written: string[];
        try {
            written = writePlanFiles(p.plan, p.cost, outDir(stack), today(io));
        } catch (e) {
            throw fsProblem(`--out ${outDir(stack)}: cannot write the plan's files`, e);
        }
        planned.push({ ...p, written });
    }
    const diff = saved && diffPlans(saved, planned[0].plan, planned[0].cost);

    if (args.json) {
        const json = (p: PlannedStack) => ({ ...p.plan, cost: p.cost });
        io.print(JSON.stringify(diff ? { diff } : several ? { plans: planned.map(json) } : json(planned[0]), null, 2));
    } else if (args.compare) {
        const [a, b] = planned;
        io.print(compare(a.plan, b.plan));
        io.print("\nMonthly cost, side by side\n" + renderCostComparison(a.cost, b.cost));
        if (args.cost) for (const p of planned) io.print("\n" + renderCost(p.cost));
        if (args.tree) for (const p of planned) io.print("\n" + renderTree(p.plan));
        if (args.compliance) for (const p of planned) io.print("\n" + renderCompliance(p.plan));
        io.print(`\nWrote ${planned.map((p) => p.written.join(", ")).join(", ")}`);
    } else {
        planned.forEach((p, i) => {
            io.print((i ? "\n\n" : "") + renderSummary(p.plan, p.cost, p.written));
            if (diff) io.print("\n" + renderDiff(diff, args.diff!, p.plan.stack));
            io.print("\n" + renderDetails(p.plan));
            if (args.cost) io.print("\n" + renderCost(p.cost));
            if (args.tree) io.print("\n" + renderTree(p.plan));
            if (args.compliance) io.print("\n" + renderCompliance(p.plan));
        });
    }

    if (args.sarif !== undefined) writeSarif(args.sarif, planned.map((p) => p.plan));

    const verdicts = planned.map((p) => gateVerdict(p.plan, p.cost, { check: args.check, maxMonthlyUsd: args.maxMonthlyUsd }));
    for (const v of verdicts) if (v) io.error(v.line);
    return verdicts.some((v) => v?.failed) ? 1 : 0;
}
