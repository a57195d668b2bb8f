import * as assert from "assert";
import { databaseNameConsistent as policy } from "../../../policies/rules/database-name-consistent";
import { TYPES } from "../../../policies/resources";
import { assertBothWorlds, awsxProgramWith } from "../awsx-worlds";
import { runStack, undecided, violations, assertFinding } from "../harness";
import { DB_HOST, U, set, taskDefinitionProps, wiredContainer, wiredStack } from "../fixtures";

const withEnv = (environment: unknown) => taskDefinitionProps([set(wiredContainer(), "environment", environment)]);

describe("database-name-consistent", () => {
    it("passes when DATABASE_NAME is the instance's dbName", () => {
        assert.deepStrictEqual(runStack(policy, wiredStack()), []);
    });

    it("rejects a DATABASE_NAME that differs from dbName (matched by DATABASE_HOST)", () => {
        const [v, ...rest] = runStack(
            policy,
            wiredStack({
                td: withEnv([
                    { name: "DATABASE_HOST", value: DB_HOST },
                    { name: "DATABASE_NAME", value: "application" },
                ]),
            }),
        );
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assertFinding(v, {
            resource: "api-task",
            type: "aws:ecs/taskDefinition:TaskDefinition",
            path: "containerDefinitions[app].environment[DATABASE_NAME]",
            undecided: false,
        });
        assert.match(v.message, /found `DATABASE_NAME` = "application" in container 'app', but 'api-db' creates `dbName` "app"/);
        assert.match(v.message, /Fix: Take the name from the database resource's own output \(`DATABASE_NAME: db\.dbName`\)/);
    });

    it("rejects the database of a PostgreSQL URL, matched by its host", () => {
        const [v] = runStack(
            policy,
            wiredStack({ td: withEnv([{ name: "DATABASE_URL", value: `postgresql://app@${DB_HOST}:5432/other` }]) }),
        );
        assert.match(v.message, /found the database of the URL in `DATABASE_URL` = "other"/);
    });

    it("matches an Aurora cluster by endpoint and compares databaseName", () => {
        const stack = wiredStack({
            td: withEnv([
                { name: "DB_HOST", value: "api.cluster-abc.eu-west-1.rds.amazonaws.com" },
                { name: "DB_NAME", value: "app" },
            ]),
        });
        stack.push({
            key: "cluster",
            type: TYPES.rdsCluster,
            name: "api-cluster",
            props: {
                databaseName: "api",
                endpoint: "api.cluster-abc.eu-west-1.rds.amazonaws.com",
                readerEndpoint: "api.cluster-ro-abc.eu-west-1.rds.amazonaws.com",
            },
        });
        const [v] = runStack(policy, stack);
        assert.match(v.message, /'api-cluster' creates `databaseName` "api"/);
    });

    it("follows propertyDependencies when the host is unknown, and ignores hosts outside the stack", () => {
        const [v] = violations(
            runStack(
                policy,
                wiredStack({
                    td: withEnv([
                        { name: "DATABASE_HOST", value: U },
                        { name: "DATABASE_NAME", value: "x" },
                    ]),
                }),
            ),
        );
        assert.match(v.message, /'api-db' creates `dbName` "app"/);
        assert.deepStrictEqual(
            runStack(
                policy,
                wiredStack({
                    td: withEnv([
                        { name: "DATABASE_HOST", value: "db.elsewhere.example" },
                        { name: "DATABASE_NAME", value: "x" },
                    ]),
                }),
            ),
            [],
        );
    });

    it("reports undecided when the name, dbName or the containers are unknown", () => {
        let ds = runStack(
            policy,
            wiredStack({
                td: withEnv([
                    { name: "DATABASE_HOST", value: DB_HOST },
                    { name: "DATABASE_NAME", value: U },
                ]),
            }),
        );
        assert.strictEqual(violations(ds).length, 0);
        assert.match(
            undecided(ds)[0].message,
            /^\[undecided\] 'api-task'.*`containerDefinitions\[app\]\.environment\[DATABASE_NAME\]`: cannot verify/,
        );
        ds = runStack(policy, wiredStack({ db: { dbName: U, address: DB_HOST } }));
        assert.match(undecided(ds)[0].message, /`dbName` of 'api-db' is not known yet/);
        ds = runStack(policy, wiredStack({ td: taskDefinitionProps([], { containerDefinitions: U }) }));
        assertFinding(undecided(ds)[0], { path: "containerDefinitions", undecided: true });
        assert.match(undecided(ds)[0].message, /the containers are not known yet and take values from 'api-db'/);
    });

    it("judges an awsx container's database name offline (args) and in a real preview (the task definition awsx creates) alike", () => {
        const extra = wiredStack().filter((r) => r.key === "db");
        const env = (name: string) =>
            awsxProgramWith("taskDefinitionArgs.container.environment", [
                { name: "DATABASE_HOST", value: DB_HOST },
                { name: "DATABASE_NAME", value: name },
            ]);
        assertBothWorlds(policy, env("application"), ["database-name-consistent mandatory decided awsx:ecs:FargateService::web"], {
            extra,
        });
        assertBothWorlds(policy, env("app"), [], { extra });
    });
});
