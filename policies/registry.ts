/**
 * The pack's rules, in the order the README documents them: the ONE list of policies. Each rule
 * file in rules/ exports `rule` (its policy with its `metadata`, kit/metadata.ts); the pack's
 * policies (policies.ts), the metadata by id (metadata.ts) and the README's policy sections
 * (docs/policies-readme.ts) all derive from this list. Adding a policy: one file in rules/ and ONE
 * line here (tests/policies/meta.test.ts fails until both exist).
 */
import type { PackRule } from "./kit/metadata";
import { rule as fargateTaskSizeValid } from "./rules/fargate-task-size-valid";
import { rule as containerHealthCheckRequired } from "./rules/container-health-check-required";
import { rule as healthCheckRangesValid } from "./rules/health-check-ranges-valid";
import { rule as probePathsAligned } from "./rules/probe-paths-aligned";
import { rule as livenessProbeShallow } from "./rules/liveness-probe-shallow";
import { rule as gracePeriodCoversStartup } from "./rules/grace-period-covers-startup";
import { rule as deploymentCircuitBreakerRollback } from "./rules/deployment-circuit-breaker-rollback";
import { rule as zeroDowntimeRollout } from "./rules/zero-downtime-rollout";
import { rule as gracefulShutdownAligned } from "./rules/graceful-shutdown-aligned";
import { rule as logRetentionSet } from "./rules/log-retention-set";
import { rule as containerDependencyHealthcheck } from "./rules/container-dependency-healthcheck";
import { rule as deploymentAlarmsConfigured } from "./rules/deployment-alarms-configured";
import { rule as probeCommandFailsOnHttpErrors } from "./rules/probe-command-fails-on-http-errors";
import { rule as probeToolPresentInImage } from "./rules/probe-tool-present-in-image";
import { rule as redisUrlHasScheme } from "./rules/redis-url-has-scheme";
import { rule as redisTlsSchemeMatches } from "./rules/redis-tls-scheme-matches";
import { rule as noPlaintextSecretsInEnvironment } from "./rules/no-plaintext-secrets-in-environment";
import { rule as executionRoleCanReadSecrets } from "./rules/execution-role-can-read-secrets";
import { rule as databaseNameConsistent } from "./rules/database-name-consistent";
import { rule as containerDefinitionRegisters } from "./rules/container-definition-registers";
import { rule as appReceivesSigterm } from "./rules/app-receives-sigterm";
import { rule as loadBalancerProtocolMatchesContainer } from "./rules/load-balancer-protocol-matches-container";
import { rule as postgresTlsMatchesServer } from "./rules/postgres-tls-matches-server";
import { rule as tasksReachTheirDataStores } from "./rules/tasks-reach-their-data-stores";
import { rule as tasksReachAwsApis } from "./rules/tasks-reach-aws-apis";

export const RULES: readonly PackRule[] = [
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
