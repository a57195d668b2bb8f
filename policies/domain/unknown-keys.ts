/**
 * Unknown argument keys. TypeScript rejects a misspelt arg at compile time, but a JavaScript
 * program, an `as any` or an object built at run time reaches the component with it, and the
 * component would silently ignore it (`probe: { livenesPath: "/healthz" }` probes the default
 * path). So every args object is checked against the keys it accepts, and a stray key is an error
 * that names it and the nearest valid one.
 */

/** Levenshtein distance (insert, delete, substitute), case-insensitive. */
function editDistance(a: string, b: string): number {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
        const current = [i];
        for (let j = 1; j <= y.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[y.length];
}

/**
 * The candidate closest to `name`, when it is close enough to be a plausible typo: at most a third
 * of the name's length (and at least 2) edits away, or one contains the other.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
        const distance = editDistance(name, candidate);
        if (!best || distance < best.distance) best = { candidate, distance };
    }
    if (!best) return undefined;
    const lower = name.toLowerCase();
    const contains = lower.length >= 3 && (best.candidate.toLowerCase().includes(lower) || lower.includes(best.candidate.toLowerCase()));
    return best.distance <= Math.max(2, Math.floor(name.length / 3)) || contains ? best.candidate : undefined;
}

/**
 * One problem per key of `value` that is not in `allowed`, naming the key (`field.key`, or `key`
 * at the top level), the nearest valid key and, without one, the keys that are valid. A value that
 * is not a plain object gives no problem here: its type is checked where it is used.
 */
export function unknownKeyProblems(field: string, value: unknown, allowed: readonly string[]): string[] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
    const path = (key: string) => (field ? `${field}.${key}` : key);
    return Object.keys(value)
        .filter((key) => !allowed.includes(key))
        .map((key) => {
            const nearest = nearestName(key, allowed);
            const where = field ? `of \`${field}\`` : "";
            return nearest
                ? `\`${path(key)}\` is not an argument${where ? ` ${where}` : ""}: did you mean \`${path(nearest)}\`?`
                : `\`${path(key)}\` is not an argument${where ? ` ${where}` : ""}; ` +
                      `the arguments are ${allowed.map((k) => `\`${k}\``).join(", ")}.`;
        });
}
