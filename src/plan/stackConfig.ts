import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";

/** A stack file problem (missing, malformed), reported in one line like a config error. */
export class StackFileError extends Error {}

type YamlConfig = Record<string, unknown>;

/** Pulumi hands every config value to the program as a string; objects and lists as JSON. */
const asConfigString = (value: unknown) => (typeof value === "object" && value !== null ? JSON.stringify(value) : String(value));

function readYaml(path: string): Record<string, unknown> {
    if (!existsSync(path)) throw new StackFileError(`${path} does not exist`);
    try {
        const doc = load(readFileSync(path, "utf8"));
        return (doc ?? {}) as Record<string, unknown>;
    } catch (e) {
        throw new StackFileError(`${path} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
}

/** The defaults Pulumi.yaml declares for the project namespace, as fully qualified keys. */
export function projectDefaults(root: string): Record<string, string> {
    const project = readYaml(join(root, "Pulumi.yaml"));
    const declared = (project.config ?? {}) as Record<string, { default?: unknown }>;
    return Object.fromEntries(
        Object.entries(declared)
            .filter(([, d]) => d && typeof d === "object" && "default" in d)
            .map(([key, d]) => [`${project.name}:${key}`, asConfigString(d.default)]),
    );
}

/**
 * The config `pulumi up -s <stack>` would hand the program: the project's declared defaults,
 * overridden by `Pulumi.<stack>.yaml`. Secure (encrypted) values cannot be read offline and are
 * replaced by a placeholder.
 */
export function loadStackConfig(root: string, stack: string): { config: Record<string, string> } {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new StackFileError(`"${stack}" is not a stack name`);
    const file = readYaml(join(root, `Pulumi.${stack}.yaml`));
    const values = (file.config ?? {}) as YamlConfig;
    const config = { ...projectDefaults(root) };
    for (const [key, value] of Object.entries(values)) {
        if (value && typeof value === "object" && "secure" in value) {
            config[key] = "offline-placeholder-for-a-secret";
        } else {
            config[key] = asConfigString(value);
        }
    }
    return { config };
}
