/**
 * Measured start-up times against the declared start-up budget: summary statistics of samples,
 * and a recommended `startup` budget (`expectedSeconds`, `worstCaseSeconds`) from them. The
 * doctor's `startup` command measures; turning a recommendation into timings and a deployment
 * timeline is `buildHealthContract`'s job, the same function the components use.
 *
 * Pure: no Pulumi, no I/O, never throws.
 */
import { CONTAINER_HEALTH_CHECK } from "./aws-limits";

/** min / p50 / p95 / max of a set of samples (nearest-rank percentiles: each is a measured value). */
export interface SampleStats {
    n: number;
    min: number;
    p50: number;
    p95: number;
    max: number;
}

/** The value at percentile `p` (0–100) of sorted `values`, nearest rank (NIST: rank = ⌈p/100 × n⌉). */
function nearestRank(sorted: readonly number[], p: number): number {
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[rank - 1];
}

/** Statistics of the finite samples; `undefined` when there are none. */
export function summarizeSamples(values: readonly number[]): SampleStats | undefined {
    const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    if (sorted.length === 0) return undefined;
    return { n: sorted.length, min: sorted[0], p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95), max: sorted[sorted.length - 1] };
}

/** How a recommendation is made from "container start → first healthy probe" samples. */
export interface RecommendationRule {
    /** Fewer samples than this: no recommendation (a handful of starts says little about the tail). Default 5. */
    minSamples?: number;
    /** Worst case = slowest sample × this margin (cold caches, noisy neighbours). Default 1.5. */
    worstCaseMargin?: number;
    /** Both values are rounded up to a multiple of this many seconds, as the start period is. Default 5. */
    roundToSeconds?: number;
}

export const DEFAULT_RECOMMENDATION_RULE: Required<RecommendationRule> = { minSamples: 5, worstCaseMargin: 1.5, roundToSeconds: 5 };

/**
 * Longest start-up a container probe can cover: start period 300 s plus 10 retries × 300 s
 * interval (the same bound `assertBudget` enforces on component args).
 */
export const MAX_COVERABLE_STARTUP_SECONDS =
    CONTAINER_HEALTH_CHECK.startPeriod.max + CONTAINER_HEALTH_CHECK.retries.max * CONTAINER_HEALTH_CHECK.interval.max;

export type StartupRecommendation =
    | {
          ok: true;
          expectedSeconds: number;
          worstCaseSeconds: number;
          stats: SampleStats;
          /** One sentence: how the two numbers were derived. */
          how: string;
          /** The slowest sample × margin exceeded what a probe can cover, so the worst case was capped. */
          capped: boolean;
      }
    | { ok: false; reason: string; samples: number };

/**
 * Recommends a start-up budget: expected = p50 and worst case = max × margin, each rounded up to
 * `roundToSeconds` (at least one step), worst case ≥ expected, both within
 * {@link MAX_COVERABLE_STARTUP_SECONDS}. With fewer than `minSamples` samples: no recommendation.
 */
export function recommendStartupBudget(samples: readonly number[], rule: RecommendationRule = {}): StartupRecommendation {
    const r = { ...DEFAULT_RECOMMENDATION_RULE, ...rule };
    const stats = summarizeSamples(samples);
    if (!stats || stats.n < r.minSamples) {
        const n = stats?.n ?? 0;
        const reason = `${n} sample${n === 1 ? "" : "s"}, fewer than the ${r.minSamples} needed for a recommendation`;
        return { ok: false, samples: n, reason };
    }
    const roundUp = (v: number) => Math.max(r.roundToSeconds, Math.ceil(v / r.roundToSeconds) * r.roundToSeconds);
    const expectedSeconds = Math.min(roundUp(stats.p50), MAX_COVERABLE_STARTUP_SECONDS);
    const uncapped = Math.max(roundUp(stats.max * r.worstCaseMargin), expectedSeconds);
    const worstCaseSeconds = Math.min(uncapped, MAX_COVERABLE_STARTUP_SECONDS);
    const oneDecimal = (v: number) => Math.round(v * 10) / 10;
    const how =
        `expected = p50 (${oneDecimal(stats.p50)} s) ` +
        `and worst case = slowest (${oneDecimal(stats.max)} s) × ${r.worstCaseMargin}, ` +
        `rounded up to ${r.roundToSeconds} s, over ${stats.n} starts` +
        (worstCaseSeconds < uncapped ? `; capped at ${MAX_COVERABLE_STARTUP_SECONDS} s, the most a container probe can cover` : "");
    return { ok: true, expectedSeconds, worstCaseSeconds, stats, how, capped: worstCaseSeconds < uncapped };
}

/**
 * Tags on the ECS service that carry its declared start-up budget (AWS has no field for it), so
 * that a tool reading the live service — the doctor's `startup` — can set measurements beside it.
 * `HealthyFargateService` writes them; tag values are strings of whole seconds.
 */
export const STARTUP_BUDGET_TAGS = {
    expectedSeconds: "healthy-fargate:startup-expected-seconds",
    worstCaseSeconds: "healthy-fargate:startup-worst-seconds",
} as const;

/** The tags that declare `budget`. */
export function startupBudgetTags(budget: { expectedSeconds: number; worstCaseSeconds: number }): Record<string, string> {
    return {
        [STARTUP_BUDGET_TAGS.expectedSeconds]: String(budget.expectedSeconds),
        [STARTUP_BUDGET_TAGS.worstCaseSeconds]: String(budget.worstCaseSeconds),
    };
}

/** The budget the tags declare; `undefined` when either tag is missing or not a number of seconds. */
export function startupBudgetFromTags(
    tags: readonly { key?: string | null; value?: string | null }[] | undefined,
): { expectedSeconds: number; worstCaseSeconds: number } | undefined {
    const read = (key: string) => {
        const raw = tags?.find((t) => t.key === key)?.value;
        return raw !== undefined && raw !== null && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : undefined;
    };
    const expectedSeconds = read(STARTUP_BUDGET_TAGS.expectedSeconds);
    const worstCaseSeconds = read(STARTUP_BUDGET_TAGS.worstCaseSeconds);
    return expectedSeconds !== undefined && worstCaseSeconds !== undefined ? { expectedSeconds, worstCaseSeconds } : undefined;
}
