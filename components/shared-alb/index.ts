/**
 * `SharedAlb`: one internet-facing Application Load Balancer that several `HealthyFargateService`s
 * share through listener rules — the building block of the reference stack, so that a team does not
 * rewrite the security group, the listener(s) and the default action. README.md next to this file.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Inputs of `SharedAlb`. */
export interface SharedAlbArgs {
    /** VPC of the load balancer and of its security group. */
    readonly vpcId: pulumi.Input<string>;
    /** Public subnets (at least two Availability Zones, as ELB requires) the ALB is placed in. */
    readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * ACM certificate of the HTTPS listener. With it: an HTTPS listener on 443 (policy
     * `ELBSecurityPolicy-TLS13-1-2-2021-06`) and an HTTP listener on 80 that only redirects to HTTPS;
     * the security group opens 80 and 443. Without it: one HTTP listener on 80 (dev stacks).
     * @default - no certificate: HTTP only
     */
    readonly certificateArn?: pulumi.Input<string>;
}

/** Every listener's default: a plain 404, so a request no rule matches never reaches a service by accident. */
const NOT_FOUND = { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "no route" } };
/** The ALB's idle timeout: AWS's default, written out so that a service's keep-alive can be set above it. */
const IDLE_TIMEOUT_SECONDS = 60;
const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * One internet-facing ALB that several HealthyFargateServices share through listener rules.
 * Requests no rule matches get a plain 404 rather than reaching some service by accident. Pass
 * `listenerArn`, `securityGroupId`, `dnsName`, `protocol` and `arnSuffix` to each service's `listener`.
 */
export class SharedAlb extends pulumi.ComponentResource {
    /** The listener services add their rules to: HTTPS with a certificate, else HTTP. */
    readonly listenerArn: pulumi.Output<string>;
    /** The ALB's security group: services allow their container port from it. */
    readonly securityGroupId: pulumi.Output<string>;
    readonly dnsName: pulumi.Output<string>;
    /** Route 53 zone of the ALB's DNS name, for alias records. */
    readonly zoneId: pulumi.Output<string>;
    /** `app/<name>/<id>`: the `LoadBalancer` dimension of ALB metrics (alarms, dashboard). */
    readonly arnSuffix: pulumi.Output<string>;
    readonly protocol: "http" | "https";

    constructor(name: string, args: SharedAlbArgs, opts?: pulumi.ComponentResourceOptions) {
        super("healthy-fargate:lb:SharedAlb", name, {}, opts);
        const https = args.certificateArn !== undefined;
        const sg = this.securityGroup(name, args.vpcId, https ? [80, 443] : [80]);
        const alb = new aws.lb.LoadBalancer(
            name,
            {
                loadBalancerType: "application",
                internal: false,
                securityGroups: [sg.id],
                subnets: args.publicSubnetIds,
                dropInvalidHeaderFields: true,
                idleTimeout: IDLE_TIMEOUT_SECONDS,
            },
            { parent: this },
        );
        const listener = this.listeners(name, alb, args.certificateArn);
        this.listenerArn = listener.arn;
        this.securityGroupId = sg.id;
        this.dnsName = alb.dnsName;
        this.zoneId = alb.zoneId;
        this.arnSuffix = alb.arnSuffix;
        this.protocol = https ? "https" : "http";
        this.registerOutputs({ listenerArn: this.listenerArn, dnsName: this.dnsName, arnSuffix: this.arnSuffix });
    }

    /** Ingress on the listener ports from anywhere (IPv4 and IPv6); egress anywhere (to the targets). */
    private securityGroup(name: string, vpcId: pulumi.Input<string>, ports: number[]): aws.ec2.SecurityGroup {
        return new aws.ec2.SecurityGroup(
            `${name}-alb`,
            {
                vpcId,
                description: `ALB ${name}: ${ports.join("/")} from anywhere`,
                ingress: ports.map((port) => ({
                    protocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    cidrBlocks: ["0.0.0.0/0"],
                    ipv6CidrBlocks: ["::/0"],
                })),
                egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            },
            { parent: this },
        );
    }

    /**
     * The services' listener, and with a certificate the HTTP→HTTPS redirect. Every rule has exactly
     * one action (the default a fixed 404, each service's rule one forward): ECS blue/green fails on
     * rules that mix forward with non-forward actions, and rewrites only the rule it is given
     * (docs/blue-green.md).
     */
    private listeners(name: string, alb: aws.lb.LoadBalancer, certificateArn: pulumi.Input<string> | undefined): aws.lb.Listener {
        if (certificateArn === undefined) {
            const http = { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: [NOT_FOUND] };
            return new aws.lb.Listener(`${name}-http`, http, { parent: this });
        }
        const listener = new aws.lb.Listener(
            `${name}-https`,
            {
                loadBalancerArn: alb.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: TLS_POLICY,
                certificateArn,
                defaultActions: [NOT_FOUND],
            },
            { parent: this },
        );
        new aws.lb.Listener(
            `${name}-redirect`,
            {
                loadBalancerArn: alb.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            },
            { parent: this },
        );
        return listener;
    }
}
