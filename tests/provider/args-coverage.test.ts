/**
 * The portable args (provider/portable-args.ts) cover every argument of the TypeScript component:
 * each TypeScript key names its portable counterpart or the reason it is deliberately left out.
 *
 * Two guards, so a new TypeScript arg cannot slip past the portable surface unnoticed:
 * - at type-check time, `Coverage<TsType, PortableType>` is a Record over the TypeScript keys, so
 *   `tsc` fails on a missing (or renamed) key, and on a counterpart the portable type lacks;
 * - at run time, the TypeScript compiler lists each interface's properties from the sources, so
 *   this test fails too when only mocha runs (transpile-only skips type errors).
 */
import { strict as assert } from "assert";
import * as path from "path";
import * as ts from "typescript";
import type { AlarmWindowArgs, AlarmsArgs, ErrorRateAlarmArgs, LatencyAlarmArgs } from "../../components/healthy-fargate-service/alarms";
import type {
    DeploymentArgs,
    HealthyFargateServiceArgs,
    PolicyStatement,
    ProbeArgs,
    RoutingRule,
    SecretsManagerSecretSource,
    SharedListener,
    SmokeArgs,
    SsmParameterSecretSource,
    ValueSecretSource,
} from "../../components/healthy-fargate-service/args";
import type { DrainBudget, StartupBudget } from "../../policies/domain/health-timing";
import type {
    AlarmWindow,
    Alarms,
    Deployment,
    Drain,
    ErrorRateAlarm,
    LatencyAlarm,
    Listener,
    PortableServiceArgs,
    Probe,
    Routing,
    SecretSource,
    Smoke,
    Startup,
    TaskRoleStatement,
} from "../../provider/portable-args";
import { PORTABLE_KEYS } from "../../provider/portable-keys";

/** A TypeScript arg left out of the portable surface on purpose, and why. */
interface Excluded {
    excluded: string;
}
type Coverage<TsType, PortableType> = Record<keyof TsType, keyof PortableType | Excluded>;

interface Pair {
    ts: { file: string; name: string };
    portable: string;
    keys: Record<string, string | Excluded>;
}
const ARGS_TS = "components/healthy-fargate-service/args.ts";
const ALARMS_TS = "components/healthy-fargate-service/alarms.ts";
const TIMING_TS = "policies/domain/health-timing.ts";

const same = <K extends string>(...keys: K[]) => Object.fromEntries(keys.map((k) => [k, k])) as Record<K, K>;

const SERVICE: Coverage<HealthyFargateServiceArgs, PortableServiceArgs> = same(
    "cluster",
    "vpcId",
    "subnetIds",
    "listener",
    "routing",
    "image",
    "port",
    "containerName",
    "command",
    "environment",
    "secrets",
    "cpu",
    "memory",
    "cpuArchitecture",
    "probe",
    "startup",
    "drain",
    "desiredCount",
    "minimumHealthyPercent",
    "maximumPercent",
    "waitForSteadyState",
    "deployment",
    "alarms",
    "verifyRollout",
    "smoke",
    "logRetentionDays",
    "taskRoleStatements",
    "tags",
);
const LISTENER: Coverage<SharedListener, Listener> = same("listenerArn", "securityGroupId", "dnsName", "protocol", "loadBalancerArnSuffix");
const ROUTING: Coverage<RoutingRule, Routing> = same("priority", "pathPatterns", "hostHeaders");
const PROBE: Coverage<ProbeArgs, Probe> = same("tool", "livenessPath", "readinessPath", "statusPath", "matcher");
const STARTUP: Coverage<StartupBudget, Startup> = same("expectedSeconds", "worstCaseSeconds");
const DRAIN: Coverage<DrainBudget, Drain> = same("longestRequestSeconds", "shutdownSeconds");
const DEPLOYMENT: Coverage<DeploymentArgs, Deployment> = same("strategy", "bakeTimeMinutes");
const SMOKE: Coverage<SmokeArgs, Smoke> = same("paths", "requests", "timeoutSeconds");
const ALARMS: Coverage<AlarmsArgs, Alarms> = same(
    "snsTopicArn",
    "containerInsights",
    "unhealthyHosts",
    "targetErrorRate",
    "latencyP90",
    "latencyP99",
    "runningTasks",
    "containerHealth",
    "rollbackOn",
);
const WINDOW: Coverage<AlarmWindowArgs, AlarmWindow> = same("evaluationMinutes", "datapointsToAlarm");
const ERROR_RATE: Coverage<ErrorRateAlarmArgs, ErrorRateAlarm> = { ...WINDOW, ...same("thresholdPercent", "minimumRequests") };
const LATENCY: Coverage<LatencyAlarmArgs, LatencyAlarm> = { ...WINDOW, ...same("thresholdSeconds") };
// The TypeScript union of sources becomes one object: the source's own key becomes `ref`, its name `kind`.
const SECRETS_MANAGER: Coverage<SecretsManagerSecretSource, SecretSource> = {
    secretsManager: "ref",
    ...same("jsonKey", "versionStage", "versionId", "kmsKeyArn"),
};
const SSM_PARAMETER: Coverage<SsmParameterSecretSource, SecretSource> = { ssmParameter: "ref", kmsKeyArn: "kmsKeyArn" };
const VALUE: Coverage<ValueSecretSource, SecretSource> = { value: "ref" };
const STATEMENT: Coverage<PolicyStatement, TaskRoleStatement> = {
    Sid: "sid",
    Effect: "effect",
    Action: "actions",
    Resource: "resources",
    Condition: "conditions",
};

const PAIRS: Pair[] = [
    { ts: { file: ARGS_TS, name: "HealthyFargateServiceArgs" }, portable: "PortableServiceArgs", keys: SERVICE },
    { ts: { file: ARGS_TS, name: "SharedListener" }, portable: "Listener", keys: LISTENER },
    { ts: { file: ARGS_TS, name: "RoutingRule" }, portable: "Routing", keys: ROUTING },
    { ts: { file: ARGS_TS, name: "ProbeArgs" }, portable: "Probe", keys: PROBE },
    { ts: { file: TIMING_TS, name: "StartupBudget" }, portable: "Startup", keys: STARTUP },
    { ts: { file: TIMING_TS, name: "DrainBudget" }, portable: "Drain", keys: DRAIN },
    { ts: { file: ARGS_TS, name: "DeploymentArgs" }, portable: "Deployment", keys: DEPLOYMENT },
    { ts: { file: ARGS_TS, name: "SmokeArgs" }, portable: "Smoke", keys: SMOKE },
    { ts: { file: ALARMS_TS, name: "AlarmsArgs" }, portable: "Alarms", keys: ALARMS },
    { ts: { file: ALARMS_TS, name: "AlarmWindowArgs" }, portable: "AlarmWindow", keys: WINDOW },
    { ts: { file: ALARMS_TS, name: "ErrorRateAlarmArgs" }, portable: "ErrorRateAlarm", keys: ERROR_RATE },
    { ts: { file: ALARMS_TS, name: "LatencyAlarmArgs" }, portable: "LatencyAlarm", keys: LATENCY },
    { ts: { file: ARGS_TS, name: "SecretsManagerSecretSource" }, portable: "SecretSource", keys: SECRETS_MANAGER },
    { ts: { file: ARGS_TS, name: "SsmParameterSecretSource" }, portable: "SecretSource", keys: SSM_PARAMETER },
    { ts: { file: ARGS_TS, name: "ValueSecretSource" }, portable: "SecretSource", keys: VALUE },
    { ts: { file: ARGS_TS, name: "PolicyStatement" }, portable: "TaskRoleStatement", keys: STATEMENT },
];

/** Portable keys with no TypeScript key of their own: what replaces a TypeScript union, and why. */
const PORTABLE_ONLY: Record<string, string[]> = {
    Smoke: ["enabled"], // `smoke: boolean | SmokeArgs`
    Alarms: ["enabled"], // `alarms: false | AlarmsArgs`
    AlarmWindow: ["enabled"], // `<alarm>: false | AlarmWindowArgs`
    ErrorRateAlarm: ["enabled"],
    LatencyAlarm: ["enabled"],
    SecretSource: ["kind"], // which member of the SecretSourceArg union
};

const ROOT = path.resolve(__dirname, "../..");

/** Each named interface's property names (inherited ones included), read from the sources by the TypeScript compiler. */
function propertiesOf(interfaces: Array<{ file: string; name: string }>): Map<string, string[]> {
    const files = [...new Set(interfaces.map((i) => path.join(ROOT, i.file)))];
    const program = ts.createProgram(files, { strict: true, skipLibCheck: true, noEmit: true, types: [] });
    const checker = program.getTypeChecker();
    const found = new Map<string, string[]>();
    for (const { file, name } of interfaces) {
        const source = program.getSourceFile(path.join(ROOT, file));
        assert.ok(source, `${file} not found`);
        const declaration = source.statements.find(
            (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
        );
        assert.ok(declaration, `interface ${name} not found in ${file}`);
        found.set(
            `${file}#${name}`,
            checker
                .getTypeAtLocation(declaration)
                .getProperties()
                .map((p) => p.name)
                .sort(),
        );
    }
    return found;
}

describe("portable args cover the TypeScript component's args", function () {
    this.timeout(120_000); // the compiler reads the component's sources and @pulumi/* typings
    let properties: Map<string, string[]>;
    before(() => {
        properties = propertiesOf(PAIRS.map((p) => p.ts));
    });

    for (const pair of PAIRS) {
        it(`${pair.ts.name}: every key has a portable counterpart in ${pair.portable} or a reason to be left out`, () => {
            assert.deepEqual(
                Object.keys(pair.keys).sort(),
                properties.get(`${pair.ts.file}#${pair.ts.name}`),
                `${pair.ts.name} changed: map each new key to its ${pair.portable} counterpart (provider/portable-args.ts) ` +
                    "or list it as { excluded: <reason> } here",
            );
            const portableKeys = Object.keys(PORTABLE_KEYS[pair.portable] ?? {});
            const missing = Object.values(pair.keys).filter((k): k is string => typeof k === "string" && !portableKeys.includes(k));
            assert.deepEqual(missing, [], `${pair.portable} lacks counterparts`);
        });
    }

    it("every portable key stands for a TypeScript key, or replaces a union (PORTABLE_ONLY)", () => {
        for (const [portable, keys] of Object.entries(PORTABLE_KEYS)) {
            const mapped = PAIRS.filter((p) => p.portable === portable).flatMap((p) => Object.values(p.keys));
            const unexplained = Object.keys(keys).filter((k) => !mapped.includes(k) && !(PORTABLE_ONLY[portable] ?? []).includes(k));
            assert.deepEqual(unexplained, [], `${portable} has keys no TypeScript arg maps to`);
        }
    });
});
