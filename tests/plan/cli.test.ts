import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { CliIo } from "../../src/plan/cli";
import { runStack } from "../harness";
import { craftedRoot } from "./fixtures/craftedRoot";

/** Stack files for the bad-input cases, next to a copy of the real Pulumi.yaml. */
const root = mkdtempSync(join(tmpdir(), "emr-cli-"));
copyFileSync("Pulumi.yaml", join(root, "Pulumi.yaml"));
writeFileSync(join(root, "Pulumi.broken.yaml"), "config:\n  emr:cloud: aws\n   aws:region: [unclosed\n");
// The aws-dev preset as it is, and with the cheap single-NAT egress that a zone loss takes down.
const awsDev = readFileSync("Pulumi.aws-dev.yaml", "utf8");
const planRoot = mkdtempSync(join(tmpdir(), "emr-cli-plan-"));
copyFileSync("Pulumi.yaml", join(planRoot, "Pulumi.yaml"));
writeFileSync(join(planRoot, "Pulumi.ok.yaml"), awsDev);
writeFileSync(join(planRoot, "Pulumi.singlenat.yaml"), `${awsDev.trimEnd()}\n  emr:egress: single-nat\n`);
writeFileSync(join(root, "Pulumi.onezone.yaml"), "config:\n  aws:region: us-east-1\n  emr:cloud: aws\n  emr:zones: 1\n  emr:alertEmail: a@b.org\n");

const crafted = craftedRoot();

const cli = (...argv: string[]) => cliIn(root, ...argv);

async function cliIn(dir: string, ...argv: string[]) {
    vi.resetModules();
    const { runCli } = await import("../../src/plan/cli");
    const out: string[] = [];
    const err: string[] = [];
    // Runs come from the tests' run cache (a run is a pure function of sources and config);
    // tests/policy/checkCli.test.ts drives the CLI's own program loading.
    const io: CliIo = {
        root: dir,
        print: (t) => out.push(t),
        error: (t) => err.push(t),
        loadProgram: () => Promise.reject(new Error("runs come from io.run")),
        run: async (config, stack) => (await runStack(config, stack)).run,
    };
    return { code: await runCli(argv, io), out: out.join("\n"), err };
}

describe("plan command on bad input: one line, exit 2, no stack trace", () => {
    it.each([
        [["--stack", "nope"], 'emr plan: unknown stack "nope": no Pulumi.nope.yaml (stacks: broken, onezone)'],
        [["--stack", "broken"], "emr plan: "],
        [["--stack", "onezone"], "emr plan: config emr:zones: got 1; allowed: 2 or 3"],
        [["--compare", "onezone"], "emr plan: --compare needs two stack names"],
    ])("%j", async (argv, message) => {
        const { code, err } = await cli(...argv);
        expect(code).toBe(2);
        expect(err).toHaveLength(1);
        expect(err[0].startsWith(message)).toBe(true);
        expect(err[0]).not.toMatch(/\n|    at /);
    });

    it("names the file of malformed YAML", async () => {
        const { err } = await cli("--stack", "broken");
        expect(err[0]).toContain("Pulumi.broken.yaml is not valid YAML");
    });
});

describe("plan command on a stack `pulumi up` would refuse: the CLI's message, one line, exit 2", () => {
    it.each([
        ["no-cloud", "emr plan: validating stack config: Stack 'no-cloud' is missing configuration value 'cloud'"],
        ["zones-text", "emr plan: validating stack config: Stack 'zones-text' with configuration key 'zones' must be of type 'integer'"],
        ["bad-key", "emr plan: getting stack configuration: could not parse emr:web:size as a configuration key"],
    ])("%s", async (stack, message) => {
        const { code, err } = await cliIn(crafted, "--stack", stack);
        expect(code).toBe(2);
        expect(err).toHaveLength(1);
        expect(err[0].startsWith(message)).toBe(true);
        expect(err[0]).not.toMatch(/\n|    at /);
    });
});

describe("plan command on a stack without the on-call address", () => {
    it("plans with a labelled stand-in, says so first, and records it in plan.json", async () => {
        const out = mkdtempSync(join(tmpdir(), "emr-cli-out-"));
        const { code, out: text } = await cliIn(crafted, "--stack", "no-email", "--out", out);
        expect(code).toBe(0);
        const lines = text.split("\n");
        expect(lines[2]).toBe("CONFIG PLACEHOLDERS: this plan stands in for values it does not have:");
        expect(lines[3]).toContain("emr:alertEmail (not set): planned with set-emr-alertEmail@placeholder.invalid; `pulumi up` stops on this stack until it is set: pulumi config set emr:alertEmail <on-call address>");
        const plan = JSON.parse(readFileSync(join(out, "plan.json"), "utf8"));
        expect(plan.configPlaceholders).toEqual([expect.objectContaining({ key: "emr:alertEmail", reason: "not-set" })]);
    });
});

// newcomer.md section 4: every CLI mistake marked unclear or wrong gets a clear message or works.
describe("CLI mistakes (newcomer.md section 4)", () => {
    it.each([
        // #2, #3: Node's parseArgs text, with advice about positionals, became a suggestion and a usage line.
        [["--stak", "azure-dev"], "emr plan: unknown option --stak; did you mean --stack?"],
        [["--chek"], "emr plan: unknown option --chek; did you mean --check?"],
        [["--max-monthly", "5"], "emr plan: unknown option --max-monthly; did you mean --max-monthly-usd?"],
        [["--bogus"], "emr plan: unknown option --bogus"],
        // #5: a stack given without --stack
        [["azure-dev"], 'emr plan: unexpected argument "azure-dev"; did you mean --stack azure-dev?'],
    ])("%j: the mistake, a suggestion, then one usage line; exit 2", async (argv, message) => {
        const { code, err } = await cli(...argv);
        expect(code).toBe(2);
        expect(err).toEqual([message, expect.stringMatching(/^usage: npm run plan -- \[--stack NAME\].* \(-h for help\)$/)]);
    });

    it.each([["-h"], ["--help"]])("%s prints the help, exit 0 (#4)", async (flag) => {
        const { code, out, err } = await cli(flag);
        expect(code).toBe(0);
        expect(err).toEqual([]);
        expect(out).toMatch(/^usage: npm run plan -- /);
        for (const option of ["--check", "--max-monthly-usd", "--diff", "--cloud-init", "--tree", "npm run plan:check"]) expect(out).toContain(option);
    });

    it.each([
        // #7: `npm run plan --check` ran the plan without checking and exited 0.
        [{ npm_config_check: "true" }, [], "--check"],
        // #6: `npm run plan --stack azure-dev` left "azure-dev" as a stray argument.
        [{ npm_config_stack: "true" }, ["azure-dev"], "--stack"],
        [{ npm_config_max_monthly_usd: "true" }, ["900"], "--max-monthly-usd"],
    ])("an option npm swallowed (%j) is refused with the fix, exit 2 (#6, #7)", async (env, argv, flag) => {
        vi.resetModules();
        const { runCli } = await import("../../src/plan/cli");
        const err: string[] = [];
        const code = await runCli(argv, { root, print: () => {}, error: (t) => err.push(t), loadProgram: (p) => import(p), env });
        expect(code).toBe(2);
        expect(err[0]).toBe(
            `emr plan: npm took ${flag} as its own option, so the plan never saw it: put -- before the plan's options (npm run plan -- ${flag} ...), or use a script such as npm run plan:check`,
        );
    });

    it("suggests the stack a typo meant (#1, #11)", async () => {
        const { code, err } = await cli("--stack", "onezon");
        expect(code).toBe(2);
        expect(err).toEqual(['emr plan: unknown stack "onezon": no Pulumi.onezon.yaml; did you mean onezone? (stacks: broken, onezone)']);
    });

    it.each([
        [["--json", "--tree"], "emr plan: --tree prints text; --json already holds every resource (plan.json .resources)"],
        [["--compare", "a", "b", "--diff", "x.json"], "emr plan: --diff compares one stack with a saved plan.json: give one --stack"],
        [["--compare", "a", "b", "--stack", "c"], "emr plan: --compare needs two stack names and no --stack"],
        [["--cloud-init", "aws", "--check"], "emr plan: --cloud-init prints only the boot configuration: use it with --stack at most"],
        [["--cloud-init", "gcp"], 'emr plan: --cloud-init: got "gcp"; allowed: aws or azure'],
        [["--max-monthly-usd", "lots"], 'emr plan: --max-monthly-usd: got "lots"; allowed: a number of US dollars >= 0'],
        [["--max-monthly-usd", "-5"], 'emr plan: --max-monthly-usd: got "-5"; allowed: a number of US dollars >= 0'],
        [["--all", "--stack", "onezone"], "emr plan: --all plans every stack; drop --stack"],
        [["--json", "--compliance"], "emr plan: --compliance prints text; --json already holds every control (plan.json .rules, category compliance)"],
        [["--cloud-init", "aws", "--sarif", "x.sarif"], "emr plan: --cloud-init prints only the boot configuration: use it with --stack at most"],
    ])("%j cannot combine or has a bad value: one line, exit 2, before any planning (#12, #13)", async (argv, message) => {
        const { code, err } = await cli(...argv);
        expect(code).toBe(2);
        expect(err).toHaveLength(1);
        expect(err[0].startsWith(message)).toBe(true);
    });

    it.each([
        // #14: a file as --out printed EEXIST and a stack trace; #15: procfs hung at 100% CPU.
        ["README.md-like file", () => join(root, "Pulumi.yaml"), /^emr plan: --out .*Pulumi\.yaml: .*Pulumi\.yaml is a file, not a folder$/],
        ["a folder inside a file", () => join(root, "Pulumi.yaml", "sub"), /^emr plan: --out .*sub: .*Pulumi\.yaml is a file, not a folder$/],
        ["procfs", () => "/proc/self/x/y", /^emr plan: --out \/proc\/self\/x\/y: cannot create \/proc\/self\/x: .*\(ENOENT\)$/],
    ])("--out into %s: one line, exit 2, fast", async (_, dir, message) => {
        const started = Date.now();
        const { code, err } = await cli("--stack", "onezone", "--out", dir());
        expect(code).toBe(2);
        expect(err).toHaveLength(1);
        expect(err[0]).toMatch(message);
        expect(Date.now() - started).toBeLessThan(5000);
    });

    it.each([
        ["procfs", "/proc/self/x/emr.sarif", /^emr plan: --sarif \/proc\/self\/x\/emr\.sarif: cannot create \/proc\/self\/x: .*\(ENOENT\)$/],
        ["a folder inside a file", join(root, "Pulumi.yaml", "emr.sarif"), /^emr plan: --sarif .*emr\.sarif: .*Pulumi\.yaml is a file, not a folder$/],
    ])("--sarif into %s: one line, exit 2, before any planning", async (_, file, message) => {
        const { code, err } = await cli("--stack", "onezone", "--sarif", file);
        expect(code).toBe(2);
        expect(err).toHaveLength(1);
        expect(err[0]).toMatch(message);
    });

    it("--diff of a file that is not a plan.json: one line, exit 2", async () => {
        const { code, err } = await cli("--stack", "onezone", "--diff", join(root, "Pulumi.yaml"));
        expect(code).toBe(2);
        expect(err).toEqual([`emr plan: --diff ${join(root, "Pulumi.yaml")}: not JSON; give a plan.json the plan wrote (out/<stack>/plan.json)`]);
    });
});

describe("the plan as CI and a reviewer use it", () => {
    const saved = mkdtempSync(join(tmpdir(), "emr-cli-saved-"));
    let ok: Awaited<ReturnType<typeof cliIn>>;
    let singleNat: Awaited<ReturnType<typeof cliIn>>;
    beforeAll(async () => {
        // The file name of a stack is accepted as its name (#9).
        ok = await cliIn(planRoot, "--stack", "Pulumi.ok.yaml", "--check", "--max-monthly-usd", "100000", "--tree", "--out", saved);
        singleNat = await cliIn(planRoot, "--stack", "singlenat", "--check", "--max-monthly-usd", "100", "--diff", join(saved, "plan.json"), "--out", join(saved, "next"));
    }, 120_000);

    it("--check passes with one verdict line on stderr, naming what it checked (#16)", () => {
        expect(ok.code).toBe(0);
        expect(ok.err).toEqual([expect.stringMatching(/^emr plan ok: pass: every tier serves after losing any one zone; no deploy or compliance rule fails; \$[\d.]+ a month is within 100000$/)]);
    });

    it("--check and --max-monthly-usd fail with one line naming the tier, the zone and the budget, exit 1 (#16)", () => {
        expect(singleNat.code).toBe(1);
        expect(singleNat.err).toEqual([
            expect.stringMatching(/^emr plan singlenat: FAIL: losing us-east-1a stops egress \(DOWN, not recovered\); \$[\d.]+ a month is above --max-monthly-usd 100$/),
        ]);
    });

    it("opens with the summary: tiers in words, cost with range and unverified share, zone verdict, outputs, files", () => {
        const lines = ok.out.split("\n");
        expect(lines[0]).toBe("Plan of stack ok: AWS us-east-1 over zones us-east-1a, us-east-1b (offline, no cloud calls)");
        expect(ok.out).not.toMatch(/mocks/);
        const at = (label: string) => lines.findIndex((l) => l.startsWith(label));
        const order = ["Ingress ", "Web ", "Egress ", "Database ", "Shared files ", "Monthly cost ", "Zone loss ", "Availability ", "Deploy rules ", "Outputs ", "Wrote ", "Loss of one zone"];
        expect(order.map(at)).toEqual([...order.map(at)].sort((a, b) => a - b));
        expect(order.map(at).every((i) => i > 0)).toBe(true);
        expect(lines[at("Web ")]).toMatch(/^Web\s+2-6 Arm servers \(t4g\.large\) over us-east-1a, us-east-1b/);
        expect(lines[at("Monthly cost ")]).toMatch(/^Monthly cost\s+\$[\d,.]+ a month at 2 servers, up to \$[\d,.]+ at 6 \(us-east-1 list prices of /);
        // aws-dev has no unverified price; the share's own wording is pinned on azure-dev's in tests/plan/report/summary.test.ts.
        expect(lines[at("Monthly cost ") + 1]).toMatch(/^\s+none of it rests on an unverified price/);
        expect(ok.out).toMatch(/by tier: .*data transfer \$/);
        expect(lines[at("Zone loss ")]).toMatch(/every tier keeps serving after the loss of any one zone; .*web degraded \(1 of 2 servers left\) until replacements serve/);
        expect(lines[at("Availability ")]).toContain("the level below which the providers owe service credits, not a cap on downtime");
        expect(lines[at("Outputs ")]).toMatch(/^Outputs\s+url: https:\/\//);
        expect(lines[at("Wrote ")]).toBe(`Wrote         ${saved}/: plan.json, cost.txt, architecture.mmd, architecture.html, zones.md, compliance.md`);
    });

    it("words mean one thing: degraded web, no RPO on stateless tiers, no bare 'none', a legend", () => {
        const zoneTable = ok.out.slice(ok.out.indexOf("Loss of one zone"), ok.out.indexOf("Availability (SLA chain"));
        expect(zoneTable).toMatch(/degraded, full in 20 s-320 s/);
        expect(zoneTable).not.toMatch(/(ingress|web|egress):.*RPO/);
        expect(zoneTable).not.toMatch(/\bnone\b(?! *$)/m);
        expect(singleNat.out).toMatch(/DOWN, not recovered/);
        expect(ok.out).toContain("verified: read at a primary source");
        expect(ok.out).toContain("DOWN, not recovered: stops serving; nothing takes over until the zone returns");
    });

    it("counts agree and say what they count (#1 of section 3)", () => {
        const plan = JSON.parse(readFileSync(join(saved, "plan.json"), "utf8"));
        const resources = plan.resources.filter((r: { placement: { kind: string } }) => r.placement.kind !== "component").length;
        const components = plan.resources.length - resources;
        expect(ok.out).toContain(`${resources} resources, grouped in ${components} tier components`);
        expect(ok.out).toMatch(new RegExp(`total \\(tier components not counted\\)\\s+${resources}$`, "m"));
        expect(plan.cost.lines.length - 1 + plan.cost.free.length + plan.cost.notPriced.length).toBe(resources);
    });

    it("prints the tree only with --tree", () => {
        expect(ok.out).toContain("Resources per type");
        expect(singleNat.out).not.toContain("Resources per type");
        expect(singleNat.out).toContain("tree and per-type table: --tree");
    });

    it("--diff shows what the change removes, what it does to the bill and to zone survival", () => {
        const diff = singleNat.out.slice(singleNat.out.indexOf("Changes of singlenat against"));
        expect(diff).toMatch(/^Changes of singlenat against .*plan\.json: 0 resources added, [1-9]\d* removed, [1-9]\d* changed/);
        expect(diff).toMatch(/^ {2}- emr-net-nat-1 {2}aws:ec2\/natGateway:NatGateway$/m);
        expect(diff).toMatch(/^Monthly cost: \$[\d.]+ -> \$[\d.]+ \(-\$[\d.]+\)$/m);
        expect(diff).toMatch(/^Zone loss: us-east-1a lost, egress: no interruption -> DOWN, not recovered/m);
        expect(diff).toMatch(/^Built, egress: a NAT gateway in each zone -> 1 NAT gateway\(s\) in us-east-1a/m);
    });
});

describe("--compare with the CI flags (#12, #13)", () => {
    it("checks both stacks (one verdict each, exit 1 when either fails) and gives JSON with --json", async () => {
        const out = mkdtempSync(join(tmpdir(), "emr-cli-compare-"));
        const { code, out: text, err } = await cliIn(planRoot, "--compare", "ok", "singlenat", "--check", "--json", "--out", out);
        expect(code).toBe(1);
        expect(err).toEqual([expect.stringMatching(/^emr plan ok: pass: /), expect.stringMatching(/^emr plan singlenat: FAIL: losing us-east-1a stops egress/)]);
        const json = JSON.parse(text);
        expect(json.plans.map((p: { stack: string; cost: { totalUsd: number } }) => [p.stack, p.cost.totalUsd > 0])).toEqual([
            ["ok", true],
            ["singlenat", true],
        ]);
        expect(readFileSync(join(out, "singlenat", "plan.json"), "utf8")).toContain('"stack": "singlenat"');
    }, 120_000);
});

describe("--cloud-init", () => {
    it("prints the stack's decoded boot configuration, and refuses a stack of the other cloud", async () => {
        const aws = await cliIn(planRoot, "--cloud-init", "aws", "--stack", "ok");
        expect(aws.code).toBe(0);
        expect(aws.out.startsWith("#cloud-config\n")).toBe(true);
        expect(aws.out).toContain("amazon-efs-utils");
        const wrong = await cliIn(planRoot, "--cloud-init", "azure", "--stack", "ok");
        expect(wrong.code).toBe(2);
        expect(wrong.err).toEqual(["emr plan: --cloud-init azure: stack ok is aws; name a azure stack with --stack, or use --cloud-init aws"]);
    }, 120_000);
});
