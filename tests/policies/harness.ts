/**
 * Runs pack policies the way @pulumi/policy's server does (node_modules/@pulumi/policy/server.js),
 * without gRPC: props wrapped in `unknownCheckingProxy`, `getConfig` returning the policy's
 * config, and `reportViolation` recording each call the way `makeReportViolationFun` builds the
 * diagnostic (string form: "<description>\n<message>" at the policy's level; object form: its own
 * message and level).
 */
import * as assert from "assert";
import { unknownCheckingProxy } from "@pulumi/policy";
import type {
    EnforcementLevel,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { isUndecidedMessage } from "../../policies/kit";
import type { PackPolicy } from "../../policies/policies";

export interface Diagnostic {
    policyName: string;
    /** The diagnostic message as the CLI would show it. */
    message: string;
    enforcementLevel: EnforcementLevel;
    urn?: string;
    undecided: boolean;
}

export const STACK = "dev";
export const PROJECT = "healthy-fargate";

export function urnOf(type: string, name: string, parentTypes: string[] = [], stack = STACK): string {
    return `urn:pulumi:${stack}::${PROJECT}::${[...parentTypes, type].join("$")}::${name}`;
}

function recorder(policy: PackPolicy, into: Diagnostic[]) {
    return (message: unknown, urn?: string) => {
        if (typeof message === "object" && message !== null) {
            const v = message as { message?: string; urn?: string; enforcementLevel?: EnforcementLevel; description?: string };
            const text = v.message || v.description || policy.description;
            into.push({
                policyName: policy.name,
                message: text,
                enforcementLevel: v.enforcementLevel || policy.enforcementLevel || "advisory",
                ...(v.urn ? { urn: v.urn } : {}),
                undecided: isUndecidedMessage(text),
            });
            return;
        }
        const text = message ? `${policy.description}\n${String(message)}` : policy.description;
        into.push({
            policyName: policy.name,
            message: text,
            enforcementLevel: policy.enforcementLevel || "advisory",
            ...(urn ? { urn } : {}),
            undecided: isUndecidedMessage(text),
        });
    };
}

export interface ResourceInput {
    type: string;
    name?: string;
    props: Record<string, unknown>;
    /** Types of the resource's parents, outermost first (they go into the URN). */
    parentTypes?: string[];
    stack?: string;
    config?: Record<string, unknown>;
}

export function isStackPolicy(policy: PackPolicy): policy is StackValidationPolicy {
    return typeof (policy as StackValidationPolicy).validateStack === "function";
}

/** Runs a resource policy on one resource; returns what it reported. Throws if the policy throws. */
export function runResource(policy: PackPolicy, input: ResourceInput): Diagnostic[] {
    const p = policy as ResourceValidationPolicy;
    if (!p.validateResource) throw new Error(`${policy.name} is not a resource policy`);
    const out: Diagnostic[] = [];
    const name = input.name ?? "subject";
    const type = input.type;
    const props = unknownCheckingProxy(input.props) as Record<string, any>;
    const args: ResourceValidationArgs = {
        type,
        name,
        props,
        urn: urnOf(type, name, input.parentTypes, input.stack),
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => (input.config ?? {}) as T,
        notApplicable: (reason?: string) => {
            throw new Error(`notApplicable: ${reason}`);
        },
    };
    const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
    for (const v of validations) {
        const result = v(args, recorder(policy, out) as never);
        if (result instanceof Promise) throw new Error("pack policies are synchronous");
    }
    return out;
}

export interface StackResourceInput {
    /** Local key used by `parent`, `dependsOn` and `propertyDependencies`. */
    key: string;
    type: string;
    name?: string;
    props: Record<string, unknown>;
    parent?: string;
    dependsOn?: string[];
    propertyDependencies?: Record<string, string[]>;
}

/** Runs a stack policy on a set of resources (linked by key like the server links URNs). */
export function runStack(
    policy: PackPolicy,
    inputs: StackResourceInput[],
    options: { config?: Record<string, unknown>; stack?: string } = {},
): Diagnostic[] {
    if (!isStackPolicy(policy)) throw new Error(`${policy.name} is not a stack policy`);
    const byKey = new Map<string, PolicyResource>();
    const parentTypes = (input: StackResourceInput): string[] => {
        const chain: string[] = [];
        let parent = input.parent ? inputs.find((i) => i.key === input.parent) : undefined;
        for (let i = 0; parent && i < 32; i++) {
            chain.unshift(parent.type);
            parent = parent.parent ? inputs.find((x) => x.key === parent!.parent) : undefined;
        }
        return chain;
    };
    for (const input of inputs) {
        const name = input.name ?? input.key;
        byKey.set(input.key, {
            type: input.type,
            name,
            urn: urnOf(input.type, name, parentTypes(input), options.stack),
            props: unknownCheckingProxy(input.props) as Record<string, any>,
            opts: {
                protect: false,
                ignoreChanges: [],
                aliases: [],
                customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
                additionalSecretOutputs: [],
            },
            dependencies: [],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
        });
    }
    for (const input of inputs) {
        const r = byKey.get(input.key)!;
        if (input.parent && byKey.has(input.parent)) r.parent = byKey.get(input.parent);
        r.dependencies = (input.dependsOn ?? []).map((k) => byKey.get(k)).filter((x): x is PolicyResource => x !== undefined);
        for (const [prop, keys] of Object.entries(input.propertyDependencies ?? {})) {
            r.propertyDependencies[prop] = keys.map((k) => byKey.get(k)).filter((x): x is PolicyResource => x !== undefined);
        }
    }
    const out: Diagnostic[] = [];
    const args: StackValidationArgs = {
        resources: [...byKey.values()],
        stackTags: new Map(),
        getConfig: <T extends object>() => (options.config ?? {}) as T,
        notApplicable: (reason?: string) => {
            throw new Error(`notApplicable: ${reason}`);
        },
    };
    const result = policy.validateStack(args, recorder(policy, out) as never);
    if (result instanceof Promise) throw new Error("pack policies are synchronous");
    return out;
}

/** Decided violations only. */
export function violations(ds: Diagnostic[]): Diagnostic[] {
    return ds.filter((d) => !d.undecided);
}

/** Undecided reports only. */
export function undecided(ds: Diagnostic[]): Diagnostic[] {
    return ds.filter((d) => d.undecided);
}

/** Where a finding points: the resource and the field, as `policies/kit/report.ts` formats them. */
export interface FindingLocation {
    resource: string;
    type: string;
    path: string;
    undecided: boolean;
}

const LOCATED = /(?:^|\n)(\[undecided\] )?'([^']*)' \(([^)]*)\) `([^`]*)`: /;

/**
 * The location of a finding (resource name and type, field path, decided or not), read from its
 * message. For tests about *which* resource and field a policy flags, so that rewording a
 * message does not break them; tests about the message itself keep asserting its text.
 */
export function locate(d: Diagnostic): FindingLocation {
    const m = LOCATED.exec(d.message);
    if (!m) throw new Error(`not a finding of the pack's format: ${JSON.stringify(d.message)}`);
    return { resource: m[2], type: m[3], path: m[4], undecided: m[1] !== undefined };
}

/** The field paths of the findings, in report order. */
export function paths(ds: Diagnostic[]): string[] {
    return ds.map((d) => locate(d).path);
}

/**
 * Asserts where a finding points (the keys given: field path, resource name and type, undecided)
 * and nothing of its wording.
 */
export function assertFinding(d: Diagnostic | undefined, expected: Partial<FindingLocation>): void {
    assert.ok(d, `expected a finding at ${JSON.stringify(expected)}, got none`);
    const actual = locate(d);
    const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, actual[k as keyof FindingLocation]]));
    assert.deepStrictEqual(picked, expected, d.message);
}
