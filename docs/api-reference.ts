/**
 * Generates docs/api-reference.md, the typed API reference of the components package, from the
 * exports of components/index.ts and their TSDoc (`npm run docs`). Read syntactically with the
 * TypeScript compiler (types as written, no type-checking of @pulumi/aws's declarations: a second,
 * not a minute). tests/components/api-reference.test.ts fails when the checked-in file differs
 * from what this generates, so the reference cannot drift from the code.
 *
 *   node -r ts-node/register/transpile-only docs/api-reference.ts [--check]
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { writeOrCheckGenerated } from "./generated-file";

const REPO_ROOT = path.resolve(__dirname, "..");
export const API_REFERENCE = path.join(REPO_ROOT, "docs", "api-reference.md");
const ENTRY = path.join(REPO_ROOT, "components", "index.ts");

type Declaration = ts.ClassDeclaration | ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.FunctionDeclaration | ts.VariableStatement;

interface Exported {
    name: string;
    file: string;
    node: Declaration;
}

const sourceOf = (file: string) => ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
const isExported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const resolveModule = (from: string, spec: string) =>
    [".ts", "/index.ts"].map((ext) => path.resolve(path.dirname(from), spec) + ext).find((f) => fs.existsSync(f));

function declarationName(node: Declaration): string | undefined {
    if (ts.isVariableStatement(node)) {
        const first = node.declarationList.declarations[0];
        return first && ts.isIdentifier(first.name) ? first.name.text : undefined;
    }
    return node.name?.text;
}

/** Every value and type a module exports, following `export *` and `export { a } from` of relative modules. */
function exportsOf(file: string, only?: Set<string>, seen = new Set<string>()): Exported[] {
    if (seen.has(file)) return [];
    seen.add(file);
    const found: Exported[] = [];
    for (const node of sourceOf(file).statements) {
        if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            const target = resolveModule(file, node.moduleSpecifier.text);
            if (!target || node.isTypeOnly) continue;
            const names =
                node.exportClause && ts.isNamedExports(node.exportClause)
                    ? new Set(node.exportClause.elements.map((e) => (e.propertyName ?? e.name).text))
                    : undefined;
            found.push(...exportsOf(target, names, new Set(seen)));
        } else if (
            (ts.isClassDeclaration(node) ||
                ts.isInterfaceDeclaration(node) ||
                ts.isTypeAliasDeclaration(node) ||
                ts.isFunctionDeclaration(node) ||
                ts.isVariableStatement(node)) &&
            isExported(node)
        ) {
            const name = declarationName(node);
            if (name && (!only || only.has(name))) found.push({ name, file, node });
        }
    }
    return found;
}

/** The TSDoc of a node: its text (whitespace collapsed) and its `@default`. */
function docOf(node: ts.Node): { text: string; defaultValue?: string } {
    const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
    const text = docs
        .map((d) => ts.getTextOfJSDocComment(d.comment) ?? "")
        .join(" ")
        .replace(/\s+/g, " ")
        .trim();
    const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === "default");
    const defaultValue = tag ? (ts.getTextOfJSDocComment(tag.comment) ?? "").replace(/\s+/g, " ").trim() : undefined;
    return { text, defaultValue };
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const typeText = (node: ts.Node | undefined) => (node ? node.getText().replace(/\s+/g, " ") : "");

const isPublic = (member: ts.Node) =>
    !(ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : []).some(
        (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword,
    );
const isStatic = (member: ts.Node) =>
    (ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword);

/** An interface's properties (arguments): name, type, default (`required` when not optional), description. */
function argumentsTable(members: readonly ts.Node[]): string[] {
    const rows = members.flatMap((member) => {
        if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) return [];
        const doc = docOf(member);
        const optional = member.questionToken ? "?" : "";
        const fallback = doc.defaultValue ?? (optional ? "" : "required");
        return [`| \`${member.name.text}${optional}\` | \`${cell(typeText(member.type))}\` | ${cell(fallback)} | ${cell(doc.text)} |`];
    });
    return rows.length ? ["| name | type | default | description |", "|---|---|---|---|", ...rows] : [];
}

/** A class's public properties (outputs) and methods. */
function classMembers(node: ts.ClassDeclaration): string[] {
    const properties = node.members
        .filter(ts.isPropertyDeclaration)
        .filter((m) => isPublic(m) && ts.isIdentifier(m.name))
        .map((m) => `| \`${m.name.getText()}${m.questionToken ? "?" : ""}\` | \`${cell(typeText(m.type))}\` | ${cell(docOf(m).text)} |`);
    const methods = node.members
        .filter(ts.isMethodDeclaration)
        .filter((m) => isPublic(m) && ts.isIdentifier(m.name))
        .map(
            (m) =>
                `| \`${isStatic(m) ? `${node.name?.text}.` : ""}${m.name.getText()}(${m.parameters.map((p) => p.name.getText()).join(", ")})\` | ` +
                `\`${cell(typeText(m.type))}\` | ${cell(docOf(m).text)} |`,
        );
    const table = (title: string, rows: string[]) =>
        rows.length ? [`| ${title} | type | description |`, "|---|---|---|", ...rows, ""] : [];
    return [...table("property", properties), ...table("method", methods)];
}

function section(entry: Exported): string[] {
    const { node, name } = entry;
    const where = path.relative(REPO_ROOT, entry.file).split(path.sep).join("/");
    const doc = docOf(ts.isVariableStatement(node) ? (node.declarationList.declarations[0] ?? node) : node).text || docOf(node).text;
    const lines = [`### \`${name}\``, "", `${kindOf(node)} · \`${where}\``, ""];
    if (doc) lines.push(doc, "");
    if (ts.isClassDeclaration(node)) {
        const ctor = node.members.find(ts.isConstructorDeclaration);
        if (ctor) lines.push("```ts", `new ${name}(${ctor.parameters.map((p) => p.getText().replace(/\s+/g, " ")).join(", ")})`, "```", "");
        lines.push(...classMembers(node));
    } else if (ts.isInterfaceDeclaration(node)) {
        lines.push(...argumentsTable(node.members));
    } else if (ts.isTypeAliasDeclaration(node)) {
        lines.push("```ts", `type ${name} = ${typeText(node.type)}`, "```");
    } else if (ts.isFunctionDeclaration(node)) {
        lines.push(
            "```ts",
            `${name}(${node.parameters.map((p) => p.getText().replace(/\s+/g, " ")).join(", ")}): ${typeText(node.type)}`,
            "```",
        );
    }
    return [...lines, ""];
}

function kindOf(node: Declaration): string {
    if (ts.isClassDeclaration(node)) return "class";
    if (ts.isInterfaceDeclaration(node)) return "interface";
    if (ts.isTypeAliasDeclaration(node)) return "type";
    if (ts.isFunctionDeclaration(node)) return "function";
    return "constant";
}

/** The reference's Markdown. */
export function generateApiReference(): string {
    const entries = exportsOf(ENTRY);
    const byName = new Map(entries.map((e) => [e.name, e]));
    const order = (kind: string) =>
        [...byName.values()].filter((e) => kindOf(e.node) === kind).sort((a, b) => a.name.localeCompare(b.name));
    const kinds = [
        ["Classes", "class"],
        ["Interfaces (arguments)", "interface"],
        ["Types", "type"],
        ["Functions", "function"],
        ["Constants", "constant"],
    ];
    return (
        [
            "# API reference: `@healthy-fargate/components`",
            "",
            "Generated from the TSDoc of `components/` by `npm run docs` (`docs/api-reference.ts`); do not edit by hand.",
            "Types are shown as written in the source. The components' READMEs explain each argument's *why*:",
            "[`HealthyFargateService`](../components/healthy-fargate-service/README.md),",
            "[`RedisEndpoint`](../components/redis-endpoint.md), [`ServiceDashboard`](../components/service-dashboard.md).",
            "",
            ...kinds.flatMap(([title, kind]) => {
                const list = order(kind);
                return list.length ? [`## ${title}`, "", ...list.flatMap(section)] : [];
            }),
        ]
            .join("\n")
            .replace(/\n{3,}/g, "\n\n")
            .trimEnd() + "\n"
    );
}

if (require.main === module) writeOrCheckGenerated(API_REFERENCE, generateApiReference());
