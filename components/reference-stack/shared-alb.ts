import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface SharedAlbArgs {
    vpcId: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** With a certificate: HTTPS listener plus an HTTP→HTTPS redirect. Without: HTTP only (dev). */
    certificateArn?: pulumi.Input<string>;
}

/**
 * One internet-facing ALB that several HealthyFargateServices share through listener rules.
 * Requests no rule matches get a plain 404 rather than reaching some service by accident.
 */
export class SharedAlb extends pulumi.ComponentResource {
    readonly listenerArn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly dnsName: pulumi.Output<string>;
    /** Route 53 zone of the ALB's DNS name, for alias records. */
    readonly zoneId: pulumi.Output<string>;
    /** `app/<name>/<id>`: the `LoadBalancer` dimension of ALB metrics (alarms, dashboard). */
    readonly arnSuffix: pulumi.Output<string>;
    readonly protocol: "http" | "https";

    constructor(name: string, args: SharedAlbArgs, opts?: pulumi.ComponentResourceOptions) {
        super("healthy-fargate:lb:SharedAlb", name, {}, opts);
        const parent = { parent: this };
        const https = args.certificateArn !== undefined;
        const ports = https ? [80, 443] : [80];
        const sg = new aws.ec2.SecurityGroup(`${name}-alb`, {
            vpcId: args.vpcId,
            description: `ALB ${name}: ${ports.join("/")} from anywhere`,
            ingress: ports.map(port => ({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] })),
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
        }, parent);
        const alb = new aws.lb.LoadBalancer(`${name}`, {
            loadBalancerType: "application",
            internal: false,
            securityGroups: [sg.id],
            subnets: args.publicSubnetIds,
            dropInvalidHeaderFields: true,
            idleTimeout: 60,
        }, parent);
        // Every rule of this listener has exactly one action: the default a fixed 404, each service's
        // rule one forward. ECS blue/green fails on rules that mix forward with non-forward actions,
        // and rewrites only the rule it is given (docs/blue-green.md).
        const notFound = { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "no route" } };
        const listener = https
            ? new aws.lb.Listener(`${name}-https`, {
                loadBalancerArn: alb.arn, port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                certificateArn: args.certificateArn, defaultActions: [notFound],
            }, parent)
            : new aws.lb.Listener(`${name}-http`, { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: [notFound] }, parent);
        if (https) {
            new aws.lb.Listener(`${name}-redirect`, {
                loadBalancerArn: alb.arn, port: 80, protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            }, parent);
        }
        this.listenerArn = listener.arn;
        this.securityGroupId = sg.id;
        this.dnsName = alb.dnsName;
        this.zoneId = alb.zoneId;
        this.arnSuffix = alb.arnSuffix;
        this.protocol = https ? "https" : "http";
        this.registerOutputs({ listenerArn: this.listenerArn, dnsName: this.dnsName, arnSuffix: this.arnSuffix });
    }
}
