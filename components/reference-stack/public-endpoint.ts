import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface PublicEndpointArgs {
    /** The name clients use, e.g. `platform.example.com`. */
    domainName: string;
    /** Route 53 public hosted zone that holds `domainName`. */
    hostedZoneId: string;
    /** An existing ACM certificate for `domainName` in the ALB's region; without it one is created and DNS-validated. */
    certificateArn?: string;
    tags?: Record<string, string>;
}

/**
 * The stack's public HTTPS name: an ACM certificate for `domainName`, validated through a DNS
 * record in the hosted zone (or an existing certificate), and — once the ALB exists — an alias
 * record that points `domainName` at it. Nothing about the name is left to do by hand after
 * `pulumi up`: no placeholder certificate, no missing DNS record.
 */
export class PublicEndpoint extends pulumi.ComponentResource {
    /** ARN of a certificate that is issued (the validation has completed) for the HTTPS listener. */
    readonly certificateArn: pulumi.Output<string>;

    constructor(
        private readonly baseName: string,
        private readonly args: PublicEndpointArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("healthy-fargate:dns:PublicEndpoint", baseName, {}, opts);
        this.certificateArn = args.certificateArn !== undefined ? pulumi.output(args.certificateArn) : this.validatedCertificate();
        this.registerOutputs({ certificateArn: this.certificateArn });
    }

    /** A DNS-validated certificate: ACM names the record to create, Route 53 holds it, the validation waits for ISSUED. */
    private validatedCertificate(): pulumi.Output<string> {
        const parent = { parent: this };
        const certificate = new aws.acm.Certificate(
            `${this.baseName}-cert`,
            {
                domainName: this.args.domainName,
                validationMethod: "DNS",
                tags: this.args.tags,
            },
            parent,
        );
        // One name, no alternative names: ACM asks for exactly one validation record.
        const option = certificate.domainValidationOptions.apply((options) => options?.[0]);
        const record = new aws.route53.Record(
            `${this.baseName}-cert-validation`,
            {
                zoneId: this.args.hostedZoneId,
                name: option.apply((o) => o?.resourceRecordName as string),
                type: option.apply((o) => o?.resourceRecordType as string),
                records: [option.apply((o) => o?.resourceRecordValue as string)],
                ttl: 60,
                allowOverwrite: true,
            },
            parent,
        );
        return new aws.acm.CertificateValidation(
            `${this.baseName}-cert`,
            {
                certificateArn: certificate.arn,
                validationRecordFqdns: [record.fqdn],
            },
            parent,
        ).certificateArn;
    }

    /** Points `domainName` at the load balancer (alias A record, following the ALB's own health). */
    pointAt(loadBalancer: { dnsName: pulumi.Input<string>; zoneId: pulumi.Input<string> }): aws.route53.Record {
        return new aws.route53.Record(
            `${this.baseName}-alias`,
            {
                zoneId: this.args.hostedZoneId,
                name: this.args.domainName,
                type: "A",
                aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true }],
            },
            { parent: this },
        );
    }
}
