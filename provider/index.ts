/**
 * Entry point of the source-based component package: `pulumi package add` starts this directory's
 * plugin (PulumiPlugin.yaml, runtime nodejs), whose host exports the ComponentResource classes
 * found here and infers the schema from their TypeScript types. Export nothing else that is a
 * ComponentResource: the host would publish it too. See README.md.
 */
export { HealthyFargateService } from "./healthy-fargate-service";
export type * from "./portable-args";
