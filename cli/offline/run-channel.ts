/**
 * The wire format of the child's result channel (fd 3, see isolated.ts): newline-delimited JSON.
 * Each resource travels as soon as it is registered (a `registered` line: its inputs are final
 * then, so the check can analyze it while the program still runs, as the engine does); once the
 * program ended, one `outputs` line per resource in the same order (the placeholder outputs,
 * attached after the run), then one terminal line (the run without its resources, and how many
 * there were). Every other outcome is its terminal line alone.
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

/** One line of the channel: a resource, its outputs, or the terminal message. */
type ChannelLine =
    | { kind: "registered"; resource: CapturedResource }
    | { kind: "outputs"; outputs: CapturedResource["outputs"] }
    | { kind: "result"; run: Omit<OfflineRun, "resources">; resourceCount: number }
    | Exclude<ChildMessage, { kind: "result" }>;

/** Text handed to `write` at once: large enough for few system calls, small enough to be no peak. */
const BATCH_CHARS = 1 << 20;

/** The line that sends a resource as it is registered (its outputs follow with the result). */
export function registeredLine(resource: CapturedResource): string {
    return `${JSON.stringify({ kind: "registered", resource } satisfies ChannelLine)}\n`;
}

/**
 * Writes `message` as channel lines through `write` (which must write synchronously, whole). For a
 * run, the first `alreadySent` resources went as {@link registeredLine}s while it ran; the others
 * go now, then every resource's outputs, then the terminal line.
 */
export function writeChildMessage(message: ChildMessage, write: (text: string) => void, alreadySent = 0): void {
    if (message.kind !== "result") {
        write(`${JSON.stringify(message satisfies ChannelLine)}\n`);
        return;
    }
    const { resources, ...rest } = message.run;
    let batch = "";
    const add = (line: string) => {
        batch += line;
        if (batch.length >= BATCH_CHARS) {
            write(batch);
            batch = "";
        }
    };
    for (const resource of resources.slice(alreadySent)) add(registeredLine(resource));
    for (const resource of resources) add(`${JSON.stringify({ kind: "outputs", outputs: resource.outputs } satisfies ChannelLine)}\n`);
    write(`${batch}${JSON.stringify({ kind: "result", run: rest, resourceCount: resources.length } satisfies ChannelLine)}\n`);
}

/** Reads channel text as it arrives; `message()` is the terminal message once it came, with the run's resources. */
export interface ChannelReader {
    push(text: string): void;
    /** The terminal message; `undefined` while none came, or when the channel broke (a line that is not JSON, resources missing). */
    message(): ChildMessage | undefined;
}

/** `onResource` is told of each resource as it arrives, while the program still runs (its outputs come later). */
export function createChannelReader(onResource?: (resource: CapturedResource) => void): ChannelReader {
    let partial = "";
    let broken = false;
    let terminal: ChildMessage | undefined;
    const resources: CapturedResource[] = [];
    let withOutputs = 0;
    const take = (line: string) => {
        if (broken || terminal || !line.trim()) return;
        let parsed: ChannelLine;
        try {
            parsed = JSON.parse(line);
        } catch {
            broken = true;
            return;
        }
        if (parsed.kind === "registered") {
            // After the outputs began, no resource can come: the channel lost or reordered lines.
            if (withOutputs > 0) broken = true;
            else {
                resources.push(parsed.resource);
                onResource?.(parsed.resource);
            }
        } else if (parsed.kind === "outputs") {
            if (withOutputs >= resources.length) broken = true;
            else resources[withOutputs++]!.outputs = parsed.outputs;
        } else if (parsed.kind !== "result") terminal = parsed;
        else if (parsed.resourceCount !== resources.length || withOutputs !== resources.length) broken = true;
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
