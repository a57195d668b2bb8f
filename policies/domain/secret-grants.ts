/**
 * The IAM permissions an ECS execution role needs to hand one container secret to a task: what
 * to grant, on which ARN, and the statement that would grant it. ECS reads `secrets` with the
 * execution role before the container starts (`secretsmanager:GetSecretValue` or
 * `ssm:GetParameters`, plus `kms:Decrypt` for a customer-managed key; docs/aws-facts.md).
 * Pure: no Pulumi imports.
 */
import { type GrantVerdict, type IamStatement, arnMatcher, evaluateGrant } from "./iam-grants";
import { secretsManagerArnCovers, ssmParameterArn } from "./iam-arn-matching";
import type { ArnLocation, SecretSource } from "./secret-sources";

/** One permission the role needs. */
export interface GrantNeed {
    readonly action: string;
    /** The resource as shown in messages (`<region>`/`<account>` when the location is not known). */
    readonly resource: string;
    /**
     * Whether an IAM resource pattern covers the resource: one matcher per place the resource may be.
     * A need whose ARN depends on an unknown region and account has one per sample location.
     */
    readonly matchers: readonly ((pattern: string) => boolean)[];
    /** The statement that grants it (the fix). */
    readonly grant: object;
}

/** Two locations that differ in region and account: a parameter name's ARN is decided only when both agree. */
const SAMPLE_LOCATIONS: readonly ArnLocation[] = [
    { partition: "aws", region: "us-east-1", account: "111111111111" },
    { partition: "aws", region: "eu-west-1", account: "222222222222" },
];

function need(action: string, resource: string, matchers: GrantNeed["matchers"]): GrantNeed {
    return { action, resource, matchers, grant: { Effect: "Allow", Action: action, Resource: resource } };
}

/**
 * What the execution role needs to read a secret given as `source` (`parseSecretSource`), and the
 * SSM parameter's ARN when there is one. `location` is the task's region and account, when known.
 */
export function secretReadNeeds(
    source: SecretSource,
    location: ArnLocation | undefined,
): { needs: GrantNeed[]; parameterArn?: string } | { invalid: string } {
    switch (source.kind) {
        case "secretsmanager":
            return {
                needs: [
                    {
                        ...need("secretsmanager:GetSecretValue", source.grantArn, [(p) => secretsManagerArnCovers(p, source.valueFrom)]),
                        resource: source.secretArn,
                    },
                ],
            };
        case "ssm-parameter-arn":
            return {
                parameterArn: source.parameterArn,
                needs: [need("ssm:GetParameters", source.parameterArn, [arnMatcher(source.parameterArn)])],
            };
        case "ssm-parameter-name": {
            if (location) {
                const arn = ssmParameterArn(source.parameterName, location);
                return { parameterArn: arn, needs: [need("ssm:GetParameters", arn, [arnMatcher(arn)])] };
            }
            // Without the task's region and account, decide only when every location gives the same answer.
            const shown = ssmParameterArn(source.parameterName, { partition: "aws", region: "<region>", account: "<account>" });
            return {
                needs: [
                    need(
                        "ssm:GetParameters",
                        shown,
                        SAMPLE_LOCATIONS.map((l) => arnMatcher(ssmParameterArn(source.parameterName, l))),
                    ),
                ],
            };
        }
        default:
            return { invalid: source.reason };
    }
}

/** `kms:Decrypt` on the customer-managed key that encrypts a secret or parameter. */
export function kmsDecryptNeed(keyArn: string): GrantNeed {
    return need("kms:Decrypt", keyArn, [arnMatcher(keyArn)]);
}

/**
 * What `statements` say about `grantNeed`; `"location-dependent"` when the answer differs between
 * the places the resource may be (a parameter name, with the task's region and account unknown).
 */
export function evaluateNeed(statements: readonly IamStatement[], grantNeed: GrantNeed): GrantVerdict | "location-dependent" {
    const verdicts = new Set(grantNeed.matchers.map((matches) => evaluateGrant(statements, grantNeed.action, matches)));
    return verdicts.size === 1 ? [...verdicts][0] : "location-dependent";
}
