/**
 * What ECS owns once a service deploys blue/green, and so what Pulumi must leave alone.
 *
 * After each ECS-native blue/green deployment ECS swaps which target group is primary: the
 * service's `loadBalancers[0].targetGroupArn` and `advancedConfiguration.alternateTargetGroupArn`
 * trade places, and the production listener rule's forward action gets the new weights (and
 * order). A `pulumi refresh` (or `up --refresh`) records that state, and the next `pulumi up`
 * would send the program's original pair back: ECS would then deploy into the group that serves
 * production traffic. The AWS provider has no fix for this (hashicorp/terraform-provider-aws#45678,
 * open: "Terraform triggered deployments do not alternate target groups for ECS-managed
 * blue/green"; terraform-aws-modules/terraform-aws-alb#409 for the rule's weights).
 *
 * Granularity: the provider keeps `loadBalancers` as a Terraform set, whose element key is a hash
 * of the whole element (target group ARN included). Pulumi's `ignoreChanges` reaches the provider
 * as attribute keys removed from its diff by prefix (pulumi-terraform-bridge pkg/tfbridge/diff.go
 * `computeIgnoreChanges`, pkg/tfshim/sdk-v2 `processIgnoreChanges`); a swapped ARN changes the
 * element's hash, so only ignoring the whole `loadBalancers` value hides the swap. Checked, and
 * not ECS-owned: the task definition (ECS reverts it only on a rollback, and then Pulumi should
 * deploy the program's again), desired count, network configuration, deployment configuration,
 * the target groups themselves (ECS registers targets, it does not change their settings).
 */

/** The service and listener-rule inputs ECS rewrites during blue/green deployments (Pulumi `ignoreChanges` paths). */
export const BLUE_GREEN_ECS_OWNED = {
    /** The primary/alternate target group pair ECS swaps (the whole set: see the module comment). */
    service: ["loadBalancers"],
    /** The forward action whose weights and order ECS rewrites. */
    listenerRule: ["actions"],
} as const;

/** `ignoreChanges` of the service for a strategy: blue/green leaves the ECS-owned fields to ECS. */
export function serviceIgnoreChanges(strategy: "rolling" | "blue-green"): string[] | undefined {
    return strategy === "blue-green" ? [...BLUE_GREEN_ECS_OWNED.service] : undefined;
}

/** `ignoreChanges` of the listener rule for a strategy. */
export function listenerRuleIgnoreChanges(strategy: "rolling" | "blue-green"): string[] | undefined {
    return strategy === "blue-green" ? [...BLUE_GREEN_ECS_OWNED.listenerRule] : undefined;
}
