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

/** Builds an `AnalyzeStackRequest` for a whole stack. */
export function buildAnalyzeStackRequest(resources: StackResourceToAnalyze[], ctx: UrnContext): AnalyzeStackRequest {
    const req = new AnalyzeStackRequest();
    req.setResourcesList(resources.map((r) => buildStackResource(r, ctx)));
    return req;
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
