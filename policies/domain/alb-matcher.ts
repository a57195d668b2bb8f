/**
 * ALB target-group `matcher.httpCode` syntax: "200", "200,302", "200-399" (codes 200–499).
 */
import { ALB_HTTP_MATCHER_RANGE } from "./aws-limits";

export type MatcherParse = { ok: true; ranges: Array<[number, number]> } | { ok: false; reason: string };

/** Parses an HTTP matcher; never throws. */
export function parseHttpMatcher(raw: unknown): MatcherParse {
    if (typeof raw !== "string" || raw.trim() === "")
        return { ok: false, reason: 'expected a string such as "200", "200,302" or "200-399"' };
    const ranges: Array<[number, number]> = [];
    for (const part of raw.split(",").map((p) => p.trim())) {
        const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
        if (!m) return { ok: false, reason: `"${part}" is not a status code or a range of codes` };
        const from = Number(m[1]);
        const to = m[2] ? Number(m[2]) : from;
        if (from > to) return { ok: false, reason: `range "${part}" runs backwards` };
        if (from < ALB_HTTP_MATCHER_RANGE.min || to > ALB_HTTP_MATCHER_RANGE.max) {
            return {
                ok: false,
                reason: `"${part}" is outside the ${ALB_HTTP_MATCHER_RANGE.min}–${ALB_HTTP_MATCHER_RANGE.max} codes an ALB accepts`,
            };
        }
        ranges.push([from, to]);
    }
    return { ok: true, ranges };
}

/** True when the matcher accepts `status`. */
export function matcherAccepts(matcher: MatcherParse, status: number): boolean {
    return matcher.ok && matcher.ranges.some(([from, to]) => status >= from && status <= to);
}
