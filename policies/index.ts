/**
 * The healthy-fargate CrossGuard policy pack.
 *
 *   pulumi preview --policy-pack policies [--policy-pack-config <config.json>]
 *
 * See README.md next to this file for every policy, its default level, config and fixes.
 */
import { PolicyPack } from "@pulumi/policy";
import { keepSecretMarks } from "./kit";
import { policies } from "./policies";

// @pulumi/policy unwraps secrets before policies see them; keep the marks for the rules that ask
// (no-plaintext-secrets-in-environment). See kit/secret-marks.ts.
keepSecretMarks();

new PolicyPack("healthy-fargate", {
    policies,
    // Each policy sets its own level; this is the fallback for one that does not.
    enforcementLevel: "advisory",
    description: "Rejects ECS Fargate configurations that deploy unhealthy services.",
    displayName: "healthy-fargate",
});
