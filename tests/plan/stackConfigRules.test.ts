import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { formatMissingKeys, mergeConfig, readStackConfig } from "../../src/plan/pulumiRules/merge";
import { parseProject } from "../../src/plan/pulumiRules/project";

/**
 * The port of the Pulumi CLI's config rules checked against the CLI's own tests: each case below is
 * a test of pulumi/pulumi v3.248.0 sdk/go/common/workspace/project_test.go (named in the title),
 * with its YAML and its expectation. Where Go asserts ErrorContains we do too; the merge messages
 * are asserted whole.
 */

const project = (yaml: string) => parseProject(load(yaml), "Pulumi.yaml");

/** loadProjectFromText + loadProjectStackFromText + ValidateStackConfigAndApplyProjectConfig("dev", ...). */
function merge(projectYaml: string, stackYaml: string): Record<string, string> {
    const p = project(projectYaml);
    const stack = readStackConfig(p.name, (load(stackYaml) as { config?: unknown } | undefined)?.config);
    return Object.fromEntries([...mergeConfig("dev", p, stack)].map(([k, v]) => [k, v.text]));
}
const refusal = (projectYaml: string, stackYaml: string) => {
    try {
        merge(projectYaml, stackYaml);
    } catch (e) {
        return (e as Error).message;
    }
    throw new Error("the CLI's rules accepted the stack");
};

describe("Pulumi.yaml declarations (project_test.go)", () => {
    it("TestProjectValidationSucceedsForObjectConfigType", () => {
        expect(() => project("name: test\nruntime: dotnet\nconfig:\n  example:\n    type: object\n    default: {hello: world}\n")).not.toThrow();
    });

    it("TestProjectValidationFailsForIncorrectDefaultValueType", () => {
        expect(() => project("name: test\nconfig:\n  instanceSize:\n    type: integer\n    default: hello\n")).toThrow(
            "The default value specified for configuration key 'instanceSize' is not of the expected type 'integer'",
        );
        expect(() => project("name: test\nconfig:\n  values:\n    type: array\n    items:\n      type: array\n      items:\n        type: string\n    default: [hello]\n")).toThrow(
            "The default value specified for configuration key 'values' is not of the expected type 'array<array<string>>'",
        );
    });

    it("TestProjectValidationSucceedsForCorrectDefaultValueType", () => {
        expect(() => project("name: test\nconfig:\n  instanceSize:\n    type: integer\n    default: 1\n")).not.toThrow();
        expect(() => project("name: test\nconfig:\n  values:\n    type: array\n    items:\n      type: array\n      items:\n        type: string\n    default: [[hello]]\n")).not.toThrow();
    });

    it("TestProjectLoadsConfigSchemas", () => {
        const p = project(`
name: test
runtime: dotnet
config:
  integerSchemaFull:
    type: integer
    description: a very important value
    default: 1
  integerSchemaSimple: 20
  textSchemaFull:
    type: string
    default: t3.micro
  textSchemaSimple: t4.large
  booleanSchemaFull:
    type: boolean
    default: true
  booleanSchemaSimple: false
  simpleArrayOfStrings:
    type: array
    items:
      type: string
    default: [hello]
  arrayOfArrays:
    type: array
    items:
      type: array
      items:
        type: string
  secretString:
    type: string
    secret: true
`);
        expect(Object.keys(p.config)).toHaveLength(9);
        expect(p.config.integerSchemaFull).toMatchObject({ type: "integer", description: "a very important value", default: 1 });
        expect(p.config.integerSchemaSimple).toEqual({ default: 20 });
        expect(p.config.textSchemaSimple).toEqual({ default: "t4.large" });
        expect(p.config.booleanSchemaSimple).toEqual({ default: false });
        expect(p.config.simpleArrayOfStrings).toMatchObject({ type: "array", items: { type: "string" }, default: ["hello"] });
        expect(p.config.arrayOfArrays.items).toEqual({ type: "array", items: { type: "string" } });
        expect(p.config.secretString).toEqual({ type: "string", secret: true });
    });

    it.each([
        ["TestNamespacedProjectConfigShouldNotBeExplicitlyTyped", "  aws:region:\n    type: string\n    value:\n      region: us-west-1\n", "Configuration key 'aws:region' is not namespaced by the project and should not define a type"],
        ["TestProjectConfigCannotHaveBothValueAndDefault", "  instanceSize:\n    type: string\n    default: t3.micro\n    value: t4.large\n", "project config 'instanceSize' cannot have both a 'default' and 'value' attribute"],
        ["TestProjectConfigCannotBeTypedArrayWithoutItems", "  instanceSize:\n    type: array\n    default: [t3.micro, t4.large]\n", "The configuration key 'instanceSize' declares an array but does not specify the underlying type via the 'items' attribute"],
        ["TestNamespacedProjectConfigShouldNotBeProvideDefault", "  aws:region:\n    default: us-west-1\n", "Configuration key 'aws:region' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?"],
    ])("%s", (_, config, message) => {
        expect(() => project(`name: test\nruntime: dotnet\nconfig:\n${config}`)).toThrow(`could not unmarshal 'Pulumi.yaml': ${message}`);
    });

    it("refuses what project.json does not allow (a misspelt attribute, an unknown type, a float shorthand)", () => {
        expect(() => project("name: test\nconfig:\n  zones:\n    type: integer\n    defualt: 2\n")).toThrow("could not validate 'Pulumi.yaml': #/config/zones: additionalProperties 'defualt' not allowed");
        expect(() => project("name: test\nconfig:\n  zones:\n    type: number\n")).toThrow("#/config/zones/type: value must be one of");
        expect(() => project("name: test\nconfig:\n  ratio: 1.5\n")).toThrow("#/config/ratio: expected a string, integer, boolean, array");
        expect(() => project("runtime: nodejs\n")).toThrow("project is missing a 'name' attribute");
    });
});

describe("stack config merged and validated as `pulumi up` does (project_test.go)", () => {
    it("TestStackConfigIsInheritedFromProjectConfig", () => {
        expect(merge("name: test\nconfig:\n  instanceSize: t3.micro\n  instanceCount: 20\n  protect: true", "config:\n  test:instanceSize: t4.large")).toEqual({
            "test:instanceSize": "t4.large",
            "test:instanceCount": "20",
            "test:protect": "true",
        });
    });

    it("TestNamespacedConfigValuesAreInheritedCorrectly", () => {
        const config = merge('name: test\nconfig:\n  aws:region: us-west-1\n  pulumi:disable-default-providers: ["*"]\n  instanceSize: t3.micro', "config:\n  test:instanceSize: t4.large");
        expect(config).toEqual({ "test:instanceSize": "t4.large", "aws:region": "us-west-1", "pulumi:disable-default-providers": '["*"]' });
    });

    it("TestLoadingStackConfigWithoutNamespacingTheProject", () => {
        expect(merge("name: test\nconfig:\n  aws:region: us-west-1\n  instanceSize: t3.micro", "config:\n  instanceSize: t4.large")).toEqual({
            "test:instanceSize": "t4.large",
            "aws:region": "us-west-1",
        });
    });

    it("TestUntypedProjectConfigValuesAreNotValidated", () => {
        expect(merge("name: test\nconfig:\n  instanceSize: t3.micro\n  aws:region: us-west-1", "config:\n  instanceSize: 9999\n  aws:region: 42")).toEqual({
            "test:instanceSize": "9999",
            "aws:region": "42",
        });
    });

    it("TestUntypedProjectConfigValuesWithOnlyDefaultOrOnlyValue", () => {
        expect(merge("name: test\nconfig:\n  instanceSize:\n    default: t3.micro\n  region:\n    value: us-west-1", "config:\n  aws:answer: 42")).toEqual({
            "test:instanceSize": "t3.micro",
            "test:region": "us-west-1",
            "aws:answer": "42",
        });
    });

    it("TestUntypedStackConfigValuesDoNeedProjectDeclaration", () => {
        expect(merge("name: test\nconfig:\n  createVpc: true", "config:\n  instanceSize: 42")).toEqual({ "test:instanceSize": "42", "test:createVpc": "true" });
    });

    it("TestUntypedProjectConfigObjectValuesPassedDownToStack", () => {
        expect(merge("name: test\nconfig:\n  instanceSize:\n    value:\n      hello: world\n  aws:config:\n    value:\n      region: us-west-1", "config:\n  aws:whatever: 42")).toEqual({
            "test:instanceSize": '{"hello":"world"}',
            "aws:config": '{"region":"us-west-1"}',
            "aws:whatever": "42",
        });
    });

    it("TestStackConfigErrorsWhenStackValueIsNotCorrectlyTyped", () => {
        expect(refusal("name: test\nconfig:\n  values:\n    type: array\n    items:\n      type: string\n    default: [value]", "config:\n  test:values: someValue\n")).toBe(
            "Stack 'dev' with configuration key 'values' must be of type 'array<string>'",
        );
    });

    it("TestStackConfigIntegerTypeIsCorrectlyValidated", () => {
        const declared = "name: test\nconfig:\n  importantNumber:\n    type: integer\n";
        expect(merge(declared, "config:\n  test:importantNumber: 20\n")).toEqual({ "test:importantNumber": "20" });
        expect(refusal(declared, "config:\n  test:importantNumber: hello\n")).toBe("Stack 'dev' with configuration key 'importantNumber' must be of type 'integer'");
    });

    it.each([
        ["TestStackConfigErrorsWhenMissingStackValueForConfigTypeWithNoDefault", "  values:\n    type: array\n    items:\n      type: string", "Stack 'dev' is missing configuration value 'values'"],
        ["TestStackConfigErrorsWhenMissingTwoStackValueForConfigTypeWithNoDefault", "  another:\n    type: string\n  values:\n    type: array\n    items:\n      type: string", "Stack 'dev' is missing configuration values 'another' and 'values'"],
        ["TestStackConfigErrorsWhenMissingMultipleStackValueForConfigTypeWithNoDefault", "  hello:\n    type: integer\n  values:\n    type: array\n    items:\n      type: string\n  world:\n    type: string", "Stack 'dev' is missing configuration values 'hello', 'values' and 'world'"],
    ])("%s", (_, config, message) => {
        expect(refusal(`name: test\nruntime: dotnet\nconfig:\n${config}`, "")).toBe(message);
    });

    it("TestStackConfigDoesNotErrorWhenProjectHasNotDefinedConfig", () => {
        expect(merge("name: test\nruntime: dotnet", "config:\n  hello: 21\n  world: 42\n  another: 42")).toEqual({ "test:hello": "21", "test:world": "42", "test:another": "42" });
    });

    it("TestStackConfigSecretIsCorrectlyValidated", () => {
        const declared = "name: test\nconfig:\n  importantNumber:\n    type: integer\n    secret: true\n";
        // Base64Crypter's "encryption" of "20" (the Go test's crypter).
        expect(() => merge(declared, "config:\n  test:importantNumber:\n    secure: MjA=\n")).not.toThrow();
        expect(refusal(declared, "config:\n  test:importantNumber: 20\n")).toBe("Stack 'dev' with configuration key 'importantNumber' must be encrypted as it's secret");
    });
});

describe("rules read from config.go that no Go test pins", () => {
    it("formats four missing keys with commas and a final 'and', sorted (config.go:29-50)", () => {
        expect(formatMissingKeys(["d", "b", "c", "a"])).toBe("'a', 'b', 'c' and 'd'");
    });

    it("puts a secret key's default on the stack in clear text, which the secret check then refuses (config.go:322-343, 132-138)", () => {
        expect(refusal("name: test\nconfig:\n  token:\n    type: string\n    secret: true\n    default: abc\n", "")).toBe(
            "Stack 'dev' with configuration key 'token' must be encrypted as it's secret",
        );
    });

    it("checks booleans and integers as the stack file's text (project.go:760-790)", () => {
        const declared = "name: test\nconfig:\n  flag:\n    type: boolean\n    default: false\n  count:\n    type: integer\n    default: 1\n";
        expect(merge(declared, "config:\n  test:flag: true\n  test:count: '+7'\n")).toEqual({ "test:flag": "true", "test:count": "+7" });
        expect(refusal(declared, "config:\n  test:flag: yes\n")).toBe("Stack 'dev' with configuration key 'flag' must be of type 'boolean'");
        expect(refusal(declared, "config:\n  test:count: 2.5\n")).toBe("Stack 'dev' with configuration key 'count' must be of type 'integer'");
    });

    it("reads `<namespace>:config:<name>` keys and refuses other keys with two colons (key.go:45-70)", () => {
        expect(merge("name: test", "config:\n  aws:config:region: us-east-1\n")).toEqual({ "aws:region": "us-east-1" });
        expect(refusal("name: test", "config:\n  test:a:b: 1\n")).toBe("could not parse test:a:b as a configuration key (configuration keys should be of the form `<namespace>:<name>`)");
    });

    it("hands objects to the program as Go's JSON, keys sorted (object.go:404-421)", () => {
        expect(merge("name: test", "config:\n  test:size:\n    vcpu: 2\n    memoryGiB: 16\n")).toEqual({ "test:size": '{"memoryGiB":16,"vcpu":2}' });
    });
});
