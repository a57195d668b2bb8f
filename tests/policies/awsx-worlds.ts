/**
 * An awsx program in the two worlds a policy runs in (policies/resources/awsx.ts):
 *
 * - `offline`: what the check's mocks register — each awsx component with the args the program
 *   wrote, no child; a `targetGroup: alb.defaultTargetGroup` arrives as the ALB's rendered output.
 * - `real`: what a real preview shows the analyzer — each awsx component with `{}` inputs, and the
 *   `aws:*` children the awsx provider registers under it with the inputs it computes (pulumi-awsx
 *   e60adf3: ecs/fargateService.ts, fargateTaskDefinition.ts, containers.ts, role.ts,
 *   cloudwatch/logGroup.ts, lb/applicationLoadBalancer.ts). Values unknown in a preview of a new
 *   stack (ARNs, ids) are the unknown sentinel.
 *
 * Policies are then run over each world and their findings compared by policy, the resource the
 * program wrote (an awsx child counts as its outermost awsx component) and level.
 */
import { awsxFargateTaskSize } from "../../policies/domain";
import { TYPES } from "../../policies/resources";
import type { PackPolicy } from "../../policies/policies";
import { type Diagnostic, STACK, type StackResourceInput, isStackPolicy, runResource, runStack, urnOf } from "./harness";
import * as assert from "assert";
import { type Json, U, set } from "./fixtures";

const EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
const REGION = "eu-west-1";

/** A placeholder for `targetGroup: <alb>.defaultTargetGroup` in a container's port mapping. */
export function defaultTargetGroupOf(alb: string): Json {
    return { $defaultTargetGroupOf: alb };
}

export interface AwsxProgram {
    services?: Array<{ name: string; args: Json }>;
    albs?: Array<{ name: string; args: Json }>;
}

function albKeyOf(value: unknown): string | undefined {
    return value && typeof value === "object" && "$defaultTargetGroupOf" in (value as Json)
        ? (value as Json).$defaultTargetGroupOf
        : undefined;
}

function tgArnOffline(alb: string): string {
    return `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup/${alb}-tg/0123456789abcdef`;
}

/** ALB args → the port/protocol awsx gives its default target group (no listener: 80/HTTP). */
function defaultTargetGroupArgs(args: Json): Json {
    const listener = args.listener ?? {};
    const port = args.defaultTargetGroupPort ?? listener.port ?? (listener.protocol === "HTTPS" ? 443 : 80);
    return { targetType: "ip", port, protocol: listener.protocol ?? (port === 443 ? "HTTPS" : "HTTP"), ...(args.defaultTargetGroup ?? {}) };
}

function containersOf(tdArgs: Json): Json {
    if (tdArgs.containers) return tdArgs.containers;
    return { [tdArgs.container.name ?? "container"]: tdArgs.container };
}

/** The world the offline check shows. */
export function offline(program: AwsxProgram): StackResourceInput[] {
    const out: StackResourceInput[] = [];
    for (const { name, args } of program.albs ?? []) {
        // The ALB's rendered output `defaultTargetGroup` merges into its props (the check sends inputs + outputs).
        out.push({
            key: `alb:${name}`,
            type: TYPES.awsxApplicationLoadBalancer,
            name,
            props: { ...args, defaultTargetGroup: { ...(args.defaultTargetGroup ?? {}), arn: tgArnOffline(name) } },
        });
    }
    for (const { name, args } of program.services ?? []) {
        const deps = new Set<string>();
        const props = JSON.parse(
            JSON.stringify(args, (_k, v) => {
                const alb = albKeyOf(v);
                if (alb === undefined) return v;
                deps.add(`alb:${alb}`);
                return { arn: tgArnOffline(alb), port: defaultTargetGroupArgs(program.albs!.find((a) => a.name === alb)!.args).port };
            }),
        );
        out.push({
            key: `svc:${name}`,
            type: TYPES.awsxFargateService,
            name,
            props,
            propertyDependencies: { taskDefinitionArgs: [...deps] },
        });
    }
    return out;
}

function realAlb(name: string, args: Json): StackResourceInput[] {
    const key = `alb:${name}`;
    const tg = defaultTargetGroupArgs(args);
    // The listener takes the listener's port (awsx `getDefaultProtocol`), never `defaultTargetGroup.port`.
    const listenerPort = defaultTargetGroupArgs({ ...args, defaultTargetGroup: undefined }).port;
    return [
        { key, type: TYPES.awsxApplicationLoadBalancer, name, props: {} },
        {
            key: `${key}/lb`,
            type: "aws:lb/loadBalancer:LoadBalancer",
            name,
            parent: key,
            props: { name: `${name}-1a2b3c4`, loadBalancerType: "application", arn: U },
        },
        {
            key: `${key}/tg`,
            type: TYPES.lbTargetGroup,
            name,
            parent: key,
            props: { name: `${name}-5d6e7f8`, vpcId: "vpc-0default0000000", ...tg, arn: U },
        },
        {
            key: `${key}/listener`,
            type: "aws:lb/listener:Listener",
            name: `${name}-0`,
            parent: key,
            props: { port: listenerPort, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: U }], loadBalancerArn: U },
        },
    ];
}

/** Container definitions as awsx computes them (containers.ts `computeContainerDefinition`). */
function containerDefinitions(tdArgs: Json, program: AwsxProgram, logGroupName: string | undefined): Json[] {
    const containers = containersOf(tdArgs);
    return Object.keys(containers)
        .sort()
        .map((containerName) => {
            const c = containers[containerName];
            const portMappings = c.portMappings?.map((m: Json) => {
                const alb = albKeyOf(m.targetGroup);
                const tgPort = alb ? defaultTargetGroupArgs(program.albs!.find((a) => a.name === alb)!.args).port : undefined;
                return JSON.parse(
                    JSON.stringify({
                        name: m.name,
                        containerPort: m.containerPort ?? m.hostPort ?? tgPort,
                        hostPort: m.hostPort ?? tgPort ?? m.containerPort,
                        protocol: m.protocol,
                    }),
                );
            });
            const def: Json = { ...c, ...(portMappings ? { portMappings } : {}), name: containerName };
            if (def.logConfiguration === undefined && logGroupName) {
                def.logConfiguration = {
                    logDriver: "awslogs",
                    options: { "awslogs-group": logGroupName, "awslogs-region": REGION, "awslogs-stream-prefix": containerName },
                };
            }
            return def;
        });
}

function realTaskDefinition(name: string, parent: string, tdArgs: Json, program: AwsxProgram): StackResourceInput[] {
    const key = `${parent}/ftd`;
    const out: StackResourceInput[] = [{ key, type: TYPES.awsxFargateTaskDefinition, name, parent, props: {} }];
    const logGroup = tdArgs.logGroup ?? {};
    const logGroupName = logGroup.skip || logGroup.existing ? logGroup.existing?.name : `${name}-0a1b2c3`;
    if (!logGroup.skip && !logGroup.existing)
        out.push({ key: `${key}/log`, type: TYPES.logGroup, name, parent: key, props: { name: logGroupName, ...(logGroup.args ?? {}) } });
    const assumeRolePolicy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Action: "sts:AssumeRole", Principal: { Service: "ecs-tasks.amazonaws.com" }, Effect: "Allow", Sid: "" }],
    });
    out.push({
        key: `${key}/task-role`,
        type: TYPES.iamRole,
        name: `${name}-task`,
        parent: key,
        props: { name: `${name}-task-9f8e7d6`, assumeRolePolicy, arn: U },
    });
    const roleArn = tdArgs.executionRole?.roleArn;
    if (!roleArn) {
        // role.ts: `{ ...defaults, ...executionRole.args }`; `policyArns` become attachments (the user's list replaces the default).
        const { policyArns = [EXECUTION_POLICY], ...roleArgs } = tdArgs.executionRole?.args ?? {};
        out.push({
            key: `${key}/exec-role`,
            type: TYPES.iamRole,
            name: `${name}-execution`,
            parent: key,
            props: { name: `${name}-execution-5c4b3a2`, assumeRolePolicy, ...roleArgs, arn: U },
        });
        (policyArns as string[]).forEach((policyArn, i) =>
            out.push({
                key: `${key}/exec-attach-${i}`,
                type: TYPES.iamRolePolicyAttachment,
                name: `${name}-execution-${i}`,
                parent: key,
                props: { role: `${name}-execution-5c4b3a2`, policyArn },
                propertyDependencies: { role: [`${key}/exec-role`] },
            }),
        );
    }
    const defs = containerDefinitions(tdArgs, program, logGroupName);
    const sized = awsxFargateTaskSize(defs.map((d) => ({ cpu: d.cpu, memory: d.memory, memoryReservation: d.memoryReservation })));
    const computed = sized && !("exceeds" in sized) ? sized : { cpu: 256, memory: 512 };
    const { container: _c, containers: _cs, logGroup: _l, executionRole: _e, taskRole: _t, ...rest } = tdArgs;
    out.push({
        key: `${key}/td`,
        type: TYPES.taskDefinition,
        name,
        parent: key,
        props: {
            ...rest,
            cpu: tdArgs.cpu ?? String(computed.cpu),
            memory: tdArgs.memory ?? String(computed.memory),
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            taskRoleArn: U,
            executionRoleArn: roleArn ?? U,
            family: `${name}-3e8a91f0`,
            containerDefinitions: JSON.stringify(defs),
            arn: U,
        },
        propertyDependencies: { executionRoleArn: roleArn ? [] : [`${key}/exec-role`], taskRoleArn: [`${key}/task-role`] },
    });
    return out;
}

const SERVICE_ARG_KEYS = [
    "alarms",
    "deploymentCircuitBreaker",
    "deploymentController",
    "deploymentMaximumPercent",
    "deploymentMinimumHealthyPercent",
    "desiredCount",
    "healthCheckGracePeriodSeconds",
    "loadBalancers",
    "name",
    "propagateTags",
    "tags",
];

function realService(name: string, args: Json, program: AwsxProgram): StackResourceInput[] {
    const key = `svc:${name}`;
    const out: StackResourceInput[] = [{ key, type: TYPES.awsxFargateService, name, props: {} }];
    const tdArgs = args.taskDefinitionArgs;
    if (tdArgs) out.push(...realTaskDefinition(name, key, tdArgs, program));
    const lbDeps: string[] = [];
    let loadBalancers = args.loadBalancers;
    if (!loadBalancers && tdArgs) {
        const containers = containersOf(tdArgs);
        loadBalancers = Object.entries(containers).flatMap(([containerName, c]: [string, any]) =>
            (c.portMappings ?? [])
                .map((m: Json) => albKeyOf(m.targetGroup))
                .filter((a: unknown): a is string => a !== undefined)
                .map((alb: string) => {
                    lbDeps.push(`alb:${alb}/tg`);
                    return {
                        containerName,
                        containerPort: defaultTargetGroupArgs(program.albs!.find((a) => a.name === alb)!.args).port,
                        targetGroupArn: U,
                    };
                }),
        );
    }
    const picked = Object.fromEntries(SERVICE_ARG_KEYS.filter((k) => args[k] !== undefined).map((k) => [k, args[k]]));
    out.push({
        key: `${key}/service`,
        type: TYPES.service,
        name,
        parent: key,
        props: {
            desiredCount: 1,
            ...picked,
            launchType: "FARGATE",
            cluster: args.cluster ?? U,
            ...(loadBalancers?.length ? { loadBalancers } : {}),
            waitForSteadyState: true,
            taskDefinition: tdArgs ? U : args.taskDefinition,
        },
        propertyDependencies: { taskDefinition: tdArgs ? [`${key}/ftd/td`] : [], loadBalancers: lbDeps },
    });
    return out;
}

/** The world a real preview shows the analyzer. */
export function real(program: AwsxProgram): StackResourceInput[] {
    return [
        ...(program.albs ?? []).flatMap((a) => realAlb(a.name, a.args)),
        ...(program.services ?? []).flatMap((s) => realService(s.name, s.args, program)),
    ];
}

/** The resource a finding is about, as the program wrote it: an awsx child counts as its outermost awsx component. */
function writtenResource(inputs: StackResourceInput[], key: string): string {
    let written = inputs.find((i) => i.key === key)!;
    for (let p = written.parent; p; p = inputs.find((i) => i.key === p)?.parent) {
        const parent = inputs.find((i) => i.key === p)!;
        if (parent.type.startsWith("awsx:")) written = parent;
    }
    return `${written.type}::${written.name ?? written.key}`;
}

function urnOfInput(inputs: StackResourceInput[], input: StackResourceInput, stack: string): string {
    const parents: string[] = [];
    for (let p = inputs.find((i) => i.key === input.parent); p; p = inputs.find((i) => i.key === p!.parent)) parents.unshift(p.type);
    return urnOf(input.type, input.name ?? input.key, parents, stack);
}

/** Findings of `policy` on a world: `<policy> <level> <decided|undecided> <resource as written>`, sorted. */
export function findings(policy: PackPolicy, inputs: StackResourceInput[], config?: Record<string, unknown>, stack = STACK): string[] {
    const tag = (d: Diagnostic, resource: string) =>
        `${d.policyName} ${d.enforcementLevel} ${d.undecided ? "undecided" : "decided"} ${resource}`;
    if (isStackPolicy(policy)) {
        const byUrn = new Map(inputs.map((i) => [urnOfInput(inputs, i, stack), i.key]));
        return runStack(policy, inputs, { config, stack })
            .map((d) => tag(d, d.urn && byUrn.has(d.urn) ? writtenResource(inputs, byUrn.get(d.urn)!) : "stack"))
            .sort();
    }
    return inputs
        .flatMap((i) => {
            const parentTypes: string[] = [];
            for (let p = inputs.find((x) => x.key === i.parent); p; p = inputs.find((x) => x.key === p!.parent))
                parentTypes.unshift(p.type);
            return runResource(policy, { type: i.type, name: i.name ?? i.key, props: i.props, parentTypes, config, stack }).map((d) =>
                tag(d, writtenResource(inputs, i.key)),
            );
        })
        .sort();
}

/** Asserts that `policy` reports exactly `expected` (see {@link findings}) offline and in a real preview of `program`. */
export function assertBothWorlds(
    policy: PackPolicy,
    program: AwsxProgram,
    expected: string[],
    options: { config?: Record<string, unknown>; stack?: string; extra?: StackResourceInput[] } = {},
): void {
    const want = [...expected].sort();
    const extra = options.extra ?? [];
    assert.deepStrictEqual(
        findings(policy, [...offline(program), ...extra], options.config, options.stack),
        want,
        `${policy.name}: offline (awsx args under mocks)`,
    );
    assert.deepStrictEqual(
        findings(policy, [...real(program), ...extra], options.config, options.stack),
        want,
        `${policy.name}: real preview (awsx children)`,
    );
}

/** A compliant awsx program: FargateService behind an ApplicationLoadBalancer, every setting explicit. */
/** An awsx program with both lists present (what the compliant baseline and its variations return). */
export type FullAwsxProgram = Required<AwsxProgram>;

export function compliantAwsxProgram(): FullAwsxProgram {
    return {
        albs: [
            {
                name: "web",
                args: {
                    defaultTargetGroup: {
                        port: 8080,
                        protocol: "HTTP",
                        deregistrationDelay: 15,
                        healthCheck: {
                            path: "/health/live",
                            interval: 10,
                            timeout: 5,
                            healthyThreshold: 2,
                            unhealthyThreshold: 3,
                            matcher: "200-399",
                        },
                    },
                },
            },
        ],
        services: [
            {
                name: "web",
                args: {
                    cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/main",
                    desiredCount: 2,
                    healthCheckGracePeriodSeconds: 90,
                    deploymentCircuitBreaker: { enable: true, rollback: true },
                    deploymentMinimumHealthyPercent: 100,
                    deploymentMaximumPercent: 200,
                    alarms: { alarmNames: ["web-5xx"], enable: true, rollback: true },
                    taskDefinitionArgs: {
                        cpu: "512",
                        memory: "1024",
                        logGroup: { args: { retentionInDays: 30 } },
                        container: {
                            name: "web",
                            image: "public.ecr.aws/docker/library/node:22",
                            essential: true,
                            stopTimeout: 15,
                            portMappings: [{ containerPort: 8080, targetGroup: defaultTargetGroupOf("web") }],
                            healthCheck: {
                                command: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://localhost:8080/health/live"],
                                interval: 10,
                                timeout: 5,
                                retries: 3,
                                startPeriod: 60,
                            },
                        },
                    },
                },
            },
        ],
    };
}

/** `compliantAwsxProgram()` with one dotted path of the service's (or, with `alb:` prefix, the ALB's) args changed. */
export function awsxProgramWith(path: string, value: unknown): FullAwsxProgram {
    const program = compliantAwsxProgram();
    const [target, dotted] = path.startsWith("alb:") ? [program.albs[0], path.slice(4)] : [program.services[0], path];
    target.args = set(target.args, dotted, value);
    return program;
}
