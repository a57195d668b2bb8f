/**
 * Per-policy metadata for reports (SARIF rules, docs links), in one place. `id` equals the policy
 * name and never changes meaning; `docsAnchor` is the heading anchor of the policy's section in
 * policies/README.md (the section heading is the policy name).
 */
export interface PolicyMetadata {
    /** Stable public id = policy name (kebab-case). */
    id: string;
    /** Why the rule exists: the failure it prevents. */
    rationale: string;
    /** How to fix a violation, in general terms. */
    remediation: string;
    /** Anchor in policies/README.md, e.g. "#probe-paths-aligned". */
    docsAnchor: string;
}

const entries: PolicyMetadata[] = [
    {
        id: "fargate-task-size-valid",
        rationale: "Fargate accepts only the cpu/memory pairs of its task size table; any other pair (including the 1 GiB steps awsx picks for 8 and 16 vCPU) fails RegisterTaskDefinition and the deployment.",
        remediation: "Pick a memory size Fargate offers for the task's cpu (or the cpu that offers the memory you need).",
        docsAnchor: "#fargate-task-size-valid",
    },
    {
        id: "container-health-check-required",
        rationale: "ECS monitors only the task definition's health check; an essential container without one is never replaced when it hangs, and deployments cannot tell a broken release.",
        remediation: "Add a healthCheck whose command requests the app's shallow liveness endpoint on localhost with a tool the image contains.",
        docsAnchor: "#container-health-check-required",
    },
    {
        id: "health-check-ranges-valid",
        rationale: "AWS rejects health check values outside its ranges, and the ALB API rejects a target group whose timeout is not below its interval.",
        remediation: "Keep every health check field inside AWS's range and the target group's timeout below its interval; use HTTP matcher codes 200-499.",
        docsAnchor: "#health-check-ranges-valid",
    },
    {
        id: "probe-paths-aligned",
        rationale: "When the ALB and the container probe different paths or ports, one can fail while the other passes, and ECS replaces tasks that serve traffic (the seed outage: ALB on /health, container on /health/live).",
        remediation: "Make the target group health check and the container health check request the same shallow liveness path on the same port.",
        docsAnchor: "#probe-paths-aligned",
    },
    {
        id: "liveness-probe-shallow",
        rationale: "A health check that can replace tasks and checks dependencies restarts every task when a dependency degrades, turning a dependency blip into an outage.",
        remediation: "Probe a liveness endpoint that checks no dependency; keep dependency state on a readiness/status endpoint nothing that kills tasks probes.",
        docsAnchor: "#liveness-probe-shallow",
    },
    {
        id: "grace-period-covers-startup",
        rationale: "ECS replaces tasks whose ELB or container checks fail after the grace period; when the ALB can mark a starting task unhealthy, a grace period shorter than the start-up plus the ALB's healthy window kills every new task and rolls each release back.",
        remediation: "Declare the start-up (the container health check's startPeriod) and set healthCheckGracePeriodSeconds to at least that start-up plus the ALB's healthy window, and not far above it.",
        docsAnchor: "#grace-period-covers-startup",
    },
    {
        id: "deployment-circuit-breaker-rollback",
        rationale: "Without the circuit breaker a failing release is retried forever; without rollback it fails but stays deployed.",
        remediation: "Set deploymentCircuitBreaker { enable: true, rollback: true } on every ECS-controlled service.",
        docsAnchor: "#deployment-circuit-breaker-rollback",
    },
    {
        id: "zero-downtime-rollout",
        rationale: "A single task, or a minimum healthy percent below 100, leaves production without serving tasks during deployments or crashes.",
        remediation: "Run at least two tasks with deploymentMinimumHealthyPercent 100 and deploymentMaximumPercent above 100 in production-like stacks.",
        docsAnchor: "#zero-downtime-rollout",
    },
    {
        id: "graceful-shutdown-aligned",
        rationale: "Fargate caps stopTimeout at 120 s, and a long deregistration delay (AWS default 300 s) adds minutes to every deployment batch.",
        remediation: "Set stopTimeout to the app's shutdown time (at most 120 s) and deregistrationDelay to the longest request time.",
        docsAnchor: "#graceful-shutdown-aligned",
    },
    {
        id: "log-retention-set",
        rationale: "Log groups without retention keep and bill logs forever; awslogs-create-group, and awsx for every task definition by default, create such groups.",
        remediation: "Declare log groups as resources with retentionInDays (with awsx: logGroup.args.retentionInDays) and point the awslogs driver at them.",
        docsAnchor: "#log-retention-set",
    },
    {
        id: "container-dependency-healthcheck",
        rationale: "A dependsOn condition ECS cannot satisfy (HEALTHY without a health check, COMPLETE/SUCCESS on an essential container, a missing container) keeps the task from ever starting or is rejected.",
        remediation: "Give containers named with HEALTHY a health check, make COMPLETE/SUCCESS targets non-essential, and name existing containers only.",
        docsAnchor: "#container-dependency-healthcheck",
    },
    {
        id: "deployment-alarms-configured",
        rationale: "The circuit breaker misses releases that start and pass health checks but serve errors; deployment alarms catch and roll them back.",
        remediation: "Configure alarms { alarmNames, enable: true, rollback: true } with the service's error-rate and latency alarms.",
        docsAnchor: "#deployment-alarms-configured",
    },
    {
        id: "probe-command-fails-on-http-errors",
        rationale: "A probe that exits 0 on HTTP errors (curl without -f, `|| true`, `; exit 0`) keeps broken tasks in service, and one that requests another host replaces healthy tasks when that host is down.",
        remediation: "Request the container's own liveness path on localhost with a command whose exit status follows the HTTP status (curl -fsS, wget, or the component's generated probe).",
        docsAnchor: "#probe-command-fails-on-http-errors",
    },
    {
        id: "probe-tool-present-in-image",
        rationale: "A health check that runs a program the image does not contain (curl in python:*-slim, CMD-SHELL in distroless) fails every time, so ECS replaces every task and each deployment rolls back.",
        remediation: "Probe with a tool the image ships (python3, node, wget), install one in the Dockerfile, or use the exec form when the image has no shell.",
        docsAnchor: "#probe-tool-present-in-image",
    },
    {
        id: "redis-url-has-scheme",
        rationale: "A Redis URL without redis://, rediss:// or unix:// is rejected by redis-py and node-redis and makes ioredis connect without TLS.",
        remediation: "Store the full URL with its scheme, e.g. rediss://<host>:6379 for an encrypted cache.",
        docsAnchor: "#redis-url-has-scheme",
    },
    {
        id: "redis-tls-scheme-matches",
        rationale: "ElastiCache with in-transit encryption (and every serverless cache) accepts only TLS, so a redis:// URL gets every connection reset; rediss:// to a plaintext cache fails the handshake.",
        remediation: "Use rediss:// for caches with transitEncryptionEnabled (and serverless caches) and redis:// otherwise; build the URL from the cache's own settings.",
        docsAnchor: "#redis-tls-scheme-matches",
    },
    {
        id: "no-plaintext-secrets-in-environment",
        rationale: "Plain environment values and command lines are part of the task definition, readable by anyone who may describe it, and end up in diffs and logs; a Pulumi secret placed there is plain text in ECS.",
        remediation: "Move credentials to Secrets Manager or SSM Parameter Store, reference them in the container's secrets, and use the variable in the command line.",
        docsAnchor: "#no-plaintext-secrets-in-environment",
    },
    {
        id: "execution-role-can-read-secrets",
        rationale: "ECS reads container secrets with the execution role before the container starts; a missing grant fails every task with ResourceInitializationError.",
        remediation: "Grant the execution role secretsmanager:GetSecretValue / ssm:GetParameters on exactly its secrets (and kms:Decrypt on customer-managed keys).",
        docsAnchor: "#execution-role-can-read-secrets",
    },
    {
        id: "database-name-consistent",
        rationale: "When the database name given to the app differs from the one RDS creates, every connection fails with database does not exist and the app never becomes ready.",
        remediation: "Pass the database resource's own dbName output to the container instead of repeating the name.",
        docsAnchor: "#database-name-consistent",
    },
    {
        id: "container-definition-registers",
        rationale: "RegisterTaskDefinition rejects, or the container start mangles, a stringified Output as image, non-string or misspelt log options, memory the task does not have, a port mapped twice, and a task without an essential container.",
        remediation: "Pass Outputs themselves (not their text), keep log options strings the awslogs driver knows, fit container memory in the task's, map each port once, and keep one container essential.",
        docsAnchor: "#container-definition-registers",
    },
    {
        id: "app-receives-sigterm",
        rationale: "ECS stops containers with SIGTERM and kills them with SIGKILL after stopTimeout; a shell that stays PID 1 never passes SIGTERM on, so every deployment kills in-flight requests.",
        remediation: "Use the exec form, end the shell script with exec, or run an init (initProcessEnabled, tini, dumb-init) as PID 1.",
        docsAnchor: "#app-receives-sigterm",
    },
    {
        id: "load-balancer-protocol-matches-container",
        rationale: "An ALB or an HTTP health check in front of a container that does not speak HTTP (Redis, PostgreSQL, Kafka…) never gets an answer, so ECS replaces the tasks forever.",
        remediation: "Reach non-HTTP servers through Service Connect, Cloud Map or a Network Load Balancer with a TCP health check, not an ALB target group.",
        docsAnchor: "#load-balancer-protocol-matches-container",
    },
    {
        id: "postgres-tls-matches-server",
        rationale: "RDS for PostgreSQL 15 and later accepts only TLS connections by default (rds.force_ssl = 1), so an app configured with sslmode=disable never connects.",
        remediation: "Connect with sslmode=require, or verify-full with the RDS CA bundle; or turn rds.force_ssl off in the database's parameter group if plaintext is really wanted.",
        docsAnchor: "#postgres-tls-matches-server",
    },
    {
        id: "tasks-reach-their-data-stores",
        rationale: "Security groups drop what they do not admit, silently: tasks that cannot reach their database or cache, or an ALB that cannot reach its tasks, time out, fail their health checks and are replaced forever.",
        remediation: "Admit the tasks' security group on the data store's port (and the ALB's on the container port), and let the sender's security group out on that port; the finding shows the rule to add.",
        docsAnchor: "#tasks-reach-their-data-stores",
    },
    {
        id: "tasks-reach-aws-apis",
        rationale: "A Fargate task pulls its image, fetches its secrets and ships its logs through its subnet; without a NAT gateway, a public IP behind an internet gateway, or VPC endpoints, it never starts.",
        remediation: "Route the tasks' subnets to a NAT gateway, or add the VPC endpoints they need (ecr.api, ecr.dkr, the S3 gateway, secretsmanager, ssm, logs) with private DNS, and let HTTPS out of the tasks' security groups.",
        docsAnchor: "#tasks-reach-aws-apis",
    },
];

/** Metadata by policy id. */
export const POLICY_METADATA: Readonly<Record<string, PolicyMetadata>> = Object.freeze(Object.fromEntries(entries.map(e => [e.id, e])));
