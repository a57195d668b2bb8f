/**
 * Clusters of many services for `scan` tests and the bench: each service is one of the
 * single-service stories, renamed (service name and ARN, events, task group, task ids, task
 * definition family, target group, log group and streams) so that many fit in one cluster.
 */
import { healthyStory, rollbackStory, SERVICE, type Story } from "./stories";

/** Applies `rename` to every string (object keys included) below `value`; Dates stay Dates. */
function mapStrings<T>(value: T, rename: (s: string) => string): T {
    if (typeof value === "string") return rename(value) as T;
    if (value instanceof Date || value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((v) => mapStrings(v, rename)) as T;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), mapStrings(v, rename)])) as T;
}

/** `story` as service `name`; `index` makes its task ids unique in the cluster. */
export function renamed(story: Story, name: string, index: number): Story {
    const suffix = index.toString(16).padStart(8, "0");
    const taskIds = story.tasks.map((t) => t.taskArn!.split("/").pop()!);
    const rules: [RegExp, string][] = [
        [new RegExp(`(service(?:-deployment)?/[^/]+/)${SERVICE}\\b`, "g"), `$1${name}`],
        [new RegExp(`\\(service ${SERVICE}\\)`, "g"), `(service ${name})`],
        [new RegExp(`^service:${SERVICE}$`), `service:${name}`],
        [new RegExp(`task-definition/${SERVICE}:`, "g"), `task-definition/${name}:`],
        [new RegExp(`targetgroup/${SERVICE}-tg/`, "g"), `targetgroup/${name}-tg/`],
        [new RegExp(`^/ecs/${SERVICE}(?=$|\\|)`), `/ecs/${name}`],
        [new RegExp(`(^|\\|)ecs/${SERVICE}/`), `$1ecs/${name}/`],
        [new RegExp(`^${SERVICE}$`), name],
        ...taskIds.map((id): [RegExp, string] => [new RegExp(id, "g"), `${id.slice(0, 24)}${suffix}`]),
    ];
    return mapStrings(story, (s) => rules.reduce((out, [pattern, to]) => out.replace(pattern, to), s));
}

/** What each service of a generated cluster is. */
export type ClusterMix = (index: number) => "healthy" | "rolled-back";

/** Every fifth service rolled back (the seed's curl-less image), the rest healthy. */
export const EVERY_FIFTH_ROLLED_BACK: ClusterMix = (i) => (i % 5 === 4 ? "rolled-back" : "healthy");

/** A cluster of `n` services named `svc-000`, `svc-001`, … */
export function clusterOf(now: Date, n: number, mix: ClusterMix = EVERY_FIFTH_ROLLED_BACK): Story[] {
    return Array.from({ length: n }, (_, i) => {
        const base = mix(i) === "rolled-back" ? rollbackStory(now) : healthyStory(now);
        return renamed(base, `svc-${String(i).padStart(3, "0")}`, i);
    });
}
