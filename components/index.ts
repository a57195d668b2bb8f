/** Reusable components of healthy-fargate. Each has a README.md next to its code. */
export * from "./errors";
export * from "./healthy-fargate-service";
export * from "./redis-endpoint";
export * from "./service-dashboard";
export * from "./shared-alb";
export * from "./rollout-verification";
