/**
 * Portable args → the TypeScript component's args, as one pure function (no resource is
 * registered here). The TypeScript component then validates the result with its own rules
 * (components/healthy-fargate-service/validate.ts); this file only reports what the conversion
 * itself cannot do, naming the portable field: an unknown key, an Output where a value must be
 * known, an unknown secret `kind`, a missing `ref`, settings next to `enabled: false`.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../components/healthy-fargate-service/args";
import type {
    AlarmWindowArgs,
    AlarmsArgs,
    HealthyFargateServiceArgs,
    PolicyStatement,
    SecretSourceArg,
    SmokeArgs,
} from "../components/healthy-fargate-service";
import { nearestName } from "@healthy-fargate/domain";
import type { AlarmWindow, Alarms, PortableServiceArgs, SecretSource, Smoke, TaskRoleStatement } from "./portable-args";
import { SecretKind, StatementEffect } from "./portable-args";
import { INPUT_PATHS, portableKeyProblems } from "./portable-keys";

/** Where this surface's defaults differ from the TypeScript component's (the README table). */
export const PORTABLE_DEFAULTS = {
    /** The rollout verification is a Node.js dynamic resource; see `verifyRollout` in portable-args.ts. */
    verifyRollout: false,
} as const;

/**
 * The TypeScript args (unless the portable args are malformed: unknown keys, Outputs where values
 * are needed) and the conversion's problems. A secret that cannot be converted is left out of
 * `value`, so the TypeScript validation can still report everything else in the same error.
 */
export interface Converted {
    value?: HealthyFargateServiceArgs;
    problems: string[];
}

/** A copy of `value` without the keys whose value is `undefined` or `null` (how an SDK says "not set"). */
function defined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isPending = (value: unknown): boolean => pulumi.Output.isInstance(value) || value instanceof Promise;

function matchesInputPath(path: string[]): boolean {
    return INPUT_PATHS.some((pattern) => {
        const parts = pattern.split(".");
        return parts.length === path.length && parts.every((p, i) => p === "*" || p === path[i]);
    });
}

/** Outputs (and promises) found where the component needs the value itself, by field. */
export function pendingValueProblems(value: unknown, path: string[] = []): string[] {
    const shown = path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
    if (isPending(value)) {
        return matchesInputPath(path)
            ? []
            : [
                  `\`${shown}\` must be known when the program runs, not an Output: the component derives its ` +
                      "settings from it before any resource exists. Pass the value itself.",
              ];
    }
    if (Array.isArray(value)) return value.flatMap((item, i) => pendingValueProblems(item, [...path, String(i)]));
    if (isObject(value)) return Object.entries(value).flatMap(([key, v]) => pendingValueProblems(v, [...path, key]));
    return [];
}

const KINDS: readonly string[] = Object.values(SecretKind);

/** One portable secret as the TypeScript form `{ <kind>: ref, …selectors }`, or the problems of its shape. */
function toSecretSource(field: string, source: SecretSource): { source?: SecretSourceArg; problems: string[] } {
    if (!isObject(source)) {
        return { problems: [`\`${field}\` must be an object { kind, ref, jsonKey?, versionStage?, versionId?, kmsKeyArn? }.`] };
    }
    const problems: string[] = [];
    const { kind, ref, ...selectors } = defined(source);
    if (!KINDS.includes(kind as string)) {
        const nearest = typeof kind === "string" ? nearestName(kind, KINDS) : undefined;
        problems.push(
            `\`${field}.kind\` must be one of ${KINDS.map((k) => `"${k}"`).join(", ")}, got ${JSON.stringify(kind)}.` +
                (nearest ? ` Did you mean "${nearest}"?` : ""),
        );
    }
    if (ref === undefined) {
        problems.push(
            `\`${field}.ref\` is required: the secret's ARN (kind "secretsManager"), the parameter's name or ARN ` +
                `(kind "ssmParameter"), or the value itself (kind "value").`,
        );
    }
    return problems.length ? { problems } : { source: { [kind as string]: ref, ...selectors } as unknown as SecretSourceArg, problems };
}

/** Problems of settings given next to `enabled: false` (or, for `smoke`, without `enabled: true`). */
function ignoredSettingsProblem(field: string, settings: object, needs: "true" | "not false"): string[] {
    const keys = Object.keys(settings);
    if (!keys.length) return [];
    const fix = needs === "true" ? `set \`${field}.enabled\` to true to use them` : `remove \`${field}.enabled: false\` to use them`;
    return [`\`${field}\`: ${keys.map((k) => `\`${k}\``).join(", ")} would be ignored: ${fix}, or remove them.`];
}

/** An alarm's settings: `false` (off), undefined (its default) or the tuning object (on). */
function toAlarmWindow(field: string, window: AlarmWindow | undefined, problems: string[]): false | AlarmWindowArgs | undefined {
    if (!isObject(window)) return window;
    const { enabled, ...tuning } = defined(window);
    if (enabled === false) {
        problems.push(...ignoredSettingsProblem(field, tuning, "not false"));
        return false;
    }
    return enabled === undefined && Object.keys(tuning).length === 0 ? undefined : tuning;
}

function toAlarms(alarms: Alarms | undefined, problems: string[]): false | AlarmsArgs | undefined {
    if (!isObject(alarms)) return alarms;
    const { enabled, unhealthyHosts, targetErrorRate, latencyP90, latencyP99, runningTasks, containerHealth, ...rest } = defined(alarms);
    const windows = { unhealthyHosts, targetErrorRate, latencyP90, latencyP99, runningTasks, containerHealth };
    if (enabled === false) {
        problems.push(...ignoredSettingsProblem("alarms", defined({ ...rest, ...windows }), "not false"));
        return false;
    }
    const tuned = Object.fromEntries(
        Object.entries(windows).map(([kind, w]) => [kind, toAlarmWindow(`alarms.${kind}`, w as AlarmWindow | undefined, problems)]),
    );
    return defined({ ...rest, ...tuned }) as AlarmsArgs;
}

function toSmoke(smoke: Smoke | undefined, problems: string[]): boolean | SmokeArgs | undefined {
    if (!isObject(smoke)) return smoke as undefined;
    const { enabled, ...settings }: Smoke = defined(smoke);
    if (enabled !== true) {
        problems.push(...ignoredSettingsProblem("smoke", settings, "true"));
        return enabled;
    }
    return Object.keys(settings).length ? settings : true;
}

function toStatement(statement: TaskRoleStatement): PolicyStatement {
    const s = defined(statement);
    return defined({
        Sid: s.sid,
        Effect: s.effect ?? StatementEffect.Allow,
        Action: s.actions,
        Resource: s.resources,
        Condition: s.conditions,
    }) as PolicyStatement;
}

/**
 * The TypeScript component's args for these portable args, and the problems of the conversion
 * (see {@link Converted}). Defaults are left to the TypeScript component (one place), except
 * {@link PORTABLE_DEFAULTS} and `startup.expectedSeconds` when only the worst case is given.
 */
export function toServiceArgs(args: PortableServiceArgs): Converted {
    // Not an object: the TypeScript validation says what is required.
    if (!isObject(args)) return { value: args as unknown as HealthyFargateServiceArgs, problems: [] };
    const a = defined(args);
    const problems = [...portableKeyProblems(a), ...pendingValueProblems(a)];
    if (problems.length) return { problems };

    const secrets = Object.entries(isObject(a.secrets) ? a.secrets : {}).map(
        ([name, s]) => [name, toSecretSource(`secrets.${name}`, s)] as const,
    );
    problems.push(...secrets.flatMap(([, s]) => s.problems));
    const alarms = toAlarms(a.alarms, problems);
    const smoke = toSmoke(a.smoke, problems);

    const { startup, taskRoleStatements, verifyRollout, listener, routing, probe, drain, deployment, ...same } = a;
    const value: HealthyFargateServiceArgs = defined({
        ...same,
        listener: isObject(listener) ? defined(listener) : listener,
        routing: isObject(routing) ? defined(routing) : routing,
        probe: isObject(probe) ? defined(probe) : probe,
        drain: isObject(drain) ? defined(drain) : drain,
        deployment: isObject(deployment) ? defined(deployment) : deployment,
        secrets:
            a.secrets === undefined
                ? undefined
                : Object.fromEntries(secrets.filter(([, s]) => s.source).map(([name, s]) => [name, s.source])),
        startup: isObject(startup) ? { expectedSeconds: DEFAULTS.expectedStartupSeconds, ...defined(startup) } : startup,
        alarms,
        smoke,
        verifyRollout: verifyRollout ?? PORTABLE_DEFAULTS.verifyRollout,
        taskRoleStatements: Array.isArray(taskRoleStatements) ? taskRoleStatements.map(toStatement) : taskRoleStatements,
    } as HealthyFargateServiceArgs);
    return { value, problems };
}
