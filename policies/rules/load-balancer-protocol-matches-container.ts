import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { type NonHttpService, nonHttpService, nonHttpServiceFix } from "../domain/index";
import { type StackContext, stackRule } from "../kit";
import {
    type AttachmentGraph,
    type ContainerView,
    type ServiceGraph,
    isJudgedInStack,
    TYPES,
    type TargetGroupView,
    UNKNOWN,
    asArray,
    asNumberValue,
    asString,
    field,
    propertyDependencies,
    rawProps,
    readTargetGroup,
    readTaskDefinition,
    serviceGraphs,
} from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

type Ctx = StackContext<object>;

/** `true` when the target group sends HTTP to the container (ALB) or health-checks it with HTTP on the traffic port. */
function speaksHttpToContainer(tg: TargetGroupView, containerPort: number | undefined): boolean | typeof UNKNOWN {
    if (tg.protocol === UNKNOWN || tg.healthCheck === UNKNOWN) return UNKNOWN;
    const protocol = (tg.protocol ?? "HTTP").toUpperCase();
    if (protocol === "HTTP" || protocol === "HTTPS") return true;
    if (tg.healthCheckEnabled !== true) return false;
    const hcProtocol = asString(field(tg.healthCheck ?? {}, "protocol"));
    if (hcProtocol === UNKNOWN || tg.port === UNKNOWN) return UNKNOWN;
    const httpCheck = hcProtocol !== undefined && ["HTTP", "HTTPS"].includes(hcProtocol.toUpperCase());
    return httpCheck && (tg.port === "traffic-port" || Number(tg.port) === containerPort);
}

/** The non-HTTP server of a container (by image, else by the port traffic goes to); UNKNOWN when the image is unknown and the port says nothing. */
function serverOf(container: ContainerView | undefined, port: number | undefined): NonHttpService | undefined | typeof UNKNOWN {
    const image = container ? asString(field(container.raw, "image")) : undefined;
    const found = nonHttpService({ image: typeof image === "string" ? image : undefined, port });
    if (found) return found;
    return container === undefined || image === UNKNOWN ? UNKNOWN : undefined;
}

function violation(
    ctx: Ctx,
    subject: PolicyResource,
    path: string,
    server: NonHttpService,
    container: string,
    tg: string,
    port: number | undefined,
): void {
    ctx.report.violation(ctx.subject(subject), {
        path,
        found: `${tg} in front of container '${container}'${port !== undefined ? ` on port ${port}` : ""} (${server.evidence})`,
        problem: `${server.server} does not speak HTTP, so the load balancer's HTTP health check never gets an answer: every target stays unhealthy and ECS replaces the tasks forever`,
        fix: nonHttpServiceFix(server.server, port),
    });
}

function judgeAttachment(ctx: Ctx, g: ServiceGraph, a: AttachmentGraph): void {
    const path = a.path;
    if (a.targetGroup.status !== "found" || !a.targetGroupView) return; // probe-paths-aligned reports references it cannot follow
    const port = asNumberValue(a.containerPort);
    const name = asString(a.containerName);
    if (port === UNKNOWN || name === UNKNOWN) return ctx.report.undecided(ctx.subject(g.resource), { path });
    const container = g.containers.status === "ok" ? g.containers.containers.find((c) => c.name === name) : undefined;
    const server = serverOf(container, port);
    if (server === undefined) return;
    const http = speaksHttpToContainer(a.targetGroupView, port);
    if (http === false) return;
    if (server === UNKNOWN || http === UNKNOWN) {
        if (g.component) return; // HealthyFargateService serves HTTP by construction; its contract's probe is HTTP
        const what =
            http === UNKNOWN
                ? `the protocol of ${a.targetGroupLabel ?? `target group '${a.targetGroup.resource.name}'`}`
                : "the container's image";
        return ctx.report.undecided(ctx.subject(g.resource), { path, reason: `${what} is not known yet` });
    }
    const label = a.targetGroupLabel ?? `target group '${a.targetGroup.resource.name}'`;
    violation(ctx, g.resource, path, server, name ?? "?", `${label} (${String(a.targetGroupView.protocol ?? "HTTP")})`, port);
}

/**
 * Offline, awsx FargateService args: the load balancer is an awsx ApplicationLoadBalancer (HTTP by
 * construction) or a target group feeding the args; the container behind it is the one with port
 * mappings (undecided when several have some).
 */
function judgeAwsxArgs(ctx: Ctx, service: PolicyResource): void {
    const props = rawProps(service.props);
    const td = readTaskDefinition(service.type, props);
    if (!td || td.containers.status !== "ok") return;
    const feeding = ["taskDefinitionArgs", "loadBalancers"].flatMap((p) => propertyDependencies(service, p));
    const albs = feeding.filter((r) => r.type === TYPES.awsxApplicationLoadBalancer);
    const tgs = feeding.filter((r) => r.type === TYPES.lbTargetGroup || r.type === TYPES.albTargetGroup);
    const httpTg = tgs.find((t) => speaksHttpToContainer(readTargetGroup(rawProps(t.props)), undefined) === true);
    const front = albs[0] ? `awsx ApplicationLoadBalancer '${albs[0].name}' (HTTP)` : httpTg ? `target group '${httpTg.name}'` : undefined;
    if (!front) return;
    const mapped = td.containers.containers.filter(
        (c) => Array.isArray(asArray(c.portMappings)) && (c.portMappings as unknown[]).length > 0,
    );
    if (mapped.length !== 1) {
        if (
            mapped.some((c) => serverOf(c, asNumberValue(field((c.portMappings as unknown[])[0], "containerPort")) as number | undefined))
        ) {
            ctx.report.undecided(ctx.subject(service), {
                path: `${td.prefix}containers`,
                reason: `several containers map ports, and which one ${front} sends traffic to is not known`,
            });
        }
        return;
    }
    const c = mapped[0];
    const port = asNumberValue(field((c.portMappings as unknown[])[0], "containerPort"));
    if (port === UNKNOWN) return ctx.report.undecided(ctx.subject(service), { path: `${c.path}.portMappings[0].containerPort` });
    const server = serverOf(c, port);
    if (server === UNKNOWN) return ctx.report.undecided(ctx.subject(service), { path: `${c.path}.image` });
    if (server) violation(ctx, service, `${c.path}.portMappings[0]`, server, c.name, front, port);
}

/**
 * An ALB (or an HTTP health check) in front of Redis, PostgreSQL, Kafka… never gets an HTTP answer:
 * the targets stay unhealthy and ECS replaces the tasks forever.
 */
export const loadBalancerProtocolMatchesContainer: StackValidationPolicy = {
    name: "load-balancer-protocol-matches-container",
    description:
        "A load balancer target group that speaks or health-checks HTTP must not front a container that does not speak HTTP, such as Redis, PostgreSQL, MySQL, MongoDB, Memcached or Kafka.",
    enforcementLevel: "mandatory",
    validateStack: stackRule({}, (ctx) => {
        const attached = new Set<PolicyResource>();
        for (const g of serviceGraphs(ctx.resources)) {
            if (g.attachments === UNKNOWN) continue; // probe-paths-aligned reports unknown attachments
            if (g.attachments.length > 0) attached.add(g.resource);
            for (const a of g.attachments) judgeAttachment(ctx, g, a);
        }
        // awsx args whose load balancer the service graph could not follow (offline, a target group
        // output the program passes on is not always rendered): judged from the property dependencies.
        for (const service of ctx.resources.filter(
            (r) => r.type === TYPES.awsxFargateService && !attached.has(r) && isJudgedInStack(r, ctx.resources),
        )) {
            judgeAwsxArgs(ctx, service);
        }
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(loadBalancerProtocolMatchesContainer, {
    levelNote: ` (stack policy)`,
    checks: `each \`loadBalancers[]\` attachment of an \`aws:ecs/service:Service\` (raw, the one awsx
creates in a real preview, HealthyFargateService's) whose target group sends HTTP (protocol \`HTTP\`/
\`HTTPS\`: an ALB) or health-checks the traffic port with HTTP (an NLB target group with an HTTP
health check), against the container it names: a violation when the container runs a server that
speaks no HTTP, known by its image (\`redis\`, \`valkey\`, \`postgres\`, \`mysql\`, \`mariadb\`, \`mongo\`,
\`memcached\`, Kafka, ZooKeeper and Cassandra images, official and Bitnami) or by the port traffic
goes to (6379, 5432, 3306, 27017, 11211, 9092, 5672, 1433, 1521, 2181, 9042), via \`nonHttpService\`
in \`domain/non-http-services.ts\`. Offline, for \`awsx:ecs:FargateService\` args (no child service),
the load balancer is an \`awsx:lb:ApplicationLoadBalancer\` or an HTTP target group in the property
dependencies of \`taskDefinitionArgs\`/\`loadBalancers\`, and the container is the one with port
mappings (undecided when several have some). A target group protocol or an image not known yet is
\`[undecided]\`.`,
    rationale: `The ALB's health check requests a path over HTTP; Redis or PostgreSQL answer with their
own protocol or close the connection, so every target stays unhealthy, ECS replaces the tasks, and
the deployment never completes (the circuit breaker rolls it back, or it retries forever).`,
    config: `none.`,
    remediation: `Reach the server without an ALB: ECS Service Connect or Cloud Map service discovery
(\`serviceConnectConfiguration\`/\`serviceRegistries\`), or a Network Load Balancer with a \`TCP\` target
group and a \`TCP\` health check; for a managed data store, ElastiCache or RDS instead of a container.`,
    examples: `Fails:
\`\`\`ts
const tg = new aws.lb.TargetGroup("cache", { port: 6379, protocol: "HTTP", targetType: "ip", vpcId });
// service: loadBalancers: [{ targetGroupArn: tg.arn, containerName: "redis", containerPort: 6379 }], image "redis:7"
\`\`\`
Passes:
\`\`\`ts
const tg = new aws.lb.TargetGroup("cache", { port: 6379, protocol: "TCP", targetType: "ip", vpcId, healthCheck: { protocol: "TCP" } });
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: loadBalancerProtocolMatchesContainer, metadata };
