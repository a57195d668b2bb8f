/**
 * The package schema of the source-based component package (provider/), asked of the plugin over
 * gRPC (`GetSchema`) after starting it as the Pulumi CLI does (tests/support/provider-plugin.ts):
 * the schema `pulumi package add` generates every SDK from.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ALARM_KINDS } from "../../components/healthy-fargate-service";
import { SECRET_SOURCE_KINDS } from "../../components/healthy-fargate-service/secrets";
import { PROBE_TOOLS } from "../../policies/domain";
import { PORTABLE_SERVICE_TYPE } from "../../provider/healthy-fargate-service";
import { INPUT_PATHS } from "../../provider/portable-keys";
import { PORTABLE_DEFAULTS } from "../../provider/to-service-args";
import { PROVIDER_DIR, type PackageSchema, type PropertySchema, providerPlugin } from "../support/provider-plugin";
import { REPO_ROOT } from "../support/spawn-node";

const TYPE_PREFIX = "#/types/healthy-fargate:index:";

/** A property as TypeScript would write it: `Input<…>` where the schema lets an Output in. */
function signature(p: PropertySchema, output = false): string {
    const inner = p.$ref
        ? p.$ref.replace(TYPE_PREFIX, "")
        : p.type === "array"
          ? `${signature(p.items!, output)}[]`
          : p.type === "object" && p.additionalProperties
            ? `map<${signature(p.additionalProperties, output)}>`
            : p.type!;
    return p.plain || output ? inner : `Input<${inner}>`;
}

/** `name` or `name?` → signature, for every property of an object. */
function signatures(properties: Record<string, PropertySchema>, required: string[], output = false): Record<string, string> {
    return Object.fromEntries(
        Object.entries(properties).map(([name, p]) => [required.includes(name) ? name : `${name}?`, signature(p, output)]),
    );
}

const collapse = (text: string | undefined) => (text ?? "").replace(/\s+/g, " ").trim();

/** The schema property at a dotted path of the component's inputs (through object types). */
function propertyAt(schema: PackageSchema, dotted: string): { property: PropertySchema; required: boolean } | undefined {
    let properties = schema.resources[PORTABLE_SERVICE_TYPE].inputProperties;
    let required = schema.resources[PORTABLE_SERVICE_TYPE].requiredInputs;
    const parts = dotted.split(".");
    for (const [i, part] of parts.entries()) {
        const property = properties[part];
        if (!property) return undefined;
        if (i === parts.length - 1) return { property, required: required.includes(part) };
        const type = schema.types[`healthy-fargate:index:${(property.$ref ?? "").replace(TYPE_PREFIX, "")}`];
        if (!type?.properties) return undefined;
        properties = type.properties;
        required = type.required ?? [];
    }
    return undefined;
}

/** Paths (with `*` for map keys and list items) where the schema accepts an Output. */
function nonPlainPaths(schema: PackageSchema, properties: Record<string, PropertySchema>, prefix: string[] = []): string[] {
    return Object.entries(properties).flatMap(([name, p]) => nonPlainPathsOf(schema, p, [...prefix, name]));
}
function nonPlainPathsOf(schema: PackageSchema, p: PropertySchema, at: string[]): string[] {
    const own = p.plain ? [] : [at.join(".")];
    if (p.items) return [...own, ...nonPlainPathsOf(schema, p.items, [...at, "*"])];
    if (p.additionalProperties) return [...own, ...nonPlainPathsOf(schema, p.additionalProperties, [...at, "*"])];
    const type = p.$ref && schema.types[p.$ref.replace("#/types/", "")];
    return type && type.properties ? [...own, ...nonPlainPaths(schema, type.properties, at)] : own;
}

/** The "Arguments" table of the TypeScript component's README: arg path → default cell (the source of truth). */
function readmeDefaults(): Map<string, string> {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "components", "healthy-fargate-service", "README.md"), "utf8");
    const table = readme.split("## Arguments")[1].split("\n## ")[0];
    const defaults = new Map<string, string>();
    for (const line of table.split("\n").filter((l) => l.startsWith("| `"))) {
        const [args, cell] = line
            .split("|")
            .slice(1, 3)
            .map((c) => c.trim());
        const names = args.split(/ \/ |, /).map((n) => n.replace(/`/g, ""));
        const cells = names.length > 1 && cell.includes(" / ") ? cell.split(" / ") : names.map(() => cell);
        names.forEach((n, i) => defaults.set(n, cells[i].trim()));
    }
    return defaults;
}

describe("component package schema (GetSchema from the plugin, started as the Pulumi CLI starts it)", function () {
    // Starting the plugin type-checks it and GetSchema builds a TypeScript program: slow on a loaded machine.
    this.timeout(15 * 60_000);
    let schema: PackageSchema;

    before(async () => {
        schema = await (await providerPlugin()).schema();
    });

    it("is the package named and versioned by provider/package.json, with the one component and its type token", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(PROVIDER_DIR, "package.json"), "utf8"));
        assert.equal(schema.name, manifest.name);
        assert.equal(schema.version, manifest.version);
        assert.deepEqual(Object.keys(schema.resources), [PORTABLE_SERVICE_TYPE]);
        assert.equal(PORTABLE_SERVICE_TYPE, `${manifest.name}:index:HealthyFargateService`);
        const resource = schema.resources[PORTABLE_SERVICE_TYPE];
        assert.equal(resource.isComponent, true);
        assert.match(collapse(resource.description), /^A load-balanced ECS Fargate service whose health checks cannot disagree/);
    });

    it("types every input as the portable args declare it, required exactly where the README says required", () => {
        const r = schema.resources[PORTABLE_SERVICE_TYPE];
        assert.deepEqual(signatures(r.inputProperties, r.requiredInputs), {
            cluster: "Input<string>",
            vpcId: "Input<string>",
            subnetIds: "Input<Input<string>[]>",
            listener: "Listener",
            routing: "Routing",
            image: "Input<string>",
            "port?": "number",
            "containerName?": "string",
            "command?": "string[]",
            "environment?": "map<Input<string>>",
            "secrets?": "map<SecretSource>",
            "cpu?": "number",
            "memory?": "number",
            "cpuArchitecture?": "CpuArchitecture",
            "probe?": "Probe",
            "startup?": "Startup",
            "drain?": "Drain",
            "desiredCount?": "number",
            "minimumHealthyPercent?": "number",
            "maximumPercent?": "number",
            "waitForSteadyState?": "boolean",
            "deployment?": "Deployment",
            "alarms?": "Alarms",
            "verifyRollout?": "boolean",
            "smoke?": "Smoke",
            "logRetentionDays?": "number",
            "taskRoleStatements?": "TaskRoleStatement[]",
            "tags?": "map<string>",
        });
    });

    it("types the nested objects: listener, routing, probe, budgets, deployment, alarms, smoke, secrets, statements", () => {
        const objects = Object.fromEntries(
            Object.entries(schema.types)
                .filter(([, t]) => t.properties)
                .map(([token, t]) => [token.split(":")[2], signatures(t.properties!, t.required ?? [])]),
        );
        const window = { "enabled?": "boolean", "evaluationMinutes?": "number", "datapointsToAlarm?": "number" };
        assert.deepEqual(objects, {
            Listener: {
                listenerArn: "Input<string>",
                securityGroupId: "Input<string>",
                "dnsName?": "Input<string>",
                "protocol?": "UrlScheme",
                "loadBalancerArnSuffix?": "Input<string>",
            },
            Routing: { priority: "number", "pathPatterns?": "string[]", "hostHeaders?": "string[]" },
            Probe: {
                "tool?": "ProbeTool",
                "livenessPath?": "string",
                "readinessPath?": "string",
                "statusPath?": "string",
                "matcher?": "string",
            },
            Startup: { "expectedSeconds?": "number", "worstCaseSeconds?": "number" },
            Drain: { "longestRequestSeconds?": "number", "shutdownSeconds?": "number" },
            Deployment: { "strategy?": "DeploymentStrategy", "bakeTimeMinutes?": "number" },
            Alarms: {
                "enabled?": "boolean",
                "snsTopicArn?": "Input<string>",
                "containerInsights?": "ContainerInsights",
                "unhealthyHosts?": "AlarmWindow",
                "targetErrorRate?": "ErrorRateAlarm",
                "latencyP90?": "LatencyAlarm",
                "latencyP99?": "LatencyAlarm",
                "runningTasks?": "AlarmWindow",
                "containerHealth?": "AlarmWindow",
                "rollbackOn?": "AlarmName[]",
            },
            AlarmWindow: window,
            ErrorRateAlarm: { "thresholdPercent?": "number", "minimumRequests?": "number", ...window },
            LatencyAlarm: { "thresholdSeconds?": "number", ...window },
            Smoke: { "enabled?": "boolean", "paths?": "string[]", "requests?": "number", "timeoutSeconds?": "number" },
            SecretSource: {
                kind: "SecretKind",
                ref: "Input<string>",
                "jsonKey?": "string",
                "versionStage?": "string",
                "versionId?": "string",
                "kmsKeyArn?": "Input<string>",
            },
            TaskRoleStatement: {
                "sid?": "string",
                "effect?": "StatementEffect",
                actions: "string[]",
                resources: "Input<string>[]",
                "conditions?": "map<map<string[]>>",
            },
        });
    });

    it("has enums with exactly the values the TypeScript component accepts", () => {
        const enums = Object.fromEntries(
            Object.entries(schema.types)
                .filter(([, t]) => t.enum)
                .map(([token, t]) => [token.split(":")[2], t.enum!.map((e) => e.value)]),
        );
        assert.deepEqual(enums, {
            ProbeTool: [...PROBE_TOOLS],
            SecretKind: [...SECRET_SOURCE_KINDS],
            AlarmName: [...ALARM_KINDS],
            CpuArchitecture: ["X86_64", "ARM64"],
            DeploymentStrategy: ["rolling", "blue-green"],
            ContainerInsights: ["disabled", "enabled", "enhanced"],
            UrlScheme: ["http", "https"],
            StatementEffect: ["Allow", "Deny"],
        });
    });

    it("types the outputs: names and ARNs, the monitoring dimensions, and the health contract as JSON", () => {
        const r = schema.resources[PORTABLE_SERVICE_TYPE];
        assert.deepEqual(signatures(r.properties, r.required, true), {
            serviceName: "string",
            serviceArn: "string",
            targetGroupArn: "string",
            taskDefinitionArn: "string",
            logGroupName: "string",
            securityGroupId: "string",
            taskRoleArn: "string",
            executionRoleArn: "string",
            "url?": "string",
            clusterName: "string",
            loadBalancerArnSuffix: "string",
            targetGroupArnSuffixes: "string[]",
            alarmArns: "string[]",
            deploymentAlarmNames: "string[]",
            healthContractJson: "string",
        });
        assert.match(collapse(r.properties.healthContractJson.description), /^The derived health contract as JSON/);
    });

    it("lets an Output in exactly where the component checks for one (provider/portable-keys.ts INPUT_PATHS)", () => {
        const r = schema.resources[PORTABLE_SERVICE_TYPE];
        assert.deepEqual(nonPlainPaths(schema, r.inputProperties).sort(), [...INPUT_PATHS].sort());
    });

    it("describes every input, and every optional one says its default", () => {
        const r = schema.resources[PORTABLE_SERVICE_TYPE];
        const objects: Array<[string, Record<string, PropertySchema>, string[]]> = [
            ["", r.inputProperties, r.requiredInputs],
            ...Object.entries(schema.types)
                .filter(([, t]) => t.properties)
                .map(([token, t]): [string, Record<string, PropertySchema>, string[]] => [
                    `${token.split(":")[2]}.`,
                    t.properties!,
                    t.required ?? [],
                ]),
        ];
        const undocumented = objects.flatMap(([prefix, properties, required]) =>
            Object.entries(properties)
                .filter(
                    ([name, p]) =>
                        !(required.includes(name) ? /\S/.test(collapse(p.description)) : /Default: /.test(collapse(p.description))),
                )
                .map(([name]) => `${prefix}${name}`),
        );
        assert.deepEqual(undocumented, []);
    });

    it("states the defaults of the TypeScript component's README table (the source of truth), and only PORTABLE_DEFAULTS differ", () => {
        const defaults = readmeDefaults();
        assert.ok(defaults.size >= 40, `read ${defaults.size} rows of the README's Arguments table`);
        const mismatches: string[] = [];
        for (const [arg, cell] of defaults) {
            const at = propertyAt(schema, arg);
            if (!at) {
                mismatches.push(`${arg}: not in the schema`);
                continue;
            }
            const description = collapse(at.property.description);
            const deviation = PORTABLE_DEFAULTS[arg as keyof typeof PORTABLE_DEFAULTS];
            if (cell === "required") {
                if (!at.required) mismatches.push(`${arg}: required in the README, optional in the schema`);
            } else if (deviation !== undefined) {
                if (!description.includes(`Default: \`${deviation}\``) || !description.includes(`is ${cell}`)) {
                    mismatches.push(`${arg}: a deviation must state the portable default ${deviation} and the TypeScript one ${cell}`);
                }
            } else if (!description.includes(`Default: ${cell}`)) {
                mismatches.push(`${arg}: README default ${cell}, schema says "${description}"`);
            }
        }
        assert.deepEqual(mismatches, []);
    });
});
