/**
 * The pack's policies, in the order the README documents them. Adding a policy: one file in
 * rules/ exporting it and its `metadata`, ONE line here and one in metadata.ts, one section in README.md (the
 * meta-test in tests/policies/meta.test.ts fails until all four exist).
 *
 * Kept apart from index.ts because constructing a PolicyPack starts its gRPC server: tests and
 * tools import this list instead.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { appReceivesSigterm } from "./rules/app-receives-sigterm";
import { containerDefinitionRegisters } from "./rules/container-definition-registers";
import { containerDependencyHealthcheck } from "./rules/container-dependency-healthcheck";
import { databaseNameConsistent } from "./rules/database-name-consistent";
import { executionRoleCanReadSecrets } from "./rules/execution-role-can-read-secrets";
import { noPlaintextSecretsInEnvironment } from "./rules/no-plaintext-secrets-in-environment";
import { postgresTlsMatchesServer } from "./rules/postgres-tls-matches-server";
import { probeCommandFailsOnHttpErrors } from "./rules/probe-command-fails-on-http-errors";
import { probeToolPresentInImage } from "./rules/probe-tool-present-in-image";
import { redisTlsSchemeMatches } from "./rules/redis-tls-scheme-matches";
import { redisUrlHasScheme } from "./rules/redis-url-has-scheme";
import { tasksReachAwsApis } from "./rules/tasks-reach-aws-apis";
import { tasksReachTheirDataStores } from "./rules/tasks-reach-their-data-stores";
import { containerHealthCheckRequired } from "./rules/container-health-check-required";
import { deploymentAlarmsConfigured } from "./rules/deployment-alarms-configured";
import { deploymentCircuitBreakerRollback } from "./rules/deployment-circuit-breaker-rollback";
import { fargateTaskSizeValid } from "./rules/fargate-task-size-valid";
import { gracePeriodCoversStartup } from "./rules/grace-period-covers-startup";
import { gracefulShutdownAligned } from "./rules/graceful-shutdown-aligned";
import { healthCheckRangesValid } from "./rules/health-check-ranges-valid";
import { livenessProbeShallow } from "./rules/liveness-probe-shallow";
import { loadBalancerProtocolMatchesContainer } from "./rules/load-balancer-protocol-matches-container";
import { logRetentionSet } from "./rules/log-retention-set";
import { probePathsAligned } from "./rules/probe-paths-aligned";
import { zeroDowntimeRollout } from "./rules/zero-downtime-rollout";

export type PackPolicy = ResourceValidationPolicy | StackValidationPolicy;

export const policies: PackPolicy[] = [
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
