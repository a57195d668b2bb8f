/**
 * Where SARIF results point: the line where the program's own files construct each resource
 * (recorded in the program's process, cli/offline/source-positions.ts), for TypeScript (transpile
 * cache hit and miss), ES-module TypeScript and plain JavaScript programs; and the policy anchors
 * the rules' helpUris link to.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runProgramIsolated } from "../../cli/offline/isolated";
import type { OfflineRun } from "../../cli/offline/program-runner";
import { policies } from "../../policies/policies";

const PROGRAMS = path.resolve(__dirname, "..", "fixtures", "programs");
const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** 1-based line and column of `text` in `file` (the constructor call the test expects). */
function positionOf(file: string, text: string): { file: string; line: number; column: number } {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const line = lines.findIndex((l) => l.includes(text));
    assert.ok(line >= 0, `${text} not in ${file}`);
    return { file, line: line + 1, column: lines[line].indexOf("new ") + 1 };
}

async function run(dir: string, env: Record<string, string> = {}): Promise<OfflineRun> {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
        let output = "";
        return await runProgramIsolated({
            programDir: dir,
            stack: "dev",
            timeoutMs: 10 * 60_000,
            onOutput: (t) => {
                output += t;
            },
        }).catch((e) => {
            throw new Error(`${e.message}\n${output}`);
        });
    } finally {
        for (const key of Object.keys(env))
            if (saved[key] === undefined) delete process.env[key];
            else process.env[key] = saved[key];
    }
}

function sourceOf(run: OfflineRun, type: string, name: string) {
    const found = run.resources.find((r) => r.type === type && r.name === name);
    assert.ok(found, `no ${type} '${name}'`);
    return found.source;
}

describe("check: where resources are constructed (SARIF locations)", function () {
    this.timeout(20 * 60_000);

    for (const [label, env] of [
        ["transpile cache on", {}],
        ["transpile cache off", { HEALTHY_FARGATE_TRANSPILE_CACHE: "off" }],
    ] as const) {
        it(`TypeScript: the TypeScript line of each \`new\`, not the transpiled one (${label})`, async () => {
            const file = path.join(PROGRAMS, "raw-broken", "index.ts");
            const result = await run(path.dirname(file), env);
            assert.deepEqual(
                sourceOf(result, "aws:ecs/taskDefinition:TaskDefinition", "api"),
                positionOf(file, 'new aws.ecs.TaskDefinition("api"'),
            );
            assert.deepEqual(sourceOf(result, "aws:lb/targetGroup:TargetGroup", "api"), positionOf(file, 'new aws.lb.TargetGroup("api"'));
            assert.deepEqual(sourceOf(result, "aws:ecs/service:Service", "api"), positionOf(file, 'new aws.ecs.Service("api"'));
            assert.equal(
                sourceOf(result, "pulumi:pulumi:Stack", "fixture-raw-broken-dev"),
                undefined,
                "the stack is constructed by the SDK, not the program",
            );
        });
    }

    it("ES-module TypeScript: the line in the module that constructs it (a function in another file)", async () => {
        const file = path.join(PROGRAMS, "esm-typescript", "task.ts");
        const result = await run(path.dirname(file));
        assert.deepEqual(
            sourceOf(result, "aws:ecs/taskDefinition:TaskDefinition", "web"),
            positionOf(file, "new aws.ecs.TaskDefinition(name"),
        );
    });

    it("plain JavaScript in a subfolder", async () => {
        const file = path.join(PROGRAMS, "plain-js-subfolder", "src", "index.js");
        const result = await run(path.join(PROGRAMS, "plain-js-subfolder"));
        assert.deepEqual(sourceOf(result, "aws:lb/targetGroup:TargetGroup", "shop"), positionOf(file, 'new aws.lb.TargetGroup("shop"'));
    });

    it("a component's children point into the component's source when it is the program's own (this repository's dev stack)", async () => {
        const result = await run(REPO_ROOT);
        const component = path.join(REPO_ROOT, "components", "healthy-fargate-service", "index.ts");
        const td = sourceOf(result, "aws:ecs/taskDefinition:TaskDefinition", "api-task");
        assert.equal(td?.file, component);
        assert.match(fs.readFileSync(component, "utf8").split("\n")[td!.line - 1], /new aws\.ecs\.TaskDefinition\(/);
        const service = sourceOf(result, "healthy-fargate:ecs:HealthyFargateService", "api");
        assert.equal(service?.file, path.join(REPO_ROOT, "index.ts"));
        assert.match(fs.readFileSync(service!.file, "utf8").split("\n")[service!.line - 1], /new HealthyFargateService\(/);
    });
});

describe("check: the policy docs the SARIF rules link to", () => {
    /** GitHub's heading anchors: lower case, punctuation but `-` removed, spaces as `-`. */
    const anchors = new Set(
        fs
            .readFileSync(path.join(REPO_ROOT, "policies", "README.md"), "utf8")
            .split("\n")
            .filter((l) => /^#{1,6} /.test(l))
            .map((l) =>
                l
                    .replace(/^#+ /, "")
                    .trim()
                    .toLowerCase()
                    .replace(/[^\w\- ]/g, "")
                    .replace(/ /g, "-"),
            ),
    );

    it("every policy of the pack has its anchor (a `## <name>` heading) in policies/README.md", () => {
        const missing = policies.map((p) => p.name).filter((name) => !anchors.has(name));
        assert.deepEqual(missing, []);
        assert.ok(policies.length >= 19);
    });
});
