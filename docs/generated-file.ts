/**
 * How the docs generators (`npm run docs`) finish: write the file they generate, or with `--check`
 * leave it alone and fail when the checked-in one differs from what they generate.
 */
import * as fs from "fs";
import * as path from "path";

/** Writes `text` to `file`, or with `--check` on the command line exits 1 when `file` is not `text`. */
export function writeOrCheckGenerated(file: string, text: string, argv: readonly string[] = process.argv): void {
    const shown = path.relative(process.cwd(), file);
    if (argv.includes("--check")) {
        const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
        if (current !== text) {
            process.stderr.write(`error: ${shown} is out of date: run npm run docs\n`);
            process.exit(1);
        }
    } else {
        fs.writeFileSync(file, text);
        process.stdout.write(`wrote ${shown}\n`);
    }
}
