/**
 * The domain knowledge of healthy-fargate, in one pure module (no Pulumi imports, no I/O):
 * AWS ranges and defaults, Fargate sizes, the health-timing model, probe commands, Redis URLs,
 * secrets and Dockerfile analysis. Components, the policy pack and the CLI all import from here.
 *
 * It is the package `@healthy-fargate/domain` (zero dependencies) and lives inside the policy pack
 * folder because `pulumi policy publish` uploads only that folder: the published pack compiles it
 * in and carries the rules it enforces (docs/architecture.md, "Packages").
 */
export * from "./aws-limits";
export * from "./fargate-sizes";
export * from "./health-timing";
export * from "./health-timing-validation";
export * from "./probe-command";
export * from "./health-contract";
export * from "./alb-matcher";
export * from "./redis-url";
export * from "./secret-names";
export * from "./secret-tokens";
export * from "./url-credentials";
export * from "./environment-secrets";
export * from "./secret-sources";
export * from "./iam-arn-matching";
export * from "./probe-target";
export * from "./rollout";
export * from "./log-retention";
export * from "./base-images";
export * from "./dockerfile";
export * from "./probe-analysis";
export * from "./pulumi-unknown";
export * from "./iam-grants";
export * from "./secret-grants";
export * from "./database-url";
export * from "./image-reference";
export * from "./probe-tool-choice";
export * from "./deployment-timeouts";
export * from "./startup-measurement";
export * from "./container-registration";
export * from "./signals";
export * from "./non-http-services";
export * from "./postgres-tls";
export * from "./command-secrets";
export * from "./network";
export * from "./aws-api-access";
export * from "./format-seconds";
export * from "./contract-table";
export * from "./unknown-keys";
export * from "./type-tokens";
export * from "./port-numbers";
