/**
 * A content-addressed cache of the program's TypeScript transpiled by ts-node: the program's files
 * rarely change between two checks, and transpiling them is on the check's critical path (37 files
 * of the dev stack: ~1 s of CPU). The key is the file's name and text, the compiler options ts-node
 * resolved, and the TypeScript and ts-node versions, so a changed file, tsconfig or compiler never
 * hits a stale entry. Entries are written atomically (several checks may run at once). A hit skips
 * ts-node's source-map registration: a stack trace then shows the transpiled line numbers (the
 * check's messages name only files). `HEALTHY_FARGATE_TRANSPILE_CACHE=off` disables it.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** The part of ts-node's service this needs. */
interface TsNodeService {
    compile(code: string, fileName: string, lineOffset?: number): string;
    config?: { options?: unknown };
    ts?: { version?: string };
}

export const TRANSPILE_CACHE_DIR = path.resolve(__dirname, "..", "..", ".check-cache", "transpile");

/** Wraps `service.compile` with the cache (see the module comment). */
export function cacheTranspiles(service: TsNodeService, tsNodeVersion: string, dir = TRANSPILE_CACHE_DIR): void {
    if (process.env.HEALTHY_FARGATE_TRANSPILE_CACHE === "off") return;
    const compile = service.compile.bind(service);
    const salt = JSON.stringify([service.ts?.version, tsNodeVersion, service.config?.options]);
    service.compile = (code, fileName, lineOffset) => {
        const key = createHash("sha256").update(salt).update("\0").update(fileName).update("\0").update(code).digest("hex");
        const file = path.join(dir, key.slice(0, 2), `${key}.js`);
        try {
            return fs.readFileSync(file, "utf8");
        } catch {
            /* a miss */
        }
        const output = compile(code, fileName, lineOffset);
        try {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            const temporary = `${file}.${process.pid}.tmp`;
            fs.writeFileSync(temporary, output);
            fs.renameSync(temporary, file);
        } catch {
            /* a cache that cannot be written is only slower */
        }
        return output;
    };
}
