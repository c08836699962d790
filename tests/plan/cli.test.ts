import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { CliIo } from "../../src/plan/cli";
import { craftedRoot } from "./fixtures/craftedRoot";

/** Stack files for the bad-input cases, next to a copy of the real Pulumi.yaml. */
const root = mkdtempSync(join(tmpdir(), "emr-cli-"));
copyFileSync("Pulumi.yaml", join(root, "Pulumi.yaml"));
writeFileSync(join(root, "Pulumi.broken.yaml"), "config:\n  emr:cloud: aws\n   aws:region: [unclosed\n");
writeFileSync(join(root, "Pulumi.onezone.yaml"), "config:\n  aws:region: us-east-1\n  emr:cloud: aws\n  emr:zones: 1\n  emr:alertEmail: a@b.org\n");

const crafted = craftedRoot();

const cli = (...argv: string[]) => cliIn(root, ...argv);

async function cliIn(dir: string, ...argv: string[]) {
    vi.resetModules();
    const { runCli } = await import("../../src/plan/cli");
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { root: dir, print: (t) => out.push(t), error: (t) => err.push(t), loadProgram: (path) => import(path) };
    return { code: await runCli(argv, io), out: out.join("\n"), err };
}

describe("plan command on bad input: one line, exit 2, no stack trace", () => {
    it.each([
        [["--stack", "nope"], 'emr plan: unknown stack "nope": no Pulumi.nope.yaml (stacks: broken, onezone)'],
        [["--stack", "broken"], "emr plan: "],
        [["--stack", "onezone"], "emr plan: config emr:zones: got 1; allowed: 2 or 3"],
        [["--compare", "onezone"], "emr plan: --compare needs two stack names"],
        [["--bogus"], "emr plan: Unknown option '--bogus'"],
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
