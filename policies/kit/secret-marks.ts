/**
 * Keeps the "was a Pulumi secret" information @pulumi/policy throws away.
 *
 * @pulumi/policy 1.21 (`server.js`) deserializes the properties of `Analyze` and `AnalyzeStack`
 * requests with `deserializeProperties(struct, false)`, which replaces every secret with its plain
 * value, so `validateResource`/`validateStack` cannot tell a value that came from `pulumi.secret`,
 * `config.requireSecret` or a secret output (`aws.ssm.Parameter.value`, `aws.rds.Instance.password`).
 * {@link keepSecretMarks} wraps that exported function: it returns exactly what it returned before
 * (so no policy sees anything different), and remembers, next to the returned object, the request's
 * wire form, from which `resources/secret-marks.ts` reads the secret paths when a rule asks.
 *
 * The pack entry (index.ts) installs it before it constructs the PolicyPack. When the module layout of
 * @pulumi/policy changes, installation does nothing and rules fall back to what they can see.
 */
import { rememberWireForm } from "../resources";

const INSTALLED = Symbol.for("healthy-fargate.keepSecretMarks");

type Deserialize = (struct: unknown, proxySecrets?: boolean) => unknown;

/** Installs the hook once per process; returns whether it is installed. Never throws. */
export function keepSecretMarks(): boolean {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the hook patches the module object itself
        const mod = require("@pulumi/policy/deserialize") as { deserializeProperties?: Deserialize; [INSTALLED]?: boolean };
        if (mod[INSTALLED]) return true;
        const original = mod.deserializeProperties;
        if (typeof original !== "function") return false;
        mod.deserializeProperties = function (this: unknown, struct: unknown, proxySecrets?: boolean) {
            const result = original.call(this, struct, proxySecrets);
            if (
                !proxySecrets &&
                result &&
                typeof result === "object" &&
                struct &&
                typeof (struct as { toJavaScript?: unknown }).toJavaScript === "function"
            ) {
                rememberWireForm(result, struct as { toJavaScript(): unknown });
            }
            return result;
        };
        mod[INSTALLED] = true;
        return true;
    } catch {
        return false;
    }
}
