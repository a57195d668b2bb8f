/**
 * Durations on the command line: `90s`, `15m`, `2h`, `1d` (or combined, `1h30m`).
 * A bare number is rejected: "15" could mean seconds or minutes, and guessing wrong makes a
 * wait time out far too early or hang far too long.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses `value` into milliseconds.
 * @throws Error naming the flag and the accepted forms.
 */
export function parseDuration(value: string, flag: string): number {
    const parts = /^(\d+(?:ms|s|m|h|d))+$/.test(value) ? value.match(/\d+(?:ms|s|m|h|d)/g) : null;
    if (!parts) throw new Error(`\`${flag}\` must be a duration such as 90s, 15m, 2h or 1h30m (got "${value}").`);
    return parts.reduce((total, p) => {
        const [, n, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(p)!;
        return total + Number(n) * UNIT_MS[unit];
    }, 0);
}
