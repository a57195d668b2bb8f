import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { DrainBudget, ProbeTool, StartupBudget } from "@healthy-fargate/domain";
import type { AlarmsArgs } from "./alarms";

/**
 * Where the service plugs into a shared Application Load Balancer. Several services share one
 * ALB through listener rules; the component creates the target group and the rule, never the ALB.
 */
export interface SharedListener {
    /** ARN of the ALB listener (HTTP or HTTPS) to add a rule to. */
    readonly listenerArn: pulumi.Input<string>;
    /** Security group of the ALB: the only source allowed to reach the tasks' port. */
    readonly securityGroupId: pulumi.Input<string>;
    /**
     * DNS name (or custom domain) clients use, for the `url` output.
     * @default - `url` is not set
     */
    readonly dnsName?: pulumi.Input<string>;
    /**
     * Scheme of `url`.
     * @default "http"
     */
    readonly protocol?: "http" | "https";
    /**
     * ARN suffix of the load balancer (`app/<name>/<id>`, the `arnSuffix` output of
     * `aws.lb.LoadBalancer`): the `LoadBalancer` dimension of the ALB alarms and dashboard widgets.
     * @default - derived from `listenerArn` (`…:listener/app/<name>/<id>/<listener-id>`); a listener ARN
     *   that is not an ALB listener's fails the update with a message naming this arg
     */
    readonly loadBalancerArnSuffix?: pulumi.Input<string>;
}

/**
 * How ECS replaces tasks when the task definition changes. Both strategies keep the circuit
 * breaker and the deployment alarms (`alarms.rollbackOn`).
 */
export interface DeploymentArgs {
    /**
     * - `"rolling"`: ECS replaces tasks in batches within `minimumHealthyPercent`/`maximumPercent`;
     *   old and new tasks serve side by side during the deployment.
     * - `"blue-green"`: ECS-native blue/green (`deploymentConfiguration.strategy = "BLUE_GREEN"`):
     *   a full set of new tasks starts in an alternate target group, production traffic moves to it
     *   at once by rewriting the listener rule, the old tasks stay for `bakeTimeMinutes`, and a
     *   rollback during the bake moves traffic back at once. Creates a second target group (same
     *   health check) and an IAM role ECS assumes to rewrite the listener rule.
     * @default "rolling"
     */
    readonly strategy?: "rolling" | "blue-green";
    /**
     * Blue/green only: minutes both revisions run after production traffic moved to the new one
     * (0–1440). ECS watches the deployment alarms during it and rolls back on the old tasks, which
     * are still running. With `"rolling"` ECS computes its own bake time from the alarms and this
     * arg is rejected.
     * When `pulumi up` waits (`waitForSteadyState` or `verifyRollout`), a bake it cannot wait for within
     * one 12-hour IAM role session is rejected with the largest one that fits.
     * @default - the longest evaluation window of the `alarms.rollbackOn` alarms + 1 minute (metrics
     *   arrive about a minute late), so each of them sees a full window of production traffic on the
     *   new revision; 0 when there are no deployment alarms
     */
    readonly bakeTimeMinutes?: number;
}

/** The smoke test of `HealthyFargateService.smoke` (see the doctor's `smoke` command). */
export interface SmokeArgs {
    /**
     * Absolute paths to request through the load balancer; the listener rule must route them here.
     * @default [probe.livenessPath]
     */
    readonly paths?: string[];
    /** Requests per path (1–100). @default 3 */
    readonly requests?: number;
    /** Seconds each request may take (1–60). @default 5 */
    readonly timeoutSeconds?: number;
}

/** Which requests the listener rule forwards to this service. At least one of the two lists. */
export interface RoutingRule {
    /**
     * Listener rule priority (1–50000), unique per listener. Lower wins.
     */
    readonly priority: number;
    /**
     * Path patterns, e.g. `["/api/*"]`. Combined with `hostHeaders` by AND when both are set.
     * @default - any path
     */
    readonly pathPatterns?: string[];
    /**
     * Host headers, e.g. `["api.example.com"]`.
     * @default - any host
     */
    readonly hostHeaders?: string[];
}

/**
 * The probe contract of the app. The container health check and the ALB probe the SAME
 * liveness path on the SAME port, so they cannot disagree (the seed outage: ALB on `/health`,
 * container on `/health/live`).
 */
export interface ProbeArgs {
    /**
     * Program that performs the probe inside the container. The image must contain it:
     * `curl` and `wget` are absent from slim and distroless images; use `node` or `python`
     * there (a one-liner with the runtime the image already has). A tool a known image lacks
     * (curl on `python:*-slim`) is rejected with the fix.
     * @default - chosen from `image` when the domain's base-image table knows it (its runtime
     *   first: python → "python", node → "node"; then "curl", then "wget"), else "curl"; the
     *   health contract's `probe.toolChoice` says which and why
     */
    readonly tool?: ProbeTool;
    /**
     * Liveness path: answers 2xx/3xx while the process can serve requests and checks NO
     * dependency. Both probes use it; a failing liveness probe kills the task.
     * @default "/health/live"
     */
    readonly livenessPath?: string;
    /**
     * Readiness path: reports dependency state (database, Redis, upstreams). Documented in the
     * contract for dashboards and humans; deliberately probed by nothing that kills tasks, so a
     * degraded dependency degrades the service instead of restarting every task.
     * @default "/health/ready"
     */
    readonly readinessPath?: string;
    /**
     * Optional status page (versions, build, dependency detail). Never probed.
     * @default - none
     */
    readonly statusPath?: string;
    /**
     * HTTP codes the ALB accepts on the liveness path ("200", "200,302", "200-399").
     * The generated container probe passes on any status below 400, so keep the matcher within 200–399.
     * @default "200-399"
     */
    readonly matcher?: string;
}

export interface HealthyFargateServiceArgs {
    /** ARN (or name) of the ECS cluster. */
    readonly cluster: pulumi.Input<string>;
    /** VPC of the target group and the tasks' security group. */
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets for the tasks (no public IP is assigned). At least one; an empty list or a blank id is rejected. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The shared ALB listener the service is attached to. */
    readonly listener: SharedListener;
    /** Which requests reach this service. */
    readonly routing: RoutingRule;

    /**
     * Container image reference (ECR URI, public image, or an image-build output):
     * `[registry/]repository[:tag][@digest]` by the distribution grammar (lower-case repository,
     * `sha256:` + 64 hex). A plain string is checked before anything is registered, an Output once known.
     */
    readonly image: pulumi.Input<string>;
    /**
     * Port the app listens on inside the container (1–65535).
     * @default 8080
     */
    readonly port?: number;
    /**
     * Name of the app container, used by the ALB mapping and in logs.
     * @default "app"
     */
    readonly containerName?: string;
    /**
     * Container command override.
     * @default - the image's CMD
     */
    readonly command?: string[];
    /**
     * Plain environment variables. Credentials do not belong here (they show up in the console,
     * in `DescribeTaskDefinition` and in state): pass them in `secrets`.
     *
     * Rejected before anything is registered: a value that looks like a credential (a URL with a
     * password, an access key, a token, a PEM key) and a secret-like name (`DB_PASSWORD`,
     * `API_KEY`, …) whose value is unknown or could be a secret; the error shows the `secrets`
     * form. A value only known later (an Output) is checked again once known. A name may not be
     * in both `environment` and `secrets`.
     * @default {}
     */
    readonly environment?: Record<string, pulumi.Input<string>>;
    /**
     * Secrets injected as environment variables by ECS at task start (container `secrets`), by
     * variable name. Each is one of:
     * - `{ secretsManager, jsonKey?, versionStage?, versionId?, kmsKeyArn? }`: a Secrets Manager secret;
     * - `{ ssmParameter, kmsKeyArn? }`: an SSM parameter (usually a `SecureString`);
     * - `{ value }`: a value the component stores in a new Secrets Manager secret of its own.
     *
     * The **execution role** (which ECS uses to fetch them) is granted exactly these resources:
     * `secretsmanager:GetSecretValue` on each secret, `ssm:GetParameters` on each parameter,
     * `kms:Decrypt` on each `kmsKeyArn`; nothing else, no wildcard (a partial secret ARN is granted
     * as `name-??????`, which matches the random suffix Secrets Manager appends). The task role,
     * i.e. the app, gets nothing. The service waits for the grant (and for the secret values it
     * creates) before starting tasks, so the first deployment does not fail with
     * `ResourceInitializationError: unable to pull secrets`.
     *
     * References given as plain strings are validated before anything is registered; Outputs
     * once their value is known (the update then fails with the same message).
     * @default {} (no secrets; the execution role gets no secret permissions)
     */
    readonly secrets?: Record<string, SecretSourceArg>;

    /**
     * Task cpu: units (256 … 16384) or "N vCPU". Checked against the Fargate size table together with `memory`.
     * @default 512
     */
    readonly cpu?: number | string;
    /**
     * Task memory: MiB or "N GB".
     * @default 1024
     */
    readonly memory?: number | string;
    /**
     * CPU architecture of the image.
     * @default "X86_64"
     */
    readonly cpuArchitecture?: "X86_64" | "ARM64";

    /** Probe contract; see {@link ProbeArgs}. */
    readonly probe?: ProbeArgs;
    /**
     * Seconds the app takes to answer its liveness probe after the container starts. Every
     * timing (container start period, ALB thresholds, grace period) is derived from this budget.
     * @default { expectedSeconds: 30, worstCaseSeconds: 2 × expected }
     */
    readonly startup?: StartupBudget;
    /**
     * How long in-flight work may take when a task stops: sets the target group's
     * deregistration delay and the container's stopTimeout.
     * @default { longestRequestSeconds: 15, shutdownSeconds: 10 } (deregistration 15 s instead of AWS's 300 s; stopTimeout 15 s)
     */
    readonly drain?: DrainBudget;

    /**
     * Tasks to run. Two or more keep the service up while one is replaced. At most 5,000
     * (ECS's "Tasks per service" quota).
     * @default 2
     */
    readonly desiredCount?: number;
    /**
     * Share of desired tasks that must stay healthy during a deployment (0–100).
     * 100 means a new task must be healthy before an old one stops (zero downtime).
     * @default 100
     */
    readonly minimumHealthyPercent?: number;
    /**
     * Upper bound of running tasks during a deployment, in percent of desired (100–200).
     * @default 200
     */
    readonly maximumPercent?: number;
    /**
     * Whether `pulumi up` waits until the deployment reaches a steady state — for as long as the
     * contract's timeline says a deployment (with bake) or the rollback of a bad release takes
     * (the service's `customTimeouts`, see `deploymentTimeouts`), not the provider's fixed 20 minutes.
     * @default true
     */
    readonly waitForSteadyState?: boolean;
    /** Deployment strategy and bake time; see {@link DeploymentArgs}. */
    readonly deployment?: DeploymentArgs;
    /**
     * CloudWatch alarms of the service, and which of them roll deployments back; `false` creates
     * none (and no deployment alarms). See {@link AlarmsArgs} and the README's "Alarms".
     * @default - every alarm on with derived thresholds; deployment alarms on the 5XX rate and unhealthy hosts
     */
    readonly alarms?: false | AlarmsArgs;
    /**
     * Adds a `RolloutVerification` (components/rollout-verification.ts) after the service: it fails
     * `pulumi up` when ECS did not roll out this update's task definition (a circuit-breaker or
     * alarm rollback otherwise reads as a successful update). Needs the ECS API at `pulumi up`
     * time (the doctor library), read with the account, region and endpoints of this component's
     * AWS provider (its explicit provider, else the stack's `aws:*` config).
     * @default true
     */
    readonly verifyRollout?: boolean;
    /**
     * Opt-in smoke test after each rollout: once the deployment completed, the rollout verification
     * requests `paths` through the load balancer (`listener.protocol`://`listener.dnsName` when
     * `dnsName` is set, else the ALB the service is registered with, found from ECS and ELBv2) and
     * fails `pulumi up` when an answer does not match `probe.matcher` — so a revision that ECS calls
     * healthy but the ALB does not route to (rule, security group, host name, certificate) fails the
     * update. Needs `verifyRollout` and network access to the load balancer from where `pulumi up` runs.
     * `true` uses every default of {@link SmokeArgs}.
     * @default false (no smoke test)
     */
    readonly smoke?: boolean | SmokeArgs;

    /**
     * Days to keep the container logs (a CloudWatch retention value: 1, 3, 5, 7, 14, 30, …).
     * @default 30 (AWS keeps logs forever when unset, and bills for it)
     */
    readonly logRetentionDays?: number;
    /**
     * Extra IAM policy statements for the task role (what the APP may call). The task role
     * starts with no permissions.
     * @default []
     */
    readonly taskRoleStatements?: pulumi.Input<PolicyStatement>[];
    /** Tags added to every child resource. */
    readonly tags?: Record<string, string>;
}

/** A secret read from AWS Secrets Manager. */
export interface SecretsManagerSecretSource {
    /**
     * The secret: an `aws.secretsmanager.Secret`, or its ARN (full with the random suffix, or
     * partial without it). Not a name: ECS reads a plain name as an SSM parameter name, so a
     * secret given by name would fail at task start. An RDS-managed master password is
     * `instance.masterUserSecrets[0].secretArn`.
     */
    readonly secretsManager: aws.secretsmanager.Secret | pulumi.Input<string>;
    /**
     * Key of a JSON secret whose value becomes the variable (`"password"` of an RDS-managed secret).
     * @default - the whole secret string
     */
    readonly jsonKey?: string;
    /**
     * Staging label of the version to read (`AWSCURRENT`, `AWSPREVIOUS`, a custom label).
     * Conflicts with `versionId`.
     * @default - AWSCURRENT
     */
    readonly versionStage?: string;
    /**
     * Id of the version to read, to pin one. Conflicts with `versionStage`.
     * @default - the version labelled AWSCURRENT
     */
    readonly versionId?: string;
    /**
     * ARN of the customer-managed KMS key the secret is encrypted with: the execution role gets
     * `kms:Decrypt` on it. Not an alias (IAM matches the key ARN).
     * @default - none: the AWS-managed key `aws/secretsmanager`, which needs no grant
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
}

/** A secret read from SSM Parameter Store. */
export interface SsmParameterSecretSource {
    /**
     * The parameter: an `aws.ssm.Parameter`, its name (`/prod/api/redis-url`, looked up in the
     * task's own region and account) or its ARN (any region or account).
     */
    readonly ssmParameter: aws.ssm.Parameter | pulumi.Input<string>;
    /**
     * ARN of the customer-managed KMS key of a `SecureString` parameter: the execution role gets
     * `kms:Decrypt` on it.
     * @default - none: the AWS-managed key `aws/ssm`, which needs no grant
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
}

/**
 * A value the component stores for you: a new `aws.secretsmanager.Secret` and `SecretVersion`
 * (children of the component; the value is a Pulumi secret in state). Use it for values the
 * program computes; prefer a reference to an existing secret for values managed elsewhere.
 */
export interface ValueSecretSource {
    /** The secret value; must not be empty. */
    readonly value: pulumi.Input<string>;
}

/** Where a container secret comes from: exactly one of the three forms. */
export type SecretSourceArg = SecretsManagerSecretSource | SsmParameterSecretSource | ValueSecretSource;

/** An IAM policy statement as JSON. */
export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource: pulumi.Input<string> | pulumi.Input<string>[];
    Condition?: Record<string, unknown>;
}

/** The defaults of {@link HealthyFargateServiceArgs}, applied once in `resolveArgs`. */
export const DEFAULTS = {
    port: 8080,
    containerName: "app",
    cpu: 512,
    memory: 1024,
    cpuArchitecture: "X86_64",
    tool: "curl",
    livenessPath: "/health/live",
    readinessPath: "/health/ready",
    matcher: "200-399",
    expectedStartupSeconds: 30,
    desiredCount: 2,
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    waitForSteadyState: true,
    strategy: "rolling",
    verifyRollout: true,
    logRetentionDays: 30,
    protocol: "http",
} as const;
