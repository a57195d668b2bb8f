/**
 * examples/python/__main__.py against the schema the plugin serves (GetSchema, as in
 * schema.test.ts): every name it uses — package, class, argument, `…Args` type, enum member,
 * output — is the one Pulumi's Python generator would give the schema's part
 * (tests/support/python-names.ts), every required argument is there, and the values it passes
 * pass the component's own validation. The program is read with Python's `ast`
 * (tests/support/python_program.py), so a syntax error fails too. No Python Pulumi SDK is needed.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { PORTABLE_SERVICE_TYPE, validatedServiceArgs } from "../../provider/healthy-fargate-service";
import type { PortableServiceArgs } from "../../provider/portable-args";
import { type PackageSchema, type PropertySchema, providerPlugin } from "../support/provider-plugin";
import { pythonEnumMember, pythonInputClass, pythonName, pythonPackage } from "../support/python-names";
import { REPO_ROOT } from "../support/spawn-node";

const EXAMPLE = path.join(REPO_ROOT, "examples", "python", "__main__.py");
const EXAMPLE_README = path.join(REPO_ROOT, "examples", "python", "README.md");

/** A Python expression as python_program.py describes it. */
interface PyValue {
    const?: unknown;
    list?: PyValue[];
    dict?: [PyValue, PyValue][];
    call?: string;
    kwargs?: Record<string, PyValue>;
    args?: PyValue[];
    attr?: string;
    expr?: string;
}
interface PyProgram {
    imports: Record<string, string>;
    assignments: Record<string, PyValue>;
    attributes: string[];
}

function readProgram(file: string): PyProgram {
    const result = spawnSync("python3", [path.join(REPO_ROOT, "tests", "support", "python_program.py"), file], { encoding: "utf8" });
    assert.equal(result.status, 0, `python3 could not read ${file}: ${result.stderr}`);
    return JSON.parse(result.stdout) as PyProgram;
}

/** Checks a program's use of the SDK against the schema; collects the portable args it passes. */
class ExampleChecker {
    readonly problems: string[] = [];
    constructor(
        private readonly schema: PackageSchema,
        private readonly sdk: string,
    ) {}

    private typeOf(ref: string) {
        const token = ref.replace("#/types/", "");
        return { name: token.split(":")[2], type: this.schema.types[token] };
    }

    object(
        where: string,
        kwargs: Record<string, PyValue>,
        properties: Record<string, PropertySchema>,
        required: string[],
    ): Record<string, unknown> {
        const byPythonName = new Map(Object.keys(properties).map((name) => [pythonName(name), name]));
        const result: Record<string, unknown> = {};
        for (const [pyName, value] of Object.entries(kwargs)) {
            const name = byPythonName.get(pyName);
            if (!name) this.problems.push(`${where}: \`${pyName}\` is not an argument; the SDK has ${[...byPythonName.keys()].join(", ")}`);
            else result[name] = this.value(`${where}.${pyName}`, value, properties[name]);
        }
        const missing = required.filter((name) => !(name in result));
        if (missing.length) this.problems.push(`${where}: required ${missing.map(pythonName).join(", ")} missing`);
        return result;
    }

    value(where: string, v: PyValue, p: PropertySchema): unknown {
        const ours = (name?: string) => name !== undefined && name.startsWith(`${this.sdk}.`);
        if (v.expr !== undefined || (v.call !== undefined && !ours(v.call)) || (v.attr !== undefined && !ours(v.attr))) {
            // Known only when the program runs (config, a stack reference, an Output).
            const shown = v.expr ?? v.call ?? v.attr;
            if (p.plain)
                this.problems.push(`${where}: the schema wants a value known when the program runs, the example passes \`${shown}\``);
            return pulumi.output(`<${where}>`);
        }
        if (p.$ref) return this.typed(where, v, p.$ref);
        if (p.type === "array" && v.list) return v.list.map((item, i) => this.value(`${where}[${i}]`, item, p.items!));
        if (p.type === "object" && v.dict) {
            return Object.fromEntries(
                v.dict.map(([k, item]) => [
                    String(k.const),
                    this.value(`${where}[${JSON.stringify(k.const)}]`, item, p.additionalProperties!),
                ]),
            );
        }
        if ("const" in v && typeof v.const === p.type) return v.const;
        this.problems.push(`${where}: the schema wants ${p.type}, the example passes ${JSON.stringify(v)}`);
        return undefined;
    }

    private typed(where: string, v: PyValue, ref: string): unknown {
        const { name, type } = this.typeOf(ref);
        if (type?.enum) {
            const member = type.enum.find((e) => v.attr === `${this.sdk}.${name}.${pythonEnumMember(e.name)}`);
            if (!member)
                this.problems.push(
                    `${where}: ${v.attr} is not a member of ${name} (${type.enum.map((e) => pythonEnumMember(e.name)).join(", ")})`,
                );
            return member?.value;
        }
        if (v.call !== `${this.sdk}.${pythonInputClass(name)}`) {
            this.problems.push(
                `${where}: the schema wants a ${this.sdk}.${pythonInputClass(name)}, the example passes ${v.call ?? JSON.stringify(v)}`,
            );
            return undefined;
        }
        return this.object(where, v.kwargs ?? {}, type!.properties!, type!.required ?? []);
    }
}

/** The problems of a program against the schema, and the portable args its component call passes. */
function check(schema: PackageSchema, program: PyProgram) {
    const sdk = Object.entries(program.imports).find(([, module]) => module === pythonPackage(schema.name))?.[0];
    assert.ok(sdk, `the example imports ${pythonPackage(schema.name)}`);
    const className = PORTABLE_SERVICE_TYPE.split(":")[2];
    const [variable, call] = Object.entries(program.assignments).find(([, v]) => v.call === `${sdk}.${className}`) ?? [];
    assert.ok(variable && call, `the example assigns a ${sdk}.${className}(…)`);
    const checker = new ExampleChecker(schema, sdk);
    const resource = schema.resources[PORTABLE_SERVICE_TYPE];
    const { opts: _opts, ...kwargs } = call.kwargs ?? {};
    const args = checker.object(className, kwargs, resource.inputProperties, resource.requiredInputs) as unknown as PortableServiceArgs;
    const outputs = new Set([...Object.keys(resource.properties).map(pythonName), "urn"]);
    for (const attribute of program.attributes.filter((a) => a.startsWith(`${variable}.`))) {
        if (!outputs.has(attribute.split(".")[1]))
            checker.problems.push(`${attribute} is not an output; the SDK has ${[...outputs].join(", ")}`);
    }
    return { problems: checker.problems, args, name: call.args?.[0]?.const };
}

describe("examples/python/__main__.py matches the component's schema", function () {
    this.timeout(15 * 60_000);
    let schema: PackageSchema;
    before(async () => {
        schema = await (await providerPlugin()).schema();
    });

    it("uses only names the generated Python SDK has, with every required argument", () => {
        const { problems, name } = check(schema, readProgram(EXAMPLE));
        assert.deepEqual(problems, []);
        assert.equal(name, "api");
    });

    it("passes values the component accepts (validated as the provider validates them, before anything exists)", () => {
        const { args } = check(schema, readProgram(EXAMPLE));
        assert.doesNotThrow(() => validatedServiceArgs("api", args, REPO_ROOT));
        assert.deepEqual(
            Object.values(args.secrets ?? {})
                .map((s) => s.kind)
                .sort(),
            ["secretsManager", "ssmParameter", "value"],
            "shows every kind of secret",
        );
    });

    it("catches a drifted example: a TypeScript-style name, a wrong enum member, a missing output, a runtime value where one must be known", () => {
        const drifted = fs
            .readFileSync(EXAMPLE, "utf8")
            .replace("vpc_id=", "vpcId=")
            .replace("hf.SecretKind.SSM_PARAMETER", "hf.SecretKind.SSM")
            .replace("api.log_group_name", "api.log_group")
            .replace("port=8000", 'port=config.require_int("port")');
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hf-python-example-"));
        try {
            fs.writeFileSync(path.join(dir, "__main__.py"), drifted);
            assert.deepEqual(
                check(schema, readProgram(path.join(dir, "__main__.py"))).problems.map((p) => p.split(";")[0].split(" (")[0]),
                [
                    "HealthyFargateService: `vpcId` is not an argument",
                    "HealthyFargateService.port: the schema wants a value known when the program runs, the example passes `config.require_int`",
                    'HealthyFargateService.secrets["REDIS_URL"].kind: hf.SecretKind.SSM is not a member of SecretKind',
                    "HealthyFargateService: required vpc_id missing",
                    "api.log_group is not an output",
                ],
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

/** Problems of a YAML program's property value against its schema property (interpolations stand for runtime values). */
function yamlProblems(schema: PackageSchema, where: string, value: unknown, p: PropertySchema): string[] {
    if (typeof value === "string" && /^\$\{.+\}$/.test(value))
        return p.plain ? [`${where}: ${value} is known only when the program runs`] : [];
    const type = p.$ref ? schema.types[p.$ref.replace("#/types/", "")] : undefined;
    if (type?.enum) return type.enum.some((e) => e.value === value) ? [] : [`${where}: ${JSON.stringify(value)} is not a ${p.$ref}`];
    if (type?.properties) return yamlObjectProblems(schema, where, value as Record<string, unknown>, type.properties, type.required ?? []);
    if (p.type === "array" && Array.isArray(value)) return value.flatMap((v, i) => yamlProblems(schema, `${where}[${i}]`, v, p.items!));
    if (p.type === "object" && p.additionalProperties && typeof value === "object" && value) {
        return Object.entries(value).flatMap(([k, v]) => yamlProblems(schema, `${where}.${k}`, v, p.additionalProperties!));
    }
    return typeof value === p.type ? [] : [`${where}: ${JSON.stringify(value)} is not a ${p.type}`];
}

function yamlObjectProblems(
    schema: PackageSchema,
    where: string,
    value: Record<string, unknown>,
    properties: Record<string, PropertySchema>,
    required: string[],
): string[] {
    return [
        ...Object.entries(value).flatMap(([k, v]) =>
            properties[k] ? yamlProblems(schema, `${where}.${k}`, v, properties[k]) : [`${where}.${k} is not in the schema`],
        ),
        ...required.filter((k) => !(k in value)).map((k) => `${where}.${k} is required`),
    ];
}

describe("the YAML block of examples/python/README.md matches the schema", function () {
    this.timeout(15 * 60_000);

    it("uses the type token, the schema's property names and enum values, and existing outputs", async () => {
        const schema = await (await providerPlugin()).schema();
        const block = /```yaml\n([\s\S]*?)```/.exec(fs.readFileSync(EXAMPLE_README, "utf8"))![1];
        const program = yaml.load(block) as {
            resources: Record<string, { type: string; properties: Record<string, unknown> }>;
            outputs: Record<string, string>;
        };
        const [name, api] = Object.entries(program.resources).find(([, r]) => r.type === PORTABLE_SERVICE_TYPE)!;
        const resource = schema.resources[PORTABLE_SERVICE_TYPE];
        const problems = yamlObjectProblems(schema, name, api.properties, resource.inputProperties, resource.requiredInputs);
        const outputRefs = Object.values(program.outputs).flatMap((o) => [...o.matchAll(new RegExp(`\\$\\{${name}\\.(\\w+)\\}`, "g"))]);
        for (const ref of outputRefs.map((m) => m[1])) {
            if (!resource.properties[ref]) problems.push(`outputs: ${name}.${ref} is not an output`);
        }
        assert.deepEqual(problems, []);
        assert.deepEqual(
            yamlObjectProblems(schema, name, { ...api.properties, vpc_id: "x", probe: { tool: "curl-7" } }, resource.inputProperties, []),
            [`${name}.probe.tool: "curl-7" is not a #/types/healthy-fargate:index:ProbeTool`, `${name}.vpc_id is not in the schema`],
            "the check can fail",
        );
    });
});

describe("Python names as Pulumi's generator makes them", () => {
    it("snake-cases like PyName, acronyms and digits included (pulumi/pulumi pkg/codegen/python/python_test.go cases)", () => {
        const cases: Record<string, string> = {
            kubeletConfigKey: "kubelet_config_key",
            podCIDR: "pod_cidr",
            podCidr: "pod_cidr",
            podCIDRs: "pod_cidrs",
            podIPs: "pod_ips",
            nonResourceURLs: "non_resource_urls",
            someTHINGsAREWeird: "some_things_are_weird",
            podCIDRSet: "pod_cidr_set",
            Sha256Hash: "sha256_hash",
            SHA256Hash: "sha256_hash",
            "proj:config": "proj_config",
            latencyP90: "latency_p90",
            vpcId: "vpc_id",
            healthContractJson: "health_contract_json",
            global: "global_",
        };
        assert.deepEqual(Object.fromEntries(Object.keys(cases).map((k) => [k, pythonName(k)])), cases);
    });

    it("names the package, input classes and enum members", () => {
        assert.equal(pythonPackage("healthy-fargate"), "pulumi_healthy_fargate");
        assert.equal(pythonInputClass("Listener"), "ListenerArgs");
        assert.deepEqual(["SecretsManager", "X86_64", "BlueGreen", "LatencyP99"].map(pythonEnumMember), [
            "SECRETS_MANAGER",
            "X86_64",
            "BLUE_GREEN",
            "LATENCY_P99",
        ]);
    });
});
