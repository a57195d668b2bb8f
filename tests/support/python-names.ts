/**
 * The names Pulumi's Python code generator gives a schema's parts, so a test can check a Python
 * program against a schema without generating the SDK. The rules, as read in pulumi/pulumi
 * `pkg/codegen/python` (written here from their description, not copied):
 * - property and argument names: `PyName` (python.go), camelCase → snake_case where an acronym
 *   stays one word (`podCIDRs` → `pod_cidrs`, `SHA256Hash` → `sha256_hash`), then a trailing `_` on
 *   a Python keyword;
 * - the package: `PyPack` — `pulumi_` + the package name with `-` → `_` (no namespace);
 * - an object type used as an input: `<TypeName>Args` (gen.go, `unqualifiedObjectTypeName`);
 * - an enum member: `makeSafeEnumName` (utilities.go) — PyName of its name, upper-cased, runs of
 *   `_` folded.
 */

const KEYWORDS = new Set([
    "False",
    "None",
    "True",
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "exec",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "print",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
]);

const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();
const isDigit = (c: string) => c >= "0" && c <= "9";

/**
 * snake_case as PyName makes it. Walks the characters with the generator's four states: first,
 * after an upper-case letter, inside an acronym, after a lower-case letter or digit.
 */
export function pythonName(name: string): string {
    const words: string[] = [];
    let word = "";
    let state: "first" | "upper" | "acronym" | "lower" = "first";
    for (const raw of name) {
        const c = /[A-Za-z0-9_]/.test(raw) ? raw : "_";
        if (state === "first") {
            if (isDigit(c)) word += "_";
            word += c.toLowerCase();
            state = isUpper(c) ? "upper" : "lower";
        } else if (state === "upper") {
            word += c.toLowerCase();
            state = isUpper(c) ? "acronym" : "lower";
        } else if (state === "acronym") {
            if (isUpper(c)) {
                word += c.toLowerCase();
            } else if (isDigit(c) || c === "s") {
                // Digits and a plural "s" right after an acronym belong to it (SHA256, CIDRs).
                word += c;
                state = "lower";
            } else {
                // The acronym's last letter starts the next word (`HTTPServer` → `http_server`).
                words.push(word.slice(0, -1));
                word = word.slice(-1) + c;
                state = "lower";
            }
        } else if (isUpper(c)) {
            words.push(word);
            word = c.toLowerCase();
            state = "upper";
        } else {
            word += c;
        }
    }
    if (word) words.push(word);
    const result = words.filter((w) => w !== "").join("_");
    return KEYWORDS.has(result) ? `${result}_` : result;
}

/** The Python package of a Pulumi package without a namespace. */
export function pythonPackage(packageName: string): string {
    return `pulumi_${packageName.replace(/-/g, "_")}`;
}

/** The class of an object type used as an input. */
export function pythonInputClass(typeName: string): string {
    return `${typeName}Args`;
}

/** The member name of an enum value named `name`. */
export function pythonEnumMember(name: string): string {
    return pythonName(name)
        .toUpperCase()
        .replace(/[^A-Z0-9_]/g, "_")
        .replace(/_+/g, "_");
}
