/**
 * The reader layer of the pack: pure helpers that turn raw resource properties (as @pulumi/policy
 * delivers them, unknowns and all) into views the rules judge. Nothing here throws or reports.
 */
export * from "./values";
export * from "./urn";
export * from "./types";
export * from "./task-definitions";
export * from "./target-groups";
export * from "./services";
export * from "./health-contract";
export * from "./stack";
export * from "./service-graph";
export * from "./containers";
export * from "./redis-values";
export * from "./iam";
export * from "./images";
export * from "./awsx";
export * from "./types-network";
export * from "./data-stores";
export * from "./secret-marks";
export * from "./security-groups";
export * from "./workloads";
export * from "./network";
export * from "./load-balancers";
export * from "./vpc-endpoints";
