/**
 * CloudWatch Logs retention: the values `PutRetentionPolicy` accepts, and the check that a log
 * group expires at all (without retention CloudWatch keeps, and bills, logs forever).
 *
 * Pure: no Pulumi, no I/O, never throws on odd input.
 */

/** Retention values (days) CloudWatch Logs accepts. */
export const CLOUDWATCH_LOG_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export type LogRetentionVerdict =
    { ok: true; days: number } | { ok: false; id: "never-expires" | "invalid-retention"; message: string; fix: string };

/**
 * Checks a `retentionInDays` value: absent or 0 means "never expire"; anything else must be one of
 * {@link CLOUDWATCH_LOG_RETENTION_DAYS} and at most `maxDays` when given.
 */
export function checkLogRetention(raw: unknown, options: { maxDays?: number; suggestedDays?: number } = {}): LogRetentionVerdict {
    const suggested = options.suggestedDays ?? 30;
    const n =
        typeof raw === "number"
            ? raw
            : typeof raw === "string" && /^\s*\d+\s*$/.test(raw)
              ? parseInt(raw, 10)
              : raw === undefined || raw === null
                ? 0
                : NaN;
    if (n === 0) {
        return {
            ok: false,
            id: "never-expires",
            message: `\`retentionInDays\` is ${raw === undefined || raw === null ? "unset" : "0"}: CloudWatch keeps these logs forever and bills their storage every month.`,
            fix: `Set \`retentionInDays\` to a CloudWatch retention value, e.g. ${suggested}.`,
        };
    }
    if (!CLOUDWATCH_LOG_RETENTION_DAYS.includes(n)) {
        return {
            ok: false,
            id: "invalid-retention",
            message: `\`retentionInDays\` is ${JSON.stringify(raw)}, which CloudWatch rejects.`,
            fix: `Use one of ${CLOUDWATCH_LOG_RETENTION_DAYS.join(", ")}.`,
        };
    }
    if (options.maxDays !== undefined && n > options.maxDays) {
        return {
            ok: false,
            id: "invalid-retention",
            message: `\`retentionInDays\` is ${n}, above the configured maximum of ${options.maxDays} days.`,
            fix: `Use a retention of at most ${options.maxDays} days (${CLOUDWATCH_LOG_RETENTION_DAYS.filter((d) => d <= options.maxDays!)
                .slice(-3)
                .join(", ")}).`,
        };
    }
    return { ok: true, days: n };
}
