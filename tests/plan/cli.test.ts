import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { CliIo } from "../../src/plan/cli";

/** Stack files for the bad-input cases, next to a copy of the real Pulumi.yaml. */
const root = mkdtempSync(join(tmpdir(), "emr-cli-"));
copyFileSync("Pulumi.yaml", join(root, "Pulumi.yaml"));
writeFileSync(join(root, "Pulumi.broken.yaml"), "config:\n  emr:cloud: aws\n   aws:region: [unclosed\n");
writeFileSync(join(root, "Pulumi.onezone.yaml"), "config:\n  aws:region: us-east-1\n  emr:cloud: aws\n  emr:zones: 1\n  emr:alertEmail: a@b.org\n");

async function cli(...argv: string[]) {
    vi.resetModules();
    const { runCli } = await import("../../src/plan/cli");
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { root, print: (t) => out.push(t), error: (t) => err.push(t), loadProgram: (path) => import(path) };
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
