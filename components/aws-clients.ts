/**
 * SDK clients for the rollout verification, built from plain {@link AwsAccess} settings so they
 * read the same account, region and endpoints as the AWS provider that deployed the service:
 * static keys, else the profile (`fromIni`), else the SDK's default chain; then each role of the
 * assume-role chain in order (`fromTemporaryCredentials`, each with the previous credentials).
 *
 * Loaded by the verification's dynamic provider with `require` (see rollout-verification.ts), so
 * it imports only npm packages and types.
 */
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { DoctorClients } from "@healthy-fargate/doctor";
import type { AwsAccess, AwsAssumeRole, AwsStaticCredentials } from "./aws-access";

/** One attempt per SDK call: the doctor retries throttling and transient errors itself, with backoff and a call budget (cli/doctor/calls.ts). */
const MAX_ATTEMPTS = 1;
const SESSION_NAME = "healthy-fargate-rollout-verification";

/** Static keys or a credential provider function. */
type Credentials = AwsStaticCredentials | ReturnType<typeof fromIni> | ReturnType<typeof fromTemporaryCredentials>;

/** The credentials the clients sign with (`undefined`: the SDK's default chain). */
export function credentialsFor(access: AwsAccess, keys?: AwsStaticCredentials): Credentials | undefined {
    const stsConfig = { region: access.region, ...(access.endpoints.sts ? { endpoint: access.endpoints.sts } : {}) };
    let credentials: Credentials | undefined =
        keys ?? (access.profile ? fromIni({ profile: access.profile, clientConfig: stsConfig }) : undefined);
    for (const role of access.assumeRoles) {
        credentials = fromTemporaryCredentials({ masterCredentials: credentials, params: assumeRoleParams(role), clientConfig: stsConfig });
    }
    return credentials;
}

function assumeRoleParams(role: AwsAssumeRole) {
    return {
        RoleArn: role.roleArn,
        RoleSessionName: role.sessionName ?? SESSION_NAME,
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
        ...(role.durationSeconds ? { DurationSeconds: role.durationSeconds } : {}),
        ...(role.policy ? { Policy: role.policy } : {}),
        ...(role.policyArns ? { PolicyArns: role.policyArns.map((arn) => ({ arn })) } : {}),
        ...(role.sourceIdentity ? { SourceIdentity: role.sourceIdentity } : {}),
        ...(role.tags ? { Tags: Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
        ...(role.transitiveTagKeys ? { TransitiveTagKeys: role.transitiveTagKeys } : {}),
    };
}

export interface VerificationClients extends DoctorClients {
    readonly sts: STSClient;
}

/** ECS, ELBv2, CloudWatch Logs (per region) and STS clients with `access`'s credentials, region and endpoints. */
export function createAwsClients(access: AwsAccess, keys?: AwsStaticCredentials): VerificationClients {
    const credentials = credentialsFor(access, keys);
    const common = { region: access.region, retryMode: "standard", maxAttempts: MAX_ATTEMPTS, ...(credentials ? { credentials } : {}) };
    const at = (endpoint: string | undefined) => (endpoint ? { endpoint } : {});
    const logs = new Map<string, CloudWatchLogsClient>();
    return {
        ecs: new ECSClient({ ...common, ...at(access.endpoints.ecs) }),
        elb: new ElasticLoadBalancingV2Client({ ...common, ...at(access.endpoints.elbv2) }),
        logs: (region) => {
            const key = region ?? "";
            let client = logs.get(key);
            if (!client) {
                client = new CloudWatchLogsClient({ ...common, ...at(access.endpoints.logs), region: region ?? access.region });
                logs.set(key, client);
            }
            return client;
        },
        // Only for naming the account in an error: quick, and never the reason a verification hangs.
        sts: new STSClient({
            ...common,
            ...at(access.endpoints.sts),
            maxAttempts: 2,
            requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
        }),
    };
}

/** How the credentials were obtained, e.g. `profile "ops", then role arn:…:role/deployer`. */
function credentialSource(access: AwsAccess, keys?: AwsStaticCredentials): string {
    const base = keys ? "static keys" : access.profile ? `profile "${access.profile}"` : "the SDK's default credential chain";
    return [base, ...access.assumeRoles.map((r) => `role ${r.roleArn}`)].join(", then ");
}

/**
 * Which account and region the clients read, for error messages: the account from STS
 * `GetCallerIdentity`, else (when that call fails too) from the last role's ARN. Never throws.
 */
export async function describeAccess(
    access: AwsAccess,
    clients: Pick<VerificationClients, "sts">,
    keys?: AwsStaticCredentials,
): Promise<string> {
    const region = access.region ?? "the SDK's default region";
    const how = `credentials from ${credentialSource(access, keys)}, settings from ${access.source}`;
    try {
        const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
        return `account ${identity.Account} (as ${identity.Arn}) in region ${region}; ${how}`;
    } catch (e) {
        const role = access.assumeRoles[access.assumeRoles.length - 1];
        const account = role ? /^arn:[^:]+:iam::(\d{12}):/.exec(role.roleArn)?.[1] : undefined;
        const reason = (e as Error).message ?? String(e);
        const which = account
            ? `account ${account} (from the role ARN; STS GetCallerIdentity failed: ${reason})`
            : `an unconfirmed account (STS GetCallerIdentity failed: ${reason})`;
        return `${which} in region ${region}; ${how}`;
    }
}
