/**
 * A stack file's config merged with the project's declarations exactly as `pulumi up` does it
 * (v3.248.0): sdk/go/common/workspace/loaders.go (reading the stack file) and config.go
 * (mergeConfig, validateStackConfigValues). Messages are the CLI's own, byte for byte.
 */
import { present, type ProjectConfigType, type PulumiProject } from "./project";
import { createConfigValue, inferFullTypeName, isMap, PulumiRefusal, stackValue, validateConfigValue, type ConfigValue } from "./values";

/** Stack config by fully qualified key (`emr:zones`), as config.Map holds it. */
export type ConfigMap = Map<string, ConfigValue>;

/** sdk/go/common/resource/config/key.go:45-70 ParseKey: `ns:name`, or the old `ns:config:name`. */
export function parseKey(text: string): string {
    const parts = text.split(":");
    if (parts.length === 2) return text;
    // The CLI also checks the three parts form a valid module member token (tokens.ParseModuleMember).
    if (parts.length === 3 && parts[1] === "config") return `${parts[0]}:${parts[2]}`;
    throw new PulumiRefusal(`could not parse ${text} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`);
}

/** config.go:163-172 parseConfigKey: a key without a namespace is in the project's. */
export const parseConfigKey = (projectName: string, key: string) => (key.includes(":") ? parseKey(key) : `${projectName}:${key}`);

/**
 * The `config:` of a stack file as config.Map: keys without a namespace get the project's
 * (loaders.go:61-89 stackConfigNamespacedWithProject), then every key is parsed (key.go:104-118)
 * and every value read (values.ts stackValue).
 */
export function readStackConfig(projectName: string, raw: unknown): ConfigMap {
    const config: ConfigMap = new Map();
    if (raw === null || raw === undefined) return config;
    if (!isMap(raw)) throw new PulumiRefusal(`config must be a map of keys to values, got ${JSON.stringify(raw)}`);
    for (const [written, value] of Object.entries(raw)) {
        const key = parseKey(written.includes(":") ? written : `${projectName}:${written}`);
        // Both `zones` and `emr:zones`: the CLI keeps whichever its map yields last (random), so refuse.
        if (config.has(key)) throw new PulumiRefusal(`config key ${key} is set twice`);
        config.set(key, stackValue(value));
    }
    return config;
}

/** config.go:29-50 formatMissingKeys: 'a', 'a' and 'b', 'a', 'b' and 'c' (sorted when more than one). */
export function formatMissingKeys(missingKeys: string[]): string {
    if (missingKeys.length === 1) return `'${missingKeys[0]}'`;
    const keys = [...missingKeys].sort();
    return keys.map((key, i) => (i === keys.length - 1 ? `and '${key}'` : i === keys.length - 2 ? `'${key}' ` : `'${key}', `)).join("");
}

/** config.go:52-63 missingStackConfigurationKeysError. */
export function missingKeysMessage(missingKeys: string[], stackName: string): string {
    return `Stack '${stackName}' is missing configuration ${missingKeys.length > 1 ? "values" : "value"} ${formatMissingKeys(missingKeys)}`;
}

/**
 * config.go:123-161 validateStackConfigValue. A secure value cannot be decrypted offline, so its
 * type is not checked here (the CLI decrypts it first, config.go:109); the `secret` rule is.
 */
function validateStackConfigValue(stackName: string, projectKey: string, declared: ProjectConfigType & { type: string }, value: ConfigValue): void {
    if (declared.secret === true && !value.secure) {
        throw new PulumiRefusal(`Stack '${stackName}' with configuration key '${projectKey}' must be encrypted as it's secret`);
    }
    if (value.secure) return;
    const content: unknown = value.object ? JSON.parse(value.text) : value.text;
    if (!validateConfigValue(declared.type, declared.items, content)) {
        throw new PulumiRefusal(`Stack '${stackName}' with configuration key '${projectKey}' must be of type '${inferFullTypeName(declared.type, declared.items)}'`);
    }
}

/**
 * config.go:250-361 mergeConfig with validate = true, as `pulumi up` calls it
 * (pkg/cmd/pulumi/operations/up.go:195, ValidateStackConfigAndApplyProjectConfig; no ESC
 * environment). Returns the merged config; throws the CLI's message when it would refuse.
 */
export function mergeConfig(stackName: string, project: PulumiProject, stack: ConfigMap): ConfigMap {
    const merged: ConfigMap = new Map(stack);
    const missing: string[] = [];
    // Go sorts the declared keys (config.go:291-295); JavaScript's default sort is the same byte order for ASCII.
    const declaredKeys = Object.keys(project.config).sort();
    for (const projectKey of declaredKeys) {
        const declared = project.config[projectKey];
        const key = parseConfigKey(project.name, projectKey);
        const found = merged.has(key);
        const hasDefault = present(declared.default);
        const hasValue = present(declared.value);
        // config.go:314-320: a project key with no stack value, no value and no default is missing.
        if (!found && !hasValue && !hasDefault && key.split(":")[0] === project.name) {
            missing.push(projectKey);
            continue;
        }
        // config.go:322-343: otherwise the default (or value) is put on the stack.
        if (!found && (hasValue || hasDefault)) merged.set(key, createConfigValue(hasDefault ? declared.default : declared.value));
    }
    if (missing.length) throw new PulumiRefusal(missingKeysMessage(missing, stackName));
    // config.go:70-121 validateStackConfigValues: every explicitly typed declaration is checked
    // against the merged value (defaults included).
    for (const projectKey of declaredKeys) {
        const declared = project.config[projectKey];
        if (!present(declared.type)) continue;
        const value = merged.get(parseConfigKey(project.name, projectKey)) ?? { text: "", secure: false, object: false };
        validateStackConfigValue(stackName, projectKey, { ...declared, type: declared.type }, value);
    }
    return merged;
}
