import { basename } from "node:path";
import { parseArgs } from "node:util";

/** A problem with what the user asked for: printed as one line (plus a usage line if set), exit code 2. */
export class UsageError extends Error {
    constructor(
        message: string,
        readonly usageLine = false,
    ) {
        super(message);
    }
}

export const usageLine =
    "usage: npm run plan -- [--stack NAME]... [--all] [--tree] [--cost] [--json] [--out DIR] [--check] [--compliance] [--sarif FILE] [--max-monthly-usd N] [--diff OLD/plan.json] | --compare A B | --cloud-init aws|azure   (-h for help)";

export const help = `${usageLine}

Plans a stack offline (no cloud account, no cloud calls): what is built, what it costs a month,
what losing a zone does, the deploy rules and the HIPAA compliance controls. Writes the plan's
files into out/<stack>: plan.json (everything, with the cost: jq .cost.totalUsd), cost.txt (the
itemised cost), zones.md, compliance.md (the evidence report an auditor reads), and the
architecture diagram as architecture.mmd (Mermaid) and architecture.html (opens offline in any
browser: Mermaid is bundled); the last line of the summary lists them.

  --stack NAME         stack to plan: Pulumi.NAME.yaml (default aws-dev); the file name works too;
                       repeat it to plan several stacks
  --all                plan every Pulumi.<stack>.yaml of the project
  --tree               also print the resource tree and the resources per type
  --cost               also print the itemised monthly cost and its usage assumptions
  --json               print plan.json (with the cost) to stdout instead of the report;
                       several stacks: {"plans": [...]}
  --out DIR            where to write the files (default out/<stack>; several stacks: DIR/<stack>)
  --check              exit 1 if losing any one zone stops a tier, or an error-severity deploy or
                       compliance rule fails (exempt ones do not); one verdict line per stack on stderr
  --compliance         also print every compliance control: status, HIPAA paragraph, resources
                       judged, failures and exemptions (emr:complianceExemptions)
  --sarif FILE         write every rule's results as SARIF 2.1.0 (one run per stack), for code
                       scanning in review: failures as results, exempt ones suppressed with the reason
  --max-monthly-usd N  exit 1 if the monthly estimate is above N (one line on stderr)
  --diff OLD           what changed against a saved plan.json: resources added, removed and
                       changed, the monthly cost, zone survival and deploy rules
  --compare A B        plan two stacks and print them and their costs side by side
                       (with --check, --max-monthly-usd, --json, --out)
  --cloud-init CLOUD   print the rendered boot configuration (cloud-config) of the web servers of
                       CLOUD (aws or azure), from the stack's launch template / scale set
  -h, --help           this help

Exit codes: 0 ok, 1 a gate failed (--check, --max-monthly-usd), 2 a usage or config error.
Without the --: npm run plan:check (every stack, checked), plan:cost, plan:tree, plan:json,
plan:compare, plan:azure, plan:cloud-init:aws, plan:cloud-init:azure.`;

const options = {
    stack: { type: "string", multiple: true },
    all: { type: "boolean" },
    tree: { type: "boolean" },
    cost: { type: "boolean" },
    json: { type: "boolean" },
    out: { type: "string" },
    check: { type: "boolean" },
    compliance: { type: "boolean" },
    sarif: { type: "string" },
    "max-monthly-usd": { type: "string" },
    diff: { type: "string" },
    compare: { type: "boolean" },
    "cloud-init": { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

export interface PlanArgs {
    /** Stacks named with --stack or --compare; empty: the default (or --all). */
    stacks: string[];
    all: boolean;
    tree: boolean;
    cost: boolean;
    json: boolean;
    out: string | undefined;
    check: boolean;
    compliance: boolean;
    sarif: string | undefined;
    maxMonthlyUsd: number | undefined;
    diff: string | undefined;
    compare: boolean;
    cloudInit: "aws" | "azure" | undefined;
    help: boolean;
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const keep = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = keep;
        }
    }
    return row[b.length];
}

/** The closest of `choices` to `word`, if it is close enough to be a typo (or a prefix). */
export function closest(word: string, choices: string[]): string | undefined {
    const prefixed = choices.filter((c) => word.length >= 3 && c.startsWith(word));
    if (prefixed.length === 1) return prefixed[0];
    const [best] = [...choices].sort((a, b) => distance(word, a) - distance(word, b));
    return best !== undefined && distance(word, best) <= Math.max(1, Math.floor(best.length / 4)) ? best : undefined;
}

const longNames = Object.keys(options).map((o) => `--${o}`);

/** `Pulumi.aws-dev.yaml` (or a path to it) names the stack aws-dev. */
export const stackName = (arg: string): string => basename(arg).replace(/^Pulumi\.(.+)\.ya?ml$/, "$1");

/**
 * npm takes options written before `--` (`npm run plan --check`) as its own config: it warns
 * "Unknown cli config" and hands them to the script as npm_config_<name>=true, not as arguments
 * (npm 11.19.1, observed here: `npm run x --check` runs x with npm_config_check=true and no argv).
 * Without this check `npm run plan --check` would plan, not check, and exit 0.
 */
function swallowedByNpm(env: Record<string, string | undefined>): string[] {
    return Object.keys(options).filter((o) => env[`npm_config_${o.replace(/-/g, "_")}`] !== undefined);
}

export function parsePlanArgs(argv: string[], env: Record<string, string | undefined> = {}): PlanArgs {
    const swallowed = swallowedByNpm(env);
    if (swallowed.length) {
        const flags = swallowed.map((o) => `--${o}`).join(" ");
        throw new UsageError(`npm took ${flags} as its own option, so the plan never saw it: put -- before the plan's options (npm run plan -- ${flags} ...), or use a script such as npm run plan:check`, true);
    }
    const dashDash = argv.indexOf("--");
    const valued = Object.entries(options).flatMap(([o, spec]) => (spec.type === "string" ? [`--${o}`] : []));
    for (const [i, arg] of (dashDash < 0 ? argv : argv.slice(0, dashDash)).entries()) {
        // A value of a string option (`--max-monthly-usd -5`) is parseArgs' to judge, not an option.
        if (!arg.startsWith("-") || arg === "-" || valued.includes(argv[i - 1])) continue;
        const name = arg.split("=")[0];
        if (name === "-h" || longNames.includes(name)) continue;
        const guess = closest(name.replace(/^-+/, "--"), longNames);
        throw new UsageError(`unknown option ${name}${guess ? `; did you mean ${guess}?` : ""}`, true);
    }
    // parseArgs calls `--max-monthly-usd -5` ambiguous; a negative number is a value, and judged below.
    const joined = argv.flatMap((a, i) => (valued.includes(a) && /^-\d/.test(argv[i + 1] ?? "") ? [] : valued.includes(argv[i - 1]) && /^-\d/.test(a) ? [`${argv[i - 1]}=${a}`] : [a]));
    const { values, positionals } = parseArgs({ args: joined, allowPositionals: true, strict: true, options });
    const max = values["max-monthly-usd"];
    const budget = max === undefined ? undefined : Number(max);
    if (budget !== undefined && !(max!.trim() !== "" && Number.isFinite(budget) && budget >= 0)) {
        throw new UsageError(`--max-monthly-usd: got "${max}"; allowed: a number of US dollars >= 0, e.g. --max-monthly-usd 1200`);
    }
    const cloud = values["cloud-init"];
    if (cloud !== undefined && cloud !== "aws" && cloud !== "azure") throw new UsageError(`--cloud-init: got "${cloud}"; allowed: aws or azure`);
    const args: PlanArgs = {
        stacks: (values.stack ?? []).map(stackName),
        all: values.all ?? false,
        tree: values.tree ?? false,
        cost: values.cost ?? false,
        json: values.json ?? false,
        out: values.out,
        check: values.check ?? false,
        compliance: values.compliance ?? false,
        sarif: values.sarif,
        maxMonthlyUsd: budget,
        diff: values.diff,
        compare: values.compare ?? false,
        cloudInit: cloud,
        help: values.help ?? false,
    };
    if (args.compare) {
        if (positionals.length !== 2 || args.stacks.length) throw new UsageError("--compare needs two stack names and no --stack, e.g. --compare aws-dev azure-dev");
        args.stacks = positionals.map(stackName);
    } else if (positionals.length) {
        throw new UsageError(`unexpected argument "${positionals[0]}"${positionals.length === 1 ? `; did you mean --stack ${positionals[0]}?` : ""}`, true);
    }
    refuseCombinations(args);
    return args;
}

/** Flags that cannot work together fail with a message; none is silently ignored. */
function refuseCombinations(a: PlanArgs): void {
    const several = a.compare || a.all || a.stacks.length > 1;
    if (a.all && a.stacks.length) throw new UsageError("--all plans every stack; drop --stack (or drop --all)");
    if (a.json && a.tree) throw new UsageError("--tree prints text; --json already holds every resource (plan.json .resources)");
    if (a.json && a.compliance) throw new UsageError("--compliance prints text; --json already holds every control (plan.json .rules, category compliance)");
    if (a.diff !== undefined && several) throw new UsageError("--diff compares one stack with a saved plan.json: give one --stack");
    if (a.cloudInit) {
        const others = (["all", "tree", "cost", "json", "out", "check", "compliance", "sarif", "maxMonthlyUsd", "diff", "compare"] as const).filter((k) => a[k] !== undefined && a[k] !== false);
        if (others.length || a.stacks.length > 1) throw new UsageError("--cloud-init prints only the boot configuration: use it with --stack at most");
    }
}
