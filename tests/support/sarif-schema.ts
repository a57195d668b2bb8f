/**
 * The SARIF 2.1.0 JSON schema the SARIF tests validate against: the copy that ships with the
 * `@microsoft/jest-sarif` devDependency (its own matchers load `./schemas/sarif-2.1.0-rtm.5.json`).
 * Resolved through Node's module resolution (the package has no `exports` map, so its files are
 * addressable) rather than a path under `node_modules/`, so hoisting and workspaces cannot move it away.
 */
import * as fs from "node:fs";

const SCHEMA_MODULE = "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json";

/** A fresh copy of the SARIF 2.1.0 schema (callers may hand it to Ajv, which annotates schemas). */
export function sarifSchema(): object {
    return JSON.parse(fs.readFileSync(require.resolve(SCHEMA_MODULE), "utf8"));
}
