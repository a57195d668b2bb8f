/**
 * The opt-in smoke step of HealthyFargateService (`smoke`): its arg check and what it hands the
 * RolloutVerification, which runs the doctor's smoke test once the deployment completed.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RolloutSmokeInput } from "../rollout-verification";
import type { HealthyFargateServiceArgs, SmokeArgs } from "./args";

const DEFAULT_REQUESTS = 3;
const DEFAULT_TIMEOUT_SECONDS = 5;

const NEEDS_VERIFICATION =
    "`smoke` runs inside the rollout verification: it needs `verifyRollout` " + "(remove `verifyRollout: false` or `smoke`).";

/** Problems with `smoke`, each naming the arg and the fix (none when it is unset or `false`). */
export function smokeArgProblems(args: HealthyFargateServiceArgs): string[] {
    const smoke = args.smoke;
    if (smoke === undefined || smoke === false) return [];
    if (smoke !== true && (typeof smoke !== "object" || smoke === null)) {
        return [`\`smoke\` must be true, false or { paths, requests, timeoutSeconds }, got ${JSON.stringify(smoke)}.`];
    }
    const problems = args.verifyRollout === false ? [NEEDS_VERIFICATION] : [];
    if (smoke === true) return problems;
    const paths = smoke.paths;
    const absolute = (p: unknown) => typeof p === "string" && p.startsWith("/");
    if (paths !== undefined && (!Array.isArray(paths) || paths.length === 0 || !paths.every(absolute))) {
        problems.push(`\`smoke.paths\` must be a non-empty list of absolute paths such as ["/health/live"], got ${JSON.stringify(paths)}.`);
    }
    const whole = (v: unknown, min: number, max: number) =>
        v === undefined || (Number.isInteger(v) && min <= (v as number) && (v as number) <= max);
    if (!whole(smoke.requests, 1, 100)) {
        problems.push(`\`smoke.requests\` must be a whole number 1–100, got ${JSON.stringify(smoke.requests)}.`);
    }
    if (!whole(smoke.timeoutSeconds, 1, 60)) {
        problems.push(`\`smoke.timeoutSeconds\` must be a whole number of seconds 1–60, got ${JSON.stringify(smoke.timeoutSeconds)}.`);
    }
    return problems;
}

/**
 * The RolloutVerification's `smoke` input: the liveness path (unless `paths`) with the probe's
 * matcher, through `listener.dnsName` when known (else the doctor finds the ALB itself).
 */
export function smokeInput(
    args: HealthyFargateServiceArgs,
    probe: { livenessPath: string; matcher: string; protocol: string },
): pulumi.Input<RolloutSmokeInput> | undefined {
    if (!args.smoke) return undefined;
    const smoke: SmokeArgs = args.smoke === true ? {} : args.smoke;
    const fixed = {
        paths: smoke.paths ?? [probe.livenessPath],
        matcher: probe.matcher,
        requests: smoke.requests ?? DEFAULT_REQUESTS,
        timeout: `${smoke.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS}s`,
    };
    const dnsName = args.listener?.dnsName;
    return dnsName === undefined ? fixed : pulumi.output(dnsName).apply((host) => ({ ...fixed, url: `${probe.protocol}://${host}` }));
}
