/**
 * Named checks of HealthyFargateService args that need more than a range: the image reference,
 * the subnets, the task count against ECS's quota, the probe tool against the image, and whether
 * `pulumi up` can wait as long as the deployment takes. Each returns the problems (argument in
 * backticks, rule, fix) or the resolved value; the rules themselves are the domain's.
 *
 * Values that are Outputs (an image from an ECR repository or an image build, subnets from a VPC)
 * are not known here: they pass, and the component checks them once known (see {@link knownImageProblem}).
 */
import * as pulumi from "@pulumi/pulumi";
import {
    ECS_TASKS_PER_SERVICE,
    type HealthContract,
    PROBE_TOOLS,
    type ProbeTool,
    type ProbeToolChoice,
    checkImageReference,
    chooseProbeTool,
    probeToolProblem,
    waitedUpdateProblem,
} from "@healthy-fargate/domain";

/** True for values only known later: Outputs and promises. */
export function isDeferred(value: unknown): boolean {
    const promise = typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
    return pulumi.Output.isInstance(value) || promise;
}

/** The problem with a known `image` value, for the check before registration and for an Output once it resolves. */
export function knownImageProblem(image: unknown): string | undefined {
    const checked = checkImageReference(image);
    if (checked.ok) return undefined;
    const shown = typeof image === "string" && image.trim() !== "" ? ` ${JSON.stringify(image)}` : "";
    return `\`image\`${shown} ${checked.problem}. ${checked.fix}`;
}

/** `image` before registration: a plain value must be an image reference; an Output is checked once known. */
export function imageProblems(image: unknown): string[] {
    if (isDeferred(image)) return [];
    const problem = knownImageProblem(image);
    return problem ? [problem] : [];
}

/** The problem with a known list of subnet ids (empty, or with blank entries). */
export function knownSubnetsProblem(subnetIds: unknown): string | undefined {
    if (!Array.isArray(subnetIds))
        return `\`subnetIds\` must be a list of subnet ids, ` + `got ${subnetIds === null ? "null" : typeof subnetIds}.`;
    if (subnetIds.length === 0) {
        return (
            "`subnetIds` is empty: awsvpc tasks need at least one subnet to get their network interface in. " +
            "Pass the VPC's private subnets, two or more in different Availability Zones."
        );
    }
    const blank = subnetIds.findIndex((id) => typeof id === "string" && id.trim() === "");
    return blank >= 0 ? `\`subnetIds[${blank}]\` is blank. Pass subnet ids such as "subnet-0123456789abcdef0".` : undefined;
}

/** `subnetIds` before registration: a plain list is checked now; an Output (or Output entries) once known. */
export function subnetProblems(subnetIds: unknown): string[] {
    if (subnetIds === undefined || subnetIds === null || isDeferred(subnetIds)) return [];
    const problem = knownSubnetsProblem(subnetIds);
    return problem ? [problem] : [];
}

/** `desiredCount` above ECS's "Tasks per service" quota, which ECS would reject when the service is created or updated. */
export function desiredCountQuotaProblems(desiredCount: number): string[] {
    if (!Number.isInteger(desiredCount) || desiredCount <= ECS_TASKS_PER_SERVICE) return [];
    return [
        `\`desiredCount\` ${desiredCount} is above ECS's "Tasks per service" quota of ${ECS_TASKS_PER_SERVICE} (Amazon ECS ` +
            `service quotas): ECS would refuse the service. Run at most ${ECS_TASKS_PER_SERVICE} tasks per service, ` +
            `or split the work across services.`,
    ];
}

/**
 * The probe tool: the one given (rejected when the image is known to lack it), else chosen from
 * the image (`python:*-slim` → `python`, `node:*` → `node`, nginx → `curl`), else `fallback` for
 * an image the table does not know or that is an Output. The choice and its reason go into the
 * health contract.
 */
export function resolveProbeTool(
    given: unknown,
    image: unknown,
    fallback: ProbeTool,
): { tool: ProbeTool; choice: ProbeToolChoice; problems: string[] } {
    const plainImage = typeof image === "string" && checkImageReference(image).ok ? image : undefined;
    if (given !== undefined) {
        if (!PROBE_TOOLS.includes(given as ProbeTool)) {
            return {
                tool: fallback,
                choice: { by: "args", reason: "invalid" },
                problems: [
                    `\`probe.tool\` must be one of ` + `${PROBE_TOOLS.map((t) => `"${t}"`).join(", ")}, got ${JSON.stringify(given)}.`,
                ],
            };
        }
        const tool = given as ProbeTool;
        const mismatch = plainImage === undefined ? undefined : probeToolProblem(tool, plainImage);
        return {
            tool,
            choice: { by: "args", reason: `\`${tool}\` as set in \`probe.tool\`.` },
            problems: mismatch ? [`\`probe.tool\` "${tool}": ${mismatch.problem} ${mismatch.fix}`] : [],
        };
    }
    if (plainImage === undefined) {
        const why = isDeferred(image) ? "the image is an Output, known only at deployment" : "the image is not a valid reference";
        return {
            tool: fallback,
            choice: { by: "default", reason: `\`${fallback}\` by default: ${why}; set \`probe.tool\` to a tool ` + `the image has.` },
            problems: [],
        };
    }
    const { tool, choice } = chooseProbeTool(plainImage, fallback);
    if (tool === undefined) {
        return {
            tool: fallback,
            choice,
            problems: [
                `\`probe.tool\` cannot be chosen: ${choice.reason} No generated health check can run there. ` +
                    `Use an image with \`curl\`, \`wget\`, \`python3\` or \`node\` on PATH (a -debug or -dev variant, or install one), ` +
                    `then set \`probe.tool\`.`,
            ],
        };
    }
    return { tool, choice, problems: [] };
}

/**
 * When `pulumi up` waits for the service (`waitForSteadyState`, or the rollout verification), the
 * wait must fit in one IAM role session: a bake time it cannot fit is rejected with the largest
 * one that fits.
 */
export function waitedUpdateProblems(contract: HealthContract, waits: boolean): string[] {
    if (!waits) return [];
    const found = waitedUpdateProblem(contract.timeline, contract.timings, contract.deployment.bakeTimeMinutes);
    if (!found) return [];
    return [
        `\`deployment.bakeTimeMinutes\` ${contract.deployment.bakeTimeMinutes}: ` +
            `${found.problem} Lower \`deployment.bakeTimeMinutes\` to at most ${found.maxBakeTimeMinutes}, or set \`waitForSteadyState: ` +
            `false\` and \`verifyRollout: false\` so that \`pulumi up\` returns once ECS accepted the deployment (ECS still bakes and ` +
            `rolls back by itself; follow it with \`npm run doctor -- wait\`).`,
    ];
}
