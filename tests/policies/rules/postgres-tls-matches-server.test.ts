import * as assert from "assert";
import { postgresTlsMatchesServer as policy } from "../../../policies/rules/postgres-tls-matches-server";
import { NET_TYPES, TYPES } from "../../../policies/resources";
import { type StackResourceInput, runStack, undecided, violations } from "../harness";
import { ACCOUNT, DB_HOST, type Json, REGION, U, set, taskDefinitionProps, wiredContainer, wiredStack } from "../fixtures";

const URL_PARAM_ARN = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/dev/api/database-url`;
const db = (extra: Json = {}): Json => ({
    engine: "postgres",
    engineVersion: "16",
    dbName: "app",
    address: DB_HOST,
    endpoint: `${DB_HOST}:5432`,
    port: 5432,
    ...extra,
});
const withEnv = (env: Json[]) => taskDefinitionProps([set(wiredContainer(), "environment", env)]);
const disabled = [{ name: "DATABASE_URL", value: `postgres://app@${DB_HOST}:5432/app?sslmode=disable` }];

describe("postgres-tls-matches-server", () => {
    it("passes URLs without sslmode, sslmode=require, and sslmode=disable against PostgreSQL 14 (rds.force_ssl defaults to 0)", () => {
        assert.deepStrictEqual(runStack(policy, wiredStack({ db: db() })), []);
        assert.deepStrictEqual(
            runStack(
                policy,
                wiredStack({ db: db(), td: withEnv([{ name: "DATABASE_URL", value: `postgresql://app@${DB_HOST}/app?sslmode=require` }]) }),
            ),
            [],
        );
        assert.deepStrictEqual(runStack(policy, wiredStack({ db: db({ engineVersion: "14.12" }), td: withEnv(disabled) })), []);
    });

    it("rejects sslmode=disable in a URL pointing at PostgreSQL 16 (rds.force_ssl on by default)", () => {
        const [v, ...rest] = runStack(policy, wiredStack({ db: db(), td: withEnv(disabled) }));
        assert.strictEqual(rest.length, 0);
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.match(
            v.message,
            /'api-task' \(aws:ecs\/taskDefinition:TaskDefinition\) `containerDefinitions\[app\]\.environment\[DATABASE_URL\]`: found `sslmode=disable` in the URL of environment variable `DATABASE_URL` of container 'app', connecting to 'api-db', where rds\.force_ssl defaults to 1 for postgres 16 \(on from PostgreSQL 15\)\./,
        );
        assert.match(v.message, /no pg_hba\.conf entry for host.*Fix: Use `sslmode=require`/);
    });

    it("rejects PGSSLMODE=disable with the container's host setting, and follows the parameter group", () => {
        const env = [
            { name: "PGHOST", value: DB_HOST },
            { name: "PGSSLMODE", value: "disable" },
        ];
        assert.match(
            runStack(policy, wiredStack({ db: db(), td: withEnv(env) }))[0].message,
            /found `PGSSLMODE=disable` \(environment variable `PGSSLMODE` of container 'app'\), connecting to 'api-db'/,
        );
        const group: StackResourceInput = {
            key: "pg",
            type: NET_TYPES.rdsParameterGroup,
            name: "api-pg",
            props: { name: "api-pg", family: "postgres14", parameters: [{ name: "rds.force_ssl", value: "1" }] },
        };
        const stack = [...wiredStack({ db: db({ engineVersion: "14", parameterGroupName: "api-pg" }), td: withEnv(env) }), group];
        assert.match(runStack(policy, stack)[0].message, /where its parameter group sets rds\.force_ssl = 1/);
        group.props.parameters = [{ name: "rds.force_ssl", value: "0" }];
        assert.deepStrictEqual(
            runStack(policy, [...wiredStack({ db: db({ parameterGroupName: "api-pg" }), td: withEnv(env) }), group]),
            [],
        );
    });

    it("reads a connection URL stored in an SSM parameter the container gets as a secret", () => {
        const container = { ...wiredContainer(), environment: [], secrets: [{ name: "DATABASE_URL", valueFrom: URL_PARAM_ARN }] };
        const param: StackResourceInput = {
            key: "url",
            type: TYPES.ssmParameter,
            name: "database-url",
            props: { name: "/dev/api/database-url", type: "SecureString", value: disabled[0].value, arn: URL_PARAM_ARN },
        };
        const [v] = runStack(policy, [...wiredStack({ db: db(), td: taskDefinitionProps([container]) }), param]);
        assert.match(
            v.message,
            /`containerDefinitions\[app\]\.secrets\[DATABASE_URL\]\.valueFrom`: found `sslmode=disable` in the URL of secret `DATABASE_URL` of container 'app' \(SSM parameter 'database-url'\)/,
        );
    });

    it("judges Aurora PostgreSQL by its cluster parameter group only", () => {
        const host = `api.cluster-cabc.${REGION}.rds.amazonaws.com`;
        const cluster = (extra: Json = {}): StackResourceInput => ({
            key: "db",
            type: TYPES.rdsCluster,
            name: "api-aurora",
            props: { engine: "aurora-postgresql", engineVersion: "16.4", endpoint: host, ...extra },
        });
        const td = (): StackResourceInput => ({
            key: "td",
            type: TYPES.taskDefinition,
            name: "api-task",
            props: withEnv([{ name: "DATABASE_URL", value: `postgres://app@${host}/app?sslmode=disable` }]),
        });
        const ds = runStack(policy, [cluster(), td()]);
        assert.strictEqual(violations(ds).length, 0);
        assert.match(undecided(ds)[0].message, /the default rds\.force_ssl of aurora-postgresql 16\.4 is not known to this pack/);
        const group: StackResourceInput = {
            key: "cpg",
            type: NET_TYPES.rdsClusterParameterGroup,
            name: "aurora-pg",
            props: { name: "aurora-pg", parameters: [{ name: "rds.force_ssl", value: "1" }] },
        };
        assert.match(
            runStack(policy, [cluster({ dbClusterParameterGroupName: "aurora-pg" }), td(), group])[0].message,
            /connecting to 'api-aurora', where its parameter group sets rds\.force_ssl = 1/,
        );
    });

    it("reports what it cannot decide: unset or unknown engine version, unknown endpoints fed by the database, an sslmode not known yet", () => {
        let ds = runStack(policy, wiredStack({ db: db({ engineVersion: undefined }), td: withEnv(disabled) }));
        assert.strictEqual(violations(ds).length, 0);
        assert.match(undecided(ds)[0].message, /`engineVersion` of 'api-db' is unset, so the version RDS picked decides rds\.force_ssl/);
        const preview = wiredStack({
            db: db({ address: U, endpoint: U }),
            td: withEnv([{ name: "DATABASE_URL", value: "postgres://app@api-db.internal:5432/app?sslmode=disable" }]),
        });
        assert.match(runStack(policy, preview)[0].message, /connecting to 'api-db'/, "the single database feeding the containers");
        ds = runStack(policy, wiredStack({ db: db(), td: withEnv([{ name: "PGSSLMODE", value: U }]) }));
        assert.match(undecided(ds)[0].message, /`containerDefinitions\[app\]\.environment\[PGSSLMODE\]`: cannot verify/);
    });
});
