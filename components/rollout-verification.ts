/**
 * `RolloutVerification`: a resource that fails `pulumi up` when ECS did not actually roll out
 * the task definition the update registered.
 *
 * Why: the ECS service resource with `waitForSteadyState` (and `aws ecs wait services-stable`)
 * succeeds once the service settles, and after a circuit-breaker rollback it settles on the
 * *previous* task definition, so a failed deployment reads as a successful update
 * (pulumi/pulumi-awsx#1848). This resource, created/updated after the service, follows the
 * deployment of `taskDefinitionArn` with the doctor library and fails with the doctor's
 * diagnosis unless that deployment became PRIMARY and COMPLETED; with `smoke`, also unless the
 * service then answers through its load balancer.
 *
 * It reads ECS with the same account, region and endpoints as the AWS provider that deployed the
 * service (`aws`, `credentials`: see aws-access.ts), not with whatever the SDK's default chain
 * finds on the machine, and every error says which account and region it read.
 *
 * Pulumi serializes a dynamic provider's code into the state and runs it in a separate process
 * (@pulumi/pulumi `cmd/dynamic-provider/index.js`: `requireFromString(providerString)`), where
 * module-level imports of this file are gone. `require-from-string` gives that module the
 * `node_modules` search paths of the working directory, which is the program's directory; so the
 * provider `require`s the verifier by *package name* inside its methods (`@healthy-fargate/doctor`,
 * `@healthy-fargate/components/aws-clients`: compiled JavaScript in the program's `node_modules`,
 * no ts-node at deploy time, nothing from a source checkout). Its inputs are plain data too.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AwsAccess, AwsStaticCredentials } from "./aws-access";

/** Inputs of `RolloutVerification`. */
export interface RolloutVerificationArgs {
    /** Name or ARN of the ECS cluster. */
    readonly cluster: pulumi.Input<string>;
    /** Name of the ECS service. */
    readonly serviceName: pulumi.Input<string>;
    /**
     * ARN of the task definition the update registered (the service's `taskDefinition`). A
     * change of it is what makes Pulumi run the check again.
     */
    readonly taskDefinitionArn: pulumi.Input<string>;
    /** @default - `aws.region`, else the AWS SDK's region chain (AWS_REGION, profile) */
    readonly region?: pulumi.Input<string>;
    /**
     * Account, region and endpoints to read with: those of the AWS provider that created the
     * service (`awsAccessOf` in aws-access.ts). HealthyFargateService passes its own.
     * @default - the AWS SDK's default chain and endpoints
     */
    readonly aws?: pulumi.Input<AwsAccess>;
    /**
     * Static keys of that provider, when it has them. Pass them as a Pulumi secret.
     * @default - none: the profile or the SDK's chain
     */
    readonly credentials?: pulumi.Input<AwsStaticCredentials | undefined>;
    /**
     * How long to wait for the deployment to finish, e.g. `15m`, `1h` (see the doctor's
     * `--timeout`). Should exceed start-up + health checks + deregistration delay.
     * @default "15m"
     */
    readonly timeout?: pulumi.Input<string>;
    /** Time between polls, e.g. `10s`. @default "10s" */
    readonly pollInterval?: pulumi.Input<string>;
    /**
     * Opt-in smoke step, run once the deployment completed: requests through the load balancer
     * (see the doctor's `smoke`), failing the update when an answer does not match the matcher.
     * @default - no smoke step
     */
    readonly smoke?: pulumi.Input<RolloutSmokeInput>;
}

/** The smoke step of a `RolloutVerification` (plain values: the provider runs in its own process). */
export interface RolloutSmokeInput {
    /** Base URL, e.g. `https://api.example.com`. @default - discovered from the service's load balancer */
    readonly url?: string;
    /** Paths to request. @default - the target group's health-check path */
    readonly paths?: string[];
    /** Accepted statuses (ALB matcher syntax). @default - the target group's matcher */
    readonly matcher?: string;
    /** Requests per path. @default 3 */
    readonly requests?: number;
    /** Per request, e.g. `5s`. @default "5s" */
    readonly timeout?: string;
}

/** Plain values the provider receives (inputs after Pulumi resolved them). */
interface VerificationInputs {
    cluster: string;
    serviceName: string;
    taskDefinitionArn: string;
    region?: string;
    timeout?: string;
    pollInterval?: string;
    aws?: AwsAccess;
    credentials?: AwsStaticCredentials;
    smoke?: RolloutSmokeInput;
}

/** Packages the serialized provider loads at deploy time (see the file comment). */
const VERIFIER_PACKAGE = "@healthy-fargate/doctor";
const CLIENTS_MODULE = "@healthy-fargate/components/aws-clients";

/** Inputs whose change means "a new rollout to verify". */
const WATCHED: readonly (keyof VerificationInputs)[] = ["cluster", "serviceName", "taskDefinitionArn", "region"];

/**
 * The dynamic provider. Exported for tests; use `RolloutVerification`.
 * Every method is self-contained (see the file comment).
 */
export class RolloutVerificationProvider implements pulumi.dynamic.ResourceProvider {
    /** Only a new task definition (or another service) is a new rollout; timeouts are not. */
    async diff(_id: string, olds: VerificationInputs, news: VerificationInputs): Promise<pulumi.dynamic.DiffResult> {
        const replaces = (["cluster", "serviceName", "region"] as const).filter((k) => olds[k] !== news[k]);
        const changes = WATCHED.some((k) => olds[k] !== news[k]);
        return { changes, replaces, deleteBeforeReplace: false };
    }

    async create(inputs: VerificationInputs): Promise<pulumi.dynamic.CreateResult> {
        const outs = await this.verify(inputs);
        return { id: `${inputs.cluster}/${inputs.serviceName}`, outs };
    }

    async update(_id: string, _olds: VerificationInputs, news: VerificationInputs): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: await this.verify(news) };
    }

    /** Nothing to delete: the resource only observes. */
    async delete(): Promise<void> {}

    /**
     * Loads the verifier from the program's `node_modules` and runs it with clients for
     * `inputs.aws`; a failure names the account and region that were read.
     */
    async verify(inputs: VerificationInputs): Promise<Record<string, unknown>> {
        // Required here, not imported: the serialized provider has no module-level imports (see the file comment).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { verifyRollout } = require(VERIFIER_PACKAGE);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { createAwsClients, describeAccess } = require(CLIENTS_MODULE);
        const access: AwsAccess = inputs.aws ?? {
            source: "the SDK's default chain",
            region: inputs.region,
            assumeRoles: [],
            endpoints: {},
        };
        const region = inputs.region || access.region;
        const clients = createAwsClients({ ...access, region }, inputs.credentials);
        let result: { deployment?: { id?: string } };
        try {
            result = await verifyRollout(
                {
                    cluster: inputs.cluster,
                    serviceName: inputs.serviceName,
                    taskDefinitionArn: inputs.taskDefinitionArn,
                    region,
                    timeout: inputs.timeout,
                    pollInterval: inputs.pollInterval,
                    smoke: inputs.smoke,
                },
                clients,
            );
        } catch (e) {
            const where = await describeAccess({ ...access, region }, clients, inputs.credentials);
            throw new Error(`${(e as Error).message ?? String(e)}\n\n(RolloutVerification read ${where}.)`);
        }
        // Static keys stay out of the outputs (they are an input, kept secret by the caller).
        const { credentials: _keys, ...recorded } = inputs;
        return { ...recorded, deploymentId: result.deployment?.id, verifiedAt: new Date().toISOString() };
    }
}

/**
 * One provider for every RolloutVerification: it is stateless, and the SDK serializes a dynamic
 * provider once per provider *object* (`providerCache` in `@pulumi/pulumi/dynamic`, 3.x) — a new
 * object per resource would walk its closure and the program's packages again for each service.
 */
const SHARED_PROVIDER = new RolloutVerificationProvider();

/**
 * Verifies, after each create/update, that the service's PRIMARY deployment runs
 * `taskDefinitionArn` and completed (did not fail or roll back). Fails the update with the
 * doctor's diagnosis otherwise. Give it `dependsOn: [service]` so it runs after the service
 * update.
 */
export class RolloutVerification extends pulumi.dynamic.Resource {
    /** Id of the deployment that was verified. */
    public readonly deploymentId!: pulumi.Output<string>;
    /** When the rollout was verified (ISO time). */
    public readonly verifiedAt!: pulumi.Output<string>;

    constructor(name: string, args: RolloutVerificationArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            SHARED_PROVIDER,
            name,
            { ...args, deploymentId: undefined, verifiedAt: undefined },
            opts,
            "healthy-fargate",
            "RolloutVerification",
        );
    }
}
