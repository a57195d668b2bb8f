/**
 * Where a process's CPU time went, from a V8 CPU profile (`node --cpu-prof`): each sample is
 * charged to the first matching category walking from the sampled frame up its stack, so that
 * e.g. TypeScript called by ts-node counts as "TypeScript transpile" wherever it was required
 * from. Categories are ordered: the first that matches a frame wins.
 */
import * as fs from "fs";

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string };
    children?: number[];
}

interface CpuProfile {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
}

/** A category: a name and a test on a frame's URL and function. */
export interface Category {
    name: string;
    matches(url: string, functionName: string): boolean;
}

const inModule = (name: string) => (url: string) => url.includes(`/node_modules/${name}/`);

/** The check's categories, most specific first. */
export const CHECK_CATEGORIES: Category[] = [
    { name: "idle: waiting (for the pack, for I/O)", matches: (_url, fn) => fn === "(idle)" },
    { name: "garbage collection", matches: (_url, fn) => fn === "(garbage collector)" },
    {
        name: "TypeScript transpile (program, components: ts-node)",
        matches: (url) => inModule("typescript")(url) || inModule("ts-node")(url),
    },
    {
        name: "loading modules: resolve, read, compile (@pulumi/*, their dependencies, components)",
        matches: (url, fn) =>
            url.startsWith("node:internal/modules") ||
            /^(wrapSafe|compileFunctionForCJSLoader|readFileUtf8|internalModuleStat|realpathSync)$/.test(fn),
    },
    {
        name: "analysis: requests, gRPC, protobuf",
        matches: (url) =>
            /\/cli\/analyzer\/|\/cli\/check\/analyze/.test(url) || inModule("@grpc/grpc-js")(url) || inModule("google-protobuf")(url),
    },
    { name: "running the program: Pulumi SDKs (resources, outputs, mocks)", matches: (url) => /\/node_modules\/@pulumi\//.test(url) },
    {
        name: "running the program: its own code, components, placeholders",
        matches: (url) => url.startsWith("file://") && !url.includes("/node_modules/"),
    },
    { name: "other libraries' code", matches: (url) => url.includes("/node_modules/") },
];

/** Milliseconds per category (plus "other"), largest first, and the profile's total. */
export function summarizeProfile(
    file: string,
    categories: Category[] = CHECK_CATEGORIES,
): { totalMs: number; rows: Array<[string, number]> } {
    const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
    const categoryOf = new Map<number, string>();
    const categorize = (id: number): string => {
        const known = categoryOf.get(id);
        if (known) return known;
        const { url, functionName } = byId.get(id)!.callFrame;
        const own = categories.find((c) => c.matches(url, functionName))?.name;
        const up = parent.get(id);
        const result = own ?? (up === undefined ? "other" : categorize(up));
        categoryOf.set(id, result);
        return result;
    };
    const totals = new Map<string, number>();
    let totalMs = 0;
    profile.samples.forEach((id, i) => {
        const ms = (profile.timeDeltas[i] ?? 0) / 1000;
        totalMs += ms;
        totals.set(categorize(id), (totals.get(categorize(id)) ?? 0) + ms);
    });
    return { totalMs, rows: [...totals].sort((a, b) => b[1] - a[1]) };
}
