/**
 * Argument validation of HealthyFargateService: pure, runs before any child exists, collects
 * every problem at once so a user fixes them in one go.
 */
import {
    CLOUDWATCH_LOG_RETENTION_DAYS,
    ECS_SERVICE,
    type ProbeTool,
    type ProbeToolChoice,
    assertBudget,
    buildHealthContract,
    checkFargateTaskSize,
    checkZeroDowntimeRollout,
    parseHttpMatcher,
} from "@healthy-fargate/domain";
import { type ResolvedAlarms, loadBalancerArnSuffixFromListenerArn, resolveAlarms } from "./alarms";
import { unknownArgKeyProblems } from "./arg-keys";
import { DEFAULTS, type HealthyFargateServiceArgs } from "./args";
import { desiredCountQuotaProblems, imageProblems, resolveProbeTool, subnetProblems, waitedUpdateProblems } from "./checks";
import { secretArgProblems } from "./secrets";
import { smokeArgProblems } from "./smoke";

/** Args after defaults, with the task size normalised to cpu units and MiB. */
export interface ResolvedArgs {
    port: number;
    containerName: string;
    cpu: number;
    memory: number;
    tool: ProbeTool;
    /** How `tool` was decided (recorded in the health contract). */
    toolChoice: ProbeToolChoice;
    livenessPath: string;
    readinessPath: string;
    statusPath?: string;
    matcher: string;
    startup: { expectedSeconds: number; worstCaseSeconds?: number };
    desiredCount: number;
    minimumHealthyPercent: number;
    maximumPercent: number;
    logRetentionDays: number;
    alarms: ResolvedAlarms;
    deployment: { strategy: "rolling" | "blue-green"; bakeTimeMinutes: number };
    verifyRollout: boolean;
    cpuArchitecture: "X86_64" | "ARM64";
    waitForSteadyState: boolean;
    /** Scheme of the `url` output (`listener.protocol`). */
    protocol: "http" | "https";
}

/**
 * The problem with a listener ARN the load balancer's ARN suffix cannot be derived from (checked
 * here for a plain string, and by the component once an Output's value is known).
 */
export function listenerArnSuffixProblem(listenerArn: string): string {
    return `\`listener.listenerArn\` ${JSON.stringify(listenerArn)} is not an ALB listener ARN, so the load balancer's ARN suffix (the alarms' \`LoadBalancer\` dimension) cannot be derived from it: pass \`listener.loadBalancerArnSuffix\`.`;
}

/**
 * Applies defaults and validates. Returns either the resolved args or the list of problems,
 * each naming the arg in backticks and saying how to fix it.
 */
export function resolveArgs(
    name: string,
    args: HealthyFargateServiceArgs | undefined,
): { ok: true; value: ResolvedArgs } | { ok: false; problems: string[] } {
    if (!args || typeof args !== "object")
        return {
            ok: false,
            problems: ["args are required: pass at least `cluster`, `vpcId`, `subnetIds`, `listener`, `routing` and `image`."],
        };
    // Each step adds its problems in argument order; the order of the steps is the order of the messages.
    const problems: string[] = [...unknownArgKeyProblems(args), ...requiredArgProblems(args)];
    const task = resolveTask(args, problems);
    const probe = resolveProbe(args, problems);
    const startup = args.startup ?? { expectedSeconds: DEFAULTS.expectedStartupSeconds };
    const budgetOk = budgetProblem(startup, args.drain, problems);
    const shape = resolveRolloutShape(args, problems);
    const other = resolveOtherArgs(args, problems);
    // Only the timings and the start-up budget (with its defaults) of the contract matter until the end.
    const { port, containerName } = task;
    const { tool, livenessPath, readinessPath, matcher } = probe;
    const timing = { containerName, port, tool, livenessPath, readinessPath, matcher, startup, drain: args.drain, ...shape };
    // Alarms: their windows derive from the timings, so they are checked once the budget is usable.
    const alarms = budgetOk && Number.isInteger(shape.desiredCount) ? resolveAlarmArgs(args, timing, problems) : NO_ALARMS;
    const deployment = resolveDeployment(args, alarms, problems);
    const waits = resolveWaits(args, problems);
    if (budgetOk && problems.length === 0) {
        // The whole contract is valid now: check that `pulumi up` can wait as long as it says.
        const contract = buildHealthContract({ ...timing, strategy: deployment.strategy, bakeTimeMinutes: deployment.bakeTimeMinutes });
        problems.push(...waitedUpdateProblems(contract, waits.waitForSteadyState === true || waits.verifyRollout === true));
    }
    problems.push(...routingProblems(args.routing));

    if (problems.length > 0) return { ok: false, problems: problems.map((p) => `${name}: ${p}`) };
    const { statusPath, ...probeRest } = probe;
    return {
        ok: true,
        value: {
            ...task,
            ...probeRest,
            ...(statusPath ? { statusPath } : {}),
            startup,
            ...shape,
            ...other,
            alarms,
            deployment,
            ...waits,
        },
    };
}

const NO_ALARMS: ResolvedAlarms = { alarms: [], rollbackOn: [], containerInsights: "enabled" };

/** The args without which there is no service, and the ones checked on their own (image, subnets). */
function requiredArgProblems(args: HealthyFargateServiceArgs): string[] {
    const problems: string[] = [];
    for (const required of ["cluster", "vpcId", "subnetIds", "listener", "routing", "image"] as const) {
        const value = args[required];
        if (value === undefined || value === null || (value === "" && required !== "image")) problems.push(`\`${required}\` is required.`);
    }
    if (args.image !== undefined && args.image !== null) problems.push(...imageProblems(args.image));
    problems.push(...subnetProblems(args.subnetIds));
    return problems;
}

/** Port, container name and Fargate size. */
function resolveTask(
    args: HealthyFargateServiceArgs,
    problems: string[],
): { port: number; containerName: string; cpu: number; memory: number } {
    const port = args.port ?? DEFAULTS.port;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
        problems.push(`\`port\` must be an integer 1–65535, got ${JSON.stringify(port)}.`);

    const containerName = args.containerName ?? DEFAULTS.containerName;
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(containerName))
        problems.push(`\`containerName\` must be 1–255 letters, digits, hyphens or underscores, got ${JSON.stringify(containerName)}.`);

    const size = checkFargateTaskSize(args.cpu ?? DEFAULTS.cpu, args.memory ?? DEFAULTS.memory);
    if (!size.valid) problems.push(`\`${size.field}\`: ${size.message} ${size.fix}`);
    return { port, containerName, cpu: (size as { cpu: number }).cpu, memory: (size as { memory: number }).memory };
}

/** The probe: tool (from the image when not given), the three paths, the matcher. */
function resolveProbe(args: HealthyFargateServiceArgs, problems: string[]) {
    const probe = args.probe ?? {};
    const { tool, choice: toolChoice, problems: toolProblems } = resolveProbeTool(probe.tool, args.image, DEFAULTS.tool);
    problems.push(...toolProblems);
    const livenessPath = probe.livenessPath ?? DEFAULTS.livenessPath;
    const readinessPath = probe.readinessPath ?? DEFAULTS.readinessPath;
    const statusPath = probe.statusPath;
    for (const [field, path] of [
        ["probe.livenessPath", livenessPath],
        ["probe.readinessPath", readinessPath],
        ["probe.statusPath", statusPath],
    ] as const) {
        if (path === undefined) continue;
        if (typeof path !== "string" || !/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/.test(path)) {
            problems.push(
                `\`${field}\` must be an absolute URL path such as "/health/live" (no spaces, no query), got ${JSON.stringify(path)}.`,
            );
        }
    }
    if (livenessPath === readinessPath || (statusPath !== undefined && livenessPath === statusPath)) {
        problems.push(
            `\`probe.livenessPath\` (${livenessPath}) must differ from the readiness and status paths: the ALB and the container probe liveness, and a probe that checks dependencies kills every task when a dependency degrades.`,
        );
    }
    const matcher = probe.matcher ?? DEFAULTS.matcher;
    const parsedMatcher = parseHttpMatcher(matcher);
    if (!parsedMatcher.ok) problems.push(`\`probe.matcher\`: ${parsedMatcher.reason}. Use e.g. "200-399".`);
    else if (parsedMatcher.ranges.some(([, to]) => to >= 400)) {
        problems.push(
            `\`probe.matcher\` "${matcher}" accepts 4xx codes, which the container probe treats as failures: the two probes would disagree. Keep it within 200–399.`,
        );
    }
    return { tool, toolChoice, livenessPath, readinessPath, statusPath, matcher };
}

/** Whether the start-up and drain budget is usable (else its problem is added). */
function budgetProblem(startup: ResolvedArgs["startup"], drain: HealthyFargateServiceArgs["drain"], problems: string[]): boolean {
    try {
        assertBudget({ startup, drain });
        return true;
    } catch (e) {
        problems.push((e as Error).message);
        return false;
    }
}

/** Desired count and the deployment percentages, including the shapes ECS can never deploy. */
function resolveRolloutShape(args: HealthyFargateServiceArgs, problems: string[]) {
    const desiredCount = args.desiredCount ?? DEFAULTS.desiredCount;
    if (!Number.isInteger(desiredCount) || desiredCount < 0)
        problems.push(`\`desiredCount\` must be a whole number ≥ 0, got ${JSON.stringify(desiredCount)}.`);
    problems.push(...desiredCountQuotaProblems(desiredCount));
    const minimumHealthyPercent = args.minimumHealthyPercent ?? DEFAULTS.minimumHealthyPercent;
    const maximumPercent = args.maximumPercent ?? DEFAULTS.maximumPercent;
    const { minimumHealthyPercent: minRange, maximumPercent: maxRange } = ECS_SERVICE;
    const minOk = Number.isInteger(minimumHealthyPercent) && minimumHealthyPercent >= minRange.min && minimumHealthyPercent <= minRange.max;
    const maxOk = Number.isInteger(maximumPercent) && maximumPercent >= maxRange.min && maximumPercent <= maxRange.max;
    if (!minOk)
        problems.push(`\`minimumHealthyPercent\` must be ${minRange.min}–${minRange.max}, got ${JSON.stringify(minimumHealthyPercent)}.`);
    if (!maxOk) problems.push(`\`maximumPercent\` must be ${maxRange.min}–${maxRange.max}, got ${JSON.stringify(maximumPercent)}.`);
    if (minOk && maxOk && Number.isInteger(desiredCount)) {
        // ECS rounds the minimum up and the maximum down: a shape that lets it neither start an
        // extra task nor stop an old one (100/100, or 1 task with 150 %) never deploys. The other
        // zero-downtime findings are choices (the policy pack reports them), not errors.
        const stuck = checkZeroDowntimeRollout({ desiredCount, minimumHealthyPercent, maximumPercent }).filter(
            (f) => f.id === "no-room-to-deploy",
        );
        problems.push(...stuck.map((f) => `${f.message} ${f.fix}`));
    }
    return { desiredCount, minimumHealthyPercent, maximumPercent };
}

/** Log retention, secrets and environment, the listener's ARN suffix and protocol, the CPU architecture. */
function resolveOtherArgs(args: HealthyFargateServiceArgs, problems: string[]) {
    const logRetentionDays = args.logRetentionDays ?? DEFAULTS.logRetentionDays;
    if (!CLOUDWATCH_LOG_RETENTION_DAYS.includes(logRetentionDays)) {
        problems.push(
            `\`logRetentionDays\` must be one of CloudWatch's values (${CLOUDWATCH_LOG_RETENTION_DAYS.join(", ")}), got ${JSON.stringify(logRetentionDays)}.`,
        );
    }

    problems.push(...secretArgProblems(args.secrets, args.environment));

    const suffix = args.listener?.loadBalancerArnSuffix;
    if (typeof suffix === "string" && !/^app\/[^/]+\/[0-9a-f]+$/.test(suffix)) {
        problems.push(
            `\`listener.loadBalancerArnSuffix\` must be an ALB's ARN suffix such as "app/my-alb/50dc6c495c0c9188" (the \`arnSuffix\` output of aws.lb.LoadBalancer), got ${JSON.stringify(suffix)}.`,
        );
    } else if (
        suffix === undefined &&
        typeof args.listener?.listenerArn === "string" &&
        !loadBalancerArnSuffixFromListenerArn(args.listener.listenerArn)
    ) {
        problems.push(listenerArnSuffixProblem(args.listener.listenerArn));
    }
    const protocol = args.listener?.protocol ?? DEFAULTS.protocol;
    if (protocol !== "http" && protocol !== "https")
        problems.push(
            `\`listener.protocol\` must be "http" or "https" (the scheme of the \`url\` output), got ${JSON.stringify(protocol)}.`,
        );
    const cpuArchitecture = args.cpuArchitecture ?? DEFAULTS.cpuArchitecture;
    if (cpuArchitecture !== "X86_64" && cpuArchitecture !== "ARM64")
        problems.push(
            `\`cpuArchitecture\` must be "X86_64" or "ARM64" (the image's architecture), got ${JSON.stringify(cpuArchitecture)}.`,
        );
    return { logRetentionDays, protocol, cpuArchitecture };
}

/** The alarms, checked against a contract built from the timings and the start-up budget (with their defaults). */
function resolveAlarmArgs(
    args: HealthyFargateServiceArgs,
    timing: Parameters<typeof buildHealthContract>[0] & { desiredCount: number },
    problems: string[],
): ResolvedAlarms {
    const contract = buildHealthContract(timing);
    const resolvedAlarms = resolveAlarms(args.alarms, { contract, desiredCount: timing.desiredCount });
    if (resolvedAlarms.ok) return resolvedAlarms.value;
    problems.push(...resolvedAlarms.problems);
    return NO_ALARMS;
}

/** Rolling or blue/green, and blue/green's bake time (default: the longest deployment alarm's window + 1 minute). */
function resolveDeployment(args: HealthyFargateServiceArgs, alarms: ResolvedAlarms, problems: string[]): ResolvedArgs["deployment"] {
    const deployment = args.deployment ?? {};
    const strategy = deployment.strategy ?? DEFAULTS.strategy;
    let bakeTimeMinutes = 0;
    if (strategy !== "rolling" && strategy !== "blue-green") {
        problems.push(`\`deployment.strategy\` must be "rolling" or "blue-green", got ${JSON.stringify(strategy)}.`);
    } else if (strategy === "rolling" && deployment.bakeTimeMinutes !== undefined) {
        problems.push(
            '`deployment.bakeTimeMinutes` applies to `strategy: "blue-green"` only: for rolling deployments ECS derives the bake time from the deployment alarms and offers no setting. Remove it, or switch to blue-green.',
        );
    } else if (strategy === "blue-green") {
        const longest = Math.max(0, ...alarms.alarms.filter((a) => alarms.rollbackOn.includes(a.kind)).map((a) => a.evaluationPeriods));
        bakeTimeMinutes = deployment.bakeTimeMinutes ?? (longest > 0 ? longest + 1 : 0);
        const range = ECS_SERVICE.bakeTimeInMinutes;
        if (!Number.isInteger(bakeTimeMinutes) || bakeTimeMinutes < range.min || bakeTimeMinutes > range.max) {
            problems.push(
                `\`deployment.bakeTimeMinutes\` must be a whole number of minutes ${range.min}–${range.max}, got ${JSON.stringify(deployment.bakeTimeMinutes)}.`,
            );
        }
    }
    return { strategy, bakeTimeMinutes };
}

/** What `pulumi up` waits for: the rollout verification (with its smoke request) and steady state. */
function resolveWaits(args: HealthyFargateServiceArgs, problems: string[]): { verifyRollout: boolean; waitForSteadyState: boolean } {
    const verifyRollout = args.verifyRollout ?? DEFAULTS.verifyRollout;
    if (typeof verifyRollout !== "boolean") problems.push(`\`verifyRollout\` must be true or false, got ${JSON.stringify(verifyRollout)}.`);
    problems.push(...smokeArgProblems(args));
    const waitForSteadyState = args.waitForSteadyState ?? DEFAULTS.waitForSteadyState;
    if (typeof waitForSteadyState !== "boolean")
        problems.push(`\`waitForSteadyState\` must be true or false, got ${JSON.stringify(waitForSteadyState)}.`);
    return { verifyRollout, waitForSteadyState };
}

function routingProblems(routing: HealthyFargateServiceArgs["routing"] | undefined): string[] {
    if (!routing) return [];
    const problems: string[] = [];
    if (!Number.isInteger(routing.priority) || routing.priority < 1 || routing.priority > 50000) {
        problems.push(`\`routing.priority\` must be an integer 1–50000 unique on the listener, got ${JSON.stringify(routing.priority)}.`);
    }
    if (!(routing.pathPatterns?.length || routing.hostHeaders?.length)) {
        problems.push(
            "`routing` needs `pathPatterns` or `hostHeaders` (or both): a rule without a condition would take every request of the listener.",
        );
    }
    return problems;
}
