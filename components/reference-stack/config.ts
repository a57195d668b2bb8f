/**
 * Configuration schema of the reference stack (`Pulumi.<stack>.yaml`), validated with zod so a
 * typo or a wrong type is a clear error naming the key, before any resource is created.
 * Every key is documented in Pulumi.yaml and Pulumi.dev.yaml.
 */
import { z } from "zod";
import { ECS_SERVICE, PROBE_TOOLS } from "@healthy-fargate/domain";

const startup = z
    .object({
        expectedSeconds: z.number().nonnegative(),
        worstCaseSeconds: z.number().nonnegative().optional(),
    })
    .strict();

/** How a service is deployed (HealthyFargateService `deployment`). */
const deployment = z
    .object({
        /** "rolling" (batches within min/max percent) or "blue-green" (ECS-native, with an alternate target group). */
        strategy: z.enum(["rolling", "blue-green"]).default("rolling"),
        /** Blue/green only: minutes both revisions run after traffic moved (0–1440); default derived from the deployment alarms. */
        bakeTimeMinutes: z.number().int().min(ECS_SERVICE.bakeTimeInMinutes.min).max(ECS_SERVICE.bakeTimeInMinutes.max).optional(),
    })
    .strict()
    .refine((d) => d.strategy === "blue-green" || d.bakeTimeMinutes === undefined, {
        message:
            "bakeTimeMinutes applies to strategy blue-green only (with rolling, ECS derives the bake time from the deployment alarms); remove it or set strategy: blue-green",
        path: ["bakeTimeMinutes"],
    });

const service = z
    .object({
        image: z.string().min(1),
        cpu: z.union([z.number(), z.string()]).default(512),
        memory: z.union([z.number(), z.string()]).default(1024),
        desiredCount: z.number().int().nonnegative().default(2),
        /** Omit it to let the component choose from the image (python:*-slim → python); the contract says which and why. */
        probeTool: z.enum(PROBE_TOOLS as [(typeof PROBE_TOOLS)[number], ...(typeof PROBE_TOOLS)[number][]]).optional(),
        startup: startup.default({ expectedSeconds: 30 }),
        deployment: deployment.prefault({}),
    })
    .strict();

/** PostgreSQL on RDS (components/reference-stack/database.ts). */
const database = z
    .object({
        /** The ONE declaration of the database name: the instance creates it, the API reads it from the instance. */
        name: z
            .string()
            .regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, "must start with a letter and contain only letters, digits and _ (at most 63)")
            .default("app"),
        /** Master user; its password is generated and kept in Secrets Manager by RDS. */
        username: z
            .string()
            .regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, "must start with a letter and contain only letters, digits and _ (at most 63)")
            .refine(
                (u) => !["rdsadmin", "postgres", "admin"].includes(u.toLowerCase()),
                "is reserved by RDS or PostgreSQL; pick another user name",
            )
            .default("app"),
        engineVersion: z
            .string()
            .regex(/^\d+(\.\d+)?$/, "must be a PostgreSQL version such as 16 or 16.4")
            .default("16"),
        instanceClass: z
            .string()
            .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "must be an RDS instance class such as db.t4g.micro")
            .default("db.t4g.micro"),
        /** GiB; 20 is the gp3 minimum. */
        allocatedStorage: z.number().int().min(20).max(65536).default(20),
        /** GiB; storage autoscaling ceiling, ≥ allocatedStorage (omit to turn autoscaling off). */
        maxAllocatedStorage: z.number().int().max(65536).optional(),
        multiAz: z.boolean().default(false),
        /** Days of automated backups (0 turns them off). */
        backupRetentionDays: z.number().int().min(0).max(35).default(7),
    })
    .strict()
    .refine((d) => d.maxAllocatedStorage === undefined || d.maxAllocatedStorage >= d.allocatedStorage, {
        message: "maxAllocatedStorage must be at least allocatedStorage",
        path: ["maxAllocatedStorage"],
    });

/** ElastiCache Redis (components/reference-stack/redis.ts); always encrypted in transit and at rest. */
const redis = z
    .object({
        nodeType: z
            .string()
            .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "must be an ElastiCache node type such as cache.t4g.micro")
            .default("cache.t4g.micro"),
        /** 1 = a single primary; 2+ adds replicas with automatic failover across AZs. */
        numCacheClusters: z.number().int().min(1).max(6).default(1),
        engineVersion: z
            .string()
            .regex(/^\d+(\.\d+)?$/, "must be a Redis version such as 7.1")
            .default("7.1"),
    })
    .strict();

export const stackConfigSchema = z
    .object({
        /** Treat the stack as production: zero-downtime rollout checks apply (policy `zero-downtime-rollout`). */
        productionLike: z.boolean().default(false),
        vpcCidr: z
            .string()
            .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be a CIDR block such as 10.0.0.0/16")
            .default("10.0.0.0/16"),
        availabilityZones: z.number().int().min(2).max(3).default(2),
        /** SNS topic ARN the services' alarms notify (alarm and OK); without it the alarms only show in CloudWatch and roll deployments back. */
        alarmTopicArn: z
            .string()
            .regex(/^arn:aws[a-z-]*:sns:/, "must be an SNS topic ARN")
            .optional(),
        /**
         * Serve HTTPS on `domainName`: the stack creates a DNS-validated ACM certificate (or uses
         * `certificateArn`) and an alias record for the ALB in `hostedZoneId`. Without it: HTTP on the
         * ALB's own DNS name (dev).
         */
        https: z.boolean().default(false),
        /** DNS name clients (and the API, for MLflow) use; required with `https`. */
        domainName: z
            .string()
            .regex(
                /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
                "must be a lower-case DNS name such as platform.example.com",
            )
            .optional(),
        /** Route 53 public hosted zone of `domainName`: certificate validation record and the ALB alias go there. */
        hostedZoneId: z
            .string()
            .regex(/^Z[A-Z0-9]{1,32}$/, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ")
            .optional(),
        /** An existing ACM certificate for `domainName` (same region as the ALB) instead of the one the stack creates. */
        certificateArn: z
            .string()
            .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, "must be an ACM certificate ARN")
            .optional(),
        api: service,
        mlflow: service,
        database: database.prefault({}),
        redis: redis.prefault({}),
    })
    .strict()
    .superRefine((c, ctx) => {
        const set = (key: string) => `pulumi config set healthy-fargate:${key}`;
        if (c.https) {
            if (c.domainName === undefined)
                ctx.addIssue({
                    code: "custom",
                    path: ["domainName"],
                    message:
                        `is required with \`https: ` +
                        `true\`: the name clients use, on the certificate and pointed at the ALB. Set it with \`${set("domainName")} ` +
                        `api.example.com\``,
                });
            if (c.hostedZoneId === undefined)
                ctx.addIssue({
                    code: "custom",
                    path: ["hostedZoneId"],
                    message:
                        `is required with \`https: ` +
                        `true\`: the stack validates the certificate and creates the ALB's alias record in this Route 53 hosted zone. ` +
                        `Set it with \`${set("hostedZoneId")} Z0123456789ABCDEFGHIJ\` (\`aws route53 list-hosted-zones-by-name\`)`,
                });
            return;
        }
        for (const key of ["domainName", "hostedZoneId", "certificateArn"] as const) {
            if (c[key] !== undefined)
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    message: "is used only with `https: true`; " + "set `healthy-fargate:https: true` or remove it",
                });
        }
    });

export type StackConfig = z.infer<typeof stackConfigSchema>;

/** Raised for an invalid stack configuration: lists every problem with its config key. */
export class StackConfigError extends Error {
    constructor(
        readonly problems: string[],
        stack = "<stack>",
    ) {
        super(
            `Invalid stack configuration (Pulumi.${stack}.yaml, ` +
                `namespace healthy-fargate):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
        this.name = "StackConfigError";
    }
}

/** Validates raw config values (keys without namespace → parsed JSON/strings). */
export function parseStackConfig(raw: Record<string, unknown>, stack?: string): StackConfig {
    const result = stackConfigSchema.safeParse(raw);
    if (result.success) return result.data;
    throw new StackConfigError(
        result.error.issues.map((issue) => {
            const key = issue.path.join(".") || "(root)";
            return issue.code === "unrecognized_keys"
                ? `\`${key === "(root)" ? "" : key + "."}${(issue as { keys: string[] }).keys.join("`, `")}\` is not a known setting; check the spelling against Pulumi.yaml.`
                : `\`${key}\`: ${issue.message}.`;
        }),
        stack,
    );
}
