/**
 * Per-policy metadata for reports (SARIF rules, docs links), collected from the rule files: each
 * rule file exports its own `metadata` (rationale and remediation beside the code that enforces
 * them; id and README anchor derived from the policy's name, `kit/metadata.ts`). Listed here in
 * the README's order; the meta-test fails when a policy of the pack has no entry.
 */
import type { RuleMetadata } from "./kit/metadata";
import { metadata as appReceivesSigterm } from "./rules/app-receives-sigterm";
import { metadata as containerDefinitionRegisters } from "./rules/container-definition-registers";
import { metadata as containerDependencyHealthcheck } from "./rules/container-dependency-healthcheck";
import { metadata as containerHealthCheckRequired } from "./rules/container-health-check-required";
import { metadata as databaseNameConsistent } from "./rules/database-name-consistent";
import { metadata as deploymentAlarmsConfigured } from "./rules/deployment-alarms-configured";
import { metadata as deploymentCircuitBreakerRollback } from "./rules/deployment-circuit-breaker-rollback";
import { metadata as executionRoleCanReadSecrets } from "./rules/execution-role-can-read-secrets";
import { metadata as fargateTaskSizeValid } from "./rules/fargate-task-size-valid";
import { metadata as gracePeriodCoversStartup } from "./rules/grace-period-covers-startup";
import { metadata as gracefulShutdownAligned } from "./rules/graceful-shutdown-aligned";
import { metadata as healthCheckRangesValid } from "./rules/health-check-ranges-valid";
import { metadata as livenessProbeShallow } from "./rules/liveness-probe-shallow";
import { metadata as loadBalancerProtocolMatchesContainer } from "./rules/load-balancer-protocol-matches-container";
import { metadata as logRetentionSet } from "./rules/log-retention-set";
import { metadata as noPlaintextSecretsInEnvironment } from "./rules/no-plaintext-secrets-in-environment";
import { metadata as postgresTlsMatchesServer } from "./rules/postgres-tls-matches-server";
import { metadata as probeCommandFailsOnHttpErrors } from "./rules/probe-command-fails-on-http-errors";
import { metadata as probePathsAligned } from "./rules/probe-paths-aligned";
import { metadata as probeToolPresentInImage } from "./rules/probe-tool-present-in-image";
import { metadata as redisTlsSchemeMatches } from "./rules/redis-tls-scheme-matches";
import { metadata as redisUrlHasScheme } from "./rules/redis-url-has-scheme";
import { metadata as tasksReachAwsApis } from "./rules/tasks-reach-aws-apis";
import { metadata as tasksReachTheirDataStores } from "./rules/tasks-reach-their-data-stores";
import { metadata as zeroDowntimeRollout } from "./rules/zero-downtime-rollout";

export type PolicyMetadata = RuleMetadata;

const entries: PolicyMetadata[] = [
    fargateTaskSizeValid,
    containerHealthCheckRequired,
    healthCheckRangesValid,
    probePathsAligned,
    livenessProbeShallow,
    gracePeriodCoversStartup,
    deploymentCircuitBreakerRollback,
    zeroDowntimeRollout,
    gracefulShutdownAligned,
    logRetentionSet,
    containerDependencyHealthcheck,
    deploymentAlarmsConfigured,
    probeCommandFailsOnHttpErrors,
    probeToolPresentInImage,
    redisUrlHasScheme,
    redisTlsSchemeMatches,
    noPlaintextSecretsInEnvironment,
    executionRoleCanReadSecrets,
    databaseNameConsistent,
    containerDefinitionRegisters,
    appReceivesSigterm,
    loadBalancerProtocolMatchesContainer,
    postgresTlsMatchesServer,
    tasksReachTheirDataStores,
    tasksReachAwsApis,
];

/** Metadata by policy id. */
export const POLICY_METADATA: Readonly<Record<string, PolicyMetadata>> = Object.freeze(Object.fromEntries(entries.map((e) => [e.id, e])));
