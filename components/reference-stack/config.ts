/**
 * Configuration schema of the reference stack (`Pulumi.<stack>.yaml`), validated with zod so a
 * typo or a wrong type is a clear error naming the key, before any resource is created.
 * Every key is documented in Pulumi.yaml and Pulumi.dev.yaml.
 */
import { z } from "zod";
import { PROBE_TOOLS } from "../../policies/domain";

const startup = z.object({
    expectedSeconds: z.number().nonnegative(),
    worstCaseSeconds: z.number().nonnegative().optional(),
}).strict();

const service = z.object({
    image: z.string().min(1),
    cpu: z.union([z.number(), z.string()]).default(512),
    memory: z.union([z.number(), z.string()]).default(1024),
    desiredCount: z.number().int().nonnegative().default(2),
    probeTool: z.enum(PROBE_TOOLS as [typeof PROBE_TOOLS[number], ...typeof PROBE_TOOLS[number][]]).default("curl"),
    startup: startup.default({ expectedSeconds: 30 }),
}).strict();

export const stackConfigSchema = z.object({
    /** Treat the stack as production: zero-downtime rollout checks apply (policy `zero-downtime-rollout`). */
    productionLike: z.boolean().default(false),
    vpcCidr: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be a CIDR block such as 10.0.0.0/16").default("10.0.0.0/16"),
    availabilityZones: z.number().int().min(2).max(3).default(2),
    /** ACM certificate for HTTPS on the ALB; without it the stack serves HTTP only (dev). */
    certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:/, "must be an ACM certificate ARN").optional(),
    api: service,
    mlflow: service,
}).strict();

export type StackConfig = z.infer<typeof stackConfigSchema>;

/** Raised for an invalid stack configuration: lists every problem with its config key. */
export class StackConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid stack configuration (Pulumi.<stack>.yaml, namespace healthy-fargate):\n${problems.map(p => `  - ${p}`).join("\n")}`);
        this.name = "StackConfigError";
    }
}

/** Validates raw config values (keys without namespace → parsed JSON/strings). */
export function parseStackConfig(raw: Record<string, unknown>): StackConfig {
    const result = stackConfigSchema.safeParse(raw);
    if (result.success) return result.data;
    throw new StackConfigError(result.error.issues.map(issue => {
        const key = issue.path.join(".") || "(root)";
        return issue.code === "unrecognized_keys"
            ? `\`${key === "(root)" ? "" : key + "."}${(issue as { keys: string[] }).keys.join("`, `")}\` is not a known setting; check the spelling against Pulumi.yaml.`
            : `\`${key}\`: ${issue.message}.`;
    }));
}
