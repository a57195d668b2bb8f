/**
 * Shared steps of the doctor tests: run collect + diagnose over a mocked story at a fixed
 * clock, and variations of the healthy baseline (one change per case).
 */
import type { Deployment, ServiceEvent, Task } from "@aws-sdk/client-ecs";
import { collect } from "../../cli/doctor/collect";
import { diagnose, type DiagnoseOptions } from "../../cli/doctor/diagnose";
import type { Cause, CauseCode, Diagnosis } from "../../cli/doctor/types";
import { mockStory } from "./mocks";
import { CLUSTER, SERVICE, healthyStory, type Story } from "./stories";

export const NOW = new Date("2026-11-25T12:00:00Z");
export const TWO_HOURS_AGO = new Date(NOW.getTime() - 2 * 3_600_000);

/** Collects `story` through aws-sdk-client-mock and diagnoses it. */
export async function diagnoseStory(story: Story, options: DiagnoseOptions = {}): Promise<{ diagnosis: Diagnosis; sent: string[] }> {
    const mocks = mockStory(story);
    try {
        const snapshot = await collect(mocks.clients, { cluster: CLUSTER, service: SERVICE }, { since: TWO_HOURS_AGO, now: () => NOW });
        return { diagnosis: diagnose(snapshot, options), sent: mocks.sent() };
    } finally {
        mocks.restore();
    }
}

/** The healthy baseline with extra stopped/running tasks, events (newest first) and a PRIMARY patch. */
export function healthyWith(change: {
    tasks?: Task[];
    events?: ServiceEvent[];
    primary?: Partial<Deployment>;
    logs?: Record<string, string[]>;
}): Story {
    const story = healthyStory(NOW);
    story.tasks.push(...(change.tasks ?? []));
    story.service.events = [...(change.events ?? []), ...(story.service.events ?? [])];
    if (change.primary)
        story.service.deployments = story.service.deployments!.map((d) => (d.status === "PRIMARY" ? { ...d, ...change.primary } : d));
    Object.assign(story.logs, change.logs ?? {});
    return story;
}

/** The cause with `code`, failing the test with the codes found when it is missing. */
export function causeOf(d: Diagnosis, code: CauseCode): Cause {
    const cause = d.causes.find((c) => c.code === code);
    if (!cause) throw new Error(`expected cause ${code}, got [${d.causes.map((c) => c.code).join(", ")}]`);
    return cause;
}

export const codes = (d: Diagnosis) => d.causes.map((c) => c.code);
export const texts = (c: Cause) => c.evidence.map((e) => e.text);
