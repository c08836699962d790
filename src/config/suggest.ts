/**
 * "Did you mean ...?" for a mistyped name: the closest candidate by edit distance (insertions,
 * deletions, substitutions and swaps of neighbours each count 1: optimal string alignment), if it
 * is close enough to be the name meant. Case and spaces are ignored first, so `West Europe` finds
 * `westeurope`. One helper serves config keys and region names.
 */
export function didYouMean(value: string, candidates: readonly string[]): string | undefined {
    const plain = (s: string) => s.toLowerCase().replace(/[\s_]+/g, "");
    const exact = candidates.find((c) => plain(c) === plain(value));
    if (exact) return exact;
    // One edit in four characters (us-east1, zone, eu-centrl-1, westus): close enough to be a typo,
    // not so loose that any short name finds a partner (colour is not cloud).
    const limit = Math.max(1, Math.floor(value.length / 4));
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
        const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
        if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
    }
    if (best) return best.candidate;
    // An abbreviation (natGb for natProcessedGb): the one candidate with the same first letter that
    // holds every letter of the value in order.
    const abbreviating = candidates.filter((c) => c[0]?.toLowerCase() === value[0]?.toLowerCase() && isSubsequence(value.toLowerCase(), c.toLowerCase()));
    return abbreviating.length === 1 ? abbreviating[0] : undefined;
}

const isSubsequence = (short: string, long: string) => {
    let i = 0;
    for (const ch of long) if (ch === short[i]) i++;
    return i === short.length;
};

/** The suffix a message ends with: ` (did you mean X?)`, or nothing. */
export const suggestion = (value: string, candidates: readonly string[]): string => {
    const near = didYouMean(value, candidates);
    return near ? ` (did you mean ${near}?)` : "";
};

/** Optimal string alignment distance (Levenshtein plus swapped neighbours). */
export function editDistance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}
