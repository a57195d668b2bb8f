import * as pulumi from "@pulumi/pulumi";

/**
 * Raised by a component when its args are invalid, before any child resource is registered.
 * A `RunError`, so the Pulumi CLI prints the message alone, without a stack trace.
 */
export class InvalidArgumentsError extends pulumi.RunError {
    constructor(
        readonly component: string,
        readonly problems: string[],
    ) {
        super(`Invalid arguments for ${component}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "InvalidArgumentsError";
    }
}
