/** Reads a dotted path (`a.b.c`) out of an inputs object. */
export function at(value: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), value);
}
