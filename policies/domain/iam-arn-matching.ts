/**
 * Whether an IAM grant on the execution role covers a secret: IAM's ARN wildcard matching, a
 * grant's coverage of a Secrets Manager secret whatever its random suffix, and an SSM parameter's
 * ARN as grants must name it.
 *
 * Facts relied on (docs/aws-facts, "Execution role and secrets"):
 * - The execution role needs `secretsmanager:GetSecretValue` / `ssm:GetParameters` on the task's
 *   secrets; a missing grant fails at start with `ResourceInitializationError: unable to pull secrets …`.
 * - Secrets Manager appends `-` and 6 random characters to every secret ARN, so a grant on the
 *   bare name ARN (`…:secret:db`) does not cover the secret (`…:secret:db-AbCdEf`).
 *
 * Pure: no Pulumi, no I/O, never throws on odd input.
 */
import { type ArnLocation, parseSecretSource } from "./secret-sources";

/**
 * IAM resource matching of one `Resource` pattern against one ARN: `*` matches any run of
 * characters and `?` exactly one, case-sensitively. Following the IAM docs, a wildcard inside an
 * ARN segment stays inside it (does not match `:`), except a `*` that ends a segment (is followed
 * by `:` or ends the pattern), which may run across colons — so `*` alone matches everything.
 * Policy variables (`${aws:username}`) are not evaluated: such a pattern only matches literally,
 * which makes a coverage check err towards "not covered".
 */
export function arnMatches(pattern: unknown, arn: unknown): boolean {
    if (typeof pattern !== "string" || typeof arn !== "string") return false;
    // Dynamic programming over (pattern prefix, arn prefix): linear memory, no regex backtracking.
    let previous: boolean[] = new Array(arn.length + 1).fill(false);
    previous[0] = true;
    for (let p = 0; p < pattern.length; p++) {
        const ch = pattern[p];
        const current: boolean[] = new Array(arn.length + 1).fill(false);
        if (ch === "*") {
            const crossesColons = p === pattern.length - 1 || pattern[p + 1] === ":";
            current[0] = previous[0];
            for (let a = 1; a <= arn.length; a++) {
                current[a] = previous[a] || (current[a - 1] && (crossesColons || arn[a - 1] !== ":"));
            }
        } else {
            for (let a = 1; a <= arn.length; a++) {
                current[a] = previous[a - 1] && (ch === "?" ? arn[a - 1] !== ":" : arn[a - 1] === ch);
            }
        }
        previous = current;
    }
    return previous[arn.length];
}

/** Suffixes standing for "any random suffix": no literal pattern matches all three. */
const SAMPLE_SUFFIXES = ["-AAAAAA", "-zzzzzz", "-090909"];

/**
 * True when an IAM grant on `grantedArn` (a `Resource` pattern) covers the Secrets Manager secret
 * `secretArn` (any form ECS accepts, including a `:json-key:…` selector).
 *
 * The real ARN of a secret ends in `-` + 6 random characters. A complete `secretArn` is matched as
 * is. A partial one (no suffix) only names the secret, so the grant must match *every* possible
 * suffix: `name-??????`, `name-*` or `name*` do, the bare `name` or one specific suffix do not.
 */
export function secretsManagerArnCovers(grantedArn: unknown, secretArn: unknown): boolean {
    const source = parseSecretSource(secretArn);
    if (source.kind !== "secretsmanager") return false;
    if (source.hasRandomSuffix) return arnMatches(grantedArn, source.secretArn);
    return SAMPLE_SUFFIXES.every((suffix) => arnMatches(grantedArn, source.secretArn + suffix));
}

/**
 * The ARN of an SSM parameter given by name, for grant checks: `/a/b` → `…:parameter/a/b`,
 * `name` → `…:parameter/name`. The task's region and account apply to a plain name.
 */
export function ssmParameterArn(parameterName: string, where: ArnLocation): string {
    const path = parameterName.startsWith("/") ? parameterName.slice(1) : parameterName;
    return `arn:${where.partition}:ssm:${where.region}:${where.account}:parameter/${path}`;
}
