/**
 * The fuzz at ECS's own size limits and against the regex-heavy domain code (issue 16, "Fuzz that
 * finds these"): every case runs in a worker with a hard time bound (case-runner.ts) and fails,
 * naming the function and input, when it is pathologically slow or never returns; clearly invalid
 * input must produce a finding (violation or `[undecided]`), never silence.
 *
 * Seeded: `FUZZ_SEED=<n>` reproduces a run; fast-check prints the seed and path of a failure.
 */
import * as assert from "assert";
import * as path from "path";
import fc from "fast-check";
import { policies } from "../../policies/policies";
import { TYPES, UNKNOWN_VALUE } from "../../policies/resources";
import { CASE_BUDGET_MS, CaseRunner } from "./case-runner";
import { PARSERS } from "./fuzz-targets";
import { type Diagnostic, type StackResourceInput, isStackPolicy } from "./harness";
import {
    type Json,
    appContainer,
    awsxServiceProps,
    baselineStack,
    serviceProps,
    set,
    targetGroupProps,
    taskDefinitionProps,
    wiredStack,
} from "./fixtures";
import { check, fuzzParameters, leaf, mutate } from "./fuzz-shapes";

/**
 * ECS's limits (Amazon ECS developer guide, "Amazon ECS service quotas", and the ECS API reference,
 * `ContainerDefinition`; read Dec 2026): the sizes a program can reach before AWS refuses it.
 */
const ECS_LIMITS = {
    /** `ContainerDefinition.name`: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens". */
    containerNameChars: 255,
    /** `ContainerDefinition.image`: "Up to 255 letters …, numbers, hyphens, underscores, colons, periods, forward slashes, and number signs". */
    imageChars: 255,
    /** Quota "Containers per task definition": 10. */
    containersPerTaskDefinition: 10,
    /** Quota "Task definition size": 64 KiB — the JSON of the container definitions cannot exceed it. */
    taskDefinitionBytes: 64 * 1024,
    /** Quota "Target groups per service": 5. */
    targetGroupsPerService: 5,
} as const;

/** Each case runs in the case worker, terminated after {@link CASE_BUDGET_MS}: even a case that never returns fails in seconds. */
const cases = new CaseRunner(path.join(__dirname, "fuzz-targets.ts"), CASE_BUDGET_MS);

/**
 * The parameters of the properties that test the bound: no shrinking after a failure, since a case
 * over the bound costs the bound plus a fresh worker per shrink attempt; the failure already names
 * the function and the input, and fast-check prints the seed and path to replay it.
 */
const boundedParameters = <T>(numRuns: number): fc.Parameters<T> => ({ ...fuzzParameters<T>(numRuns), endOnFailure: true });

const resourcePolicies = policies.filter((p) => !isStackPolicy(p));
const stackPolicies = policies.filter(isStackPolicy);

/** Every resource policy on one resource, each one a case of its own (bounded), its reports checked. */
function judgeResource(type: string, props: Json): Diagnostic[] {
    return resourcePolicies.flatMap((p) => {
        const ds = cases.run<Diagnostic[]>("resourcePolicy", { policy: p.name, type, props }, `${p.name} on ${type}`);
        check(ds);
        return ds;
    });
}

/** One stack policy on a stack, bounded, its reports checked. */
function judgeStack(policyName: string, resources: StackResourceInput[], label: string): Diagnostic[] {
    const ds = cases.run<Diagnostic[]>("stackPolicy", { policy: policyName, resources }, label);
    check(ds);
    return ds;
}

// ---- Adversarial strings: long runs of what shell, URL and Dockerfile parsers backtrack on ----

const NASTY_TOKENS = [
    "'",
    '"',
    "\\",
    "$(",
    "${",
    "`",
    " ",
    "\t",
    ":",
    "@",
    "/",
    "//",
    "?",
    "#",
    "=",
    "&&",
    "||",
    "|",
    ";",
    "\n",
    "\\\n",
    "%",
    "[",
    "a",
    "0",
];
const NASTY_PREFIXES = [
    "",
    "redis://",
    "rediss://",
    "postgres://",
    "postgresql://u:p@",
    "curl -f http://localhost:",
    "wget -q -O- ",
    "sh -c ",
    "RUN ",
    "FROM python\nRUN ",
    "ENTRYPOINT [",
    "http://",
];

/**
 * A prefix, a short pattern repeated to a length, and a tail that makes the last match fail.
 * Biased to what backtracking explodes on: mostly one token repeated after no prefix; short runs
 * (an exponential regex needs ~30 characters) as often as runs up to `maxLength` (a quadratic one
 * needs length).
 */
export const nastyString = (maxLength: number): fc.Arbitrary<string> =>
    fc
        .tuple(
            fc.oneof({ weight: 3, arbitrary: fc.constant("") }, { weight: 2, arbitrary: fc.constantFrom(...NASTY_PREFIXES) }),
            fc.oneof(
                { weight: 3, arbitrary: fc.constantFrom(...NASTY_TOKENS) },
                { weight: 2, arbitrary: fc.array(fc.constantFrom(...NASTY_TOKENS), { minLength: 2, maxLength: 4 }).map((t) => t.join("")) },
            ),
            fc.oneof(fc.integer({ min: 1, max: Math.min(64, maxLength) }), fc.integer({ min: 1, max: maxLength })),
            fc.constantFrom("", "!", "'", '"', "\\", "$(", "\u0000"),
        )
        .map(([prefix, unit, length, tail]) => prefix + unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + tail);

// ---- Shapes at ECS's limits ----

const nameChar = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
const longName = (max: number) => fc.array(nameChar, { minLength: 1, maxLength: max }).map((cs) => cs.join(""));
const longValue = fc.oneof(nastyString(4096), fc.string({ maxLength: 4096 }), fc.constant("x".repeat(4096)));
const envName = fc.oneof(
    fc.constantFrom("REDIS_URL", "DATABASE_URL", "DB_PASSWORD", "API_TOKEN", "PGSSLMODE", "CACHE_HOST", "HEALTH_PATH"),
    longName(64),
);

/** A container with a long name and image, many environment variables and secrets, an odd probe. */
const bigContainer = fc
    .record({
        name: longName(ECS_LIMITS.containerNameChars),
        image: fc.oneof(longName(ECS_LIMITS.imageChars), nastyString(ECS_LIMITS.imageChars), fc.constant(appContainer().image)),
        environment: fc.array(fc.record({ name: envName, value: longValue }), { maxLength: 200 }),
        secrets: fc.array(
            fc.record({
                name: envName,
                valueFrom: fc.constantFrom(
                    "arn:aws:ssm:eu-west-1:123456789012:parameter/dev/x",
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
                ),
            }),
            { maxLength: 100 },
        ),
        command: fc.array(longValue, { maxLength: 20 }),
        script: nastyString(8192),
    })
    .map(({ name, image, environment, secrets, command, script }) => ({
        ...appContainer(),
        name,
        image,
        environment,
        secrets,
        command,
        healthCheck: { ...appContainer().healthCheck, command: ["CMD-SHELL", script] },
    }));

/** Drops environment entries (largest container first) until the JSON fits in `bytes`, as ECS requires. */
function fitInto(containers: Json[], bytes: number): string {
    let text = JSON.stringify(containers);
    while (Buffer.byteLength(text) > bytes) {
        const biggest = containers.reduce((a, b) => (JSON.stringify(a).length >= JSON.stringify(b).length ? a : b));
        if (biggest.environment.length > 0) biggest.environment.pop();
        else if (biggest.command.length > 0) biggest.command.pop();
        else biggest.healthCheck.command[1] = biggest.healthCheck.command[1].slice(0, 1024);
        text = JSON.stringify(containers);
    }
    return text;
}

const bigTaskDefinition = fc
    .array(bigContainer, { minLength: 1, maxLength: ECS_LIMITS.containersPerTaskDefinition })
    .map((cs) => taskDefinitionProps([], { containerDefinitions: fitInto(cs, ECS_LIMITS.taskDefinitionBytes) }));

const bigService = fc
    .array(fc.tuple(fc.integer({ min: 1, max: 65535 }), longName(255)), { minLength: 1, maxLength: ECS_LIMITS.targetGroupsPerService })
    .map((lbs) => ({
        ...serviceProps(),
        loadBalancers: lbs.map(([port, name], i) => ({
            targetGroupArn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/tg${i}/0123456789abcdef`,
            containerName: name,
            containerPort: port,
        })),
    }));

const oddTargetGroup = fc
    .tuple(nastyString(1024), nastyString(256))
    .map(([path, matcher]) => set(set(targetGroupProps(), "healthCheck.path", path), "healthCheck.matcher", matcher));

describe("fuzz at ECS's limits, timed, and garbage that must be reported", function () {
    this.timeout(600_000);
    after(() => cases.close());

    it("the domain's string parsers finish each adversarial string within the bound", () => {
        fc.assert(
            fc.property(nastyString(ECS_LIMITS.taskDefinitionBytes), (s) => {
                for (const parser of Object.keys(PARSERS)) cases.run("parse", { parser, text: s }, `${parser} on ${s.length} chars`);
            }),
            boundedParameters(150),
        );
    });

    it("resource policies judge task definitions up to 10 containers and 64 KiB, services with 5 target groups, within the bound", () => {
        fc.assert(
            fc.property(
                fc.oneof(
                    bigTaskDefinition.map((props) => ({ type: TYPES.taskDefinition, props })),
                    bigService.map((props) => ({ type: TYPES.service, props })),
                    oddTargetGroup.map((props) => ({ type: TYPES.lbTargetGroup, props })),
                    mutate(taskDefinitionProps(), leaf).map((props) => ({ type: TYPES.taskDefinition, props: props as Json })),
                ),
                (c) => {
                    judgeResource(c.type, c.props);
                },
            ),
            boundedParameters(40),
        );
    });

    it("stack policies judge a wired stack with a 64 KiB task definition within the bound", () => {
        fc.assert(
            fc.property(bigTaskDefinition, (td) => {
                const resources = wiredStack({ td });
                for (const p of stackPolicies)
                    judgeStack(p.name, resources, `${p.name} on a ${td.containerDefinitions.length}-char task definition`);
            }),
            boundedParameters(15),
        );
    });

    // ---- Garbage: a finding of the policy that owns the field, never silence ----

    /** The reports of `policy` about `path` (violation or undecided) on a task definition. */
    const reportsOn = (policyNames: string[], props: Json, path: string) =>
        judgeResource(TYPES.taskDefinition, props).filter((d) => policyNames.includes(d.policyName) && d.message.includes(`\`${path}`));

    it("containerDefinitions that is not JSON, or JSON that is not an array, is reported", () => {
        const notJson = fc.string({ maxLength: 200 }).filter((s) => {
            try {
                JSON.parse(s);
                return false;
            } catch {
                return true;
            }
        });
        const notArray = fc
            .jsonValue()
            .filter((v) => !Array.isArray(v))
            .map((v) => JSON.stringify(v));
        fc.assert(
            fc.property(fc.oneof(notJson, notArray), (text) => {
                const found = reportsOn(
                    ["container-definition-registers"],
                    taskDefinitionProps([], { containerDefinitions: text }),
                    "containerDefinitions",
                );
                assert.ok(found.length > 0, `no finding for containerDefinitions ${JSON.stringify(text).slice(0, 80)}`);
            }),
            fuzzParameters(200),
        );
    });

    it("a container without an image, or with an image that is not a string, is reported", () => {
        fc.assert(
            fc.property(
                fc.oneof(fc.constant(undefined), fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string(), fc.string())),
                mutate(appContainer(), leaf),
                (image, container) => {
                    const c = {
                        ...(container && typeof container === "object" && !Array.isArray(container) ? container : {}),
                        name: "app",
                        image,
                    } as Json;
                    if (image === undefined) delete c.image;
                    const found = reportsOn(
                        ["container-definition-registers"],
                        taskDefinitionProps([c]),
                        "containerDefinitions[app].image",
                    );
                    assert.ok(found.length > 0, `no finding for image ${JSON.stringify(image)}`);
                },
            ),
            fuzzParameters(200),
        );
    });

    it("a health check command that is a number (or any non-list) is reported", () => {
        fc.assert(
            fc.property(fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant({})), (command) => {
                const props = taskDefinitionProps([set(appContainer(), "healthCheck.command", command)]);
                const found = reportsOn(
                    ["container-health-check-required", "container-definition-registers"],
                    props,
                    "containerDefinitions[app].healthCheck.command",
                );
                assert.ok(found.length > 0, `no finding for healthCheck.command ${JSON.stringify(command)}`);
            }),
            fuzzParameters(100),
        );
    });

    it("a Redis URL of garbage is reported", () => {
        const garbage = fc
            .oneof(fc.string({ minLength: 1, maxLength: 300 }), nastyString(2048))
            .filter((s) => s.trim() !== "" && !/^rediss?:\/\/[A-Za-z0-9.-]+(:\d+)?(\/\d*)?$/.test(s));
        fc.assert(
            fc.property(garbage, (value) => {
                const props = taskDefinitionProps([set(appContainer(), "environment", [{ name: "REDIS_URL", value }])]);
                const found = reportsOn(
                    ["redis-url-has-scheme", "redis-tls-scheme-matches"],
                    props,
                    "containerDefinitions[app].environment[REDIS_URL]",
                );
                assert.ok(found.length > 0, `no finding for REDIS_URL ${JSON.stringify(value).slice(0, 80)}`);
            }),
            fuzzParameters(200),
        );
    });

    it("a service's container port outside 1–65535 is reported by the probe alignment", () => {
        fc.assert(
            fc.property(fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 })), (port) => {
                const service = set(serviceProps(), "loadBalancers", [{ ...serviceProps().loadBalancers[0], containerPort: port }]);
                const ds = stackPolicies.flatMap((p) =>
                    judgeStack(p.name, baselineStack({ service }), `${p.name} on containerPort ${port}`),
                );
                assert.ok(
                    ds.some((d) => d.policyName === "probe-paths-aligned"),
                    `no finding for containerPort ${port}`,
                );
            }),
            fuzzParameters(100),
        );
    });

    // ---- Ports that cannot exist: AWS refuses them at `pulumi up`, so the check must not say PASSED ----

    /** Finite values that are not a port (1–65535 or its numeric string); `-1`, `0`, `70000`, `3000.5`, `"http"` always among them. */
    const garbagePort: fc.Arbitrary<unknown> = fc.oneof(
        fc.constantFrom(-1, 0, 70000, 3000.5, "http", "8080/tcp", "", "70000"),
        fc.integer({ max: 0 }),
        fc.integer({ min: 65536 }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x)),
        fc.string({ maxLength: 20 }).filter((x) => !/^\s*-?\d+(\.\d+)?\s*$/.test(x) && x !== "traffic-port"),
        fc.boolean(),
        fc.constant({}),
    );
    /** The findings of `policyName` on one resource whose message names `path`. */
    const findingsOn = (policyName: string, type: string, props: Json, path: string) =>
        judgeResource(type, props).filter((d) => d.policyName === policyName && !d.undecided && d.message.includes(`\`${path}\``));

    it("a target group, health check or listener port that cannot exist is reported (raw aws:* resources)", () => {
        fc.assert(
            fc.property(garbagePort, fc.constantFrom(TYPES.lbTargetGroup, TYPES.albTargetGroup), (port, tgType) => {
                const tg = findingsOn("health-check-ranges-valid", tgType, set(targetGroupProps(), "port", port), "port");
                assert.ok(tg.length > 0, `no finding for target group port ${JSON.stringify(port)}`);
                const hcPort = typeof port === "number" ? String(port) : port;
                const hc = findingsOn(
                    "health-check-ranges-valid",
                    tgType,
                    set(targetGroupProps(), "healthCheck.port", hcPort),
                    "healthCheck.port",
                );
                // `""` is the provider's unset there (the default "traffic-port"), not garbage.
                assert.ok(hc.length > 0 || hcPort === "", `no finding for healthCheck.port ${JSON.stringify(hcPort)}`);
                const listener = findingsOn("health-check-ranges-valid", "aws:lb/listener:Listener", { port, protocol: "HTTP" }, "port");
                assert.ok(listener.length > 0, `no finding for listener port ${JSON.stringify(port)}`);
            }),
            fuzzParameters(60),
        );
    });

    it("a container or host port that cannot exist is reported (task definitions)", () => {
        const jsonSafe = garbagePort.filter((v) => typeof v !== "object"); // what survives JSON.stringify as itself
        fc.assert(
            fc.property(jsonSafe, fc.boolean(), (port, host) => {
                const mapping = host ? { containerPort: 8080, hostPort: port === 0 ? -1 : port } : { containerPort: port };
                const field = host ? "hostPort" : "containerPort";
                const found = findingsOn(
                    "container-definition-registers",
                    TYPES.taskDefinition,
                    taskDefinitionProps([set(appContainer(), "portMappings", [mapping])]),
                    `containerDefinitions[app].portMappings[0].${field}`,
                );
                assert.ok(found.length > 0, `no finding for ${field} ${JSON.stringify(mapping)}`);
            }),
            fuzzParameters(60),
        );
    });

    it("ports that cannot exist in awsx args are reported: ApplicationLoadBalancer listener and default target group, FargateService containers", () => {
        fc.assert(
            fc.property(
                garbagePort,
                fc.constantFrom("listener.port", "defaultTargetGroup.port", "defaultTargetGroup.healthCheck.port"),
                (port, at) => {
                    const value = at.endsWith("healthCheck.port") && typeof port === "number" ? String(port) : port;
                    const alb = findingsOn(
                        "health-check-ranges-valid",
                        TYPES.awsxApplicationLoadBalancer,
                        set({ defaultTargetGroup: {} }, at, value),
                        at,
                    );
                    // `""` as a health check port is the provider's unset (the default "traffic-port"), not garbage.
                    assert.ok(alb.length > 0 || value === "", `no finding for awsx ApplicationLoadBalancer ${at} ${JSON.stringify(value)}`);
                    const container = set(appContainer(), "portMappings", [{ containerPort: port }]);
                    const service = findingsOn(
                        "container-definition-registers",
                        TYPES.awsxFargateService,
                        awsxServiceProps(container),
                        "taskDefinitionArgs.container.portMappings[0].containerPort",
                    );
                    assert.ok(service.length > 0, `no finding for awsx FargateService containerPort ${JSON.stringify(port)}`);
                },
            ),
            fuzzParameters(60),
        );
    });

    it("unknown ports are not garbage: no violation", () => {
        const tg = set(set(targetGroupProps(), "port", UNKNOWN_VALUE), "healthCheck.port", UNKNOWN_VALUE);
        const listener = { port: UNKNOWN_VALUE, protocol: "HTTP" };
        const td = taskDefinitionProps([set(appContainer(), "portMappings", [{ containerPort: UNKNOWN_VALUE, hostPort: UNKNOWN_VALUE }])]);
        for (const [type, props] of [
            [TYPES.lbTargetGroup, tg],
            ["aws:lb/listener:Listener", listener],
            [TYPES.taskDefinition, td],
        ] as const) {
            const found = judgeResource(type, props).filter(
                (d) => !d.undecided && /`(portMappings\[0\]\.)?\w*[pP]ort`: found/.test(d.message),
            );
            assert.deepStrictEqual(found, [], `a violation for an unknown port on ${type}`);
        }
    });
});
