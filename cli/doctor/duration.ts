/**
 * Durations on the command line: `90s`, `15m`, `2h`, `1d`, `500ms` (or combined, `1h30m`).
 * A bare number is rejected: "15" could mean seconds or minutes, and guessing wrong makes a
 * wait time out far too early or hang far too long.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Accepted range of one flag, with the reason for its upper bound (said in the error). */
export interface DurationBounds {
    readonly minMs?: number;
    readonly maxMs: number;
    /** Why nothing longer makes sense, e.g. "ECS keeps the last 100 service events". */
    readonly why: string;
}

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

/** `90000` → `1m30s`; `1500` → `1s500ms`. The form `parseDuration` reads. */
export function formatDuration(ms: number): string {
    if (!Number.isFinite(ms) || ms <= 0) return "0s";
    const out: string[] = [];
    let rest = Math.round(ms);
    for (const unit of ["d", "h", "m", "s", "ms"]) {
        const n = Math.floor(rest / UNIT_MS[unit]);
        if (n > 0) out.push(`${n}${unit}`);
        rest -= n * UNIT_MS[unit];
    }
    return out.join("");
}

/**
 * Parses `value` and checks it lies within `bounds` (a look-back of 200000000d is not a date
 * JavaScript can hold, and a 0s timeout ends every run before it starts).
 * @throws Error naming the flag, the bounds and why.
 */
export function parseDurationWithin(value: string, flag: string, bounds: DurationBounds): number {
    const ms = parseDuration(value, flag);
    const min = bounds.minMs ?? 1;
    if (ms < min) throw new Error(`\`${flag}\` must be at least ${formatDuration(min)} (got "${value}").`);
    if (ms > bounds.maxMs) throw new Error(`\`${flag}\` must be at most ${formatDuration(bounds.maxMs)}: ${bounds.why} (got "${value}").`);
    return ms;
}
