/**
 * Config values as the Pulumi CLI (v3.248.0, commit a88168d) stores, merges and type-checks them.
 * Ported from pulumi/pulumi sdk/go/common/resource/config/{value,object}.go and
 * sdk/go/common/workspace/{project,config}.go; each function cites the Go lines it follows.
 * Checked against the CLI's own tests in tests/plan/stackConfigRules.test.ts.
 */

/** A refusal with the CLI's own message (the command wraps it, e.g. "validating stack config: ..."). */
export class PulumiRefusal extends Error {}

/**
 * One config value: its text and whether it is encrypted and/or JSON
 * (sdk/go/common/resource/config/value.go:36-41, `Value{value, secure, object}`).
 */
export interface ConfigValue {
    text: string;
    secure: boolean;
    object: boolean;
}

/** The `items` of an array declaration (sdk/go/common/workspace/project.go:260-263). */
export interface ConfigItemsType {
    type: string;
    items?: ConfigItemsType;
}

/** Go's encoding/json Marshal of decoded YAML/JSON: map keys sorted, HTML characters and U+2028/9 escaped. */
export function goJson(value: unknown): string {
    const sorted = (v: unknown): unknown =>
        Array.isArray(v)
            ? v.map(sorted)
            : isMap(v)
              ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]))
              : v;
    return JSON.stringify(sorted(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** object.go:542-551 isSecureValue: a map with the single key "secure" holding a string. */
const isSecureValue = (v: unknown): v is { secure: string } =>
    isMap(v) && Object.keys(v).length === 1 && typeof v.secure === "string";

/** object.go:50-72 Secure: a secure string, or a list or map that contains one. */
const containsSecure = (v: unknown): boolean =>
    isSecureValue(v) || (Array.isArray(v) ? v.some(containsSecure) : isMap(v) && Object.values(v).some(containsSecure));

/**
 * A value written in a stack file, as the CLI reads it: object.go:468-529 (unmarshalObject) then
 * :404-421 (MarshalString). Scalars become text (numbers and booleans in their JSON form), lists
 * and maps JSON, `secure:` the ciphertext. A YAML null becomes "": yaml.v3 does not call
 * UnmarshalYAML for a null node, so the Value stays zero (the CLI warns it is "treated as an
 * empty string", sdk/go/common/workspace/loaders.go:395-440).
 * Not ported: integers beyond 2^53 (JavaScript numbers lose them; Go keeps int64/uint64) and YAML
 * timestamps (Go keeps time.Time's String form).
 */
export function stackValue(raw: unknown): ConfigValue {
    if (raw === null || raw === undefined) return { text: "", secure: false, object: false };
    if (typeof raw === "string") return { text: raw, secure: false, object: false };
    if (typeof raw === "boolean" || typeof raw === "number") return { text: goJson(raw), secure: false, object: false };
    if (isSecureValue(raw)) return { text: raw.secure, secure: true, object: false };
    return { text: goJson(raw), secure: containsSecure(raw), object: true };
}

/**
 * A project `default` or `value` as the CLI puts it on the stack: config.go:174-188
 * (createConfigValue) with project.go:413-420 (isPrimitiveValue: string, int, bool print with %v;
 * anything else, floats included, becomes a JSON object value).
 */
export function createConfigValue(raw: unknown): ConfigValue {
    const primitive = typeof raw === "string" || typeof raw === "boolean" || Number.isInteger(raw);
    return primitive ? { text: String(raw), secure: false, object: false } : { text: goJson(raw), secure: false, object: true };
}

/** strconv.Atoi on a 64-bit platform: optional sign, decimal digits, within int64. */
function atoiOk(text: string): boolean {
    if (!/^[+-]?[0-9]+$/.test(text)) return false;
    const n = BigInt(text);
    return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** project.go:754-814 ValidateConfigValue: does `value` have the declared type? */
export function validateConfigValue(typeName: string, items: ConfigItemsType | undefined, value: unknown): boolean {
    if (typeName === "string") return typeof value === "string";
    if (typeName === "integer") {
        // Go: an int, a float64 equal to its truncation, or a string strconv.Atoi accepts.
        if (typeof value === "number") return value === Math.trunc(value);
        return typeof value === "string" && atoiOk(value);
    }
    if (typeName === "boolean") return value === "true" || value === "false" || typeof value === "boolean";
    if (typeName === "object") return isMap(value);
    if (!Array.isArray(value) || items === undefined) return false;
    return value.every((item) => validateConfigValue(items.type, items.items, item));
}

/** project.go:743-749 InferFullTypeName: "array<string>" for a declaration with items. */
export function inferFullTypeName(typeName: string, items: ConfigItemsType | undefined): string {
    return items ? `array<${inferFullTypeName(items.type, items.items)}>` : typeName;
}
