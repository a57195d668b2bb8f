/**
 * Wrappers every rule uses: they unwrap the raw properties (never reading through the
 * unknown-checking proxy), read the policy's config over its defaults, and turn any exception into
 * a `policy error:` report at the policy's own level (`Reporter.policyError`), so a policy never
 * throws and never passes a resource it could not judge.
 */
import type {
    PolicyResource,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    StackValidation,
    StackValidationArgs,
} from "@pulumi/policy";
import {
    AWSX_ECS_TYPES,
    type ContainerView,
    JUDGED_BY_PARENT_TYPES,
    TYPES,
    UNKNOWN,
    ancestorTypes,
    hasAncestorType,
    rawProps,
    readTaskDefinition,
    stackOfUrn,
    type TaskDefinitionSource,
} from "../resources";
import { Reporter, type Subject } from "./report";

/** What a resource rule sees. */
export interface ResourceContext<C> {
    type: string;
    name: string;
    urn: string;
    /** Plain properties (unknowns as sentinel strings, secrets unwrapped). */
    props: Record<string, unknown>;
    subject: Subject;
    /** Stack name from the URN. */
    stack: string | undefined;
    /**
     * True when the resource is a child of a component whose inputs the same policy judges
     * (HealthyFargateService, see `JUDGED_BY_PARENT_TYPES`): an unknown value here is not reported
     * as undecided. Not awsx components: a real preview shows their inputs empty.
     */
    judgedByParent: boolean;
    /** Types of the resource's ancestors (from the URN), outermost first. */
    ancestorTypes: string[];
    config: C;
    report: Reporter;
}

/** What a stack rule sees. */
export interface StackContext<C> {
    resources: PolicyResource[];
    /** Plain properties of a resource. */
    props(resource: PolicyResource): Record<string, unknown>;
    subject(resource: PolicyResource): Subject;
    stack: string | undefined;
    config: C;
    report: Reporter;
}

/**
 * Reads the policy config over `defaults`: a key is taken from the config only when it has the
 * default's JSON type (the CLI validates against `configSchema` first; this keeps direct calls safe).
 */
export function readConfig<C extends object>(getConfig: (() => object) | undefined, defaults: C): C {
    let given: Record<string, unknown> = {};
    try {
        const c = getConfig?.();
        if (c && typeof c === "object") given = c as Record<string, unknown>;
    } catch {
        given = {};
    }
    const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
    for (const [key, fallback] of Object.entries(defaults as Record<string, unknown>)) {
        const value = given[key];
        if (value === undefined || value === null) continue;
        const sameKind = Array.isArray(fallback) ? Array.isArray(value) : fallback === undefined || typeof value === typeof fallback;
        if (sameKind) out[key] = value;
    }
    return out as C;
}

function safeString(value: unknown, fallback: string): string {
    return typeof value === "string" ? value : fallback;
}

/** Builds a `validateResource` that runs `check` for resources of `types` only. */
export function resourceRule<C extends object>(
    types: readonly string[],
    defaults: C,
    check: (ctx: ResourceContext<C>) => void,
): ResourceValidation {
    return (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const report = new Reporter(reportViolation);
        const type = safeString(args?.type, "");
        const subject: Subject = { name: safeString(args?.name, "?"), type };
        if (!types.includes(type)) return;
        try {
            const urn = safeString(args.urn, "");
            check({
                type,
                name: subject.name,
                urn,
                props: rawProps(args.props),
                subject,
                stack: stackOfUrn(urn),
                judgedByParent: hasAncestorType(urn, JUDGED_BY_PARENT_TYPES),
                ancestorTypes: ancestorTypes(urn),
                config: readConfig(args.getConfig?.bind(args), defaults),
                report,
            });
        } catch (error) {
            report.policyError(subject, error);
        }
    };
}

/** Builds a `validateStack` around `check`. */
export function stackRule<C extends object>(defaults: C, check: (ctx: StackContext<C>) => void): StackValidation {
    return (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const report = new Reporter(reportViolation);
        try {
            const resources = Array.isArray(args?.resources)
                ? args.resources.filter((r) => r && typeof r === "object" && typeof r.type === "string")
                : [];
            check({
                resources,
                props: (r) => rawProps(r.props),
                subject: (r) => ({ name: safeString(r.name, "?"), type: r.type, ...(typeof r.urn === "string" ? { urn: r.urn } : {}) }),
                stack: resources.map((r) => stackOfUrn(r.urn)).find((s) => s !== undefined),
                config: readConfig(args.getConfig?.bind(args), defaults),
                report,
            });
        } catch (error) {
            report.policyError({ name: "stack", type: "pulumi:pulumi:Stack" }, error);
        }
    };
}

/**
 * True for the `aws:ecs/taskDefinition:TaskDefinition` child of an awsx ECS component.
 * @deprecated Do not skip it: in a real preview it is the only place the containers of an awsx
 * component can be judged (the component's own inputs are empty there; see resources/awsx.ts).
 * Judge it like any task definition; the readers ignore an awsx component without args.
 */
export function isAwsxTaskDefinitionChild(ctx: ResourceContext<object>): boolean {
    return ctx.type === TYPES.taskDefinition && ctx.ancestorTypes.some((t) => AWSX_ECS_TYPES.includes(t));
}

/**
 * True for the `aws:ecs/service:Service` child of an awsx FargateService.
 * @deprecated Do not skip it: in a real preview it is the only place the settings of an awsx
 * service can be judged (the component's own inputs are empty there; see resources/awsx.ts).
 * `readService` returns `undefined` for an awsx FargateService without args.
 */
export function isAwsxServiceChild(ctx: ResourceContext<object>): boolean {
    return ctx.type === TYPES.service && ctx.ancestorTypes.includes(TYPES.awsxFargateService);
}

/**
 * The containers a container rule judges on this resource (a task definition — also one an awsx
 * component created —, or the args of an awsx ECS component that has them; with `fargateOnly`,
 * only Fargate task definitions). Reports a container list that is not known yet as undecided,
 * unless a parent component (HealthyFargateService) is judged instead. `undefined`: nothing to judge.
 */
export function containersToJudge(ctx: ResourceContext<object>, options: { fargateOnly?: boolean } = {}): ContainerView[] | undefined {
    const td = readTaskDefinition(ctx.type, ctx.props);
    if (!td) return undefined;
    if (options.fargateOnly) {
        if (td.fargate === UNKNOWN) {
            if (!ctx.judgedByParent) ctx.report.undecided(ctx.subject, { path: "requiresCompatibilities" });
            return undefined;
        }
        if (!td.fargate) return undefined;
    }
    if (td.containers.status === "unknown") {
        if (!ctx.judgedByParent) ctx.report.undecided(ctx.subject, { path: td.containers.field });
        return undefined;
    }
    return td.containers.status === "ok" ? td.containers.containers : undefined;
}

/**
 * The containers of a task definition a stack policy follows links into. While they are unknown,
 * the policy is undecided only when one of `feeding` (the data stores it judges) feeds them.
 */
export function containersFedBy(
    ctx: StackContext<object>,
    source: TaskDefinitionSource,
    feeding: PolicyResource[],
): ContainerView[] | undefined {
    const read = source.view.containers;
    if (read.status === "unknown" && feeding.length > 0) {
        ctx.report.undecided(ctx.subject(source.resource), {
            path: read.field,
            reason: `the containers are not known yet and take values from '${feeding[0].name}'`,
        });
    }
    return read.status === "ok" ? read.containers : undefined;
}
