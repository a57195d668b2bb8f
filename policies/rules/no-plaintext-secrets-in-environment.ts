import type { ResourceValidationPolicy } from "@pulumi/policy";
import { classifyCommandArguments, classifyEnvironmentEntry } from "../domain/index";
import { type ResourceContext, containersToJudge, resourceRule } from "../kit";
import {
    type ContainerView,
    type PathStep,
    TYPES,
    UNKNOWN,
    asArray,
    environmentEntries,
    field,
    isSecretAt,
    isUnknown,
    secretPaths,
    secretPathsUnder,
} from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

type Ctx = ResourceContext<object>;

/** Plain `environment` entries that hold a credential; returns the names reported. */
function judgeEnvironment(ctx: Ctx, c: ContainerView): Set<string> {
    const reported = new Set<string>();
    const entries = environmentEntries(c);
    if (entries === UNKNOWN) {
        ctx.report.undecided(ctx.subject, { path: `${c.path}.environment` });
        return reported;
    }
    for (const entry of entries) {
        if (entry.name === UNKNOWN) {
            ctx.report.undecided(ctx.subject, { path: entry.path });
            continue;
        }
        // An unknown value is judged by its name (the domain's rule 3).
        const finding = classifyEnvironmentEntry(entry.name, entry.value === UNKNOWN ? undefined : entry.value);
        if (!finding) continue;
        reported.add(entry.name);
        ctx.report.violation(ctx.subject, {
            path: entry.path,
            found: `\`${entry.name}\` in plain \`environment\` of container '${c.name}' [${finding.id}]`,
            problem: finding.message,
            fix: finding.fix,
        });
    }
    return reported;
}

/** Credentials written into `command` / `entryPoint` arguments. */
function judgeCommandLine(ctx: Ctx, c: ContainerView): void {
    for (const key of ["command", "entryPoint"]) {
        const argv = asArray(field(c.raw, key));
        if (argv === UNKNOWN) {
            ctx.report.undecided(ctx.subject, { path: `${c.path}.${key}` });
            continue;
        }
        if (!argv || argv.some(isUnknown) || !argv.every((a) => typeof a === "string")) continue;
        for (const finding of classifyCommandArguments(argv as string[])) {
            ctx.report.violation(ctx.subject, {
                path: `${c.path}.${key}[${finding.index}]`,
                found: `${finding.what} in \`${key}\` of container '${c.name}' [${finding.id}]`,
                problem: finding.message,
                fix: finding.fix,
            });
        }
    }
}

/** The property path of an awsx container (`taskDefinitionArgs.containers.web` → its steps). */
function awsxContainerSteps(c: ContainerView): PathStep[] {
    return c.path.split(".");
}

/**
 * Values that came from a Pulumi secret (`config.requireSecret`, `pulumi.secret`, an SSM parameter's
 * `value`, an RDS `password`) and landed in plain container settings. For awsx args the secret's
 * own field is known; a raw task definition's `containerDefinitions` string is secret as a whole.
 */
function judgeSecretMarks(ctx: Ctx, containers: ContainerView[], alreadyReported: Set<string>): void {
    const secretWording =
        "holds a value that comes from a Pulumi secret; the task definition stores it in plain text, readable by anyone who may describe it (and the secret's encryption in the Pulumi state protects nothing)";
    const secretFix =
        "Store the value in Secrets Manager (`new aws.secretsmanager.SecretVersion(..., { secretString: secretValue })`) or an SSM SecureString and pass it through the container's `secrets` (`valueFrom`: its ARN); grant the execution role access";
    if (ctx.type === TYPES.taskDefinition) {
        if (!isSecretAt(ctx.props, ["containerDefinitions"])) return;
        return ctx.report.violation(ctx.subject, {
            path: "containerDefinitions",
            found: "container definitions computed from a Pulumi secret",
            problem: `\`containerDefinitions\` ${secretWording}`,
            fix: secretFix,
        });
    }
    for (const c of containers) {
        const base = awsxContainerSteps(c);
        // A host may mark a whole enclosing property secret (the offline check does: the SDK's
        // deserializer pushes secretness up to the top-level property): report it once, there.
        const enclosing = secretPaths(ctx.props).find(
            (p) => p.length < base.length && p.every((step, i) => String(step) === String(base[i])),
        );
        if (enclosing) {
            const path = enclosing.length > 0 ? enclosing.join(".") : "*";
            ctx.report.violation(ctx.subject, {
                path,
                found: `\`${path}\` computed from a Pulumi secret`,
                problem: `\`${path}\` ${secretWording}`,
                fix: secretFix,
            });
            continue;
        }
        for (const p of secretPathsUnder(ctx.props, base)) {
            const [key, index] = p.slice(base.length);
            if (key === "environment") {
                const name = typeof index === "number" ? field(asArray(field(c.raw, "environment"))?.[index as never], "name") : undefined;
                if (typeof name === "string" && alreadyReported.has(`${c.name}/${name}`)) continue;
                const shown = typeof name === "string" ? name : typeof index === "number" ? `#${index}` : "*";
                ctx.report.violation(ctx.subject, {
                    path: `${c.path}.environment[${shown}]`,
                    found: `\`${shown}\` in plain \`environment\` of container '${c.name}' [pulumi-secret-in-environment]`,
                    problem: `The environment variable ${secretWording}`,
                    fix: secretFix,
                });
            } else if (key === "command" || key === "entryPoint") {
                ctx.report.violation(ctx.subject, {
                    path: `${c.path}.${key}${index !== undefined ? `[${index}]` : ""}`,
                    found: `\`${key}\` of container '${c.name}' [pulumi-secret-in-command]`,
                    problem: `The command line ${secretWording}`,
                    fix: secretFix,
                });
            }
        }
    }
}

/**
 * Plain `environment` values and command lines are part of the task definition: anyone who may
 * describe it (console, `DescribeTaskDefinition`, CI logs of the diff) reads them. Credentials belong
 * in `secrets`.
 */
export const noPlaintextSecretsInEnvironment: ResourceValidationPolicy = {
    name: "no-plaintext-secrets-in-environment",
    description:
        "Container environment variables and command lines must not hold credentials; credentials must come from Secrets Manager or SSM Parameter Store through the container's secrets.",
    enforcementLevel: "mandatory",
    validateResource: resourceRule([TYPES.taskDefinition, TYPES.awsxFargateTaskDefinition, TYPES.awsxFargateService], {}, (ctx) => {
        // (A HealthyFargateService refuses credentials in `environment` before it registers anything.)
        const containers = containersToJudge(ctx) ?? [];
        const reported = new Set<string>();
        for (const c of containers) {
            for (const name of judgeEnvironment(ctx, c)) reported.add(`${c.name}/${name}`);
            judgeCommandLine(ctx, c);
        }
        judgeSecretMarks(ctx, containers, reported);
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(noPlaintextSecretsInEnvironment, {
    checks: `every container (raw task definitions, awsx container args):

- every \`environment\` entry with \`classifyEnvironmentEntry\`: URLs with a password, token-shaped
  values (AWS keys, GitHub tokens, JWTs, …), and secret-like names (\`DB_PASSWORD\`, \`API_KEY\`, …) whose
  value is unknown or could be a secret;
- \`command\` and \`entryPoint\` arguments with \`classifyCommandArguments\` (\`domain/command-secrets.ts\`):
  a flag that takes a credential followed by a literal (\`--requirepass s3cr3t\`, \`--password=…\`,
  \`--api-key …\`, \`--masterauth …\`), a URL with a password (also as \`--db=postgres://u:pw@…\`), a
  token-shaped argument — also inside \`sh -c "…"\` scripts. A variable (\`"$REDIS_PASSWORD"\`, filled
  from \`secrets\`) or a file path is the right way and passes;
- values that came from a **Pulumi secret** (\`config.requireSecret\`, \`pulumi.secret\`, secret outputs
  such as \`aws.ssm.Parameter.value\`, \`aws.rds.Instance.password\`,
  \`aws.secretsmanager.SecretVersion.secretString\`): for awsx args the secret \`environment\` value or
  \`command\` argument is named (\`[pulumi-secret-in-environment]\`, \`[pulumi-secret-in-command]\`); a raw
  task definition's \`containerDefinitions\` string is secret as a whole when any part of it came from a
  secret (also while it is still unknown in a preview), and is reported once.

How the pack knows a value was secret: the engine (and the offline check) send secrets to the
analyzer marked, but @pulumi/policy 1.21 unwraps them before policies run (\`server.js\` calls
\`deserializeProperties(…, false)\` for \`Analyze\` and \`AnalyzeStack\`). The pack's entry installs
\`keepSecretMarks()\` (\`kit/secret-marks.ts\`), which wraps that function — policies get exactly the
same plain values — and keeps the request's wire form next to them; \`secretPaths(props)\`
(\`resources/secret-marks.ts\`) reads the marks from there, or from secret wrappers a host passes in
the values. When the library's layout changes, the hook installs nothing and only the other checks run.

The message names the variable or argument, never its value, and shows the \`secrets\` form.
HealthyFargateService refuses credentials in \`environment\` itself before registering anything.`,
    rationale: `Plain environment values and command lines are part of the task definition: anyone who may
describe it reads them, they end up in diffs and logs, and command lines also show in \`ps\`. A Pulumi
secret placed there is encrypted in the Pulumi state and in plain text in ECS.`,
    config: `none.`,
    remediation: `Store the value in Secrets Manager or SSM Parameter Store and reference it:
\`secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:<region>:<account>:secret:<name>" }]\`,
use the variable in the command (\`["sh", "-c", "exec redis-server --requirepass \\"$REDIS_PASSWORD\\""]\`),
and grant the execution role access (see \`execution-role-can-read-secrets\`).`,
    examples: `Fails:
\`\`\`ts
environment: [{ name: "DB_PASSWORD", value: "hunter2-but-longer" }]
command: ["redis-server", "--requirepass", "hunter2-but-longer"]
\`\`\`
Passes:
\`\`\`ts
secrets: [{ name: "DB_PASSWORD", valueFrom: dbSecret.arn }]
command: ["sh", "-c", "exec redis-server --requirepass \\"$REDIS_PASSWORD\\""]
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: noPlaintextSecretsInEnvironment, metadata };
