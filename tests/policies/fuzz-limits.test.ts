/**
 * The fuzz at ECS's own size limits and against the regex-heavy domain code (issue 16, "Fuzz that
 * finds these"): every case is timed and fails when it is pathologically slow; clearly invalid
 * input must produce a finding (violation or `[undecided]`), never silence.
 *
 * Seeded: `FUZZ_SEED=<n>` reproduces a run; fast-check prints the seed and path of a failure.
 */
import * as assert from "assert";
import { performance } from "perf_hooks";
import fc from "fast-check";
import {
    analyzeDockerfile,
    analyzeProbeCommand,
    checkImageReference,
    checkRedisUrl,
    classifyCommandArguments,
    hostOfSetting,
    isDeepHealthPath,
    judgeShellScript,
    looksLikeElastiCacheHost,
    normalizeProbePath,
    parseDatabaseUrl,
    parseDockerfileInstructions,
    parseHttpMatcher,
    probePathAndPort,
    shellOfImageFamily,
    shellSimpleCommands,
    sslModeOfUrl,
    topLevelCommands,
} from "../../policies/domain";
import { policies } from "../../policies/policies";
import { TYPES } from "../../policies/resources";
import { type Diagnostic, isStackPolicy, runResource, runStack } from "./harness";
import { type Json, appContainer, baselineStack, serviceProps, set, targetGroupProps, taskDefinitionProps, wiredStack } from "./fixtures";
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

/**
 * Per-case bound on the policies' evaluation time. A normal case takes well under 50 ms; a loaded
 * 2-core machine (7 engineers, GC pauses) can stretch that several-fold, never to seconds. A
 * catastrophic regex or a quadratic loop over a 64 KiB value takes seconds to minutes: 2 s catches
 * those and stays clear of load noise (it bounds one synchronous call, not the suite).
 */
const CASE_BUDGET_MS = 2000;

/** Runs `fn`, fails naming `label` when it takes longer than {@link CASE_BUDGET_MS}. */
function timed<T>(label: string, fn: () => T): T {
    const start = performance.now();
    const result = fn();
    const ms = performance.now() - start;
    assert.ok(ms <= CASE_BUDGET_MS, `${label} took ${Math.round(ms)} ms (bound ${CASE_BUDGET_MS} ms): a pathological regex or loop`);
    return result;
}

const resourcePolicies = policies.filter((p) => !isStackPolicy(p));
const stackPolicies = policies.filter(isStackPolicy);

/** Every resource policy on one resource, each call timed and its reports checked. */
function judgeResource(type: string, props: Json): Diagnostic[] {
    return resourcePolicies.flatMap((p) => {
        const ds = timed(`${p.name} on ${type}`, () => runResource(p, { type, name: "api-task", props }));
        check(ds);
        return ds;
    });
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

/** The domain's string parsers, each fed the adversarial string. */
const PARSERS: Record<string, (s: string) => unknown> = {
    "analyzeProbeCommand CMD-SHELL": (s) => analyzeProbeCommand(["CMD-SHELL", s]),
    "analyzeProbeCommand CMD": (s) => analyzeProbeCommand(["CMD", ...s.split(" ")]),
    probePathAndPort: (s) => probePathAndPort(["CMD-SHELL", s]),
    shellSimpleCommands: (s) => shellSimpleCommands(s),
    topLevelCommands: (s) => topLevelCommands(s),
    judgeShellScript: (s) => judgeShellScript(s, shellOfImageFamily(undefined)),
    classifyCommandArguments: (s) => classifyCommandArguments(s.split(" ")),
    checkRedisUrl: (s) => checkRedisUrl(s),
    looksLikeElastiCacheHost: (s) => looksLikeElastiCacheHost(s),
    parseDatabaseUrl: (s) => parseDatabaseUrl(s),
    hostOfSetting: (s) => hostOfSetting(s),
    sslModeOfUrl: (s) => sslModeOfUrl(s),
    parseDockerfileInstructions: (s) => parseDockerfileInstructions(s),
    analyzeDockerfile: (s) => analyzeDockerfile(s),
    checkImageReference: (s) => checkImageReference(s),
    parseHttpMatcher: (s) => parseHttpMatcher(s),
    normalizeProbePath: (s) => normalizeProbePath(s),
    isDeepHealthPath: (s) => isDeepHealthPath(s),
};

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

    it("the domain's string parsers finish each adversarial string within the bound", () => {
        fc.assert(
            fc.property(nastyString(ECS_LIMITS.taskDefinitionBytes), (s) => {
                for (const [name, parse] of Object.entries(PARSERS)) timed(`${name} on ${s.length} chars`, () => parse(s));
            }),
            fuzzParameters(150),
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
            fuzzParameters(40),
        );
    });

    it("stack policies judge a wired stack with a 64 KiB task definition within the bound", () => {
        fc.assert(
            fc.property(bigTaskDefinition, (td) => {
                const resources = wiredStack({ td });
                for (const p of stackPolicies)
                    check(timed(`${p.name} on a ${td.containerDefinitions.length}-char task definition`, () => runStack(p, resources)));
            }),
            fuzzParameters(15),
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
                const ds = stackPolicies.flatMap((p) => runStack(p, baselineStack({ service })));
                check(ds);
                assert.ok(
                    ds.some((d) => d.policyName === "probe-paths-aligned"),
                    `no finding for containerPort ${port}`,
                );
            }),
            fuzzParameters(100),
        );
    });
});
