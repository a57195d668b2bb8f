/**
 * Code-health numbers of issue 15, reproducible: long lines, long files and long functions of the
 * project's own TypeScript/JavaScript (git-tracked; fixtures are test data and are left out).
 *
 *   node -r ts-node/register/transpile-only bench/code-health.ts [--top 15] [--over 80]
 *
 * Function length = lines from the first line of the declaration to its closing brace (JSDoc
 * excluded), for every function, method, constructor, accessor and arrow/function expression
 * with a block body, found with the TypeScript parser. Nested functions count on their own too.
 * A measurement, not a test: nothing here asserts.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");

interface FunctionSpan {
    file: string;
    name: string;
    line: number;
    lines: number;
}

function projectFiles(): string[] {
    const out = execFileSync("git", ["ls-files", "*.ts", "*.js", "*.mjs"], { cwd: ROOT, encoding: "utf8" });
    return out.split("\n").filter((f) => f && !f.startsWith("tests/fixtures/"));
}

function functionName(node: ts.Node, source: ts.SourceFile): string {
    const named = node as ts.Node & { name?: ts.Node };
    if (ts.isConstructorDeclaration(node)) return `${className(node.parent)}.constructor`;
    if (named.name) return named.name.getText(source);
    const parent = node.parent;
    if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
        return parent.name.getText(source);
    }
    if (ts.isCallExpression(parent)) {
        const label = parent.arguments.find(ts.isStringLiteralLike);
        return `${parent.expression.getText(source)}(${label ? JSON.stringify(label.text) : "…"}) callback`;
    }
    return "(anonymous)";
}

/** Mocha's `describe`/`it` callbacks: a test file's suite, long by nature (one case after another). */
function isTestSuite(span: FunctionSpan): boolean {
    return /^(describe|it|context)(\.\w+)?\(/.test(span.name);
}

function className(node: ts.Node): string {
    return ts.isClassLike(node) && node.name ? node.name.text : "(class)";
}

function functionsOf(file: string): FunctionSpan[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const spans: FunctionSpan[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && "body" in node && node.body && ts.isBlock(node.body as ts.Node)) {
            const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
            const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
            spans.push({ file, name: functionName(node, source), line: start + 1, lines: end - start + 1 });
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return spans;
}

function option(name: string, fallback: number): number {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function main(): void {
    const top = option("--top", 15);
    const over = option("--over", 80);
    const files = projectFiles();
    const lines = files.flatMap((f) =>
        fs
            .readFileSync(path.join(ROOT, f), "utf8")
            .split("\n")
            .map((l, i) => ({ f, i, n: l.length })),
    );
    const longest = lines.reduce((a, b) => (b.n > a.n ? b : a));
    const fileSizes = files.map((f) => ({ f, n: fs.readFileSync(path.join(ROOT, f), "utf8").split("\n").length }));
    const functions = files.flatMap(functionsOf).sort((a, b) => b.lines - a.lines);
    console.log(`commit ${execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim()}`);
    console.log(`files: ${files.length}, lines: ${lines.length}`);
    console.log(`lines over 140 characters: ${lines.filter((l) => l.n > 140).length}`);
    console.log(`lines over 200 characters: ${lines.filter((l) => l.n > 200).length}`);
    console.log(`longest line: ${longest.n} characters (${longest.f}:${longest.i + 1})`);
    const code = functions.filter((s) => !isTestSuite(s));
    console.log(
        `functions over ${over} lines: ${functions.filter((s) => s.lines > over).length}, of which not a test suite: ${code.filter((s) => s.lines > over).length}`,
    );
    console.log(`\nlongest files:`);
    for (const s of fileSizes.sort((a, b) => b.n - a.n).slice(0, top)) console.log(`  ${String(s.n).padStart(5)}  ${s.f}`);
    console.log(`\nlongest functions (test suites, \`describe\`/\`it\` callbacks, left out):`);
    for (const s of code.slice(0, top)) console.log(`  ${String(s.lines).padStart(5)}  ${s.file}:${s.line} ${s.name}`);
}

main();
