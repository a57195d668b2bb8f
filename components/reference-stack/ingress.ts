import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/**
 * Lets `client` (e.g. a service's task security group) reach `port` of a data store's security
 * group. A separate rule rather than an inline one, so the store does not depend on its client,
 * which depends on the store's address.
 */
export function allowClient(args: {
    name: string;
    parent: pulumi.Resource;
    securityGroupId: pulumi.Input<string>;
    sourceSecurityGroupId: pulumi.Input<string>;
    port: number;
    description: string;
}): aws.vpc.SecurityGroupIngressRule {
    return new aws.vpc.SecurityGroupIngressRule(
        args.name,
        {
            securityGroupId: args.securityGroupId,
            referencedSecurityGroupId: args.sourceSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: args.port,
            toPort: args.port,
            description: args.description,
        },
        { parent: args.parent },
    );
}
