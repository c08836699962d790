import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { configDefaults, validateConfig } from "../../src/config/validate";
import { secureStandIn, userSuppliedKeys } from "../../src/plan/configPlaceholders";
import { loadProject, loadStackConfig } from "../../src/plan/stackConfig";
import { craftedRoot } from "./fixtures/craftedRoot";

const repoStacks = readdirSync(".").flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);

const root = craftedRoot();

describe("the repo's stack files under the Pulumi CLI's rules", () => {
    it("has the four stacks", () => {
        expect(repoStacks.sort()).toEqual(["aws-dev", "aws-prod", "azure-dev", "azure-prod"]);
    });

    it.each(repoStacks)("%s: `pulumi up` accepts it; the plan stands in only for keys only the user supplies, and the program accepts the stand-in", (stack) => {
        const { config, placeholders } = loadStackConfig(".", stack);
        expect(placeholders.every((p) => p.key in userSuppliedKeys && p.reason === "not-set")).toBe(true);
        expect(() => validateConfig(config)).not.toThrow();
    });

    it.each(repoStacks)("%s carries no address on a reserved domain (RFC 2606 / RFC 6761), which no mail reaches", (stack) => {
        const text = readFileSync(`Pulumi.${stack}.yaml`, "utf8");
        expect(text).not.toMatch(/@([a-z0-9-]+\.)*(example(\.(org|com|net))?|invalid|test|localhost)\b/i);
    });

    it("declares only keys the program knows, and without a default only keys every stack file sets", () => {
        const project = loadProject(".");
        for (const key of Object.keys(project.config)) expect(configDefaults).toHaveProperty(key);
        const required = Object.entries(project.config).filter(([, d]) => d.default === undefined && d.value === undefined).map(([k]) => `emr:${k}`);
        expect(required).toEqual(["emr:cloud"]);
        for (const stack of repoStacks) {
            const written = Object.keys((load(readFileSync(`Pulumi.${stack}.yaml`, "utf8")) as { config: object }).config);
            expect(written).toEqual(expect.arrayContaining(required));
        }
    });

    it("refuses the Pulumi.yaml of before issue 8 as the CLI did (optional keys declared with no default)", () => {
        expect(() => loadStackConfig(join(__dirname, "fixtures", "before-issue-8"), "aws-dev")).toThrow(
            "validating stack config: Stack 'aws-dev' is missing configuration values 'certificate', 'dbInstanceType', 'dnsZoneId', 'domain' and 'webInstanceType'",
        );
    });
});

describe("crafted stacks (tests/plan/fixtures/stacks)", () => {
    it.each([
        ["no-cloud", "validating stack config: Stack 'no-cloud' is missing configuration value 'cloud'"],
        ["zones-text", "validating stack config: Stack 'zones-text' with configuration key 'zones' must be of type 'integer'"],
        ["cidrs-string", "validating stack config: Stack 'cidrs-string' with configuration key 'allowedCidrs' must be of type 'array<string>'"],
        ["bad-key", "getting stack configuration: could not parse emr:web:size as a configuration key (configuration keys should be of the form `<namespace>:<name>`)"],
    ])("%s is refused with the CLI's message", (stack, message) => {
        expect(() => loadStackConfig(root, stack)).toThrow(message);
    });

    it("stands in for encrypted values: a valid placeholder address for the on-call key, a label for the rest", () => {
        const { config, placeholders } = loadStackConfig(root, "secure-email");
        expect(config["emr:alertEmail"]).toBe(userSuppliedKeys["emr:alertEmail"].placeholder);
        expect(config["aws:secretKey"]).toBe(secureStandIn);
        expect(placeholders.map((p) => [p.key, p.reason])).toEqual([
            ["aws:secretKey", "encrypted"],
            ["emr:alertEmail", "encrypted"],
        ]);
        expect(validateConfig(config).alertEmail).toMatch(/\.invalid$/);
    });

    it("stands in for an unset on-call address and says what `pulumi up` needs", () => {
        const { config, placeholders } = loadStackConfig(root, "no-email");
        expect(config["emr:alertEmail"]).toMatch(/@placeholder\.invalid$/);
        expect(placeholders).toEqual([
            {
                key: "emr:alertEmail",
                plannedWith: config["emr:alertEmail"],
                reason: "not-set",
                action: "`pulumi up` stops on this stack until it is set: pulumi config set emr:alertEmail <on-call address>",
            },
        ]);
    });
});
