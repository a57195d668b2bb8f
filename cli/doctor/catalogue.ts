/**
 * The message → cause catalogue: pure data. Every rule the doctor uses to read ECS, ELB and
 * application text lives here, so adding a newly seen message shape is a one-entry change with
 * a test, not a code change. Sources of the shapes: docs "ECS deployment failures" (AWS
 * stopped-task troubleshooting pages, API references, public issue threads).
 *
 * Order matters: entries are tried top to bottom and the first match wins, so specific shapes
 * (a 404 from the ALB probe) come before the generic one (any ELB failure). A cause takes its
 * `fix` and `policy` from the most specific entry any of its evidence matched.
 */
import type { CauseCode, ObservationKind, PolicyName } from "./types";

/** What every cause means, with the fix and policy used when no specific entry refines it. */
export interface CauseInfo {
    /** Headline of the cause, used as its message prefix. */
    readonly title: string;
    /** One sentence for the README's table. */
    readonly meaning: string;
    readonly fix: string;
    readonly policy?: PolicyName;
}

/** Per-code defaults, in the order causes are reported (headline first, then root causes). */
export const CAUSES: Readonly<Record<CauseCode, CauseInfo>> = {
    "circuit-breaker-rollback": {
        title: "The deployment circuit breaker failed the deployment",
        meaning:
            "ECS gave up on the new deployment after too many failed tasks and (when enabled) rolled back to the last completed one; waiters that only wait for steady state report this as success.",
        fix: "Fix the root cause listed next to this one (the failed deployment's stopped tasks), then deploy again. The service now runs the previous task definition.",
    },
    "deployment-stuck": {
        title: "The deployment is not making progress",
        meaning:
            "The newest deployment stays IN_PROGRESS with fewer running tasks than desired, or ECS reports it cannot start or replace tasks.",
        fix: "Look at the tasks it starts (other causes); enable the circuit breaker with rollback so a failing deployment ends instead of cycling; check minimumHealthyPercent/maximumPercent leave room to start a task.",
        policy: "deployment-circuit-breaker-rollback",
    },
    "container-health-check-failed": {
        title: "The container health check failed",
        meaning: "ECS stopped tasks because the task definition's healthCheck command kept exiting non-zero.",
        fix: "Run the probe inside the image (`docker run --rm --entrypoint sh IMAGE -c '<command>'`): the tool may be missing, the port or path wrong, or startPeriod shorter than start-up.",
    },
    "elb-health-check-failed": {
        title: "The load balancer health check failed",
        meaning: "The ALB marked the tasks' targets unhealthy and ECS replaced them.",
        fix: "Compare the target group's health check path/port with the app's routes, keep the probe shallow (no dependency checks), make healthCheckGracePeriodSeconds cover start-up, and let the ALB's security group reach the container port.",
        policy: "probe-paths-aligned",
    },
    "secrets-unavailable": {
        title: "ECS could not fetch the task's secrets",
        meaning:
            "The task failed to start because the execution role could not read a Secrets Manager secret or SSM parameter (permission, name, KMS key or network).",
        fix: "Grant the execution role (not the task role) secretsmanager:GetSecretValue / ssm:GetParameters on the exact ARNs (plus kms:Decrypt for a customer key), check the names, and give private subnets a route (NAT or VPC endpoints).",
        policy: "execution-role-can-read-secrets",
    },
    "image-pull-failed": {
        title: "The image could not be pulled",
        meaning: "The task failed to start because the container image could not be pulled.",
        fix: "Check the tag exists, the execution role may pull from ECR, and the subnets have a route to the registry (NAT or ECR/S3 VPC endpoints).",
    },
    "out-of-memory": {
        title: "A container ran out of memory",
        meaning: "A container was killed for exceeding its memory limit (exit code 137).",
        fix: "Raise the task/container memory (within a valid Fargate size) or fix the leak; read the container's last log lines.",
    },
    "essential-container-exited": {
        title: "An essential container exited",
        meaning: "The app process ended (crash or bad configuration) and took the task with it.",
        fix: "Read the container's last log lines; an exit 1 right after start is usually configuration (env vars, secrets, URLs).",
    },
    "task-placement-failed": {
        title: "ECS could not place or start the task",
        meaning: "No capacity, IP address, quota or runtime to start the task.",
        fix: "Read the reason: free subnet IPs (RESOURCE:ENI), raise the Fargate task quota, or fix the task size.",
    },
    "unrecognized-failure": {
        title: "ECS reported a failure this tool does not recognise",
        meaning: "A stop reason or event that looks like a failure but matches no catalogue entry; reported verbatim.",
        fix: "Read the evidence verbatim; please add the message shape to cli/doctor/catalogue.ts.",
    },
};

/** A catalogue entry's verdict: a cause code, or `ignore` for messages that are not failures. */
export type Verdict = CauseCode | "ignore";

/** One message shape. */
export interface CatalogueEntry {
    /** Stable id (tests and README refer to it). */
    readonly id: string;
    /** Which texts the pattern is tried on. */
    readonly sources: readonly ObservationKind[];
    readonly pattern: RegExp;
    readonly verdict: Verdict;
    /** Overrides the cause's default fix. */
    readonly fix?: string;
    /** Overrides the cause's default policy; `null` means "no policy catches this variant". */
    readonly policy?: PolicyName | null;
}

const STOP: readonly ObservationKind[] = ["task", "container", "event"];

/** The catalogue itself, specific entries first. */
export const CATALOGUE: readonly CatalogueEntry[] = [
    // Not failures: a deployment replacing old tasks, or someone stopping one on purpose.
    { id: "scaling-activity", sources: ["task"], pattern: /Scaling activity initiated by/i, verdict: "ignore" },
    { id: "stopped-by-user", sources: ["task"], pattern: /^Task stopped by user$/i, verdict: "ignore" },

    // Circuit breaker.
    {
        id: "breaker-deployment-failed",
        sources: ["event"],
        pattern: /\(deployment [^)]+\) deployment failed/i,
        verdict: "circuit-breaker-rollback",
    },
    { id: "breaker-rolling-back", sources: ["event"], pattern: /rolling back to deployment/i, verdict: "circuit-breaker-rollback" },
    {
        id: "breaker-rollout-reason",
        sources: ["deployment", "service-deployment"],
        pattern: /circuit breaker|ROLLBACK_/i,
        verdict: "circuit-breaker-rollback",
    },

    // Deployment that cannot move.
    {
        id: "deployment-config-no-room",
        sources: ["event"],
        pattern: /unable to stop or start tasks during a deployment because of the service deployment configuration/i,
        verdict: "deployment-stuck",
        fix: "minimumHealthyPercent/maximumPercent leave no room to start a new task next to the old ones (e.g. 100/100): raise maximumPercent (200) or lower minimumHealthyPercent.",
        policy: null,
    },
    {
        id: "start-backoff",
        sources: ["event"],
        pattern: /is unable to consistently start tasks successfully/i,
        verdict: "deployment-stuck",
        fix: "ECS is backing off from starting tasks that keep failing: fix the start failure named by the other causes; with the circuit breaker and rollback enabled the deployment would have ended instead.",
    },
    { id: "rollout-stalled", sources: ["deployment"], pattern: /has been IN_PROGRESS for/i, verdict: "deployment-stuck" },

    // Container health check: the probe command of the task definition names the likely fix,
    // so those refinements come before the generic stop reason. `health-check` texts are the
    // probe as policies/domain's analyzeProbeCommand reads it (`summarizeHealthCheck` in
    // diagnose.ts): `CMD-SHELL` when it needs /bin/sh, the programs it runs, then the timings.
    {
        id: "probe-uses-curl",
        sources: ["health-check"],
        pattern: /\bcurl\b/,
        verdict: "container-health-check-failed",
        fix: "The probe runs `curl`, which slim, alpine and distroless images do not ship: every check then exits 127 and looks like a dead app. Install curl in the image or use a probe with a tool the image has (wget, node, python).",
        policy: "probe-tool-present-in-image",
    },
    {
        id: "probe-uses-wget",
        sources: ["health-check"],
        pattern: /\bwget\b/,
        verdict: "container-health-check-failed",
        fix: "The probe runs `wget`, which distroless and some slim images do not ship: install it or probe with a tool the image has (curl, node, python).",
        policy: "probe-tool-present-in-image",
    },
    {
        id: "probe-needs-shell",
        sources: ["health-check"],
        pattern: /^CMD-SHELL\b/,
        verdict: "container-health-check-failed",
        fix: 'CMD-SHELL runs the probe through /bin/sh, which distroless and scratch images lack; use the exec form ["CMD", …] with a tool the image has.',
        policy: "probe-tool-present-in-image",
    },
    {
        id: "probe-no-start-period",
        sources: ["health-check"],
        pattern: /startPeriod 0s/,
        verdict: "container-health-check-failed",
        fix: "The health check has no startPeriod, so checks during start-up count as failures: set startPeriod (and the service grace period) to cover start-up.",
        policy: "grace-period-covers-startup",
    },
    {
        id: "container-health-stop",
        sources: STOP,
        pattern: /Task failed container health checks/i,
        verdict: "container-health-check-failed",
    },
    { id: "container-unhealthy", sources: ["container"], pattern: /^health status UNHEALTHY$/i, verdict: "container-health-check-failed" },

    // ALB health check: the event or target reason names the symptom.
    {
        id: "elb-404",
        sources: ["event", "target"],
        pattern: /codes: \[404\]|ResponseCodeMismatch.*\b404\b/i,
        verdict: "elb-health-check-failed",
        fix: "The ALB probes a path the app does not serve (404): set the target group's health check path to the app's health route (and the container probe to the same).",
        policy: "probe-paths-aligned",
    },
    {
        id: "elb-5xx",
        sources: ["event", "target"],
        pattern: /codes: \[5\d\d|ResponseCodeMismatch.*\b5\d\d\b/i,
        verdict: "elb-health-check-failed",
        fix: "The app answers the ALB probe with 5xx: a deep readiness probe failing on a degraded dependency takes every task out. Point the ALB at a shallow liveness route.",
        policy: "liveness-probe-shallow",
    },
    {
        id: "elb-timeout",
        sources: ["event", "target"],
        pattern: /Request timed out|Target\.Timeout/i,
        verdict: "elb-health-check-failed",
        fix: "The ALB probe timed out: the app was still starting (make healthCheckGracePeriodSeconds cover start-up), listens on another port, or the task's security group does not admit the ALB.",
        policy: "grace-period-covers-startup",
    },
    { id: "elb-stop", sources: STOP, pattern: /Task failed ELB health checks/i, verdict: "elb-health-check-failed" },
    { id: "elb-unhealthy-event", sources: ["event"], pattern: /is unhealthy in \(target-group/i, verdict: "elb-health-check-failed" },
    {
        id: "elb-target",
        sources: ["target"],
        pattern: /Target\.(FailedHealthChecks|ResponseCodeMismatch)/,
        verdict: "elb-health-check-failed",
    },

    // Start-up resources: ECR auth is registry access, the rest is secrets.
    {
        id: "ecr-auth",
        sources: STOP,
        pattern: /unable to retrieve ecr registry auth/i,
        verdict: "image-pull-failed",
        fix: "The task could not reach ECR to authenticate: give the subnets a route (NAT, public IP, or ECR api/dkr + S3 VPC endpoints) and let the execution role call ecr:GetAuthorizationToken.",
    },
    {
        id: "secrets-denied",
        sources: STOP,
        pattern: /unable to pull secrets[\s\S]*(AccessDenied|not authorized to perform)/i,
        verdict: "secrets-unavailable",
        fix: "The execution role may not read the secret: grant it secretsmanager:GetSecretValue / ssm:GetParameters on the exact ARNs, and kms:Decrypt for a customer-managed key.",
        policy: "execution-role-can-read-secrets",
    },
    {
        id: "secrets-missing",
        sources: STOP,
        pattern: /unable to pull secrets[\s\S]*(ParameterNotFound|ResourceNotFoundException|InvalidParameters)/i,
        verdict: "secrets-unavailable",
        fix: "A secret or parameter named in `secrets[].valueFrom` does not exist (or is in another region/account): fix the name or create it.",
        policy: null,
    },
    {
        id: "secrets-network",
        sources: STOP,
        pattern: /unable to pull secrets[\s\S]*(i\/o timeout|dial tcp|context deadline exceeded|RequestError)/i,
        verdict: "secrets-unavailable",
        fix: "The task could not reach Secrets Manager/SSM: give private subnets a route (NAT or secretsmanager/ssm VPC endpoints).",
        policy: null,
    },
    {
        id: "secrets",
        sources: STOP,
        pattern: /unable to pull secrets or registry auth|ResourceInitializationError:.*secret/i,
        verdict: "secrets-unavailable",
    },

    // Image pull.
    {
        id: "pull-not-found",
        sources: STOP,
        pattern: /CannotPullContainerError[\s\S]*(not found|manifest unknown)/i,
        verdict: "image-pull-failed",
        fix: "The image tag does not exist in the registry: push it, or deploy the tag that was pushed (pin by digest).",
    },
    {
        id: "pull-denied",
        sources: STOP,
        pattern: /CannotPullContainerError[\s\S]*(403|Forbidden|denied)/i,
        verdict: "image-pull-failed",
        fix: "The registry refused the pull: grant the execution role ECR pull (AmazonECSTaskExecutionRolePolicy) and check the repository policy / cross-account access.",
    },
    {
        id: "pull-timeout",
        sources: STOP,
        pattern: /CannotPullContainerError[\s\S]*(timeout|dial tcp)/i,
        verdict: "image-pull-failed",
        fix: "No route to the registry: NAT or a public IP, or ECR api/dkr + S3 gateway VPC endpoints for private subnets.",
    },
    { id: "pull", sources: STOP, pattern: /CannotPullContainerError/i, verdict: "image-pull-failed" },

    // Memory.
    { id: "oom-killed", sources: STOP, pattern: /OutOfMemoryError|killed due to memory usage/i, verdict: "out-of-memory" },

    // Placement and start.
    {
        id: "fargate-size",
        sources: [...STOP, "deployment"],
        pattern: /No Fargate configuration exists for given values/i,
        verdict: "task-placement-failed",
        fix: "The task's cpu/memory pair is not a Fargate size: pick one from the Fargate table (e.g. 512 CPU with 1024–4096 MiB).",
        policy: "fargate-task-size-valid",
    },
    {
        id: "exec-format",
        sources: [...STOP, "log"],
        pattern: /exec format error/i,
        verdict: "essential-container-exited",
        fix: "The image was built for another CPU architecture than the task's runtimePlatform (arm64 vs x86_64): build a multi-arch image or set runtimePlatform.cpuArchitecture.",
    },
    {
        id: "placement",
        sources: STOP,
        pattern:
            /CannotStartContainerError|ContainerRuntimeError|RESOURCE:(ENI|MEMORY|CPU)|reached the limit on the number of tasks|was unable to place a task|insufficient free addresses|Capacity is unavailable/i,
        verdict: "task-placement-failed",
    },

    // App exits, refined by the app's own last words.
    {
        id: "redis-url-scheme",
        sources: ["log"],
        pattern: /Redis URL must specify one of the following schemes|Invalid protocol|ERR_INVALID_URL/i,
        verdict: "essential-container-exited",
        fix: "The app rejected its Redis URL: give it a scheme, `rediss://` for an encrypted ElastiCache (`redis://` only without TLS).",
        policy: "redis-url-has-scheme",
    },
    {
        id: "heap-oom",
        sources: ["log"],
        pattern: /JavaScript heap out of memory|java\.lang\.OutOfMemoryError/i,
        verdict: "essential-container-exited",
        fix: "The runtime hit its own heap limit: raise it (--max-old-space-size, -Xmx) in line with the container memory, or fix the leak.",
    },
    { id: "essential-exited", sources: STOP, pattern: /Essential container in task exited/i, verdict: "essential-container-exited" },
];

/**
 * Words that make an event a failure report even when no entry matches it (so a new message
 * shape is reported verbatim instead of dropped). Routine events ("has started 2 tasks",
 * "registered 1 targets", "has reached a steady state") contain none of them.
 */
export const FAILURE_WORDS = /\b(fail(ed|s|ure)?|unable|error|unhealthy|denied|exception)\b/i;

/** The first entry matching `text` from `kind`, with its position (lower = more specific). */
export function classify(kind: ObservationKind, text: string): { entry: CatalogueEntry; rank: number } | undefined {
    for (let rank = 0; rank < CATALOGUE.length; rank++) {
        const entry = CATALOGUE[rank];
        if (entry.sources.includes(kind) && entry.pattern.test(text)) return { entry, rank };
    }
    return undefined;
}

/** True when a stopped task's reason says it was stopped on purpose (not a failure). */
export function isRoutineStop(stoppedReason: string | undefined): boolean {
    return stoppedReason !== undefined && classify("task", stoppedReason)?.entry.verdict === "ignore";
}
