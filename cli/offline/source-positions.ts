/**
 * Where in the program's own files each resource was constructed, for results that point at a
 * line (SARIF), at a cost the check can afford.
 *
 * Pulumi's SDK records a resource's source position itself: `Resource`'s constructor reads
 * `new Error().stack` (`Resource.callsites()` in `@pulumi/pulumi/resource.js`, 3.270) and sends the
 * frames after the constructor chain (`stackTrace(4)`; `sourcePosition` is the first) with the
 * registration (`RegisterResourceRequest.sourcePosition`/`stackTrace`, as file URIs). Formatting
 * and source-mapping every frame of every such stack was half of a 100-service run, so the check's
 * program runner formats those captures cheaply (`program-runner.ts`): for a resource's capture,
 * only ONE frame is real — the first one after the constructor chain in the program's own files
 * (not under `node_modules`, not the check's own code), mapped back to the TypeScript line — and
 * every other frame is a placeholder the SDK cannot parse (it records it as a frame without
 * position). The recording monitor then takes the first frame with a position.
 *
 * Source maps: ts-node compiles each file with an inline source map; the check's transpile cache
 * returns cached output without registering it with ts-node's `source-map-support` hook, so this
 * module keeps the compiled output of every program file and maps the chosen frame itself with
 * Node's own `module.SourceMap`. ES-module programs are compiled in the loader thread: their map
 * is the one Node keeps while source maps are enabled (`module.findSourceMap`; the program's
 * process enables them, `cli/check/transpile-cache.js`). Plain JavaScript needs no map.
 */
import * as path from "path";
import { fileURLToPath, pathToFileURL } from "url";

interface NodeSourceMap {
    findEntry(line: number, column: number): SourceMapEntry;
}
const { SourceMap, findSourceMap } = require("module") as {
    SourceMap: new (payload: object) => NodeSourceMap;
    findSourceMap(pathOrUrl: string): NodeSourceMap | undefined;
};

interface SourceMapEntry {
    originalSource?: string;
    originalLine?: number;
    originalColumn?: number;
}

/** Environment variable that turns the recording off (`off`): for comparisons and as an escape hatch. */
export const SOURCE_POSITIONS_ENV = "HEALTHY_FARGATE_SOURCE_POSITIONS";

/** A position in a source file: absolute path, 1-based line and column. */
export interface SourcePosition {
    file: string;
    line: number;
    column: number;
}

/** Frame text the SDK's frame parser (`Resource.framePositionRegExp`) does not match: a frame without position. */
const UNRECORDED_FRAME = "    at <frame not recorded by the offline check>";

const compiledOutputs = new Map<string, string>();
const sourceMaps = new Map<string, NodeSourceMap | null>();

/** Remembers the compiled output of a program file (with ts-node's inline source map). */
export function rememberCompiled(fileName: string, output: string): void {
    compiledOutputs.set(path.resolve(fileName), output);
    sourceMaps.delete(path.resolve(fileName));
}

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/;

function sourceMapOf(file: string): NodeSourceMap | null {
    if (sourceMaps.has(file)) return sourceMaps.get(file)!;
    const match = INLINE_MAP.exec(compiledOutputs.get(file) ?? "");
    let map: NodeSourceMap | null = null;
    try {
        if (match) map = new SourceMap(JSON.parse(Buffer.from(match[1], "base64").toString("utf8")));
    } catch {
        /* an unreadable map: the compiled position is reported */
    }
    sourceMaps.set(file, map);
    return map;
}

/** The position in the file the program's author wrote: through the file's source map when there is one. */
export function originalPosition(position: SourcePosition): SourcePosition {
    const map = sourceMapOf(position.file) ?? nodeSourceMap(position.file);
    const entry = map?.findEntry(position.line - 1, position.column - 1);
    if (!entry || entry.originalLine === undefined || entry.originalColumn === undefined) return position;
    const source = entry.originalSource ? (fileOf(entry.originalSource) ?? position.file) : position.file;
    return { file: source, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

/** The map Node keeps of a module it loaded while source maps are enabled (ES modules compiled in the loader thread). */
function nodeSourceMap(file: string): NodeSourceMap | undefined {
    try {
        return findSourceMap(pathToFileURL(file).href) ?? findSourceMap(file);
    } catch {
        return undefined;
    }
}

function fileOf(fileNameOrUrl: string | null | undefined): string | undefined {
    if (!fileNameOrUrl) return undefined;
    if (fileNameOrUrl.startsWith("file:")) {
        try {
            return fileURLToPath(fileNameOrUrl);
        } catch {
            return undefined;
        }
    }
    return path.isAbsolute(fileNameOrUrl) ? fileNameOrUrl : undefined;
}

/**
 * Decides which files are "the program's own": anything but `node_modules`, Node's internals and
 * the check's own directories (`excludedDirs`: the check's `cli/`, which runs the program).
 */
export function ownFileFilter(excludedDirs: string[]): (file: string) => boolean {
    const excluded = excludedDirs.map((dir) => path.resolve(dir) + path.sep);
    return (file) => !file.includes(`${path.sep}node_modules${path.sep}`) && !excluded.some((dir) => file.startsWith(dir));
}

/**
 * The stack text for one of the SDK's resource captures (see the module comment): placeholders up
 * to the first frame in the program's own files after the constructor chain, then that frame.
 * `resourceModule` is the SDK's `resource.js`, where the chain starts.
 */
export function resourceCaptureStack(frames: NodeJS.CallSite[], resourceModule: string, isOwnFile: (file: string) => boolean): string {
    let index = 0;
    while (index < frames.length && frames[index].getFileName() === resourceModule) index++;
    index++; // the concrete class's constructor (`new Bucket`, `new HealthyFargateService`): its `super` line is not the call site
    const lines = ["Error"];
    for (let i = 0; i < frames.length; i++) {
        const file = fileOf(frames[i].getFileName());
        const line = frames[i].getLineNumber();
        const column = frames[i].getColumnNumber();
        if (i >= index && file && line && column && isOwnFile(file)) {
            const position = originalPosition({ file, line, column });
            lines.push(`    at <resource construction> (${position.file}:${position.line}:${position.column})`);
            return lines.join("\n");
        }
        lines.push(UNRECORDED_FRAME);
    }
    return "Error";
}

/** The first recorded position of a registration (`sourcePosition`, else the first frame of `stackTrace` with one). */
export function positionOfRegistration(req: any): SourcePosition | undefined {
    const candidates = [req.getSourceposition?.(), ...(req.getStacktrace?.()?.getFramesList?.() ?? []).map((f: any) => f.getPc?.())];
    for (const pos of candidates) {
        const file = pos ? fileOf(pos.getUri()) : undefined;
        if (file && pos.getLine() > 0) return { file, line: pos.getLine(), column: pos.getColumn() };
    }
    return undefined;
}
