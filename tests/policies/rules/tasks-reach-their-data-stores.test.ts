import * as assert from "assert";
import { tasksReachTheirDataStores as policy } from "../../../policies/rules/tasks-reach-their-data-stores";
import { NET_TYPES, TYPES } from "../../../policies/resources";
import { runStack, undecided, violations } from "../harness";
import {
    ALB_SG,
    DB_HOST,
    DB_SG,
    TASK_SG,
    U,
    appContainer,
    awsxServiceProps,
    networkStack,
    securityGroupProps,
    set,
    taskDefinitionProps,
} from "../fixtures";

describe("tasks-reach-their-data-stores", () => {
    it("passes a service whose tasks may reach their database and whose ALB may reach its tasks", () => {
        assert.deepStrictEqual(runStack(policy, networkStack()), []);
    });

    it("rejects a database security group that does not admit the tasks, with a ready-to-paste ingress rule", () => {
        const [v, ...rest] = runStack(policy, networkStack({}, ["dbIngress"]));
        assert.strictEqual(rest.length, 0, rest.map((d) => d.message).join("\n"));
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.match(
            v.message,
            /'api-service' \(aws:ecs\/service:Service\) `networkConfiguration\.securityGroups`: found the tasks of 'api-service' → 'api-db' on TCP 5432 \(environment variable `DATABASE_HOST` of container 'app' names its endpoint\): no ingress rule of 'api-db''s security groups admits the tasks of 'api-service' \(0 ingress rule\(s\) checked\)/,
        );
        assert.match(
            v.message,
            /Fix: Add the rule .*`new aws\.vpc\.SecurityGroupIngressRule\("api-db-from-api-tasks", \{ securityGroupId: apiDb\.id, referencedSecurityGroupId: apiTasks\.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432/,
        );
    });

    it("accepts the subnet's CIDR, a legacy aws:ec2/securityGroupRule and an inline rule as sources; rejects a rule on the wrong port", () => {
        const byCidr = { securityGroupId: DB_SG, cidrIpv4: "10.0.0.0/16", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 };
        assert.deepStrictEqual(runStack(policy, networkStack({ dbIngress: byCidr })), []);
        const legacy = [
            ...networkStack({}, ["dbIngress"]),
            {
                key: "r",
                type: NET_TYPES.securityGroupRule,
                name: "db-from-tasks",
                props: {
                    type: "ingress",
                    securityGroupId: DB_SG,
                    sourceSecurityGroupId: TASK_SG,
                    protocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                },
            },
        ];
        assert.deepStrictEqual(runStack(policy, legacy), []);
        assert.deepStrictEqual(
            runStack(
                policy,
                networkStack(
                    { dbSg: securityGroupProps(DB_SG, [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [TASK_SG] }], []) },
                    ["dbIngress"],
                ),
            ),
            [],
        );
        const [v] = runStack(policy, networkStack({ dbIngress: { ...byCidr, fromPort: 3306, toPort: 3306 } }));
        assert.match(v.message, /no ingress rule of 'api-db''s security groups admits/);
    });

    it("rejects tasks whose security group lets nothing out (the provider removes AWS's default egress rule)", () => {
        const [v] = runStack(
            policy,
            networkStack({
                tasksSg: securityGroupProps(TASK_SG, [{ protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: [ALB_SG] }], []),
            }),
        );
        assert.match(
            v.message,
            /no egress rule of the tasks of 'api-service''s security groups lets traffic out to 'api-db'.*SecurityGroupEgressRule\("api-tasks-to-api-db"/,
        );
    });

    it("rejects an ALB that may not reach the tasks on the container port (both directions)", () => {
        const [inbound] = runStack(policy, networkStack({ tasksSg: securityGroupProps(TASK_SG, []) }));
        assert.match(
            inbound.message,
            /`loadBalancers\[0\]`: found load balancer 'web' → the tasks of 'api-service' on TCP 8080 \(target group 'api-tg' sends traffic and health checks to container port 8080\): no ingress rule of the tasks/,
        );
        const [outbound] = runStack(
            policy,
            networkStack({
                albSg: securityGroupProps(ALB_SG, [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] }], []),
            }),
        );
        assert.match(outbound.message, /no egress rule of load balancer 'web''s security groups lets traffic out to the tasks/);
    });

    it("follows property dependencies when ids are unknown (a preview of a new stack)", () => {
        const preview = networkStack({
            dbIngress: { securityGroupId: U, referencedSecurityGroupId: U, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
            db: { engine: "postgres", dbName: "app", address: U, endpoint: U, port: 5432, vpcSecurityGroupIds: U },
        }).map((r) =>
            r.key === "dbIngress"
                ? { ...r, propertyDependencies: { securityGroupId: ["dbSg"], referencedSecurityGroupId: ["tasksSg"] } }
                : r.key === "db"
                  ? { ...r, propertyDependencies: { vpcSecurityGroupIds: ["dbSg"] } }
                  : r.key === "td"
                    ? {
                          ...r,
                          props: taskDefinitionProps([{ ...appContainer(), environment: [{ name: "DATABASE_HOST", value: U }] }]),
                          propertyDependencies: { containerDefinitions: ["db"] },
                      }
                    : r,
        );
        assert.deepStrictEqual(runStack(policy, preview), []);
        const broken = preview.filter((r) => r.key !== "dbIngress");
        assert.match(
            violations(runStack(policy, broken))[0].message,
            /'api-db' on TCP 5432 \(its outputs feed the container definitions\)/,
        );
    });

    it("finds the database through an SSM parameter holding its URL", () => {
        const container = { ...appContainer(), secrets: [{ name: "DATABASE_URL", valueFrom: "/dev/api/database-url" }] };
        const stack = [
            ...networkStack({ td: taskDefinitionProps([container]) }, ["dbIngress"]),
            {
                key: "param",
                type: TYPES.ssmParameter,
                name: "database-url",
                props: { name: "/dev/api/database-url", type: "SecureString", value: `postgres://app@${DB_HOST}:5432/app` },
            },
        ];
        assert.match(
            runStack(policy, stack)[0].message,
            /secret `DATABASE_URL` of container 'app' \(SSM parameter 'database-url'\) names its endpoint/,
        );
    });

    it("reports what it cannot follow as undecided: external or default security groups, awsx's own network", () => {
        let ds = runStack(
            policy,
            networkStack({ db: { engine: "postgres", address: DB_HOST, port: 5432, vpcSecurityGroupIds: ["sg-elsewhere"] } }),
        );
        assert.strictEqual(violations(ds).length, 0);
        assert.match(undecided(ds)[0].message, /security group sg-elsewhere of 'api-db' is not managed in this stack/);
        ds = runStack(policy, networkStack({ db: { engine: "postgres", address: DB_HOST, port: 5432 } }));
        assert.match(undecided(ds)[0].message, /no security group is set for 'api-db', so the VPC's default group/);
        ds = runStack(policy, [
            ...networkStack({}, ["svc", "td", "tg", "listener"]),
            {
                key: "awsx",
                type: TYPES.awsxFargateService,
                name: "web",
                props: awsxServiceProps(set(appContainer(), "environment", [{ name: "DATABASE_HOST", value: DB_HOST }])),
            },
        ]);
        assert.match(
            undecided(ds)[0].message,
            /'web' \(awsx:ecs:FargateService\) `networkConfiguration`: cannot verify: awsx creates the task security group itself/,
        );
    });

    it("judges awsx FargateService args with a networkConfiguration offline", () => {
        const props = {
            ...awsxServiceProps(set(appContainer(), "environment", [{ name: "DATABASE_HOST", value: DB_HOST }])),
            networkConfiguration: { subnets: ["subnet-0priv"], securityGroups: [TASK_SG] },
        };
        const [v] = runStack(policy, [
            ...networkStack({}, ["svc", "td", "dbIngress"]),
            { key: "awsx", type: TYPES.awsxFargateService, name: "web", props },
        ]);
        assert.match(
            v.message,
            /'web' \(awsx:ecs:FargateService\) `networkConfiguration\.securityGroups`: found the tasks of 'web' → 'api-db' on TCP 5432/,
        );
    });
});
