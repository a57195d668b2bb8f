/**
 * Building Analyzer requests from plain resource descriptions, the way the CLI fills them
 * (pkg/resource/plugin/analyzer_plugin.go: `Analyze`, `AnalyzeStack`, `marshalResourceOptions`).
 */
import {
    AnalyzeRequest,
    AnalyzerPropertyDependencies,
    AnalyzerProviderResource,
    AnalyzerResource,
    AnalyzerResourceOptions,
    AnalyzeStackRequest,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { BinaryWriter } from "google-protobuf";
import { type PropertyMap, toPropertyStruct } from "./property-values";

/** Resource options a policy can see (`args.opts`). Timeouts are in seconds. */
export interface ResourceOptionsInput {
    protect?: boolean;
    ignoreChanges?: string[];
    /** Leave undefined for "not specified" (the pack then omits `deleteBeforeReplace`). */
    deleteBeforeReplace?: boolean;
    aliases?: string[];
    customTimeouts?: { create?: number; update?: number; delete?: number };
    additionalSecretOutputs?: string[];
    /** URN of the parent resource. */
    parent?: string;
}

/** The provider resource of a resource (`args.provider`). */
export interface ProviderInput {
    type: string;
    name: string;
    urn?: string;
    properties?: PropertyMap;
}

/** A resource as `Analyze` sees it: its inputs before the step runs. */
export interface ResourceToAnalyze {
    type: string;
    name: string;
    /** Defaults to `urn:pulumi:<stack>::<project>::<type>::<name>` (parent types not included). */
    urn?: string;
    properties?: PropertyMap;
    options?: ResourceOptionsInput;
    provider?: ProviderInput;
}

/** A resource as `AnalyzeStack` sees it: its outputs plus its place in the graph. */
export interface StackResourceToAnalyze extends ResourceToAnalyze {
    /** Parent URN; also used as `options.parent` when that is not given. */
    parent?: string;
    /** URNs this resource depends on. */
    dependencies?: string[];
    /** Property name to the URNs that property's value came from. */
    propertyDependencies?: Record<string, string[]>;
}

/** Names used for default URNs. */
export interface UrnContext {
    stack: string;
    project: string;
}

/** The URN a resource gets when the caller does not give one. */
export function defaultUrn(ctx: UrnContext, type: string, name: string): string {
    return `urn:pulumi:${ctx.stack}::${ctx.project}::${type}::${name}`;
}

/** Builds an `AnalyzeRequest` for one resource. */
export function buildAnalyzeRequest(resource: ResourceToAnalyze, ctx: UrnContext): AnalyzeRequest {
    const req = new AnalyzeRequest();
    req.setType(resource.type);
    req.setName(resource.name);
    req.setUrn(resource.urn ?? defaultUrn(ctx, resource.type, resource.name));
    req.setProperties(toPropertyStruct(resource.properties ?? {}));
    // Always set: @pulumi/policy rejects requests without options as coming from an old CLI.
    req.setOptions(buildOptions(resource.options ?? {}));
    if (resource.provider) {
        req.setProvider(buildProvider(resource.provider, ctx));
    }
    return req;
}

/**
 * Builds an `AnalyzeStackRequest` for a whole stack, encoded one resource at a time: each
 * `AnalyzerResource` message is built, serialized and dropped before the next, so the request is
 * only ever its bytes — never thousands of google-protobuf `Struct`/`Value` objects at once (on a
 * 2,000-service program those were hundreds of MB in the check's process). The bytes are what
 * `setResourcesList` + `serializeBinary` produce: field 1 (`repeated AnalyzerResource resources`),
 * each entry length-delimited, in order. Accepts any iterable, so the caller can produce the
 * resources one by one too.
 */
export function buildAnalyzeStackRequest(resources: Iterable<StackResourceToAnalyze>, ctx: UrnContext): AnalyzeStackRequest {
    const writer = new BinaryWriter();
    for (const resource of resources) {
        writer.writeBytes(RESOURCES_FIELD, buildStackResource(resource, ctx).serializeBinary());
    }
    return new EncodedAnalyzeStackRequest(writer.getResultBuffer());
}

/** `AnalyzeStackRequest.resources`: field number 1 of analyzer.proto. */
const RESOURCES_FIELD = 1;

/**
 * An `AnalyzeStackRequest` that is its encoding: the gRPC client's serializer (analyzer_grpc_pb.js)
 * checks the class and calls `serializeBinary()`, which returns the bytes built above. Reading it
 * back (`getResourcesList`) decodes them, for tests and diagnostics.
 */
class EncodedAnalyzeStackRequest extends AnalyzeStackRequest {
    constructor(private readonly encoded: Uint8Array) {
        super();
    }

    override serializeBinary(): Uint8Array {
        return this.encoded;
    }

    override getResourcesList(): AnalyzerResource[] {
        return AnalyzeStackRequest.deserializeBinary(this.encoded).getResourcesList();
    }
}

function buildStackResource(resource: StackResourceToAnalyze, ctx: UrnContext): AnalyzerResource {
    const res = new AnalyzerResource();
    res.setType(resource.type);
    res.setName(resource.name);
    res.setUrn(resource.urn ?? defaultUrn(ctx, resource.type, resource.name));
    res.setProperties(toPropertyStruct(resource.properties ?? {}));
    const options = { ...resource.options };
    if (options.parent === undefined && resource.parent !== undefined) {
        options.parent = resource.parent;
    }
    res.setOptions(buildOptions(options));
    if (resource.provider) {
        res.setProvider(buildProvider(resource.provider, ctx));
    }
    res.setParent(resource.parent ?? "");
    res.setDependenciesList(resource.dependencies ?? []);
    const propertyDeps = res.getPropertydependenciesMap();
    for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        // The CLI skips properties without dependencies.
        if (urns.length > 0) {
            propertyDeps.set(property, new AnalyzerPropertyDependencies().setUrnsList(urns));
        }
    }
    return res;
}

function buildOptions(opts: ResourceOptionsInput): AnalyzerResourceOptions {
    const result = new AnalyzerResourceOptions();
    result.setProtect(opts.protect ?? false);
    result.setIgnorechangesList(opts.ignoreChanges ?? []);
    result.setDeletebeforereplace(opts.deleteBeforeReplace ?? false);
    result.setDeletebeforereplacedefined(opts.deleteBeforeReplace !== undefined);
    result.setAdditionalsecretoutputsList(opts.additionalSecretOutputs ?? []);
    result.setAliasesList(opts.aliases ?? []);
    // The CLI always sends timeouts, zero meaning "default".
    result.setCustomtimeouts(
        new AnalyzerResourceOptions.CustomTimeouts()
            .setCreate(opts.customTimeouts?.create ?? 0)
            .setUpdate(opts.customTimeouts?.update ?? 0)
            .setDelete(opts.customTimeouts?.delete ?? 0),
    );
    result.setParent(opts.parent ?? "");
    return result;
}

function buildProvider(provider: ProviderInput, ctx: UrnContext): AnalyzerProviderResource {
    return new AnalyzerProviderResource()
        .setType(provider.type)
        .setName(provider.name)
        .setUrn(provider.urn ?? defaultUrn(ctx, provider.type, provider.name))
        .setProperties(toPropertyStruct(provider.properties ?? {}));
}
