/**
 * The wire format of the child's result channel (fd 3, see isolated.ts): newline-delimited JSON.
 * A run travels as one line per captured resource, then one terminal line (the run without its
 * resources, and how many there were); every other outcome is its terminal line alone.
 *
 * Why not one `JSON.stringify` of the whole run: for thousands of resources that one string
 * (two bytes per character as soon as a note holds a non-Latin-1 character), its Buffer copy in
 * the child and the concatenated and parsed copies in the check all live at the peak of each
 * process. Line by line, each side holds only the parsed resources plus one batch of text.
 * Pure: no Pulumi imports, no I/O of its own.
 */
import type { CapturedResource, OfflineRun } from "./program-runner";

export type ChildMessage =
    | { kind: "result"; run: OfflineRun }
    | { kind: "error"; message: string }
    | { kind: "timeout"; pending: string[] }
    | { kind: "exited"; code: number; calledByProgram: boolean; pending: string[] };

/** One line of the channel: a resource of the run being sent, or the terminal message. */
type ChannelLine =
    | { kind: "resource"; resource: CapturedResource }
    | { kind: "result"; run: Omit<OfflineRun, "resources">; resourceCount: number }
    | Exclude<ChildMessage, { kind: "result" }>;

/** Text handed to `write` at once: large enough for few system calls, small enough to be no peak. */
const BATCH_CHARS = 1 << 20;

/** Writes `message` as channel lines through `write` (which must write synchronously, whole). */
export function writeChildMessage(message: ChildMessage, write: (text: string) => void): void {
    if (message.kind !== "result") {
        write(`${JSON.stringify(message satisfies ChannelLine)}\n`);
        return;
    }
    const { resources, ...rest } = message.run;
    let batch = "";
    for (const resource of resources) {
        batch += `${JSON.stringify({ kind: "resource", resource } satisfies ChannelLine)}\n`;
        if (batch.length >= BATCH_CHARS) {
            write(batch);
            batch = "";
        }
    }
    write(`${batch}${JSON.stringify({ kind: "result", run: rest, resourceCount: resources.length } satisfies ChannelLine)}\n`);
}

/** Reads channel text as it arrives; `message()` is the terminal message once it came, with the run's resources. */
export interface ChannelReader {
    push(text: string): void;
    /** The terminal message; `undefined` while none came, or when the channel broke (a line that is not JSON, resources missing). */
    message(): ChildMessage | undefined;
}

export function createChannelReader(): ChannelReader {
    let partial = "";
    let broken = false;
    let terminal: ChildMessage | undefined;
    const resources: CapturedResource[] = [];
    const take = (line: string) => {
        if (broken || terminal || !line.trim()) return;
        let parsed: ChannelLine;
        try {
            parsed = JSON.parse(line);
        } catch {
            broken = true;
            return;
        }
        if (parsed.kind === "resource") resources.push(parsed.resource);
        else if (parsed.kind !== "result") terminal = parsed;
        else if (parsed.resourceCount !== resources.length) broken = true;
        else terminal = { kind: "result", run: { ...parsed.run, resources } };
    };
    return {
        push: (text) => {
            const lines = (partial + text).split("\n");
            partial = lines.pop()!;
            lines.forEach(take);
        },
        message: () => (broken ? undefined : terminal),
    };
}
