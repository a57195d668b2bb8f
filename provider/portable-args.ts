/**
 * The language-neutral arguments of the `healthy-fargate:index:HealthyFargateService` component:
 * what Python, Go, C#, Java and YAML programs pass, once `pulumi package add` generated their SDK.
 *
 * Why a second surface: Pulumi infers the package schema from these TypeScript types
 * (`@pulumi/pulumi/provider/experimental/analyzer.js`), and that inference rejects union types
 * other than `T | undefined` and named literal unions (which become enums). The TypeScript API
 * (components/healthy-fargate-service/args.ts) uses unions on purpose (`alarms: false | {…}`,
 * `smoke: boolean | {…}`, `cpu: number | string`, three shapes of secret source); here each one is
 * an object with a discriminating field (`enabled`, `kind`) or a single type, and
 * `toServiceArgs` (to-service-args.ts) turns it into the TypeScript args.
 *
 * Rules this file follows, all from that analyzer:
 * - every nested type is a named interface (its name becomes the schema type
 *   `healthy-fargate:index:<Name>`, and `<Name>Args` in the Python SDK);
 * - enums are `as const` objects with a type alias of the same name, declared const first
 *   (the analyzer reads the members from the const's initializer);
 * - only the JSDoc *text* becomes the schema description: `@default` tags are dropped there, so
 *   each description says `Default: …` in its text. The defaults are those of the table in
 *   components/healthy-fargate-service/README.md (tests/provider/schema.test.ts compares them);
 * - `pulumi.Input<T>` marks a value that may come from another resource (an Output); everything
 *   else must be known when the program runs, because the component derives its settings from it
 *   before any resource exists.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Program the container health check runs; the image must contain it. */
export const ProbeTool = {
    /** `curl -fsS --max-time`: absent from slim, alpine and distroless images. */
    Curl: "curl",
    /** `wget -q -T`: busybox and alpine have it; slim and distroless images do not. */
    Wget: "wget",
    /** A one-line `node -e` fetch: for Node.js images. */
    Node: "node",
    /** A one-line `python3 -c` urllib call: for Python images (python:*-slim has no curl). */
    Python: "python",
} as const;
export type ProbeTool = (typeof ProbeTool)[keyof typeof ProbeTool];

/** Where a container secret comes from. */
export const SecretKind = {
    /** An AWS Secrets Manager secret, by ARN (full, or partial without the random suffix). */
    SecretsManager: "secretsManager",
    /** An SSM Parameter Store parameter, by name (this region and account) or ARN. */
    SsmParameter: "ssmParameter",
    /** A value the component stores in a new Secrets Manager secret of its own. */
    Value: "value",
} as const;
export type SecretKind = (typeof SecretKind)[keyof typeof SecretKind];

/** CPU architecture of the image. */
export const CpuArchitecture = {
    X86_64: "X86_64",
    ARM64: "ARM64",
} as const;
export type CpuArchitecture = (typeof CpuArchitecture)[keyof typeof CpuArchitecture];

/** How ECS replaces tasks when the task definition changes. */
export const DeploymentStrategy = {
    /** Batches within `minimumHealthyPercent`/`maximumPercent`; old and new tasks serve side by side. */
    Rolling: "rolling",
    /** ECS-native blue/green: a full new set in an alternate target group, traffic moved at once, a bake, instant rollback. */
    BlueGreen: "blue-green",
} as const;
export type DeploymentStrategy = (typeof DeploymentStrategy)[keyof typeof DeploymentStrategy];

/** The cluster's Container Insights setting, as the caller declares it (the component cannot read it). */
export const ContainerInsights = {
    Disabled: "disabled",
    Enabled: "enabled",
    Enhanced: "enhanced",
} as const;
export type ContainerInsights = (typeof ContainerInsights)[keyof typeof ContainerInsights];

/** The alarms a service can have. */
export const AlarmName = {
    UnhealthyHosts: "unhealthyHosts",
    TargetErrorRate: "targetErrorRate",
    LatencyP90: "latencyP90",
    LatencyP99: "latencyP99",
    RunningTasks: "runningTasks",
    ContainerHealth: "containerHealth",
} as const;
export type AlarmName = (typeof AlarmName)[keyof typeof AlarmName];

/** Scheme of the `url` output. */
export const UrlScheme = {
    Http: "http",
    Https: "https",
} as const;
export type UrlScheme = (typeof UrlScheme)[keyof typeof UrlScheme];

/** Effect of an IAM policy statement. */
export const StatementEffect = {
    Allow: "Allow",
    Deny: "Deny",
} as const;
export type StatementEffect = (typeof StatementEffect)[keyof typeof StatementEffect];

/**
 * Where the service plugs into a shared Application Load Balancer. Several services share one ALB
 * through listener rules; the component creates the target group and the rule, never the ALB.
 */
export interface Listener {
    /** ARN of the ALB listener (HTTP or HTTPS) to add a rule to. Required. */
    listenerArn: pulumi.Input<string>;
    /** Security group of the ALB: the only source allowed to reach the tasks' port (traffic and probes). Required. */
    securityGroupId: pulumi.Input<string>;
    /** DNS name (or custom domain) clients use, for the `url` output. Default: none (`url` is not set). */
    dnsName?: pulumi.Input<string>;
    /** Scheme of the `url` output. Default: `"http"`. */
    protocol?: UrlScheme;
    /**
     * ARN suffix of the load balancer (`app/<name>/<id>`, the `arnSuffix` of the ALB): the
     * `LoadBalancer` dimension of the ALB alarms. Default: derived from `listenerArn`; a listener
     * ARN that is not an ALB listener's is rejected.
     */
    loadBalancerArnSuffix?: pulumi.Input<string>;
}

/** Which requests the listener rule forwards to this service. At least one of `pathPatterns` and `hostHeaders`. */
export interface Routing {
    /** Listener rule priority (1–50000), unique per listener; lower wins. Required. */
    priority: number;
    /** Path patterns, e.g. `["/api/*"]`; combined with `hostHeaders` by AND when both are set. Default: — (any path). */
    pathPatterns?: string[];
    /** Host headers, e.g. `["api.example.com"]`. Default: — (any host). */
    hostHeaders?: string[];
}

/**
 * The probe contract of the app. The container health check and the ALB probe the same liveness
 * path on the same port, so they cannot disagree.
 */
export interface Probe {
    /**
     * Program that performs the probe inside the container; the image must contain it. Default:
     * chosen from the image when the base-image table knows it (its runtime first: python → `python`,
     * node → `node`; then `curl`, then `wget`), else `curl`. A tool a known image lacks (curl on
     * python:*-slim) is rejected with the fix.
     */
    tool?: ProbeTool;
    /**
     * Liveness path: answers 2xx/3xx while the process can serve requests and checks no dependency.
     * Both probes use it; a failing liveness probe kills the task. Default: `"/health/live"`.
     */
    livenessPath?: string;
    /**
     * Readiness path: reports dependency state. Documented in the health contract, deliberately
     * probed by nothing that kills tasks. Default: `"/health/ready"`.
     */
    readinessPath?: string;
    /** Optional status page (versions, build, dependency detail); never probed. Default: none. */
    statusPath?: string;
    /**
     * HTTP codes the ALB accepts on the liveness path ("200", "200,302", "200-399"); must stay
     * within 200–399 because the container probe fails on 400 and above. Default: `"200-399"`.
     */
    matcher?: string;
}

/** Seconds the app takes to answer its liveness probe after the container starts; every timing derives from it. */
export interface Startup {
    /** Typical seconds to the first successful liveness answer. Default: `30`. */
    expectedSeconds?: number;
    /** Slowest start accepted as normal (cold caches, migrations); every timing covers it. Default: `2 × expected`. */
    worstCaseSeconds?: number;
}

/** How long in-flight work may take when a task stops. */
export interface Drain {
    /**
     * Longest request the ALB lets finish on a deregistering target: the target group's
     * deregistration delay (AWS's own default of 300 s adds about 5 minutes to every deployment
     * batch). Default: `15`.
     */
    longestRequestSeconds?: number;
    /** Seconds the app needs after SIGTERM to close connections and flush: `stopTimeout` = this + 5 (at most 120). Default: `10`. */
    shutdownSeconds?: number;
}

/** How ECS replaces tasks when the task definition changes. Both strategies keep the circuit breaker and the deployment alarms. */
export interface Deployment {
    /**
     * `rolling`: batches within `minimumHealthyPercent`/`maximumPercent`. `blue-green`: ECS-native
     * blue/green with a second target group and a bake during which a rollback is instant.
     * Default: `"rolling"`.
     */
    strategy?: DeploymentStrategy;
    /**
     * Blue/green only: minutes both revisions run after production traffic moved (0–1440); rejected
     * with `rolling`. Default: longest deployment-alarm window + 1 (blue/green only), so each
     * deployment alarm sees a full window of production traffic on the new revision.
     */
    bakeTimeMinutes?: number;
}

/** How long an alarm looks before it fires, in one-minute periods; `enabled: false` turns the alarm off. */
export interface AlarmWindow {
    /** `false` turns this alarm off. Default: the alarm's own default (see the component's README, "Alarms"). */
    enabled?: boolean;
    /** Minutes (one-minute periods) the alarm evaluates, 1–1440. Default: per alarm (README, "Alarms"). */
    evaluationMinutes?: number;
    /** How many of those minutes must breach, 1–`evaluationMinutes`. Default: per alarm; all of them when `evaluationMinutes` is set. */
    datapointsToAlarm?: number;
}

/** The 5XX-rate alarm: share of requests the targets answer with 5XX. */
export interface ErrorRateAlarm extends AlarmWindow {
    /** Share of requests answered 5XX by the targets, in percent (0 < x ≤ 100). Default: `5`. */
    thresholdPercent?: number;
    /** Minutes with fewer requests than this count as 0 % (one failed request of two is not an outage). Default: `10`. */
    minimumRequests?: number;
}

/** A latency alarm on a percentile of `TargetResponseTime`. */
export interface LatencyAlarm extends AlarmWindow {
    /** Seconds the percentile may reach. Default: 1 s for p90, `drain.longestRequestSeconds` for p99. */
    thresholdSeconds?: number;
}

/** CloudWatch alarms of the service, and which of them roll deployments back. */
export interface Alarms {
    /** `false` creates no alarm and no deployment alarm. Default: `true`. */
    enabled?: boolean;
    /** SNS topic notified when an alarm fires and when it recovers. Default: none (the alarms still roll deployments back). */
    snsTopicArn?: pulumi.Input<string>;
    /**
     * The cluster's Container Insights setting: `runningTasks` needs `enabled` or `enhanced`,
     * `containerHealth` needs `enhanced`. Default: `"enabled"`.
     */
    containerInsights?: ContainerInsights;
    /**
     * Targets the ALB reports unhealthy for longer than a flap or a slow start explains. Default: on,
     * window derived from the probe and the worst-case start-up.
     */
    unhealthyHosts?: AlarmWindow;
    /** Share of requests answered 5XX. Default: on; 5 %, 3 of 5 minutes, minutes under 10 requests ignored. */
    targetErrorRate?: ErrorRateAlarm;
    /** p90 of `TargetResponseTime`. Default: on; 1 s, 3 of 5 minutes. */
    latencyP90?: LatencyAlarm;
    /** p99 of `TargetResponseTime`. Default: on; `drain.longestRequestSeconds` (15 s), 3 of 5 minutes. */
    latencyP99?: LatencyAlarm;
    /**
     * Fewer running tasks than desired (Container Insights). Default: on unless `containerInsights`
     * is "disabled" or `desiredCount` is 0.
     */
    runningTasks?: AlarmWindow;
    /** Containers whose health check reports UNHEALTHY. Default: on when `containerInsights` is "enhanced", else off. */
    containerHealth?: AlarmWindow;
    /**
     * Alarms ECS watches during each deployment and its bake, rolling it back when one fires
     * (on top of the circuit breaker); `[]` turns deployment alarms off. Default:
     * `["targetErrorRate", "unhealthyHosts"]`.
     */
    rollbackOn?: AlarmName[];
}

/** The opt-in smoke test after each rollout (the doctor's `smoke`, run by the rollout verification). */
export interface Smoke {
    /**
     * `true` requests `paths` through the load balancer once the rollout completed and fails
     * `pulumi up` when an answer does not match `probe.matcher`. Needs `verifyRollout`. Default: `false`.
     */
    enabled?: boolean;
    /** Absolute paths to request; the listener rule must route them here. Default: `[probe.livenessPath]`. */
    paths?: string[];
    /** Requests per path (1–100). Default: `3`. */
    requests?: number;
    /** Seconds each request may take (1–60). Default: `5`. */
    timeoutSeconds?: number;
}

/**
 * One container secret: ECS reads it at task start into an environment variable, and the
 * execution role is granted exactly this resource (plus `kms:Decrypt` on `kmsKeyArn`).
 */
export interface SecretSource {
    /** Where the secret comes from: `secretsManager`, `ssmParameter` or `value`. Required. */
    kind: SecretKind;
    /**
     * For `secretsManager` the secret's ARN (not its name: ECS reads a plain name as an SSM
     * parameter); for `ssmParameter` the parameter's name or ARN; for `value` the value itself,
     * stored in a new Secrets Manager secret (pass a Pulumi secret). Required.
     */
    ref: pulumi.Input<string>;
    /** `secretsManager` only: key of a JSON secret whose value becomes the variable. Default: the whole secret string. */
    jsonKey?: string;
    /** `secretsManager` only: staging label of the version to read; conflicts with `versionId`. Default: AWSCURRENT. */
    versionStage?: string;
    /** `secretsManager` only: id of the version to read, to pin one; conflicts with `versionStage`. Default: the AWSCURRENT version. */
    versionId?: string;
    /**
     * `secretsManager` and `ssmParameter`: ARN of the customer-managed KMS key the secret is
     * encrypted with (not an alias). Default: none (the AWS-managed key, which needs no grant).
     */
    kmsKeyArn?: pulumi.Input<string>;
}

/** An IAM policy statement of the task role (what the app may call). */
export interface TaskRoleStatement {
    /** Statement id. Default: none. */
    sid?: string;
    /** `Allow` or `Deny`. Default: `"Allow"`. */
    effect?: StatementEffect;
    /** IAM actions, e.g. `["s3:GetObject"]`. Required. */
    actions: string[];
    /** Resource ARNs the actions apply to. Required. */
    resources: pulumi.Input<string>[];
    /** IAM condition block: operator → condition key → values, e.g. `{"StringEquals": {"aws:SourceVpc": ["vpc-1"]}}`. Default: none. */
    conditions?: { [operator: string]: { [conditionKey: string]: string[] } };
}

/**
 * The arguments of the portable HealthyFargateService. Same names, meanings and defaults as the
 * TypeScript `HealthyFargateServiceArgs`, except where a union had to become an object (`alarms`,
 * `smoke`, `secrets`), `cpu`/`memory` (numbers only) and `verifyRollout` (default `false`, see its doc).
 */
export interface PortableServiceArgs {
    /** ARN (or name) of the ECS cluster. Required. */
    cluster: pulumi.Input<string>;
    /** VPC of the target group and the tasks' security group. Required. */
    vpcId: pulumi.Input<string>;
    /** Private subnets for the tasks (no public IP is assigned). At least one; an empty list or a blank id is rejected. Required. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The shared ALB listener the service is attached to. Required. */
    listener: Listener;
    /** Which requests reach this service. Required. */
    routing: Routing;
    /**
     * Container image reference: `[registry/]repository[:tag][@digest]` (lower-case repository,
     * `sha256:` + 64 hex). ECR URIs get an ECR pull grant on exactly that repository. Required.
     */
    image: pulumi.Input<string>;
    /** Port the app listens on inside the container (1–65535); both probes use it. Default: `8080`. */
    port?: number;
    /** Name of the app container, used by the ALB mapping and in logs. Default: `"app"`. */
    containerName?: string;
    /** Container command override. Default: image CMD. */
    command?: string[];
    /**
     * Plain environment variables. Credentials do not belong here: a credential-looking value or a
     * secret-like name (`DB_PASSWORD`) is rejected with the `secrets` form to use. Default: `{}`.
     */
    environment?: { [name: string]: pulumi.Input<string> };
    /**
     * Secrets injected as environment variables at task start, by variable name. The execution role
     * is granted exactly these resources, nothing else; the task role gets nothing. Default: `{}`
     * (no secrets, no secret permissions).
     */
    secrets?: { [name: string]: SecretSource };
    /** Task cpu units (256, 512, 1024, … 16384), checked against the Fargate size table with `memory`. Default: `512`. */
    cpu?: number;
    /** Task memory in MiB, checked against the Fargate size table with `cpu`. Default: `1024`. */
    memory?: number;
    /** CPU architecture of the image. Default: `"X86_64"`. */
    cpuArchitecture?: CpuArchitecture;
    /** The probe contract (tool, paths, matcher). Default: every default of its fields. */
    probe?: Probe;
    /** Start-up budget from which the start period, ALB thresholds and grace period derive. Default: 30 s expected, 60 s worst case. */
    startup?: Startup;
    /** Drain budget: deregistration delay and stopTimeout. Default: 15 s longest request, 10 s shutdown. */
    drain?: Drain;
    /** Tasks to run; two or more keep the service up while one is replaced. At most 5,000. Default: `2`. */
    desiredCount?: number;
    /** Share of desired tasks that must stay healthy during a deployment (0–100); 100 is zero downtime. Default: `100`. */
    minimumHealthyPercent?: number;
    /** Upper bound of running tasks during a deployment, in percent of desired (100–200). Default: `200`. */
    maximumPercent?: number;
    /** Whether `pulumi up` waits for the deployment, for as long as the contract's timeline says it takes. Default: `true`. */
    waitForSteadyState?: boolean;
    /** Deployment strategy and bake time. Default: rolling. */
    deployment?: Deployment;
    /** CloudWatch alarms and deployment alarms. Default: all on, derived thresholds. */
    alarms?: Alarms;
    /**
     * Adds a rollout verification that fails `pulumi up` when ECS rolled this update back. It is a
     * Node.js dynamic resource: Pulumi runs it from the program's directory, which must then hold
     * `@pulumi/pulumi` and `@healthy-fargate/components` in `node_modules` (a Python, Go, C# or YAML program has none;
     * the component checks before registering anything). Default: `false` from this package (the
     * TypeScript component's default is `true`).
     */
    verifyRollout?: boolean;
    /** Opt-in smoke test through the load balancer after each rollout. Default: `false` (no smoke test). */
    smoke?: Smoke;
    /** Days to keep the container logs (a CloudWatch retention value: 1, 3, 5, 7, 14, 30, …). Default: `30`. */
    logRetentionDays?: number;
    /** Extra IAM statements for the task role; it starts with no permissions. Default: `[]`. */
    taskRoleStatements?: TaskRoleStatement[];
    /** Tags added to every child resource. Default: — (the component adds `healthy-fargate:service`). */
    tags?: { [key: string]: string };
}
