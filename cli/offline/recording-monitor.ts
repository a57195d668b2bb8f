/**
 * Pulumi's mocks (`pulumi.runtime.setMocks`) wrapped so that the mock resource monitor behaves
 * like the engine where a preview depends on it, and records every registration:
 * - inputs are captured as the engine would hand them to an analyzer (`wire-values.ts`): secrets
 *   stay secrets where they are, resource references become IDs/URNs, unknowns stay unknown;
 * - transforms run as the engine runs them (`transforms.ts`);
 * - a data source without an offline answer returns an *unknown* result (the SDK's invoke
 *   `unknown` flag, as the engine answers an invoke it cannot serve in a preview), so what depends
 *   on it is unknown — undecided for the policies — instead of an invented value.
 * Works with @pulumi/pulumi 3.1xx–3.2xx: every SDK-internal method is looked up before use.
 */
import * as path from "path";
import type * as PulumiSdk from "@pulumi/pulumi";
import { DEFAULT_PLACEMENT, type Placement, resourceOutputs } from "./placeholder-outputs";
import { hasOfflineAnswer, invokeResult } from "./invoke-results";
import { createTransformEngine } from "./transforms";
import { UNKNOWN, analyzerProperties } from "./wire-values";
import { positionOfRegistration, type SourcePosition } from "./source-positions";
import type { CapturedResource } from "./program-runner";

/** What {@link installRecordingMocks} captures while a program runs. */
export interface Recorder {
    resources: CapturedResource[];
    unknownInvokes: Set<string>;
    /** Things the reader must know (transforms that could not run, stack references, …). */
    notes: string[];
    /** Copies each resource's placeholder outputs onto its captured record (call after the run). */
    attachOutputs(): void;
    /** Resources constructed but not registered yet, and data sources not answered yet. */
    pending(): string[];
}

export interface RecordingOptions {
    placement?: Placement;
    /** `pulumi.runtime.isDryRun()`: true as in `pulumi preview` (the offline check); false for unit tests. */
    dryRun?: boolean;
    /** Told of each resource as it is captured (see `RunOptions.onResource`). */
    onResource?(resource: CapturedResource): void;
}

const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** An SDK module by its path relative to `runtime/` (where the given settings module is). */
function sdkModule(settings: any, name: string): any {
    const file = Object.keys(require.cache).find((f) => require.cache[f]?.exports === settings);
    if (!file) return undefined;
    try {
        return require(path.join(path.dirname(file), name));
    } catch {
        return undefined;
    }
}

function captureOf(req: any, res: any, inputs: Record<string, any>): CapturedResource {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap?.().forEach((deps: any, key: string) => {
        propertyDependencies[key] = deps.getUrnsList();
    });
    return {
        urn: res.getUrn(),
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        remote: req.getRemote?.() ?? false,
        parent: req.getParent() || undefined,
        provider: req.getProvider() || undefined,
        id: res.getId() || undefined,
        inputs,
        outputs: {},
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        options: {
            protect: req.getProtect() || undefined,
            ignoreChanges: req.getIgnorechangesList().length ? req.getIgnorechangesList() : undefined,
            deleteBeforeReplace: req.getDeletebeforereplace() || undefined,
            retainOnDelete: req.getRetainondelete?.() || undefined,
        },
        ...sourceOf(req),
    };
}

function sourceOf(req: any): { source?: SourcePosition } {
    const source = positionOfRegistration(req);
    return source ? { source } : {};
}

/**
 * Installs Pulumi mocks that answer with {@link resourceOutputs}/{@link invokeResult} and wraps the
 * mock monitor as described in the module comment. Used by the offline runner and by unit tests.
 */
export async function installRecordingMocks(
    pulumi: typeof PulumiSdk,
    settings: { getMonitor(): any },
    project: string,
    stack: string,
    placementOrOptions: Placement | RecordingOptions = DEFAULT_PLACEMENT,
): Promise<Recorder> {
    const options: RecordingOptions = "accountId" in placementOrOptions ? { placement: placementOrOptions } : placementOrOptions;
    const placement = options.placement ?? DEFAULT_PLACEMENT;
    const unknownInvokes = new Set<string>();
    const notes: string[] = [];
    const outputsByUrn = new Map<string, Record<string, unknown>>();
    const answers = await installAnsweringMocks(pulumi, project, stack, placement, options.dryRun ?? false);

    const store = sdkModule(settings, "state")?.getStore?.();
    // The engine supports transforms; this monitor runs them (transforms.ts), whatever the SDK's mocks claim.
    if (store) store.supportsTransforms = true;
    const resproto = sdkModule(settings, "../proto/resource_pb");
    const transforms = createTransformEngine(resproto ?? {}, () => (settings as any).getCallbacks?.()?._callbacks);
    const resources: CapturedResource[] = [];
    const parents = new Map<string, string>();
    const constructed = new Counter();
    const invoking = new Counter();
    trackConstruction(settings, (key, by) => constructed.add(key, by));

    const monitor = settings.getMonitor();
    wrapRegistration(
        monitor,
        transforms,
        parents,
        notes,
        (req, res, inputs, state) => {
            constructed.add(`resource '${req.getName()}' (${req.getType()})`, -1);
            const captured = captureOf(req, res, inputs);
            parents.set(captured.urn, captured.parent ?? "");
            transforms.remember(captured.urn, req);
            outputsByUrn.set(captured.urn, state);
            resources.push(captured);
            options.onResource?.(captured);
        },
        answers.registering,
        answers.lastState,
    );
    wrapRead(monitor, notes, answers.reading);
    wrapInvoke(monitor, resproto, unknownInvokes, (token, by) => invoking.add(`data source ${token}`, by));
    recordStackTransforms(monitor, transforms);

    return {
        resources,
        unknownInvokes,
        notes,
        attachOutputs: () => {
            for (const r of resources) r.outputs = analyzerProperties(outputsByUrn.get(r.urn));
        },
        pending: () => [...constructed.keys(), ...invoking.keys()],
    };
}

/** Counts per key; a key whose count drops to zero is gone (what is still pending, for a hang's message). */
class Counter {
    private readonly counts = new Map<string, number>();

    add(key: string, by: number): void {
        const n = (this.counts.get(key) ?? 0) + by;
        if (n > 0) this.counts.set(key, n);
        else this.counts.delete(key);
    }

    keys(): IterableIterator<string> {
        return this.counts.keys();
    }
}

/** What the wrapped monitor tells the mocks about the registration being answered, and what they answered. */
interface AnsweringMocks {
    /** A registration with these analyzer-view inputs is about to be answered (the mock runs synchronously inside it). */
    registering(inputs: Record<string, any>): void;
    /** A read (`Resource.get`) with these inputs is about to be answered. */
    reading(inputs: Record<string, any>): void;
    /** The state the mock answered the last registration with. */
    lastState(): Record<string, unknown>;
}

/** Pulumi's mocks, answering resources with placeholder outputs and data sources with offline answers. */
async function installAnsweringMocks(
    pulumi: typeof PulumiSdk,
    project: string,
    stack: string,
    placement: Placement,
    dryRun: boolean,
): Promise<AnsweringMocks> {
    let current: Record<string, any> = {};
    let lastState: Record<string, unknown> = {};
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const { id, state } =
                    args.type === STACK_REFERENCE
                        ? { id: args.name, state: { name: current.name ?? args.name, outputs: UNKNOWN, secretOutputNames: [] } }
                        : resourceOutputs(args.type, args.name, current, placement);
                lastState = state;
                return { id: args.custom ? id : undefined, state };
            },
            call: (args) => invokeResult(args.token, args.inputs, placement) ?? {},
        },
        project,
        stack,
        dryRun,
    );
    return {
        registering: (inputs) => {
            current = inputs;
            lastState = {};
        },
        reading: (inputs) => {
            current = inputs;
        },
        lastState: () => lastState,
    };
}

/** Stack transforms are recorded here (the engine's list); the SDK's mock, where it has one, is told too. */
function recordStackTransforms(monitor: any, transforms: ReturnType<typeof createTransformEngine>): void {
    const mockRegister = typeof monitor.registerStackTransform === "function" ? monitor.registerStackTransform.bind(monitor) : undefined;
    monitor.registerStackTransform = (req: any, callback: (err: unknown, res: unknown) => void) => {
        transforms.addStackTransform(req.getToken());
        if (mockRegister) mockRegister(req, callback);
        else callback(null, {});
    };
}

/** Counts resources whose constructor ran (the SDK's `runtime/resource.registerResource`), so a hang can name them. */
function trackConstruction(settings: any, count: (key: string, by: number) => void): void {
    const runtimeResource = sdkModule(settings, "resource");
    if (!runtimeResource || typeof runtimeResource.registerResource !== "function" || runtimeResource.__offlineTracked) return;
    const original = runtimeResource.registerResource;
    runtimeResource.registerResource = function (res: unknown, parent: unknown, t: string, name: string, ...rest: unknown[]) {
        count(`resource '${name}' (${t})`, 1);
        return original.call(this, res, parent, t, name, ...rest);
    };
    runtimeResource.__offlineTracked = true;
}

type Done = (err: unknown, res: any) => void;

function wrapRegistration(
    monitor: any,
    transforms: ReturnType<typeof createTransformEngine>,
    parents: Map<string, string>,
    notes: string[],
    onRegistered: (req: any, res: any, inputs: Record<string, any>, state: Record<string, unknown>) => void,
    setCurrent: (inputs: Record<string, any>) => void,
    stateOfCurrent: () => Record<string, unknown>,
): void {
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: Done) => {
        transforms
            .apply(req, (urn) => parents.get(urn) || undefined)
            .then(
                (applied) => {
                    let inputs = analyzerProperties(req.getObject()?.toJavaScript());
                    if (!applied) {
                        notes.push(
                            `Transforms of '${req.getName()}' (${req.getType()}) could not be run offline with this @pulumi/pulumi: its inputs are treated as unknown, so its findings are undecided.`,
                        );
                        inputs = Object.fromEntries(Object.keys(inputs).map((k) => [k, UNKNOWN]));
                    }
                    setCurrent(inputs);
                    // The mock's newResource runs synchronously inside register: its state is this resource's.
                    register(req, (err: unknown, res: any) => {
                        if (!err && res) onRegistered(req, res, inputs, state);
                        callback(err, res);
                    });
                    const state = stateOfCurrent();
                },
                (err) => callback(err, undefined),
            );
    };
}

function wrapRead(monitor: any, notes: string[], setCurrent: (inputs: Record<string, any>) => void): void {
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req: any, callback: Done) => {
        const inputs = analyzerProperties(req.getProperties()?.toJavaScript());
        if (req.getType() === STACK_REFERENCE) {
            notes.push(
                `Stack reference '${req.getName()}' (stack ${JSON.stringify(inputs.name ?? req.getName())}) cannot be read offline: its outputs are unknown, so findings that depend on them are undecided.`,
            );
        }
        setCurrent(inputs);
        read(req, callback);
    };
}

function wrapInvoke(monitor: any, resproto: any, unknownInvokes: Set<string>, count: (token: string, by: number) => void): void {
    const invoke = monitor.invoke.bind(monitor);
    monitor.invoke = (req: any, callback: Done) => {
        const token: string = req.getTok();
        count(token, 1);
        const done: Done = (err, res) => {
            count(token, -1);
            callback(err, res);
        };
        if (token === "pulumi:pulumi:getResource" || hasOfflineAnswer(token)) return invoke(req, done);
        unknownInvokes.add(token);
        const response = new resproto.ResourceInvokeResponse();
        if (typeof response.setUnknown !== "function") return invoke(req, done); // older SDKs: an empty result
        response.setUnknown(true);
        done(null, response);
    };
}
