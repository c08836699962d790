import * as pulumi from "@pulumi/pulumi";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { CliIo } from "../../src/plan/cli";
import { runStack } from "../harness";

const out = mkdtempSync(join(tmpdir(), "emr-check-"));
const dataNsg = "azure-native:network:NetworkSecurityGroup::emr-net-data-nsg";

/**
 * A deliberate regression in the real program: the data subnet's NSG gets a service tag in its
 * plural source field, through a stack transformation registered where the CLI loads the program
 * (the one seam `runCli` already offers tests).
 */
const serviceTagInPluralField: pulumi.ResourceTransformation = ({ type, name, props, opts }) => {
    if (`${type}::${name}` !== dataNsg) return undefined;
    const [first, ...rest] = props.securityRules;
    return { props: { ...props, securityRules: [{ ...first, sourceAddressPrefix: undefined, sourceAddressPrefixes: ["VirtualNetwork"] }, ...rest] }, opts };
};

async function check(regression?: pulumi.ResourceTransformation) {
    vi.resetModules();
    const { runCli } = await import("../../src/plan/cli");
    const err: string[] = [];
    const io: CliIo = {
        root: process.cwd(),
        print: () => undefined,
        error: (t) => err.push(t),
        // The regression runs the program through the CLI's own loading; the stack as it stands
        // is the same run every other test uses (the run cache).
        loadProgram: (path) => {
            if (regression) pulumi.runtime.registerStackTransformation(regression);
            return import(path);
        },
        ...(regression ? {} : { run: async (config: Record<string, string>, stack: string) => (await runStack(config, stack)).run }),
    };
    return { code: await runCli(["--stack", "azure-dev", "--check", "--out", out], io), err };
}

describe("plan --check runs the deploy rules", () => {
    it("fails on a deliberate regression, naming the rule, the resource and the value", { timeout: 60_000 }, async () => {
        const { code, err } = await check(serviceTagInPluralField);
        expect(code).toBe(1);
        const line = err.find((l) => l.includes(dataNsg));
        expect(line).toMatch(/^emr plan azure-dev: FAIL: deploy rule DEPLOY-AZ-NSG-PLURAL-CIDR-ONLY fails on azure-native:network:NetworkSecurityGroup::emr-net-data-nsg: /);
        expect(line).toContain('sourceAddressPrefixes holds "VirtualNetwork"');
    });

    let clean: ReturnType<typeof check> | undefined;
    const withoutRegression = () => (clean ??= check());

    it("does not name that resource without the regression", { timeout: 60_000 }, async () => {
        const { err } = await withoutRegression();
        expect(err.filter((l) => l.includes(dataNsg))).toEqual([]);
    });

    it("passes on azure-dev as it stands", { timeout: 60_000 }, async () => {
        const { code, err } = await withoutRegression();
        // One verdict line on stderr, for CI logs that drop stdout.
        expect(err).toEqual(["emr plan azure-dev: pass: every tier serves after losing any one zone; no deploy or compliance rule fails"]);
        expect(code).toBe(0);
    });
});
