/**
 * Whether a rollout verification can run for the program being deployed.
 *
 * `RolloutVerification` is a Node.js dynamic resource. Pulumi runs every dynamic provider through
 * the `pulumi-resource-pulumi-nodejs` shim, which resolves `@pulumi/pulumi/cmd/dynamic-provider`
 * with `node -e require.resolve(…)` from its working directory (pulumi/pulumi
 * `sdk/nodejs/dist/pulumi-resource-pulumi-nodejs`), and that directory is the program's
 * (`pkg/resource/plugin/plugin.go` starts plugins in the context's pwd). The serialized provider
 * then `require`s its verifier by package name — `@healthy-fargate/doctor` and
 * `@healthy-fargate/components/aws-clients`, compiled JavaScript — from there too
 * (`require-from-string` with no file name resolves from the working directory;
 * components/rollout-verification.ts). A Python, Go, C# or YAML program's directory has none of
 * them, so the verification would fail after the service exists. This component provider runs in
 * that same directory (the nodejs language host's `RunPlugin` sets the plugin's working directory to
 * the same pwd), so it can check first.
 *
 * Read from the sources named above; not run here (no Pulumi CLI on this machine).
 */

/** What the dynamic-provider host and the serialized verifier resolve from the program's directory, by the package to install. */
const NEEDED: ReadonlyArray<{ module: string; install: string }> = [
    { module: "@pulumi/pulumi/cmd/dynamic-provider", install: "@pulumi/pulumi" },
    { module: "@healthy-fargate/components/aws-clients", install: "@healthy-fargate/components" },
    { module: "@healthy-fargate/doctor", install: "@healthy-fargate/doctor" },
];

function resolvableFrom(dir: string, request: string): boolean {
    try {
        require.resolve(request, { paths: [dir] });
        return true;
    } catch {
        return false;
    }
}

/**
 * Why a rollout verification cannot run from `programDir`, or undefined when it can: the modules
 * the dynamic-provider host and the verifier resolve from there, each named.
 */
export function rolloutVerificationHostProblem(programDir: string): string | undefined {
    const missing = NEEDED.filter((n) => !resolvableFrom(programDir, n.module)).map((n) => n.install);
    if (!missing.length) return undefined;
    return (
        `\`verifyRollout\` is true, but the rollout verification is a Node.js dynamic resource, which Pulumi runs from the ` +
        `program's directory (${programDir}), and ${missing.map((m) => `\`${m}\``).join(" and ")} cannot be found from there. ` +
        `Install ${missing.length === 1 ? "it" : "them"} next to the program (\`npm install ${missing.join(" ")}\`), ` +
        "or set `verifyRollout` to false and follow deployments with the doctor's `wait` command (cli/doctor/README.md)."
    );
}
