/**
 * The fuzz's generators, shared by the fuzz tests (fuzz.test.ts, fuzz-limits.test.ts,
 * fuzz-grpc.test.ts): random and unknown-laden property shapes of every resource type the pack
 * reads, mutated from the compliant fixtures so that most structure stays intact.
 */
import * as assert from "assert";
import fc from "fast-check";
import { Secret } from "@pulumi/policy";
import { POLICY_ERROR_MARKER } from "../../policies/kit";
import { NET_TYPES, TYPES, UNKNOWN_SENTINELS } from "../../policies/resources";
import { compliantAwsxProgram, offline, real } from "./awsx-worlds";
import { type Diagnostic, type StackResourceInput } from "./harness";
import {
    appContainer,
    awsxServiceProps,
    baselineStack,
    componentPreviewStack,
    contract,
    logGroupProps,
    networkStack,
    securityGroupProps,
    serviceProps,
    targetGroupProps,
    taskDefinitionProps,
    wiredStack,
} from "./fixtures";

/**
 * fast-check parameters of every fuzz test: a fixed seed so CI runs are reproducible, or
 * `FUZZ_SEED=<n>` to explore (fast-check prints the seed and the failing path on a failure).
 */
export function fuzzParameters<T = unknown>(numRuns: number): fc.Parameters<T> {
    const seed = process.env.FUZZ_SEED === undefined ? 16_2026 : Number(process.env.FUZZ_SEED);
    return { seed, numRuns };
}

export const ALL_TYPES = [...Object.values(TYPES), ...Object.values(NET_TYPES), "aws:s3/bucket:Bucket", "random:index/randomId:RandomId"];

/** Leaves that stress readers: unknowns of every kind, secrets, odd JSON. */
export const leaf: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(...UNKNOWN_SENTINELS),
    fc.constantFrom(
        null,
        true,
        false,
        0,
        -1,
        1e9,
        0.5,
        "",
        "FARGATE",
        "traffic-port",
        "200-399",
        "ECS",
        "HEALTHY",
        "awslogs",
        "true",
        "/health/ready",
        "1 vCPU",
        "2 GB",
        "[]",
        "{",
        "NONE",
    ),
    fc.integer({ min: -10, max: 100000 }),
    fc.string({ maxLength: 12 }),
    fc.jsonValue({ maxDepth: 2 }),
);

export const withSecrets = (a: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
    fc.oneof({ weight: 6, arbitrary: a }, { weight: 1, arbitrary: a.map((v) => new Secret(v)) });

/** Replaces random paths of a compliant shape with random leaves (keeps most structure intact). */
export function mutate(base: unknown, rng: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    const paths: string[][] = [];
    const walk = (v: unknown, p: string[]) => {
        paths.push(p);
        if (v && typeof v === "object") for (const [k, c] of Object.entries(v as Record<string, unknown>)) walk(c, [...p, k]);
    };
    walk(base, []);
    return fc.array(fc.tuple(fc.constantFrom(...paths), withSecrets(rng)), { minLength: 1, maxLength: 4 }).map((changes) => {
        let copy: any = JSON.parse(JSON.stringify(base));
        for (const [p, value] of changes) {
            if (p.length === 0) {
                copy = value;
                continue;
            }
            let cur = copy;
            for (const k of p.slice(0, -1)) cur = cur && typeof cur === "object" ? cur[k] : undefined;
            if (cur && typeof cur === "object") cur[p[p.length - 1]] = value;
        }
        return copy;
    });
}

/** Container definitions JSON built from mutated containers (so the JSON parses and the inside is odd). */
export const containerDefinitions = fc.array(mutate(appContainer(), leaf), { maxLength: 3 }).map((cs) => JSON.stringify(cs));

export const propsFor: Record<string, fc.Arbitrary<unknown>> = {
    [TYPES.taskDefinition]: fc.oneof(
        mutate(taskDefinitionProps(), leaf),
        containerDefinitions.map((cd) => taskDefinitionProps([], { containerDefinitions: cd })),
    ),
    [TYPES.service]: mutate(serviceProps(), leaf),
    [TYPES.lbTargetGroup]: mutate(targetGroupProps(), leaf),
    [TYPES.albTargetGroup]: mutate(targetGroupProps(), leaf),
    [TYPES.logGroup]: mutate(logGroupProps(), leaf),
    [TYPES.awsxFargateService]: mutate(awsxServiceProps(), leaf),
    [TYPES.awsxFargateTaskDefinition]: mutate({ cpu: "512", memory: "1024", containers: { app: appContainer() } }, leaf),
    [TYPES.awsxApplicationLoadBalancer]: mutate(compliantAwsxProgram().albs[0].args, leaf),
    [TYPES.healthyFargateService]: mutate({ healthContract: contract() }, leaf),
};
// The networking shapes the reachability policies read (the ECS shapes above stay as they are).
for (const r of networkStack()) propsFor[r.type] ??= mutate(r.props, leaf);

export const anyProps: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    fc.dictionary(fc.string({ maxLength: 8 }), withSecrets(fc.oneof(leaf, fc.anything({ maxDepth: 2 })))),
    fc.constant({}),
) as fc.Arbitrary<Record<string, unknown>>;

export const resourceCase = fc.constantFrom(...ALL_TYPES).chain((type) =>
    fc.record({
        type: fc.constant(type),
        props: fc.oneof(
            { weight: 3, arbitrary: (propsFor[type] ?? anyProps) as fc.Arbitrary<Record<string, unknown>> },
            { weight: 1, arbitrary: anyProps },
        ),
        parentTypes: fc.subarray([TYPES.healthyFargateService, TYPES.awsxFargateService, TYPES.awsxApplicationLoadBalancer], {
            maxLength: 1,
        }),
        stack: fc.constantFrom("dev", "prod", "live-eu", ""),
        config: fc.oneof(
            fc.constant(undefined),
            fc.dictionary(
                fc.constantFrom(
                    "deepPaths",
                    "maxGracePeriodSeconds",
                    "productionLike",
                    "productionStackPattern",
                    "exemptContainers",
                    "maxDeregistrationDelaySeconds",
                    "requireRollback",
                    "minDesiredCount",
                    "allowPortCheckOnly",
                    "programDirectory",
                ),
                leaf,
            ),
        ),
    }),
);

/** What every report of every policy must be: a string message at a valid level, never a crash marker. */
export function check(ds: Diagnostic[]): void {
    for (const d of ds) {
        assert.strictEqual(typeof d.message, "string");
        assert.ok(!d.message.includes(POLICY_ERROR_MARKER), d.message);
        assert.ok(["advisory", "mandatory"].includes(d.enforcementLevel));
        if (d.undecided) assert.strictEqual(d.enforcementLevel, "advisory");
    }
}

/** Stacks in both awsx worlds and the networks the reachability policies read, mutated and extended. */
export const stackCase = fc
    .tuple(
        // awsx programs in both worlds: args offline, empty components with children in a real preview.
        fc.constantFrom(
            baselineStack(),
            componentPreviewStack(),
            offline(compliantAwsxProgram()),
            real(compliantAwsxProgram()),
            // The networks the reachability policies read.
            networkStack(),
            wiredStack(),
            networkStack({ tasksSg: securityGroupProps("sg-0tasks", [], []) }),
        ),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...ALL_TYPES)), { maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(), withSecrets(leaf), fc.constantFrom("props", "healthCheck", "loadBalancers", "containerDefinitions")), {
            maxLength: 4,
        }),
    )
    .chain(([base, extra, damage]) => {
        const stack: StackResourceInput[] = JSON.parse(JSON.stringify(base));
        return fc.tuple(...stack.map((r) => mutate(r.props, leaf)), fc.constant(0)).map((mutated) => {
            const resources = stack.map((r, i) => ({ ...r, props: (i % 2 === 0 ? mutated[i] : r.props) as Record<string, unknown> }));
            for (const [n, type] of extra) {
                const key = `x${n}`;
                resources.push({
                    key,
                    type,
                    props: {},
                    parent: resources[n % resources.length].key,
                    dependsOn: [resources[n % resources.length].key],
                    propertyDependencies: { loadBalancers: [resources[(n + 1) % resources.length].key], taskDefinition: [key] },
                });
            }
            for (const [n, value, where] of damage) {
                const r = resources[n % resources.length];
                if (where === "props")
                    r.props = (value && typeof value === "object" && !Array.isArray(value) ? value : { v: value }) as Record<
                        string,
                        unknown
                    >;
                else r.props = { ...(r.props && typeof r.props === "object" ? r.props : {}), [where]: value };
            }
            return resources;
        });
    });
