/**
 * Pulumi.yaml's `config:` block as the Pulumi CLI v3.248.0 loads it: LoadProjectBytes
 * (sdk/go/common/workspace/loaders.go:109-148) = JSON-schema check, shorthand rewrite, then
 * Project.Validate. Messages of Validate are the CLI's own; see values.ts for the source commit.
 */
import { isMap, PulumiRefusal, validateConfigValue, inferFullTypeName, type ConfigItemsType } from "./values";

/** One declaration (project.go:265-272 ProjectConfigType). `default`/`value` absent = nil in Go. */
export interface ProjectConfigType {
    type?: string;
    description?: string;
    items?: ConfigItemsType;
    default?: unknown;
    value?: unknown;
    secret?: boolean;
}

export interface PulumiProject {
    name: string;
    /** Keys as written in Pulumi.yaml: `zones` or `aws:region`. */
    config: Record<string, ProjectConfigType>;
}

/** project.json $defs.simpleConfigType. */
const configTypes = ["string", "integer", "boolean", "array", "object"];
/** project.json $defs.configTypeDeclaration (additionalProperties: false). */
const declarationFields = ["type", "items", "description", "secret", "default", "value"];

/** A YAML null counts as nil in Go: `default: null` is no default (config.go:311-312 `!= nil`). */
export const present = <T>(v: T): v is NonNullable<T> => v !== undefined && v !== null;

/** project.go:816-818 configKeyIsNamespacedByProject. */
export const namespacedByProject = (projectName: string, key: string) => !key.includes(":") || key.startsWith(`${projectName}:`);

/**
 * The parts of sdk/go/common/workspace/project.json that constrain `config:` (v3.248.0). The CLI
 * reports these through its JSON-schema library; the location (#/config/<key>) is the same, the
 * wording is ours. Returns the first problem, or undefined.
 */
function schemaProblem(key: string, entry: unknown): string | undefined {
    const at = `#/config/${key}`;
    // additionalProperties.oneOf: string | integer | boolean | array | configTypeDeclaration.
    if (typeof entry === "string" || typeof entry === "boolean" || Number.isInteger(entry) || Array.isArray(entry)) return undefined;
    if (!isMap(entry)) return `${at}: expected a string, integer, boolean, array or a declaration object, got ${JSON.stringify(entry)}`;
    const extra = Object.keys(entry).filter((f) => !declarationFields.includes(f));
    if (extra.length) return `${at}: additionalProperties ${extra.map((f) => `'${f}'`).join(", ")} not allowed (allowed: ${declarationFields.join(", ")})`;
    if (present(entry.type) && !configTypes.includes(entry.type as string)) return `${at}/type: value must be one of ${configTypes.map((t) => `"${t}"`).join(", ")}`;
    if (present(entry.description) && typeof entry.description !== "string") return `${at}/description: expected string`;
    if (present(entry.secret) && typeof entry.secret !== "boolean") return `${at}/secret: expected boolean`;
    return present(entry.items) ? itemsProblem(`${at}/items`, entry.items) : undefined;
}

/** project.json $defs.configItemsType: an object with a type; an array type needs items. */
function itemsProblem(at: string, items: unknown): string | undefined {
    if (!isMap(items)) return `${at}: expected object`;
    if (!present(items.type)) return `${at}: missing properties: 'type'`;
    if (!isMap(items.type) && !configTypes.includes(items.type as string)) return `${at}/type: value must be one of ${configTypes.map((t) => `"${t}"`).join(", ")}`;
    if (items.type === "array" && !present(items.items)) return `${at}: missing properties: 'items'`;
    return present(items.items) ? itemsProblem(`${at}/items`, items.items) : undefined;
}

/**
 * Project.Validate (project.go:820-872) for the config declarations. Go walks a map, so with two
 * bad keys the CLI may name either; we walk the keys sorted.
 */
function validateDeclarations(projectName: string, config: Record<string, ProjectConfigType>): void {
    for (const key of Object.keys(config).sort()) {
        const d = config[key];
        if (present(d.default) && present(d.value)) throw new PulumiRefusal(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
        if (namespacedByProject(projectName, key)) {
            if (d.type === "array" && !present(d.items)) {
                throw new PulumiRefusal(`The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`);
            }
            if (present(d.type) && present(d.default) && !validateConfigValue(d.type, d.items, d.default)) {
                throw new PulumiRefusal(`The default value specified for configuration key '${key}' is not of the expected type '${inferFullTypeName(d.type, d.items)}'`);
            }
        } else {
            if (present(d.type)) throw new PulumiRefusal(`Configuration key '${key}' is not namespaced by the project and should not define a type`);
            if (present(d.default)) {
                throw new PulumiRefusal(
                    `Configuration key '${key}' is not namespaced by the project and should not define a default value. ` +
                        "Did you mean to use the 'value' attribute instead of 'default'?",
                );
            }
            if (!present(d.value)) throw new PulumiRefusal(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
        }
    }
}

/**
 * Reads a parsed Pulumi.yaml as the CLI does; `path` names the file in messages like the CLI's
 * "could not validate '<path>': ..." (loaders.go:118) and "could not unmarshal '<path>': ..." (:143).
 */
export function parseProject(raw: unknown, path: string): PulumiProject {
    if (!isMap(raw)) throw new PulumiRefusal(`could not validate '${path}': expected project to be an object`);
    // project.go:560-576 (the CLI also suggests a near-miss attribute name; not ported).
    if (!("name" in raw)) throw new PulumiRefusal(`could not validate '${path}': project is missing a 'name' attribute`);
    if (typeof raw.name !== "string" || raw.name === "") throw new PulumiRefusal(`could not validate '${path}': project is missing a non-empty string 'name' attribute`);
    const name = raw.name;
    // A string `config:` or `stackConfigDir` moves the stack files (project.go:431-450): the plan
    // looks for them next to Pulumi.yaml only, so it refuses rather than read the wrong files.
    if (typeof raw.config === "string" || "stackConfigDir" in raw) throw new PulumiRefusal(`${path}: stackConfigDir is not supported by the offline plan`);
    if (present(raw.config) && !isMap(raw.config)) throw new PulumiRefusal(`could not validate '${path}': #/config: expected object, string or null`);
    const declared = (raw.config ?? {}) as Record<string, unknown>;
    const config: Record<string, ProjectConfigType> = {};
    for (const [key, entry] of Object.entries(declared)) {
        const problem = schemaProblem(key, entry);
        if (problem) throw new PulumiRefusal(`could not validate '${path}': ${problem}`);
        // project.go:469-500 RewriteShorthandConfigValues: `key: value` is a default in the
        // project's namespace and a value in any other.
        config[key] = isMap(entry)
            ? (entry as ProjectConfigType)
            : namespacedByProject(name, key)
              ? { default: entry }
              : { value: entry };
    }
    // A key the CLI reads as a property path (config/map.go:150-182, 332-354) is not ported.
    const pathKey = Object.keys(config).find((k) => /[.[\]"]/.test(k));
    if (pathKey) throw new PulumiRefusal(`${path}: config key '${pathKey}' is a property path, which the offline plan does not read`);
    try {
        validateDeclarations(name, config);
    } catch (e) {
        throw new PulumiRefusal(`could not unmarshal '${path}': ${(e as Error).message}`);
    }
    return { name, config };
}
