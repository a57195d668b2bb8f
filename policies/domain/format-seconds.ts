/**
 * Durations for people, as the health-contract table (`contract-table.ts`) and the
 * dashboard header (`service-dashboard.ts`) print them. Pure, no imports.
 */

/** Seconds as "45 s" / "3 min 05 s"; Infinity (a breaker that never trips) as "never". */
export function formatSeconds(seconds: number): string {
    if (!Number.isFinite(seconds)) return "never";
    const s = Math.round(seconds);
    return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}
