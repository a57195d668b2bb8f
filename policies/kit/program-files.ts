/**
 * Reading files of the Pulumi program from inside the pack (Dockerfiles of images the program
 * builds). The pack runs with its own directory as working directory (the CLI starts it there), so
 * relative paths from the program's inputs are resolved against a configured program directory.
 * Reads are bounded and never throw.
 */
import * as fs from "fs";
import * as path from "path";

/** Largest file read (a Dockerfile is a few KiB). */
const MAX_BYTES = 1_000_000;

/** The program directory: `configured` resolved against the pack's working directory. */
export function programDirectory(configured: string): string {
    return path.resolve(process.cwd(), configured === "" ? ".." : configured);
}

/** True for build contexts that are not local directories (URLs, git remotes). */
export function isRemoteLocation(location: string): boolean {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) || /^git@/.test(location) || /^github\.com\//.test(location) || location === "-";
}

/** `target` resolved against `base` (absolute paths stay). */
export function resolveIn(base: string, target: string): string {
    return path.resolve(base, target);
}

/** The first of `candidates` that is a readable file, with its text; or why none could be read. */
export function readFirstFile(candidates: string[]): { file: string; text: string } | { error: string } {
    for (const file of candidates) {
        try {
            const stat = fs.statSync(file);
            if (!stat.isFile()) continue;
            if (stat.size > MAX_BYTES) return { error: `${file} is larger than ${MAX_BYTES} bytes` };
            return { file, text: fs.readFileSync(file, "utf8") };
        } catch {
            continue;
        }
    }
    return { error: `no readable file at ${[...new Set(candidates)].join(" or ")}` };
}
