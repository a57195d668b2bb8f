/**
 * `ServiceDashboard`: one CloudWatch dashboard for the HealthyFargateServices of a stack. Per
 * service, a row with its deployment timeline and alarm states, then four graphs: ALB targets
 * (healthy/unhealthy), tasks (running/desired/pending and deployments in progress), 5XX (count
 * and rate) and latency (p50/p90/p99 with the alarm thresholds).
 *
 * The body is built by {@link dashboardBody}, a pure function of plain values (tested without
 * Pulumi); the component only resolves the services' outputs and registers the dashboard.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { HealthContract } from "@healthy-fargate/domain";
import { InvalidArgumentsError } from "./errors";
import { formatSeconds } from "@healthy-fargate/domain";
import type { ContainerInsightsLevel, HealthyFargateService } from "./healthy-fargate-service";

/** What the dashboard needs of one service, as plain values. */
export interface DashboardService {
    /** Component name, used in titles. */
    name: string;
    clusterName: string;
    serviceName: string;
    containerName: string;
    loadBalancerArnSuffix: string;
    /** One target group, or two with blue/green (production traffic moves between them). */
    targetGroupArnSuffixes: string[];
    containerInsights: ContainerInsightsLevel;
    alarmArns: string[];
    /** p90/p99 alarm thresholds in seconds, drawn on the latency graph when the alarms exist. */
    latencyThresholds?: { p90?: number; p99?: number };
    /** 5XX-rate alarm threshold in percent, drawn on the 5XX graph when the alarm exists. */
    errorRateThresholdPercent?: number;
    contract: HealthContract;
}

/** A CloudWatch dashboard widget (the subset this module writes). */
export interface Widget {
    type: "metric" | "text" | "alarm";
    x: number;
    y: number;
    width: number;
    height: number;
    properties: Record<string, unknown>;
}

const GRID = 24;
const ALB = "AWS/ApplicationELB";
const CI = "ECS/ContainerInsights";

/** The Markdown of a service's header widget: strategy, probe and deployment timeline. */
export function serviceHeaderMarkdown(s: DashboardService): string {
    const c = s.contract;
    const tl = c.timeline;
    const strategy =
        c.deployment.strategy === "blue-green"
            ? `blue/green, bake ${c.deployment.bakeTimeMinutes} min`
            : `rolling, ${c.deployment.minimumHealthyPercent}/${c.deployment.maximumPercent} %`;
    const deployment =
        c.deployment.bakeTimeMinutes > 0
            ? `${formatSeconds(tl.rollingDeploymentSeconds)} (with bake ${formatSeconds(tl.rollingDeploymentWithBakeSeconds)})`
            : formatSeconds(tl.rollingDeploymentSeconds);
    return [
        `## ${s.name}`,
        `ECS service \`${s.serviceName}\` in \`${s.clusterName}\`: ${c.deployment.desiredCount} tasks, ${strategy}. ` +
            `Probe: ${c.probe.tool} → \`:${c.probe.port}${c.probe.livenessPath}\` (ALB and container); readiness \`${c.probe.readinessPath}\` is not probed.`,
        "",
        `| new task healthy | deployment | bad release → breaker trips | → rolled back |`,
        `|---|---|---|---|`,
        `| ${formatSeconds(tl.newTaskHealthySeconds)} (worst ${formatSeconds(tl.newTaskHealthyWorstSeconds)}) | ${deployment} | ${formatSeconds(tl.circuitBreakerTripSeconds)} (${tl.circuitBreakerThreshold} failed tasks) | ${formatSeconds(tl.rollbackCompleteSeconds)} |`,
    ].join("\n");
}

/** One metric line per target group: `[namespace, metric, TargetGroup, tg, LoadBalancer, lb, options]`. */
function perTargetGroup(s: DashboardService, metric: string, options: (i: number, suffix: string) => Record<string, unknown>): unknown[][] {
    const two = s.targetGroupArnSuffixes.length > 1;
    return s.targetGroupArnSuffixes.map((tg, i) => [
        ALB,
        metric,
        "TargetGroup",
        tg,
        "LoadBalancer",
        s.loadBalancerArnSuffix,
        options(i, two ? ` (target group ${i + 1})` : ""),
    ]);
}

/** What every metric widget of one service's row shares. */
type MetricBase = { region: string; period: number; view: string; stacked: boolean };

/** The row's header: the service's health contract as text, and its alarms when it has any (5 high). */
function headerWidgets(s: DashboardService, y: number): Widget[] {
    const widgets: Widget[] = [];
    const alarmsWidth = s.alarmArns.length ? 8 : 0;
    widgets.push({ type: "text", x: 0, y, width: GRID - alarmsWidth, height: 5, properties: { markdown: serviceHeaderMarkdown(s) } });
    if (alarmsWidth) {
        widgets.push({
            type: "alarm",
            x: GRID - alarmsWidth,
            y,
            width: alarmsWidth,
            height: 5,
            properties: { title: `${s.name}: alarms`, alarms: s.alarmArns, sortBy: "stateUpdatedTimestamp" },
        });
    }
    return widgets;
}

/** Healthy and unhealthy ALB targets, per target group. */
function targetsWidget(s: DashboardService, y: number, base: MetricBase): Widget {
    return {
        type: "metric",
        x: 0,
        y,
        width: 6,
        height: 6,
        properties: {
            ...base,
            title: `${s.name}: ALB targets`,
            yAxis: { left: { min: 0 } },
            metrics: [
                ...perTargetGroup(s, "HealthyHostCount", (_, sfx) => ({ stat: "Minimum", label: `Healthy${sfx}` })),
                ...perTargetGroup(s, "UnHealthyHostCount", (_, sfx) => ({
                    stat: "Maximum",
                    label: `Unhealthy${sfx}`,
                    color: "#d62728",
                })),
            ],
        },
    };
}

/** Desired, running and pending tasks and deployments (Container Insights), or why there are none. */
function tasksWidget(s: DashboardService, y: number, base: MetricBase): Widget {
    const ecs = ["ClusterName", s.clusterName, "ServiceName", s.serviceName];
    return s.containerInsights === "disabled"
        ? {
              type: "text",
              x: 6,
              y,
              width: 6,
              height: 6,
              properties: {
                  markdown: `### ${s.name}: tasks\nContainer Insights is disabled on the cluster (\`alarms.containerInsights\`): no task metrics.`,
              },
          }
        : {
              type: "metric",
              x: 6,
              y,
              width: 6,
              height: 6,
              properties: {
                  ...base,
                  title: `${s.name}: tasks and deployments`,
                  yAxis: { left: { min: 0 }, right: { min: 0 } },
                  metrics: [
                      [CI, "DesiredTaskCount", ...ecs, { stat: "Maximum", label: "Desired" }],
                      [CI, "RunningTaskCount", ...ecs, { stat: "Minimum", label: "Running" }],
                      [CI, "PendingTaskCount", ...ecs, { stat: "Maximum", label: "Pending" }],
                      [CI, "DeploymentCount", ...ecs, { stat: "Maximum", label: "Deployments (>1 = deploying)", yAxis: "right" }],
                      ...(s.containerInsights === "enhanced"
                          ? [
                                [
                                    CI,
                                    "UnHealthyContainerHealthStatus",
                                    ...ecs,
                                    "ContainerName",
                                    s.containerName,
                                    { stat: "Maximum", label: "Unhealthy containers", color: "#d62728" },
                                ],
                            ]
                          : []),
                  ],
              },
          };
}

/** Target 5XX and requests per target group, the 5XX rate over all of them, and the alarm's threshold. */
function errorsWidget(s: DashboardService, y: number, base: MetricBase): Widget {
    const n = s.targetGroupArnSuffixes.length;
    const sum = (prefix: string) => Array.from({ length: n }, (_, i) => `FILL(${prefix}${i}, 0)`).join(" + ");
    return {
        type: "metric",
        x: 12,
        y,
        width: 6,
        height: 6,
        properties: {
            ...base,
            title: `${s.name}: target 5XX`,
            yAxis: { left: { min: 0 }, right: { min: 0 } },
            metrics: [
                ...perTargetGroup(s, "HTTPCode_Target_5XX_Count", (i, sfx) => ({ id: `errors${i}`, stat: "Sum", label: `5XX${sfx}` })),
                ...perTargetGroup(s, "RequestCount", (i, sfx) => ({
                    id: `requests${i}`,
                    stat: "Sum",
                    label: `Requests${sfx}`,
                    visible: false,
                })),
                [{ expression: `100 * (${sum("errors")}) / (${sum("requests")})`, label: "5XX rate (%)", id: "rate", yAxis: "right" }],
            ],
            ...(s.errorRateThresholdPercent !== undefined
                ? {
                      annotations: {
                          horizontal: [
                              { label: `alarm ${s.errorRateThresholdPercent} %`, value: s.errorRateThresholdPercent, yAxis: "right" },
                          ],
                      },
                  }
                : {}),
        },
    };
}

/** Target response time percentiles, with the latency alarms' thresholds. */
function latencyWidget(s: DashboardService, y: number, base: MetricBase): Widget {
    const thresholds = [
        ["p90", s.latencyThresholds?.p90],
        ["p99", s.latencyThresholds?.p99],
    ].filter(([, v]) => v !== undefined) as Array<[string, number]>;
    return {
        type: "metric",
        x: 18,
        y,
        width: 6,
        height: 6,
        properties: {
            ...base,
            title: `${s.name}: target response time (s)`,
            yAxis: { left: { min: 0 } },
            metrics: ["p50", "p90", "p99"].flatMap((p) =>
                perTargetGroup(s, "TargetResponseTime", (_, sfx) => ({ stat: p, label: `${p}${sfx}` })),
            ),
            ...(thresholds.length ? { annotations: { horizontal: thresholds.map(([p, v]) => ({ label: `${p} alarm`, value: v })) } } : {}),
        },
    };
}

/** The dashboard body (`dashboardBody` of aws.cloudwatch.Dashboard, before JSON.stringify): one row per service. */
export function dashboardBody(services: DashboardService[], region: string): { widgets: Widget[] } {
    const widgets: Widget[] = [];
    let y = 0;
    for (const s of services) {
        const base: MetricBase = { region, period: 60, view: "timeSeries", stacked: false };
        widgets.push(...headerWidgets(s, y));
        y += 5;
        widgets.push(targetsWidget(s, y, base), tasksWidget(s, y, base), errorsWidget(s, y, base), latencyWidget(s, y, base));
        y += 6;
    }
    return { widgets };
}

/** A valid dashboard name (letters, digits, `-`, `_`; at most 255) from any text. */
export function dashboardNameFrom(text: string): string {
    return text.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 255);
}

export interface ServiceDashboardArgs {
    /** The services to show, in order: one row each. At least one. */
    readonly services: HealthyFargateService[];
    /**
     * Dashboard name (letters, digits, `-`, `_`; unique in the account: dashboards are global).
     * @default "<project>-<stack>"
     */
    readonly dashboardName?: string;
}

/** One CloudWatch dashboard for the HealthyFargateServices of a stack (see the file comment). */
export class ServiceDashboard extends pulumi.ComponentResource {
    readonly dashboardName: pulumi.Output<string>;
    readonly dashboardArn: pulumi.Output<string>;

    constructor(name: string, args: ServiceDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems: string[] = [];
        if (!args || !Array.isArray(args.services) || args.services.length === 0) {
            problems.push(`${name}: \`services\` must list at least one HealthyFargateService.`);
        } else {
            const names = args.services.map((s) => s?.componentName);
            if (names.some((n) => typeof n !== "string"))
                problems.push(`${name}: every entry of \`services\` must be a HealthyFargateService.`);
            const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
            if (duplicates.length) problems.push(`${name}: \`services\` lists ${[...new Set(duplicates)].join(", ")} more than once.`);
        }
        const dashboardName = args?.dashboardName ?? dashboardNameFrom(`${pulumi.getProject()}-${pulumi.getStack()}`);
        if (!/^[A-Za-z0-9_-]{1,255}$/.test(dashboardName)) {
            problems.push(
                `${name}: \`dashboardName\` must be 1–255 letters, digits, hyphens or underscores, got ${JSON.stringify(dashboardName)}.`,
            );
        }
        if (problems.length) throw new InvalidArgumentsError("ServiceDashboard", problems);
        super("healthy-fargate:cloudwatch:ServiceDashboard", name, {}, opts);

        const region = aws.getRegionOutput({}, { parent: this }).region;
        const services = args.services.map((s) =>
            pulumi
                .all([s.clusterName, s.serviceName, s.loadBalancerArnSuffix, s.targetGroupArnSuffixes, s.alarmArns])
                .apply(([clusterName, serviceName, loadBalancerArnSuffix, targetGroupArnSuffixes, alarmArns]): DashboardService => ({
                    name: s.componentName,
                    clusterName,
                    serviceName,
                    containerName: s.healthContract.containerName,
                    loadBalancerArnSuffix,
                    targetGroupArnSuffixes,
                    containerInsights: s.containerInsights,
                    alarmArns,
                    latencyThresholds: s.alarmThresholds.latency,
                    errorRateThresholdPercent: s.alarmThresholds.errorRatePercent,
                    contract: s.healthContract,
                })),
        );
        const dashboard = new aws.cloudwatch.Dashboard(
            name,
            {
                dashboardName,
                dashboardBody: pulumi.all([region, pulumi.all(services)]).apply(([r, list]) => JSON.stringify(dashboardBody(list, r))),
            },
            { parent: this },
        );
        this.dashboardName = dashboard.dashboardName;
        this.dashboardArn = dashboard.dashboardArn;
        this.registerOutputs({ dashboardName: this.dashboardName, dashboardArn: this.dashboardArn });
    }
}
