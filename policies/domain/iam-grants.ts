/**
 * IAM policy documents, read well enough to decide whether a role may perform one action on one
 * resource: what `execution-role-can-read-secrets` needs (`secretsmanager:GetSecretValue`,
 * `ssm:GetParameters`, `kms:Decrypt` for the execution role of a task with `secrets`).
 *
 * Evaluation follows IAM's order for identity policies: an explicit Deny wins, then any Allow,
 * else the action is not granted. Conditions are not evaluated: a statement with a `Condition`
 * makes the answer `conditional` (callers report "cannot verify"), never a silent pass.
 * Permission boundaries, SCPs and session policies are out of scope.
 *
 * Pure: no Pulumi, no I/O, never throws.
 */
import { arnMatches } from "./iam-arn-matching";

/** One statement, normalised. Lists are absent when the statement does not use that key. */
export interface IamStatement {
    effect: "Allow" | "Deny";
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    /** `Principal.AWS` of resource policies (key policies); `["*"]` for `"Principal": "*"`. */
    principals?: string[];
    hasCondition: boolean;
}

export type PolicyDocumentRead = { ok: true; statements: IamStatement[] } | { ok: false; reason: string };

function stringList(value: unknown): string[] | undefined {
    if (typeof value === "string") return [value];
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
    return undefined;
}

/**
 * Reads a policy document given as JSON text or as an object, with `Statement` an object or a list
 * and `Action`/`Resource` strings or lists. Statements it cannot read make the whole document
 * unreadable (`ok: false`): a wrong "not granted" would block a working deployment.
 */
export function parsePolicyDocument(document: unknown): PolicyDocumentRead {
    try {
        let doc = document;
        if (typeof doc === "string") {
            try {
                doc = JSON.parse(doc);
            } catch {
                return { ok: false, reason: "the policy document is not valid JSON" };
            }
        }
        if (doc === null || typeof doc !== "object" || Array.isArray(doc))
            return { ok: false, reason: "the policy document is not a JSON object" };
        const raw = (doc as Record<string, unknown>).Statement;
        const list = Array.isArray(raw) ? raw : raw !== undefined && raw !== null ? [raw] : [];
        const statements: IamStatement[] = [];
        for (const s of list) {
            if (s === null || typeof s !== "object" || Array.isArray(s)) return { ok: false, reason: "a statement is not an object" };
            const st = s as Record<string, unknown>;
            if (st.Effect !== "Allow" && st.Effect !== "Deny")
                return { ok: false, reason: `a statement has Effect ${JSON.stringify(st.Effect)}` };
            const out: IamStatement = {
                effect: st.Effect,
                hasCondition: st.Condition !== undefined && st.Condition !== null && Object.keys(st.Condition as object).length > 0,
            };
            for (const [key, prop] of [
                ["Action", "actions"],
                ["NotAction", "notActions"],
                ["Resource", "resources"],
                ["NotResource", "notResources"],
            ] as const) {
                if (st[key] === undefined) continue;
                const values = stringList(st[key]);
                if (!values) return { ok: false, reason: `a statement's ${key} is neither a string nor a list of strings` };
                out[prop] = values;
            }
            if (st.Principal !== undefined) {
                const p = st.Principal;
                const aws = p === "*" ? ["*"] : p && typeof p === "object" ? stringList((p as Record<string, unknown>).AWS) : undefined;
                if (aws) out.principals = aws;
            }
            statements.push(out);
        }
        return { ok: true, statements };
    } catch (error) {
        return { ok: false, reason: `the policy document could not be read (${error instanceof Error ? error.message : typeof error})` };
    }
}

/** IAM action matching: case-insensitive, `*` any run of characters, `?` one character. */
export function actionMatches(pattern: string, action: string): boolean {
    const p = pattern.toLowerCase();
    const a = action.toLowerCase();
    let previous: boolean[] = new Array(a.length + 1).fill(false);
    previous[0] = true;
    for (const ch of p) {
        const current: boolean[] = new Array(a.length + 1).fill(false);
        if (ch === "*") {
            current[0] = previous[0];
            for (let i = 1; i <= a.length; i++) current[i] = previous[i] || current[i - 1];
        } else {
            for (let i = 1; i <= a.length; i++) current[i] = previous[i - 1] && (ch === "?" || a[i - 1] === ch);
        }
        previous = current;
    }
    return previous[a.length];
}

/** Whether a statement is about `action` on the resource (tested by `resourceMatches` per pattern). */
function statementApplies(s: IamStatement, action: string, resourceMatches: (pattern: string) => boolean): boolean {
    const actionOk = s.actions
        ? s.actions.some((p) => actionMatches(p, action))
        : s.notActions
          ? !s.notActions.some((p) => actionMatches(p, action))
          : false;
    if (!actionOk) return false;
    if (s.resources) return s.resources.some(resourceMatches);
    if (s.notResources) return !s.notResources.some(resourceMatches);
    // Resource policies (key policies) may leave Resource out or use "*": the resource is the key itself.
    return s.principals !== undefined;
}

/** What the statements say about one action on one resource. */
export type GrantVerdict = "allowed" | "denied" | "conditional" | "not-granted";

/**
 * Evaluates identity-policy statements for `action` on a resource. `resourceMatches(pattern)` says
 * whether a `Resource` pattern covers the resource (use `secretsManagerArnCovers` for secrets,
 * `arnMatches` otherwise). Deny beats Allow; a matching statement with a Condition makes the
 * answer `conditional` unless an unconditional statement already decides.
 */
export function evaluateGrant(
    statements: readonly IamStatement[],
    action: string,
    resourceMatches: (pattern: string) => boolean,
): GrantVerdict {
    const applying = statements.filter((s) => statementApplies(s, action, resourceMatches));
    if (applying.some((s) => s.effect === "Deny" && !s.hasCondition)) return "denied";
    const conditionalDeny = applying.some((s) => s.effect === "Deny" && s.hasCondition);
    if (applying.some((s) => s.effect === "Allow" && !s.hasCondition)) return conditionalDeny ? "conditional" : "allowed";
    if (applying.some((s) => s.effect === "Allow")) return "conditional";
    return "not-granted";
}

/** Whether a resource policy (KMS key policy) lets `principalArn` perform `action` without conditions. */
export function resourcePolicyAllows(statements: readonly IamStatement[], action: string, principalArn: string): boolean {
    const applying = statements.filter(
        (s) =>
            s.principals?.some((p) => p === principalArn) &&
            statementApplies({ ...s, resources: undefined, notResources: undefined }, action, () => true),
    );
    return applying.some((s) => s.effect === "Allow" && !s.hasCondition) && !applying.some((s) => s.effect === "Deny");
}

/**
 * AWS managed policies whose effect on secrets we know (from the policies' published documents;
 * only the statements that matter here). Any other AWS managed policy is unknown to us.
 */
const AWS_MANAGED: Record<string, IamStatement[]> = {
    // ECR pull and CloudWatch Logs only: no secrets (docs/aws-facts.md).
    AmazonECSTaskExecutionRolePolicy: [
        {
            effect: "Allow",
            hasCondition: false,
            resources: ["*"],
            actions: [
                "ecr:GetAuthorizationToken",
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
            ],
        },
    ],
    SecretsManagerReadWrite: [{ effect: "Allow", hasCondition: false, actions: ["secretsmanager:*"], resources: ["*"] }],
    AmazonSSMReadOnlyAccess: [
        { effect: "Allow", hasCondition: false, actions: ["ssm:Describe*", "ssm:Get*", "ssm:List*"], resources: ["*"] },
    ],
    AmazonSSMFullAccess: [{ effect: "Allow", hasCondition: false, actions: ["ssm:*"], resources: ["*"] }],
    AdministratorAccess: [{ effect: "Allow", hasCondition: false, actions: ["*"], resources: ["*"] }],
    PowerUserAccess: [{ effect: "Allow", hasCondition: false, notActions: ["iam:*", "organizations:*", "account:*"], resources: ["*"] }],
};

/** The name of an AWS managed policy ARN (`arn:aws:iam::aws:policy/service-role/X` → `X`), else `undefined`. */
export function awsManagedPolicyName(arn: unknown): string | undefined {
    if (typeof arn !== "string") return undefined;
    const m = /^arn:aws[a-z-]*:iam::aws:policy\/(?:[A-Za-z0-9_+=,.@-]+\/)*([A-Za-z0-9_+=,.@-]+)$/.exec(arn);
    return m ? m[1] : undefined;
}

/** The statements of an AWS managed policy we know, or `undefined`. */
export function awsManagedPolicyStatements(arn: unknown): IamStatement[] | undefined {
    const name = awsManagedPolicyName(arn);
    return name !== undefined && Object.prototype.hasOwnProperty.call(AWS_MANAGED, name) ? AWS_MANAGED[name] : undefined;
}

/** A resource matcher for plain ARNs (SSM parameters, KMS keys). */
export function arnMatcher(arn: string): (pattern: string) => boolean {
    return (pattern) => arnMatches(pattern, arn);
}
