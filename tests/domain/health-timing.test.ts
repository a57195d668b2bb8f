import { strict as assert } from "assert";
import fc from "fast-check";
import {
    ALB_HEALTH_CHECK,
    CONTAINER_HEALTH_CHECK,
    FARGATE_STOP_TIMEOUT,
    type HealthTimings,
    albGraceNeededSeconds,
    albHealthyWindowSeconds,
    assertBudget,
    circuitBreakerThreshold,
    deploymentTimeline,
    deriveHealthTimings,
    inRange,
    simulateTaskStart,
    toleratedStartupSeconds,
    validateHealthTimings,
} from "../../policies/domain";

const AWS_DEFAULT_ALB = { interval: 30, timeout: 6, healthyThreshold: 5, unhealthyThreshold: 2 };
const budget = fc
    .record({
        expected: fc.integer({ min: 0, max: 600 }),
        extra: fc.integer({ min: 0, max: 600 }),
    })
    .map(({ expected, extra }) => ({ expectedSeconds: expected, worstCaseSeconds: Math.min(expected + extra, 900) }));

describe("health-timing model", () => {
    describe("AWS defaults (examples)", () => {
        it("a default ALB with a 0 s grace period kills a task that needs 90 s to start", () => {
            const outcome = simulateTaskStart({ startupSeconds: 90, alb: AWS_DEFAULT_ALB, healthCheckGracePeriodSeconds: 0 });
            assert.deepEqual(outcome.killed, { at: 30, by: "elb" });
            // Even if it survived, it would need 5 passes after its first at 90 s.
            assert.equal(outcome.albHealthyAt, 90 + 4 * 30);
        });

        it("the same task survives once the grace period covers start-up plus the ALB's healthy window", () => {
            const grace = 90 + albHealthyWindowSeconds(90, AWS_DEFAULT_ALB);
            assert.equal(grace, 90 + 5 * 30); // upper bound: the check phase relative to start-up is unknown
            assert.equal(
                simulateTaskStart({ startupSeconds: 90, alb: AWS_DEFAULT_ALB, healthCheckGracePeriodSeconds: grace }).killed,
                undefined,
            );
            // With checks at 0, 30, 60, 90 … the target is healthy at 210 s: one second less of grace kills it.
            assert.deepEqual(simulateTaskStart({ startupSeconds: 90, alb: AWS_DEFAULT_ALB, healthCheckGracePeriodSeconds: 209 }).killed, {
                at: 209,
                by: "elb",
            });
            assert.equal(
                simulateTaskStart({ startupSeconds: 90, alb: AWS_DEFAULT_ALB, healthCheckGracePeriodSeconds: 210 }).killed,
                undefined,
            );
        });

        it("a new target that never failed unhealthyThreshold checks needs only one pass", () => {
            assert.equal(albHealthyWindowSeconds(10, AWS_DEFAULT_ALB), 30);
            assert.equal(
                simulateTaskStart({ startupSeconds: 10, alb: AWS_DEFAULT_ALB, healthCheckGracePeriodSeconds: 0 }).albHealthyAt,
                30,
            );
        });

        it("validation flags the default 0 s grace period for a 90 s start-up and names the fix", () => {
            const { findings } = validateHealthTimings({ alb: {}, container: { startPeriod: 0 } }, { worstCaseStartupSeconds: 90 });
            const grace = findings.find((f) => f.id === "grace-period-too-short");
            assert.ok(grace, JSON.stringify(findings));
            assert.match(grace.message, /unset: AWS uses 0/);
            assert.match(grace.fix, /at least 240 s/);
        });

        it("circuit breaker threshold is 0.5 × desired, at least 3, at most 200", () => {
            assert.deepEqual([0, 1, 2, 6, 7, 10, 400, 1000].map(circuitBreakerThreshold), [3, 3, 3, 3, 4, 5, 200, 200]);
        });
    });

    describe("derivation", () => {
        it("derives the documented values for a 30 s / 60 s budget", () => {
            const t = deriveHealthTimings({ startup: { expectedSeconds: 30, worstCaseSeconds: 60 } });
            assert.deepEqual(t.container, { interval: 10, timeout: 5, retries: 3, startPeriod: 60 });
            assert.deepEqual(t.alb, { interval: 10, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 });
            assert.equal(t.healthCheckGracePeriodSeconds, 80);
            assert.equal(t.deregistrationDelay, 15);
            assert.equal(t.stopTimeout, 15);
        });

        it("covers a start-up beyond the 300 s start period with extra retries", () => {
            const t = deriveHealthTimings({ startup: { expectedSeconds: 300, worstCaseSeconds: 340 } });
            assert.equal(t.container.startPeriod, 300);
            assert.ok(t.container.startPeriod + t.container.retries * t.container.interval >= 340);
        });

        it("property: derived timings are inside AWS ranges and pass their own validation", () => {
            fc.assert(
                fc.property(budget, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 300 }), (startup, shutdown, longest) => {
                    fc.pre(startup.worstCaseSeconds <= 3300);
                    const t = deriveHealthTimings({ startup, drain: { shutdownSeconds: shutdown, longestRequestSeconds: longest } });
                    for (const [k, range] of Object.entries(CONTAINER_HEALTH_CHECK))
                        assert.ok(inRange((t.container as any)[k], range), `container.${k}=${(t.container as any)[k]}`);
                    for (const [k, range] of Object.entries(ALB_HEALTH_CHECK)) assert.ok(inRange((t.alb as any)[k], range), `alb.${k}`);
                    assert.ok(t.stopTimeout <= FARGATE_STOP_TIMEOUT.max);
                    const v = validateHealthTimings(t, {
                        worstCaseStartupSeconds: startup.worstCaseSeconds,
                        maxDeregistrationDelaySeconds: 3600,
                        maxGracePeriodSeconds: 1e9,
                    });
                    assert.deepEqual(v.findings, []);
                    assert.deepEqual(v.undecided, []);
                }),
                { numRuns: 500 },
            );
        });

        it("property: timeouts are always below intervals", () => {
            fc.assert(
                fc.property(budget, fc.integer({ min: 5, max: 300 }), fc.integer({ min: 5, max: 300 }), (startup, ci, ai) => {
                    const t = deriveHealthTimings({ startup, containerInterval: ci, albInterval: ai });
                    assert.ok(t.container.timeout < t.container.interval);
                    assert.ok(t.alb.timeout < t.alb.interval);
                }),
                { numRuns: 300 },
            );
        });

        it("property: a task starting within its worst case is never killed, and is healthy before the grace period ends", () => {
            fc.assert(
                fc.property(budget, fc.double({ min: 0, max: 1, noNaN: true }), (startup, share) => {
                    fc.pre(startup.worstCaseSeconds <= 300);
                    const t = deriveHealthTimings({ startup });
                    const S = startup.worstCaseSeconds * share;
                    const outcome = simulateTaskStart({
                        startupSeconds: S,
                        alb: t.alb,
                        containerProbe: t.container,
                        healthCheckGracePeriodSeconds: t.healthCheckGracePeriodSeconds,
                    });
                    assert.equal(outcome.killed, undefined, `S=${S} ${JSON.stringify(t)}`);
                    assert.ok(outcome.albHealthyAt <= t.healthCheckGracePeriodSeconds);
                }),
                { numRuns: 500 },
            );
        });

        it("property: an app that never answers is always killed (the circuit breaker can trip)", () => {
            fc.assert(
                fc.property(budget, fc.integer({ min: 1, max: 50 }), (startup, desired) => {
                    fc.pre(startup.worstCaseSeconds <= 3300);
                    const t = deriveHealthTimings({ startup });
                    const timeline = deploymentTimeline(t, startup, { desiredCount: desired });
                    assert.ok(Number.isFinite(timeline.circuitBreakerTripSeconds));
                    assert.ok(timeline.rollbackCompleteSeconds > timeline.circuitBreakerTripSeconds);
                    assert.notEqual(timeline.failedTaskKilledBy, "never");
                }),
                { numRuns: 300 },
            );
        });

        it("rejects budgets that cannot be covered, naming the field", () => {
            assert.throws(() => assertBudget({ startup: { expectedSeconds: -1 } }), /`startup.expectedSeconds`/);
            assert.throws(() => assertBudget({ startup: { expectedSeconds: 60, worstCaseSeconds: 30 } }), /worstCaseSeconds.*below/);
            assert.throws(() => assertBudget({ startup: { expectedSeconds: 5000 } }), /cannot cover more than 3300 s/);
            assert.doesNotThrow(() => assertBudget({ startup: { expectedSeconds: 30 } }));
        });
    });

    describe("deployment timeline", () => {
        const t: HealthTimings = deriveHealthTimings({ startup: { expectedSeconds: 20, worstCaseSeconds: 60 } });

        it("rolls 4 tasks in one batch at 100/200 % and in two at 100/150 %", () => {
            const fast = deploymentTimeline(
                t,
                { expectedSeconds: 20, worstCaseSeconds: 60 },
                { desiredCount: 4, minimumHealthyPercent: 100, maximumPercent: 200 },
            );
            const slow = deploymentTimeline(
                t,
                { expectedSeconds: 20, worstCaseSeconds: 60 },
                { desiredCount: 4, minimumHealthyPercent: 100, maximumPercent: 150 },
            );
            assert.equal(fast.batchSize, 4);
            assert.equal(slow.batchSize, 2);
            assert.ok(slow.rollingDeploymentSeconds > fast.rollingDeploymentSeconds);
        });

        it("the AWS default deregistration delay (300 s) lengthens every batch by ~5 min", () => {
            const shape = { desiredCount: 2 };
            const ours = deploymentTimeline(t, { expectedSeconds: 20 }, shape);
            const aws = deploymentTimeline({ ...t, deregistrationDelay: 300 }, { expectedSeconds: 20 }, shape);
            assert.equal(aws.rollingDeploymentSeconds - ours.rollingDeploymentSeconds, 300 - t.deregistrationDelay);
        });

        it("bake time adds to the rolling deployment", () => {
            const tl = deploymentTimeline(t, { expectedSeconds: 20 }, { desiredCount: 2, bakeTimeMinutes: 5 });
            assert.equal(tl.rollingDeploymentWithBakeSeconds - tl.rollingDeploymentSeconds, 300);
        });

        it("an enormous grace period delays the circuit breaker accordingly", () => {
            const tl = deploymentTimeline(
                {
                    ...t,
                    container: { ...t.container, retries: 10, startPeriod: 300, interval: 300 },
                    healthCheckGracePeriodSeconds: Number.MAX_SAFE_INTEGER,
                },
                { expectedSeconds: 20 },
                { desiredCount: 2 },
            );
            // The container probe still kills it (300 + 9 × 300 s after start), but only after the huge grace period.
            assert.equal(tl.failedTaskKilledBy, "elb");
            assert.ok(tl.circuitBreakerTripSeconds > Number.MAX_SAFE_INTEGER);
        });
    });

    describe("validation of programs we did not write", () => {
        it("flags timeout ≥ interval on the ALB probe only (ECS accepts it on a container probe)", () => {
            const { findings } = validateHealthTimings({ container: { interval: 10, timeout: 10 }, alb: { interval: 5, timeout: 6 } });
            assert.deepEqual(
                findings.filter((f) => f.id === "timeout-not-below-interval").map((f) => f.field),
                ["alb.timeout"],
            );
            assert.deepEqual(validateHealthTimings({ container: { interval: 5, timeout: 60 } }).findings, []);
        });

        it("asks no grace period when the ALB cannot mark a task unhealthy before it answers", () => {
            // AWS defaults (interval 30, unhealthy 2): a 30 s start-up fails one check, then passes.
            assert.equal(albGraceNeededSeconds(30, AWS_DEFAULT_ALB), 0);
            assert.equal(
                simulateTaskStart({ startupSeconds: 30, alb: AWS_DEFAULT_ALB, healthCheckGracePeriodSeconds: 0 }).killed,
                undefined,
            );
            const v = validateHealthTimings({ alb: {}, container: { startPeriod: 30 }, healthCheckGracePeriodSeconds: 0 });
            assert.deepEqual(v.findings, []);
            // 31 s fails two checks: the target is unhealthy at 30 s and ECS replaces it.
            assert.equal(albGraceNeededSeconds(31, AWS_DEFAULT_ALB), 31 + 5 * 30);
            assert.ok(simulateTaskStart({ startupSeconds: 31, alb: AWS_DEFAULT_ALB, healthCheckGracePeriodSeconds: 0 }).killed);
            const [f] = validateHealthTimings({ alb: {}, container: { startPeriod: 31 }, healthCheckGracePeriodSeconds: 0 }).findings;
            assert.equal(f.id, "grace-period-too-short");
            assert.match(f.fix, /at least 181 s/);
        });

        it("invents no start-up: without a declared one the grace period is unjudged and the message says what to declare", () => {
            const v = validateHealthTimings({ alb: {}, container: { interval: 10, timeout: 5 }, healthCheckGracePeriodSeconds: 0 });
            assert.deepEqual(v.findings, []);
            assert.equal(v.unjudged.length, 1);
            assert.equal(v.unjudged[0].id, "startup-not-declared");
            assert.match(v.unjudged[0].message, /survives a start-up of up to 30 s/);
            assert.match(v.unjudged[0].fix, /`startPeriod`/);
            // No container probe at all: the same; a grace period raises what is tolerated.
            assert.match(validateHealthTimings({ alb: {}, healthCheckGracePeriodSeconds: 300 }).unjudged[0].message, /up to 150 s/);
            assert.equal(toleratedStartupSeconds(300, AWS_DEFAULT_ALB), 150);
            // Without a load balancer there is nothing to declare.
            assert.deepEqual(
                validateHealthTimings({ container: {}, healthCheckGracePeriodSeconds: 0 }, { loadBalanced: false }).unjudged,
                [],
            );
        });

        it("property: a declared start-up the policy accepts is never killed by the ALB (any phase of its checks)", () => {
            fc.assert(
                fc.property(
                    fc.integer({ min: 0, max: 600 }),
                    fc.integer({ min: 5, max: 60 }),
                    fc.integer({ min: 2, max: 10 }),
                    fc.integer({ min: 2, max: 10 }),
                    fc.integer({ min: 0, max: 900 }),
                    fc.double({ min: 0, max: 1, noNaN: true }),
                    (S, interval, healthy, unhealthy, grace, phase) => {
                        const alb = { interval, timeout: 2, healthyThreshold: healthy, unhealthyThreshold: unhealthy };
                        const v = validateHealthTimings(
                            { alb, container: { startPeriod: Math.min(S, 300) }, healthCheckGracePeriodSeconds: grace },
                            { worstCaseStartupSeconds: S },
                        );
                        fc.pre(!v.findings.some((f) => f.id === "grace-period-too-short"));
                        // Checks at p, p + I, … after registration (p unknown): fails before S, then passes.
                        const p = phase * interval;
                        const failed = S <= p ? 0 : Math.ceil((S - p) / interval);
                        if (failed < unhealthy) return; // never marked unhealthy: ECS does not replace it
                        const firstPass = p + failed * interval;
                        assert.ok(firstPass + (healthy - 1) * interval <= grace, `S=${S} ${JSON.stringify(alb)} grace=${grace} p=${p}`);
                    },
                ),
                { numRuns: 1000 },
            );
        });

        it("flags values outside AWS ranges with the allowed range", () => {
            const { findings } = validateHealthTimings({ container: { retries: 11, startPeriod: 301 }, alb: { healthyThreshold: 1 } });
            const fields = findings
                .filter((f) => f.id === "value-out-of-range")
                .map((f) => f.field)
                .sort();
            assert.deepEqual(fields, ["alb.healthyThreshold", "container.retries", "container.startPeriod"]);
            assert.match(findings.find((f) => f.field === "container.retries")!.message, /from 1 to 10/);
        });

        it("flags stopTimeout above Fargate's 120 s and a deregistration delay above budget", () => {
            const ids = validateHealthTimings({ stopTimeout: 180, deregistrationDelay: 300 })
                .findings.map((f) => f.id)
                .sort();
            assert.deepEqual(ids, ["deregistration-delay-above-budget", "stop-timeout-above-fargate-max"]);
        });

        it("counts the grace period as shielding container checks too", () => {
            const probe = { interval: 10, retries: 3, startPeriod: 0, timeout: 5 };
            assert.ok(
                !validateHealthTimings(
                    { container: probe, healthCheckGracePeriodSeconds: 90 },
                    { worstCaseStartupSeconds: 90, loadBalanced: false },
                ).findings.some((f) => f.id === "container-probe-kills-slow-start"),
            );
            const [f] = validateHealthTimings(
                { container: probe, healthCheckGracePeriodSeconds: 40 },
                { worstCaseStartupSeconds: 90, loadBalanced: false },
            ).findings;
            assert.match(f.message, /tolerates 70 s of start-up \(grace period 40 \+ `retries` 3 × `interval` 10\)/);
        });

        it("asks no grace period of a service without a load balancer", () => {
            const { findings } = validateHealthTimings(
                { container: { startPeriod: 60 }, healthCheckGracePeriodSeconds: 0 },
                { loadBalanced: false },
            );
            assert.deepEqual(findings, []);
        });

        it("flags a container probe that kills slow starts", () => {
            const { findings } = validateHealthTimings(
                { container: { interval: 10, retries: 3, startPeriod: 0, timeout: 5 } },
                { worstCaseStartupSeconds: 90, loadBalanced: false },
            );
            assert.ok(findings.some((f) => f.id === "container-probe-kills-slow-start"));
        });

        it("flags an absurdly long grace period", () => {
            const { findings } = validateHealthTimings({ healthCheckGracePeriodSeconds: 3600, container: { startPeriod: 30 }, alb: {} });
            assert.ok(findings.some((f) => f.id === "grace-period-too-long"));
        });

        it("reports unknown values as undecided instead of passing them", () => {
            const v = validateHealthTimings({
                healthCheckGracePeriodSeconds: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                container: { interval: {} },
                alb: {},
            });
            assert.deepEqual(v.undecided.sort(), ["container.interval", "healthCheckGracePeriodSeconds"]);
        });

        it("property: never throws on arbitrary input", () => {
            fc.assert(
                fc.property(fc.anything(), fc.anything(), (a, b) => {
                    validateHealthTimings(a as any, (b && typeof b === "object" ? b : {}) as any);
                    validateHealthTimings({
                        container: a,
                        alb: b,
                        healthCheckGracePeriodSeconds: a,
                        stopTimeout: b,
                        deregistrationDelay: a,
                    } as any);
                }),
                { numRuns: 2000 },
            );
        });
    });
});
