/**
 * Just enough bash to follow a boot script in the order it runs: simple commands split on
 * newlines, `;`, `&&`, `||`, `|` and `&`; quotes; `$VAR` / `${VAR}` from earlier assignments;
 * calls of functions the script defines, inlined where they are called (also when a wrapper such
 * as a retry helper names them as arguments). Not handled (read as
 * plain words): command substitution, here-documents, arithmetic, arrays. Enough to ask "which
 * directories exist when this `mount` runs?", not a shell.
 */

export interface Command {
    /** Words after quote removal and expansion of known variables. */
    words: string[];
    /** The words as written (quotes removed, variables not expanded), for messages. */
    raw: string[];
    /** 1-based line in the script it came from. */
    line: number;
    /** The first word is a function of the script: its arguments may be a command it runs (a retry helper). */
    callsFunction: boolean;
}

/** Stands for a `$` written inside single quotes, which bash never expands. */
const literalDollar = "\u0001";

/** Keywords that open or close a compound command, dropped in front of the simple command they wrap. */
const keywords = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "(", ")", "time"]);

interface Token {
    text: string;
    /** A control operator (`;`, `&&`, `||`, `|`, `&`), not a word. */
    operator?: boolean;
}

/** Splits one logical line into words and control operators, removing quotes. */
function tokenize(line: string): Token[] {
    const tokens: Token[] = [];
    let word = "";
    let inWord = false;
    const flush = () => {
        if (inWord) tokens.push({ text: word });
        word = "";
        inWord = false;
    };
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === "'") {
            const end = line.indexOf("'", i + 1);
            word += line.slice(i + 1, end < 0 ? line.length : end).replaceAll("$", literalDollar);
            inWord = true;
            i = end < 0 ? line.length : end;
        } else if (c === '"') {
            let j = i + 1;
            for (; j < line.length && line[j] !== '"'; j++) word += line[j] === "\\" && j + 1 < line.length ? line[++j] : line[j];
            inWord = true;
            i = j;
        } else if (c === "\\" && i + 1 < line.length) {
            word += line[++i];
            inWord = true;
        } else if (c === "#" && !inWord) {
            break;
        } else if (/\s/.test(c)) {
            flush();
        } else if (c === "&" && /[<>]$/.test(word)) {
            word += c; // a redirection such as 2>&1 or >&2, not a control operator
        } else if (";&|".includes(c)) {
            flush();
            const two = line.slice(i, i + 2);
            const op = two === "&&" || two === "||" ? two : c;
            tokens.push({ text: op, operator: true });
            i += op.length - 1;
        } else {
            word += c;
            inWord = true;
        }
    }
    flush();
    return tokens;
}

/** Replaces `$NAME` and `${NAME}` with known values (unknown ones are left as written). */
export function expand(word: string, vars: Map<string, string>): string {
    return word.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a, b) => vars.get(a ?? b) ?? whole);
}

interface Line {
    text: string;
    number: number;
}

/** Joins backslash-continued lines. */
function logicalLines(script: string): Line[] {
    const lines: Line[] = [];
    script.split("\n").forEach((text, i) => {
        const last = lines[lines.length - 1];
        if (last && /\\$/.test(last.text)) last.text = last.text.slice(0, -1) + " " + text;
        else lines.push({ text, number: i + 1 });
    });
    return lines;
}

/** Function bodies (`name() {` ... `}` at the same indent) and the lines outside them. */
function splitFunctions(lines: Line[]): { main: Line[]; functions: Map<string, Line[]> } {
    const functions = new Map<string, Line[]>();
    const main: Line[] = [];
    for (let i = 0; i < lines.length; i++) {
        const head = /^(\s*)(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)\s*\{\s*$/.exec(lines[i].text);
        if (!head) {
            main.push(lines[i]);
            continue;
        }
        const end = lines.findIndex((l, j) => j > i && l.text === `${head[1]}}`);
        const stop = end < 0 ? lines.length : end;
        functions.set(head[2], lines.slice(i + 1, stop));
        i = stop;
    }
    return { main, functions };
}

const assignment = /^([A-Za-z_]\w*)=(.*)$/s;

/**
 * The simple commands of a bash script in the order they run, function calls inlined. Assignments
 * (`X=...`, `readonly X=...`, `local X=...`, `export X=...`) are applied as they are met and
 * expanded into later words.
 */
export function executionOrder(script: string, vars = new Map<string, string>()): Command[] {
    const { main, functions } = splitFunctions(logicalLines(script));
    const out: Command[] = [];
    const run = (lines: Line[], depth: number) => {
        for (const line of lines) {
            let words: string[] = [];
            const finish = () => {
                while (words.length && keywords.has(words[0])) words.shift();
                const [first, ...rest] = words;
                words = [];
                if (first === undefined) return;
                const assigning = ["readonly", "local", "export", "declare"].includes(first) ? rest.filter((w) => !w.startsWith("-")) : [first, ...rest];
                const assigned = assigning.map((w) => assignment.exec(w));
                if (assigned.length && assigned.every(Boolean)) {
                    for (const m of assigned) vars.set(m![1], expand(m![2], vars).replaceAll(literalDollar, "$"));
                    return;
                }
                const body = functions.get(first);
                const literal = (w: string) => w.replaceAll(literalDollar, "$");
                const raw = [first, ...rest];
                // The call itself stays in the list: a wrapper's arguments may be a command (`retry_until "$T" mount ...`).
                out.push({ raw: raw.map(literal), words: raw.map((w) => literal(expand(w, vars))), line: line.number, callsFunction: !!body });
                if (body && depth < 20) run(body, depth + 1);
                // A wrapper that runs its arguments (`retry_until "$DEADLINE" mount_shared_fs`,
                // `timeout 60 setup`): a function named among them runs here too.
                for (const word of rest) {
                    const wrapped = functions.get(word);
                    if (wrapped && depth < 20) run(wrapped, depth + 1);
                }
            };
            for (const token of tokenize(line.text)) {
                if (token.operator) finish();
                else words.push(token.text);
            }
            finish();
        }
    };
    run(main, 0);
    return out;
}
