/**
 * A content-addressed cache of the program's TypeScript transpiled by ts-node: the program's files
 * rarely change between two checks, and transpiling them is on the check's critical path (37 files
 * of the dev stack: ~1 s of CPU). The key is the file's name and text, the compiler options ts-node
 * resolved, and the TypeScript and ts-node versions, so a changed file, tsconfig or compiler never
 * hits a stale entry. Entries are written atomically (several checks may run at once). A hit skips
 * ts-node's source-map registration: a stack trace then shows the transpiled line numbers (the
 * check's messages name only files). Each output is also stored under a key module-loading.ts can
 * compute without loading TypeScript, so an unchanged program needs neither TypeScript nor ts-node.
 * `HEALTHY_FARGATE_TRANSPILE_CACHE=off` disables it.
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

/** The cache in `dir`: entries by key, read and written as the module comment says. */
export interface TranspileCache {
    key(salt: string, fileName: string, code: string): string;
    /** The cached output, `undefined` on a miss. */
    read(key: string): string | undefined;
    has(key: string): boolean;
    write(key: string, output: string): void;
}

/** The cache in `dir`, or `undefined` when `HEALTHY_FARGATE_TRANSPILE_CACHE=off`. */
export function transpileCache(dir = TRANSPILE_CACHE_DIR): TranspileCache | undefined {
    if (process.env.HEALTHY_FARGATE_TRANSPILE_CACHE === "off") return undefined;
    const fileOf = (key: string) => path.join(dir, key.slice(0, 2), `${key}.js`);
    return {
        key: (salt, fileName, code) =>
            createHash("sha256").update(salt).update("\0").update(fileName).update("\0").update(code).digest("hex"),
        read: (key) => {
            try {
                return fs.readFileSync(fileOf(key), "utf8");
            } catch {
                return undefined; // a miss
            }
        },
        has: (key) => fs.existsSync(fileOf(key)),
        write: (key, output) => {
            const file = fileOf(key);
            try {
                fs.mkdirSync(path.dirname(file), { recursive: true });
                const temporary = `${file}.${process.pid}.tmp`;
                fs.writeFileSync(temporary, output);
                fs.renameSync(temporary, file);
            } catch {
                /* a cache that cannot be written is only slower */
            }
        },
    };
}

/**
 * Wraps `service.compile` with the cache (see the module comment). `alsoUnder` is a second salt
 * each output is also stored under, when not there yet (module-loading.ts's key that needs no
 * TypeScript to compute; an entry of an older check's cache gets it on its first use).
 */
export function cacheTranspiles(service: TsNodeService, tsNodeVersion: string, dir = TRANSPILE_CACHE_DIR, alsoUnder?: string): void {
    const cache = transpileCache(dir);
    if (!cache) return;
    const compile = service.compile.bind(service);
    const salt = JSON.stringify([service.ts?.version, tsNodeVersion, service.config?.options]);
    service.compile = (code, fileName, lineOffset) => {
        const key = cache.key(salt, fileName, code);
        const cached = cache.read(key);
        const output = cached ?? compile(code, fileName, lineOffset);
        if (cached === undefined) cache.write(key, output);
        const alsoKey = alsoUnder === undefined ? undefined : cache.key(alsoUnder, fileName, code);
        if (alsoKey !== undefined && !cache.has(alsoKey)) cache.write(alsoKey, output);
        return output;
    };
}
