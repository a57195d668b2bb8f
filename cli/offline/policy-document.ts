/**
 * `aws.iam.getPolicyDocument` computed offline as the AWS provider computes it (terraform-provider-aws
 * `aws_iam_policy_document` data source and its policy model), so that policies reading an IAM
 * policy built with it (execution-role-can-read-secrets) see the same JSON as in a preview:
 * - document keys `Version` (default "2012-10-17"), `Id` (`policyId`, omitted when empty), `Statement`;
 * - statement keys in the order `Sid` (always present, "" when unset), `Effect` (default "Allow"),
 *   `Action`, `NotAction`, `Resource`, `NotResource`, `Principal`, `NotPrincipal`, `Condition`;
 * - a set with one element is rendered as a string, with several as an array sorted in *reverse*
 *   lexical order, duplicates removed (`policyDecodeConfigStringList`);
 * - `Principal` is a map type → identifiers (keys sorted), or `"*"` for `{type: "*", identifiers: ["*"]}`;
 * - `Condition` is test → variable → values (one value as a string);
 * - `&{aws:username}` in resources is written `${aws:username}`;
 * - `sourcePolicyDocuments` first, then the statements, then `overridePolicyDocuments`, merged by
 *   `Sid` (a statement with a Sid replaces the earlier one with the same Sid);
 * - `json` is indented with two spaces (`json.MarshalIndent`), `minifiedJson` is compact.
 * Pure: no Pulumi imports.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Doc {
    Version?: string;
    Id?: string;
    Statement: Array<Record<string, Json>>;
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** `policyDecodeConfigStringList` over a set: one element → string, else reverse-sorted unique array. */
function stringSet(values: string[]): Json {
    const unique = [...new Set(values)];
    return unique.length === 1 ? unique[0] : unique.sort().reverse();
}

const replaceVars = (values: string[]) => values.map((v) => v.replace(/&\{/g, "${"));

function principals(list: unknown): Json | undefined {
    const items = Array.isArray(list) ? (list as Array<{ type?: unknown; identifiers?: unknown }>) : [];
    if (!items.length) return undefined;
    if (items.length === 1 && items[0].type === "*" && asList(items[0].identifiers).length === 1 && asList(items[0].identifiers)[0] === "*")
        return "*";
    const byType = new Map<string, string[]>();
    for (const p of items) byType.set(String(p.type), [...(byType.get(String(p.type)) ?? []), ...replaceVars(asList(p.identifiers))]);
    return Object.fromEntries([...byType.keys()].sort().map((type) => [type, stringSet(byType.get(type)!)]));
}

function conditions(list: unknown): Json | undefined {
    const items = Array.isArray(list) ? (list as Array<{ test?: unknown; variable?: unknown; values?: unknown }>) : [];
    if (!items.length) return undefined;
    const byTest = new Map<string, Map<string, string[]>>();
    for (const c of items) {
        const vars = byTest.get(String(c.test)) ?? new Map<string, string[]>();
        vars.set(String(c.variable), [...(vars.get(String(c.variable)) ?? []), ...replaceVars(asList(c.values))]);
        byTest.set(String(c.test), vars);
    }
    return Object.fromEntries(
        [...byTest.keys()].sort().map((test) => {
            const vars = byTest.get(test)!;
            return [
                test,
                Object.fromEntries(
                    [...vars.keys()].sort().map((v) => {
                        const values = vars.get(v)!;
                        return [v, values.length === 1 ? values[0] : [...values].sort().reverse()];
                    }),
                ),
            ];
        }),
    );
}

/** One statement of the data source's `statements` argument as the provider renders it. */
export function renderStatement(s: Record<string, unknown>): Record<string, Json> {
    const out: Record<string, Json> = {
        Sid: typeof s.sid === "string" ? s.sid : "",
        Effect: typeof s.effect === "string" ? s.effect : "Allow",
    };
    const add = (key: string, value: Json | undefined) => {
        if (value !== undefined) out[key] = value;
    };
    const set = (v: unknown, vars = false) => (asList(v).length ? stringSet(vars ? replaceVars(asList(v)) : asList(v)) : undefined);
    add("Action", set(s.actions));
    add("NotAction", set(s.notActions));
    add("Resource", set(s.resources, true));
    add("NotResource", set(s.notResources, true));
    add("Principal", principals(s.principals));
    add("NotPrincipal", principals(s.notPrincipals));
    add("Condition", conditions(s.conditions));
    return out;
}

/** `IAMPolicyDoc.Merge`: statements with a Sid replace the earlier one with that Sid. */
function merge(into: Doc, next: Doc): void {
    if (next.Id) into.Id = next.Id;
    if ((next.Version ?? "") > (into.Version ?? "")) into.Version = next.Version;
    for (const statement of next.Statement ?? []) {
        const at = statement.Sid ? into.Statement.findIndex((s) => s.Sid === statement.Sid) : -1;
        if (at >= 0) into.Statement[at] = statement;
        else into.Statement.push(statement);
    }
}

function parseDoc(json: unknown): Doc {
    try {
        const doc = JSON.parse(String(json));
        const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
        return { Version: doc.Version, Id: doc.Id, Statement: statements };
    } catch {
        return { Statement: [] };
    }
}

/** The data source's result: `json` (indented), `minifiedJson` and `id`. */
export function policyDocument(args: Record<string, unknown>): { json: string; minifiedJson: string; id: string } {
    const merged: Doc = { Statement: [] };
    for (const source of asList(args.sourcePolicyDocuments)) merge(merged, parseDoc(source));
    const own: Doc = {
        Version: typeof args.version === "string" ? args.version : "2012-10-17",
        Id: typeof args.policyId === "string" && args.policyId ? args.policyId : undefined,
        Statement: (Array.isArray(args.statements) ? args.statements : []).map((s) => renderStatement(s as Record<string, unknown>)),
    };
    merge(merged, own);
    for (const override of asList(args.overridePolicyDocuments)) merge(merged, parseDoc(override));
    const ordered = {
        ...(merged.Version ? { Version: merged.Version } : {}),
        ...(merged.Id ? { Id: merged.Id } : {}),
        Statement: merged.Statement,
    };
    const json = JSON.stringify(ordered, null, 2);
    return { json, minifiedJson: JSON.stringify(ordered), id: String(hashCode(json)) };
}

/** The provider's `StringHashcode` (crc32 of the text, non-negative) is the ID; any stable number serves offline. */
function hashCode(text: string): number {
    let h = 0;
    for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
    return Math.abs(h);
}
