/**
 * Which probe tool (`ProbeTool`) a container health check can use in a given image, from what the
 * table of known base images (base-images.ts) says the image ships.
 *
 * Order of preference when choosing: the image's own language runtime first (python → `python3`,
 * node → `node`: the app cannot run without it, so it is there as long as the app is), then
 * `curl`, then `wget` (BusyBox wget on alpine). An image the table does not know keeps the
 * caller's default, and the answer says so.
 *
 * Pure: no Pulumi, no I/O, never throws.
 */
import { type ToolPresence, toolsInImage } from "./base-images";
import { PROBE_TOOLS, type ProbeTool } from "./probe-command";

/** The executable each probe tool runs (the generated command calls it by this bare name). */
export const PROBE_TOOL_EXECUTABLE: Record<ProbeTool, string> = { curl: "curl", wget: "wget", node: "node", python: "python3" };

/** Preference order when the image decides (see the module comment). */
const PREFERENCE: readonly ProbeTool[] = ["python", "node", "curl", "wget"];

/** How the probe tool of a service was decided, recorded in its health contract. */
export interface ProbeToolChoice {
    /** `args`: the caller set it; `image`: chosen from the image; `default`: the image is unknown, the default applies. */
    by: "args" | "image" | "default";
    /** One sentence: which tool and why. */
    reason: string;
}

/** Whether a probe tool runs in an image (by its bare name), and the table's evidence. */
export interface ProbeToolVerdict {
    runs: boolean | "unknown";
    evidence: string;
}

/** Whether `tool`'s executable runs by its bare name in the image: true, false or "unknown". */
function runs(presence: ToolPresence): boolean | "unknown" {
    if (presence.present !== true) return presence.present;
    return presence.onPath !== false;
}

/** For a known image: each probe tool's verdict with the table's evidence; `undefined` for an image the table does not know. */
export function probeToolsInImage(image: string): { family: string; tools: Record<ProbeTool, ProbeToolVerdict> } | undefined {
    const info = toolsInImage(image);
    if (info.family === undefined) return undefined;
    const tools = Object.fromEntries(
        PROBE_TOOLS.map((tool) => {
            const presence = info.tools[PROBE_TOOL_EXECUTABLE[tool] as keyof typeof info.tools];
            const verdict = runs(presence);
            const offPath = presence.present === true && presence.onPath === false ? ` (at ${presence.path}, not on PATH)` : "";
            return [tool, { runs: verdict, evidence: `${presence.evidence}${offPath}` }];
        }),
    ) as Record<ProbeTool, ProbeToolVerdict>;
    return { family: info.family, tools };
}

/**
 * Chooses the probe tool for `image` when the caller did not: the first tool of the preference
 * order the image is known to run; `fallback` (with `by: "default"`) for an unknown image; and
 * `tool: undefined` for a known image in which none of the tools runs (distroless, scratch):
 * then no generated probe can work, and the caller must say so.
 */
export function chooseProbeTool(image: string, fallback: ProbeTool): { tool: ProbeTool | undefined; choice: ProbeToolChoice } {
    const known = probeToolsInImage(image);
    if (!known) {
        return {
            tool: fallback,
            choice: {
                by: "default",
                reason:
                    `\`${fallback}\` by default: image ${JSON.stringify(image)} is not in the table of known ` +
                    `base images, so whether it ships ${fallback} is not known; set \`probe.tool\` to a tool the image has.`,
            },
        };
    }
    const chosen = PREFERENCE.find((tool) => known.tools[tool].runs === true);
    if (chosen === undefined) {
        return {
            tool: undefined,
            choice: {
                by: "image",
                reason:
                    `image ${JSON.stringify(image)} (${known.family}) runs none of ` +
                    `${PROBE_TOOLS.map((t) => `\`${PROBE_TOOL_EXECUTABLE[t]}\``).join(", ")} by name.`,
            },
        };
    }
    return { tool: chosen, choice: { by: "image", reason: `\`${chosen}\` chosen from the image: ${known.tools[chosen].evidence}.` } };
}

/**
 * The problem with probing with `tool` in `image` when the table knows the image lacks it (or has
 * it off PATH), with the fix; `undefined` when it runs or when that is not known.
 */
export function probeToolProblem(tool: ProbeTool, image: string): { problem: string; fix: string } | undefined {
    const known = probeToolsInImage(image);
    if (!known || known.tools[tool].runs !== false) return undefined;
    const alternative = PREFERENCE.find((t) => known.tools[t].runs === true);
    const executable = PROBE_TOOL_EXECUTABLE[tool];
    return {
        problem:
            `image ${JSON.stringify(image)} cannot run \`${executable}\`: ${known.tools[tool].evidence}. ` +
            `Every health check would fail, and ECS would replace every task.`,
        fix: alternative
            ? `Set \`probe.tool: "${alternative}"\` (${known.tools[alternative].evidence}), or remove \`probe.tool\` to let the image ` +
              `decide.`
            : "Install a probe tool in the image (e.g. `RUN apt-get install -y --no-install-recommends curl`), " +
              "or use a base image that has one.",
    };
}
