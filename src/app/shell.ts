/** Small helpers for writing shell text safely from TypeScript. */

/** Quotes a value for bash or POSIX sh: single quotes, with embedded single quotes closed and escaped. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Indents every non-empty line of `text` by `by`. */
export function indent(text: string, by: string): string {
    return text
        .split("\n")
        .map((line) => (line ? by + line : line))
        .join("\n");
}

/** A bash function definition with its body indented. */
export function bashFunction(name: string, body: string): string {
    return `${name}() {\n${indent(body.replace(/\n$/, ""), "    ")}\n}`;
}
