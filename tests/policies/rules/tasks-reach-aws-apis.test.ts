import * as assert from "assert";
import { tasksReachAwsApis as policy } from "../../../policies/rules/tasks-reach-aws-apis";
import { NET_TYPES, TYPES } from "../../../policies/resources";
import { type StackResourceInput, runStack, undecided, violations } from "../harness";
import {
    ACCOUNT,
    type Json,
    REGION,
    TASK_SG,
    U,
    appContainer,
    awsxServiceProps,
    networkStack,
    securityGroupProps,
    serviceProps,
    set,
    taskDefinitionProps,
} from "../fixtures";

const ECR_IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/api:1.4.2`;
const ecrTd = (extra: Json = {}) => taskDefinitionProps([{ ...set(appContainer(), "image", ECR_IMAGE), ...extra }]);
const noRoute = { vpcId: "vpc-0abc", arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:route-table/rtb-0priv`, routes: [] };
const endpoint = (key: string, api: string, extra: Json = {}): StackResourceInput => ({
    key,
    type: NET_TYPES.vpcEndpoint,
    name: key,
    props: {
        vpcId: "vpc-0abc",
        serviceName: `com.amazonaws.${REGION}.${api}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        securityGroupIds: ["sg-0vpce"],
        ...extra,
    },
});
const endpoints = (): StackResourceInput[] => [
    endpoint("ecr-api", "ecr.api"),
    endpoint("ecr-dkr", "ecr.dkr"),
    endpoint("logs", "logs"),
    endpoint("s3", "s3", {
        vpcEndpointType: "Gateway",
        privateDnsEnabled: undefined,
        securityGroupIds: undefined,
        routeTableIds: ["rtb-0priv"],
    }),
    {
        key: "vpceSg",
        type: NET_TYPES.securityGroup,
        name: "endpoints",
        props: securityGroupProps("sg-0vpce", [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }], []),
    },
];

describe("tasks-reach-aws-apis", () => {
    it("passes tasks behind a NAT gateway, and tasks in an isolated subnet with every endpoint they need", () => {
        assert.deepStrictEqual(runStack(policy, networkStack({ td: ecrTd() })), []);
        assert.deepStrictEqual(runStack(policy, [...networkStack({ td: ecrTd(), rt: noRoute }), ...endpoints()]), []);
    });

    it("rejects tasks without a way out and without endpoints, naming what they cannot reach and the endpoints to add", () => {
        const [v, ...rest] = runStack(
            policy,
            networkStack({
                td: ecrTd({ secrets: [{ name: "DB", valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-AbCdEf` }] }),
                rt: noRoute,
            }),
        );
        assert.strictEqual(rest.length, 0, rest.map((d) => d.message).join("\n"));
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.match(
            v.message,
            /'api-service' \(aws:ecs\/service:Service\) `networkConfiguration\.subnets`: found subnet subnet-0priv: route table 'private-a' has no route to 0\.0\.0\.0\/0; the tasks cannot reach ecr\.api to pull ECR image .*; ecr\.dkr .*; s3 .*\(its layers are in S3\); secretsmanager to fetch its Secrets Manager secrets; logs to ship its logs with the awslogs driver\./,
        );
        assert.match(
            v.message,
            /Fix: Give the subnets a route to a NAT gateway.*`new aws\.ec2\.VpcEndpoint\("ecr-api", \{ vpcId, serviceName: "com\.amazonaws\.eu-west-1\.ecr\.api", vpcEndpointType: "Interface", privateDnsEnabled: true/,
        );
    });

    it("rejects an interface endpoint without private DNS, and an S3 gateway endpoint not on the subnet's route table", () => {
        const noDns = [
            ...networkStack({ td: ecrTd(), rt: noRoute }),
            ...endpoints().map((e) => (e.key === "ecr-api" ? { ...e, props: { ...e.props, privateDnsEnabled: undefined } } : e)),
        ];
        assert.match(runStack(policy, noDns)[0].message, /ecr\.api to pull .*\(its endpoint has `privateDnsEnabled` off/);
        const s3Elsewhere = [
            ...networkStack({ td: ecrTd(), rt: noRoute }),
            ...endpoints().map((e) => (e.key === "s3" ? { ...e, props: { ...e.props, routeTableIds: ["rtb-other"] } } : e)),
        ];
        assert.match(runStack(policy, s3Elsewhere)[0].message, /cannot reach s3 to pull/);
    });

    it("needs a public IP behind an internet gateway, and the internet for images outside ECR", () => {
        const igw = { ...noRoute, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-0abc" }] };
        assert.match(
            runStack(policy, networkStack({ rt: igw }))[0].message,
            /goes to internet gateway igw-0abc, and the tasks get no public IP \(`assignPublicIp` is false\); the tasks cannot reach image "public\.ecr\.aws\/docker\/library\/python:3\.12-slim" \(public\.ecr\.aws has no VPC endpoint\)/,
        );
        const publicIp = set(networkStack()[13].props, "networkConfiguration.assignPublicIp", true);
        assert.deepStrictEqual(runStack(policy, networkStack({ rt: igw, svc: publicIp })), []);
        assert.match(
            runStack(policy, [...networkStack({ rt: noRoute }), ...endpoints()])[0].message,
            /public\.ecr\.aws has no VPC endpoint.*images outside ECR need the internet/,
        );
    });

    it("rejects task security groups that let no HTTPS out", () => {
        const [v] = runStack(
            policy,
            networkStack({
                tasksSg: securityGroupProps(TASK_SG, [], [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] }]),
            }),
        );
        assert.match(
            v.message,
            /`networkConfiguration\.securityGroups`: found no egress rule of the tasks' security groups \('api-tasks'\) lets HTTPS \(TCP 443\) out to the internet/,
        );
    });

    it("judges awsx Vpc args offline: private subnets without NAT gateways", () => {
        const vpc = (strategy: string): StackResourceInput => ({
            key: "vpc",
            type: NET_TYPES.awsxVpc,
            name: "main",
            props: {
                natGateways: { strategy },
                vpcId: "vpc-0x",
                privateSubnetIds: ["subnet-prv0", "subnet-prv1"],
                publicSubnetIds: ["subnet-pub0"],
                isolatedSubnetIds: [],
            },
        });
        const svc = (): StackResourceInput => ({
            key: "svc",
            type: TYPES.service,
            name: "api-service",
            props: {
                ...serviceProps(),
                loadBalancers: [],
                networkConfiguration: { subnets: ["subnet-prv0", "subnet-prv1"], securityGroups: ["sg-x"] },
            },
            propertyDependencies: { taskDefinition: ["td"] },
        });
        const td = (): StackResourceInput => ({ key: "td", type: TYPES.taskDefinition, name: "api-task", props: ecrTd() });
        const [v] = runStack(policy, [vpc("None"), td(), svc()]);
        assert.match(
            v.message,
            /found subnet subnet-prv0, subnet subnet-prv1: private subnet subnet-prv0 of awsx Vpc 'main' has no NAT gateway \(`natGateways\.strategy: "None"`\)/,
        );
        assert.deepStrictEqual(violations(runStack(policy, [vpc("Single"), td(), svc()])), []);
    });

    it("judges the children of an awsx Vpc in a real preview, where the subnet ids are unknown", () => {
        const children: StackResourceInput[] = [
            { key: "awsxVpc", type: NET_TYPES.awsxVpc, name: "main", props: {} },
            { key: "vpc", type: "aws:ec2/vpc:Vpc", name: "main", parent: "awsxVpc", props: { cidrBlock: "10.0.0.0/16", arn: U } },
            {
                key: "sn",
                type: NET_TYPES.subnet,
                name: "main-private-1",
                parent: "vpc",
                props: { vpcId: U, cidrBlock: "10.0.0.0/19", arn: U },
                propertyDependencies: { vpcId: ["vpc"] },
            },
            { key: "rt", type: NET_TYPES.routeTable, name: "main-private-1", parent: "sn", props: { vpcId: U, arn: U } },
            {
                key: "rta",
                type: NET_TYPES.routeTableAssociation,
                name: "main-private-1",
                parent: "rt",
                props: { subnetId: U, routeTableId: U },
                propertyDependencies: { subnetId: ["sn"], routeTableId: ["rt"] },
            },
            { key: "td", type: TYPES.taskDefinition, name: "api-task", props: ecrTd() },
            {
                key: "svc",
                type: TYPES.service,
                name: "api-service",
                props: { ...serviceProps(), loadBalancers: [], networkConfiguration: { subnets: U, securityGroups: ["sg-x"] } },
                propertyDependencies: { taskDefinition: ["td"], networkConfiguration: ["awsxVpc"] },
            },
        ];
        assert.match(
            runStack(policy, children)[0].message,
            /found subnet main-private-1: route table 'main-private-1' has no route to 0\.0\.0\.0\/0/,
        );
        const withNat = [
            ...children,
            {
                key: "route",
                type: NET_TYPES.route,
                name: "main-private-1",
                parent: "rt",
                props: { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", natGatewayId: U },
                propertyDependencies: { routeTableId: ["rt"] },
            },
        ];
        assert.deepStrictEqual(violations(runStack(policy, withNat)), []);
    });

    it("reports what it cannot follow as undecided", () => {
        let ds = runStack(
            policy,
            networkStack({ svc: set(networkStack()[13].props, "networkConfiguration.subnets", ["subnet-elsewhere"]) }),
        );
        assert.strictEqual(violations(ds).length, 0);
        assert.match(
            undecided(ds)[0].message,
            /`networkConfiguration\.subnets`: cannot verify: subnet subnet-elsewhere is not managed in this stack/,
        );
        ds = runStack(policy, networkStack({ rt: { ...noRoute, routes: [{ cidrBlock: "0.0.0.0/0", transitGatewayId: "tgw-0abc" }] } }));
        assert.match(undecided(ds)[0].message, /goes to transitGateway; whether that reaches the internet is not known/);
        ds = runStack(policy, [{ key: "svc", type: TYPES.awsxFargateService, name: "web", props: awsxServiceProps() }]);
        assert.match(
            undecided(ds)[0].message,
            /awsx places the tasks in subnets of the account's default VPC .*which this stack does not manage/,
        );
    });
});
