/**
 * Resource transforms (`transforms` resource option, `pulumi.runtime.registerResourceTransform`)
 * applied offline the way the engine applies them in a real preview.
 *
 * In the engine (`pkg/resource/deploy/source_eval.go`, resmon `RegisterResource`) the resource
 * monitor runs, before anything else: the resource's own transforms, then those of each ancestor
 * (parent first), then the stack transforms in registration order; each receives a
 * `TransformRequest` (type, name, custom, parent, properties, options) over the program's
 * callbacks server and answers a `TransformResponse` whose properties/options replace the
 * resource's. Pulumi's mock monitor records the callbacks but never runs them (and SDKs before
 * ~3.2xx even refuse transforms under mocks), so a transformed resource reached the mock with its
 * original inputs. Here the recording monitor plays the engine: it calls the same SDK callbacks
 * (`CallbackServer._callbacks`, token → handler of the serialized request) in the same order.
 * A transform that cannot be run is reported by the caller and the resource's inputs become unknown.
 */

export interface TransformEngine {
    /** Records a stack transform registered with `registerResourceTransform`. */
    addStackTransform(token: string): void;
    /** Runs every transform that applies to `req` and writes the result into `req`; false when one could not be run. */
    apply(req: any, parentOf: (urn: string) => string | undefined): Promise<boolean>;
    /** Remembers the resource's own transforms for its children. */
    remember(urn: string, req: any): void;
}

type Callback = (request: Uint8Array) => Promise<{ getProperties(): any; getOptions(): any }>;

/** Options of a registration as the engine hands them to a transform (the fields programs change). */
function transformOptions(resproto: any, req: any): any {
    const opts = new resproto.TransformResourceOptions();
    opts.setDependsOnList(req.getDependenciesList());
    opts.setProtect(req.getProtect());
    opts.setIgnoreChangesList(req.getIgnorechangesList());
    opts.setReplaceOnChangesList(req.getReplaceonchangesList?.() ?? []);
    opts.setVersion(req.getVersion?.() ?? "");
    opts.setProvider(req.getProvider());
    opts.setRetainOnDelete(req.getRetainondelete?.() ?? false);
    opts.setDeleteBeforeReplace(req.getDeletebeforereplace());
    opts.setAdditionalSecretOutputsList(req.getAdditionalsecretoutputsList?.() ?? []);
    return opts;
}

/** Writes a transform's answer back into the registration request. */
function applyResponse(req: any, response: { getProperties(): any; getOptions(): any }): void {
    const props = response.getProperties();
    if (props) req.setObject(props);
    const opts = response.getOptions();
    if (!opts) return;
    req.setDependenciesList(opts.getDependsOnList());
    req.setProtect(opts.getProtect());
    req.setIgnorechangesList(opts.getIgnoreChangesList());
    req.setDeletebeforereplace(opts.getDeleteBeforeReplace());
    req.setRetainondelete?.(opts.getRetainOnDelete());
    req.setAdditionalsecretoutputsList?.(opts.getAdditionalSecretOutputsList());
}

/**
 * The engine's side of transforms for one program run. `callbacks()` returns the SDK's callback
 * map once the program created its callbacks server (`undefined` before).
 */
export function createTransformEngine(resproto: any, callbacks: () => Map<string, Callback> | undefined): TransformEngine {
    const stackTransforms: string[] = [];
    const own = new Map<string, string[]>();
    return {
        addStackTransform: (token) => {
            stackTransforms.push(token);
        },
        remember: (urn, req) => {
            const tokens = (req.getTransformsList?.() ?? []).map((cb: any) => cb.getToken());
            if (tokens.length) own.set(urn, tokens);
        },
        apply: async (req, parentOf) => {
            const tokens: string[] = (req.getTransformsList?.() ?? []).map((cb: any) => cb.getToken());
            for (let parent = req.getParent(); parent; parent = parentOf(parent)) tokens.push(...(own.get(parent) ?? []));
            tokens.push(...stackTransforms);
            for (const token of tokens) {
                const cb = callbacks()?.get(token);
                if (!cb || !resproto.TransformRequest) return false;
                const request = new resproto.TransformRequest();
                request.setType(req.getType());
                request.setName(req.getName());
                request.setCustom(req.getCustom());
                request.setParent(req.getParent());
                request.setProperties(req.getObject());
                request.setOptions(transformOptions(resproto, req));
                applyResponse(req, await cb(request.serializeBinary()));
            }
            return true;
        },
    };
}
