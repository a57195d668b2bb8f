/**
 * The component README's argument table (components/healthy-fargate-service/README.md) against
 * the code: every default in `DEFAULTS` (and the domain's `DEFAULT_DRAIN`) is the default the
 * table shows and the `@default` of the argument's TSDoc (what a consumer's editor shows from the
 * `.d.ts`); every literal default the table and the TSDoc both give agrees; every argument is in
 * the table. The TSDoc is read with the TypeScript compiler from args.ts.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { DEFAULTS } from "../../components/healthy-fargate-service/args";
import { DEFAULT_DRAIN } from "../../policies/domain/health-timing";

const DIR = path.resolve(__dirname, "..", "..", "components", "healthy-fargate-service");

/** README rows: argument path → { default cell part, notes }; `a` / `b` rows are split pairwise. */
function readmeArguments(markdown: string): Map<string, { value: string; notes: string }> {
    const lines = markdown.slice(markdown.indexOf("## Arguments\n")).split("\n");
    const header = lines.findIndex((l) => l.startsWith("| arg | default |"));
    const end = lines.findIndex((l, i) => i > header && !l.startsWith("|"));
    const table = new Map<string, { value: string; notes: string }>();
    for (const row of lines.slice(header + 2, end)) {
        const [names, values, notes] = row
            .slice(1, -1)
            .split(" | ")
            .map((c) => c.trim());
        const nameList = names.split(/ \/ |, /).map((n) => n.replace(/`/g, ""));
        const valueList = values.split(" / ");
        nameList.forEach((name, i) =>
            table.set(name, { value: (valueList.length === nameList.length ? valueList[i] : values).trim(), notes }),
        );
    }
    return table;
}

/** `@default` text of every property of HealthyFargateServiceArgs and the interfaces it nests, by path (`probe.tool`). */
function tsDocDefaults(source: string): Map<string, string | undefined> {
    const file = ts.createSourceFile("args.ts", source, ts.ScriptTarget.ES2022, true);
    const interfaces = new Map<string, ts.InterfaceDeclaration>();
    file.forEachChild((node) => {
        if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
    });
    const result = new Map<string, string | undefined>();
    const walk = (name: string, prefix: string) => {
        for (const member of interfaces.get(name)?.members ?? []) {
            if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) continue;
            const key = prefix + member.name.text;
            const tag = ts.getJSDocTags(member).find((t) => t.tagName.text === "default");
            result.set(key, tag ? ts.getTextOfJSDocComment(tag.comment)?.trim() : undefined);
            const nested =
                member.type && ts.isTypeReferenceNode(member.type) && ts.isIdentifier(member.type.typeName)
                    ? member.type.typeName.text
                    : "";
            if (interfaces.has(nested) && !prefix) walk(nested, `${key}.`);
        }
    };
    walk("HealthyFargateServiceArgs", "");
    return result;
}

const literal = (value: unknown) => (typeof value === "string" ? JSON.stringify(value) : String(value));

/** Where each default of the code is documented (argument path). */
const DOCUMENTED_AT: Record<keyof typeof DEFAULTS, string> = {
    port: "port",
    containerName: "containerName",
    cpu: "cpu",
    memory: "memory",
    cpuArchitecture: "cpuArchitecture",
    tool: "probe.tool",
    livenessPath: "probe.livenessPath",
    readinessPath: "probe.readinessPath",
    matcher: "probe.matcher",
    expectedStartupSeconds: "startup.expectedSeconds",
    desiredCount: "desiredCount",
    minimumHealthyPercent: "minimumHealthyPercent",
    maximumPercent: "maximumPercent",
    waitForSteadyState: "waitForSteadyState",
    strategy: "deployment.strategy",
    verifyRollout: "verifyRollout",
    logRetentionDays: "logRetentionDays",
    protocol: "listener.protocol",
};

describe("HealthyFargateService README: the argument table against DEFAULTS and the TSDoc", () => {
    const readme = readmeArguments(fs.readFileSync(path.join(DIR, "README.md"), "utf8"));
    const tsDoc = tsDocDefaults(fs.readFileSync(path.join(DIR, "args.ts"), "utf8"));

    it("reads the table and the TSDoc (the parsers find what they must)", () => {
        assert.ok(readme.size >= 30, `${readme.size} rows`);
        assert.equal(readme.get("cpu")?.value, "`512`");
        assert.equal(readme.get("memory")?.value, "`1024`");
        assert.equal(tsDoc.get("probe.livenessPath"), '"/health/live"');
        assert.equal(tsDoc.get("cluster"), undefined);
    });

    for (const [key, value] of Object.entries(DEFAULTS) as Array<[keyof typeof DEFAULTS, unknown]>) {
        it(`DEFAULTS.${key} (${literal(value)}) is the documented default of \`${DOCUMENTED_AT[key]}\``, () => {
            const at = DOCUMENTED_AT[key];
            const row = readme.get(at);
            assert.ok(row, `no README row for \`${at}\``);
            const doc = tsDoc.get(at.startsWith("startup.") ? "startup" : at) ?? "";
            if (key === "tool") {
                // Chosen from the image; DEFAULTS.tool is the fallback when the image is unknown.
                assert.match(row.notes, new RegExp(`else \`${literal(value)}\``));
                assert.match(doc, new RegExp(`else ${literal(value)}`));
            } else if (key === "expectedStartupSeconds") {
                assert.equal(row.value, `\`${literal(value)}\``);
                assert.match(doc, new RegExp(`expectedSeconds: ${literal(value)}\\b`));
            } else {
                assert.equal(row.value, `\`${literal(value)}\``);
                assert.equal(doc.split(" (")[0], literal(value));
            }
        });
    }

    it("the domain's DEFAULT_DRAIN is the documented default of `drain.*`", () => {
        for (const [key, value] of Object.entries(DEFAULT_DRAIN)) {
            assert.equal(readme.get(`drain.${key}`)?.value, `\`${value}\``, `drain.${key}`);
            assert.match(tsDoc.get("drain") ?? "", new RegExp(`${key}: ${value}\\b`));
        }
    });

    it("where the table and the TSDoc both give a literal default, they agree", () => {
        const disagreements: string[] = [];
        for (const [name, row] of readme) {
            const doc = tsDoc.get(name);
            const table = /^`([^`]+)`$/.exec(row.value)?.[1];
            if (!doc || doc.startsWith("-") || table === undefined) continue;
            if (doc.split(" (")[0] !== table) disagreements.push(`${name}: README ${table}, TSDoc ${doc}`);
        }
        assert.deepEqual(disagreements, []);
    });

    it("every argument of HealthyFargateServiceArgs has a row (or rows of its fields)", () => {
        const topLevel = [...tsDoc.keys()].filter((k) => !k.includes("."));
        const missing = topLevel.filter((k) => !readme.has(k) && ![...readme.keys()].some((r) => r.startsWith(`${k}.`)));
        assert.deepEqual(missing, []);
    });
});
