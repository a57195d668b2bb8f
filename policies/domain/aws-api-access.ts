/**
 * What a Fargate task must reach before its app runs — its image registry, Secrets Manager or SSM
 * for its `secrets`, CloudWatch Logs for awslogs — and whether a subnet gets it there.
 *
 * Facts (Amazon ECS Developer Guide, "Migrating to Linux platform version 1.4.0" and "Amazon ECS
 * interface VPC endpoints"; Amazon ECR User Guide, "Amazon ECR interface VPC endpoints"; read Nov 2026):
 * - Since platform version 1.4.0 all of a Fargate task's traffic, image pulls and secret fetches
 *   included, goes through the task's ENI in its subnet.
 * - Without a route to the internet, ECR images need the `com.amazonaws.<region>.ecr.dkr` and
 *   `…ecr.api` interface endpoints and the Amazon S3 gateway endpoint (image layers are in S3);
 *   Secrets Manager secrets need `…secretsmanager`; SSM parameters `…ssm`; the awslogs driver
 *   `…logs`. Interface endpoints serve the default service names only with private DNS enabled,
 *   and their security group must admit HTTPS (443) from the tasks.
 * - A route to the internet is a NAT gateway, or an internet gateway with a public IP on the task
 *   (`assignPublicIp`); an internet gateway without a public IP reaches nothing.
 * - Images from other registries (Docker Hub, public.ecr.aws, ghcr.io, quay.io, …) have no VPC
 *   endpoint: they need the internet (or an ECR pull-through cache, which is a private ECR image).
 * - KMS: Secrets Manager, SSM and ECR decrypt with KMS on the caller's behalf, so the task itself
 *   needs no `kms` endpoint; the `kms:Decrypt` permission is `execution-role-can-read-secrets`'s.
 *
 * Pure: no Pulumi, no I/O, never throws.
 */
import { parseImageRef } from "./base-images";

export type AwsApi = "ecr.api" | "ecr.dkr" | "s3" | "secretsmanager" | "ssm" | "logs";

export interface ApiNeed {
    api: AwsApi;
    /** The endpoint type that serves the need (the S3 one is a gateway endpoint). */
    endpointType: "Interface" | "Gateway";
    why: string;
}

/** Where an image is pulled from. */
export type Registry = { kind: "ecr"; host: string } | { kind: "internet"; host: string };

const ECR_HOST = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** The registry of an image reference; `undefined` when the text is not one. */
export function registryOfImage(image: string): Registry | undefined {
    const ref = parseImageRef(image);
    if (!ref) return undefined;
    const host = image.trim().split("/")[0].toLowerCase();
    if (ECR_HOST.test(host)) return { kind: "ecr", host };
    // The host as written: parseImageRef names ECR Public's Docker Official Images docker.io (the same
    // image family), but the pull goes to public.ecr.aws, which has no VPC endpoint either.
    return { kind: "internet", host: image.includes("/") && /[.:]|^localhost$/.test(host) ? host : ref.registry };
}

/** The AWS APIs a task needs endpoints for when it has no route to the internet. */
export function apiNeedsOf(input: { ecrImages: string[]; secretsManager: boolean; ssm: boolean; awslogs: boolean }): ApiNeed[] {
    const needs: ApiNeed[] = [];
    if (input.ecrImages.length > 0) {
        const why = `to pull ${input.ecrImages.length === 1 ? `ECR image ${JSON.stringify(input.ecrImages[0])}` : `${input.ecrImages.length} ECR images`}`;
        needs.push(
            { api: "ecr.api", endpointType: "Interface", why },
            { api: "ecr.dkr", endpointType: "Interface", why },
            { api: "s3", endpointType: "Gateway", why: `${why} (its layers are in S3)` },
        );
    }
    if (input.secretsManager) needs.push({ api: "secretsmanager", endpointType: "Interface", why: "to fetch its Secrets Manager secrets" });
    if (input.ssm) needs.push({ api: "ssm", endpointType: "Interface", why: "to fetch its SSM parameters" });
    if (input.awslogs) needs.push({ api: "logs", endpointType: "Interface", why: "to ship its logs with the awslogs driver" });
    return needs;
}

/** The API of an endpoint service name: `com.amazonaws.eu-west-1.ecr.api` → `ecr.api` (also `cn.com.amazonaws.…`). */
export function apiOfServiceName(serviceName: unknown): { region: string; api: string } | undefined {
    if (typeof serviceName !== "string") return undefined;
    const m = /^(?:cn\.)?com\.amazonaws\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(.+)$/.exec(serviceName.trim());
    return m ? { region: m[1], api: m[2] } : undefined;
}

/** Whether a subnet's default route gives the task the internet. */
export function reachesInternet(path: "nat" | "igw" | "none" | "other", assignPublicIp: boolean): boolean | "unknown" {
    if (path === "nat") return true;
    if (path === "igw") return assignPublicIp;
    return path === "none" ? false : "unknown";
}

/** The endpoint to add for a need, as TypeScript to paste. */
export function endpointSnippet(need: ApiNeed, region: string): string {
    const name = need.api.replace(/\./g, "-");
    return need.endpointType === "Gateway"
        ? `new aws.ec2.VpcEndpoint(${JSON.stringify(name)}, { vpcId, serviceName: "com.amazonaws.${region}.${need.api}", vpcEndpointType: "Gateway", routeTableIds: privateRouteTableIds })`
        : `new aws.ec2.VpcEndpoint(${JSON.stringify(name)}, { vpcId, serviceName: "com.amazonaws.${region}.${need.api}", vpcEndpointType: "Interface", privateDnsEnabled: true, subnetIds: privateSubnetIds, securityGroupIds: [endpointsSg.id] })`;
}
