/**
 * The TypeScript component's validation messages, reworded where the portable args differ: a
 * secret's reference is `secrets.NAME.ref` (with a `kind`) instead of `secrets.NAME.<kind>`, an
 * alarm is turned off with `enabled: false`, and `verifyRollout` is off unless set. Everything
 * else (field names, rules, fixes) is the same on both surfaces.
 * tests/provider/construct.test.ts pins each rewrite on a real message of the component.
 */

const REWRITES: ReadonlyArray<[RegExp, string]> = [
    // `secrets.DB.secretsManager` → `secrets.DB.ref`
    [/`secrets\.([A-Za-z_][A-Za-z0-9_]*)\.(?:secretsManager|ssmParameter|value)`/g, "`secrets.$1.ref`"],
    // `{ ssmParameter: "/a/b" }` → `{ kind: "ssmParameter", ref: "/a/b" }`
    [/\{ (secretsManager|ssmParameter|value): ([^,}]+?)( \}|, )/g, '{ kind: "$1", ref: $2$3'],
    [/Remove it or set it to `false`\./g, "Remove it or set its `enabled` to false."],
    [/\(remove `verifyRollout: false` or `smoke`\)/g, "(set `verifyRollout: true`, or turn `smoke` off)"],
];

/** One validation message in the portable args' terms. */
export function portableWording(problem: string): string {
    return REWRITES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), problem);
}
