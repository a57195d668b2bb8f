import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { hostOfSetting, isDatabaseHostSetting, isDatabaseNameSetting, parseDatabaseUrl } from "../domain/index";
import { type StackContext, type Subject, containersFedBy, stackRule } from "../kit";
import {
    type EnvironmentEntry,
    TYPES,
    type TaskDefinitionSource,
    UNKNOWN,
    type Unknown,
    asString,
    environmentEntries,
    field,
    rawProps,
    sourcesOfProperty,
    taskDefinitionSources,
} from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

const DATABASE_TYPES: readonly string[] = [TYPES.rdsInstance, TYPES.rdsCluster];

/** Endpoint hosts of an RDS instance (`address`, `endpoint`) or cluster (`endpoint`, `readerEndpoint`). */
function databaseHosts(db: PolicyResource): { hosts: string[]; unknown: boolean } {
    const props = rawProps(db.props);
    const keys = db.type === TYPES.rdsInstance ? ["address", "endpoint"] : ["endpoint", "readerEndpoint"];
    const hosts: string[] = [];
    let unknown = false;
    for (const key of keys) {
        const v = asString(field(props, key));
        if (v === UNKNOWN) unknown = true;
        else if (typeof v === "string" && v !== "") hosts.push(hostOfSetting(v));
    }
    return { hosts, unknown: unknown || hosts.length === 0 };
}

/** The database name the resource creates: `dbName` (instance) or `databaseName` (cluster). */
function createdDatabase(db: PolicyResource): { name: string | Unknown | undefined; field: string } {
    const props = rawProps(db.props);
    const key = db.type === TYPES.rdsInstance ? "dbName" : "databaseName";
    return { name: asString(field(props, key)), field: key };
}

/** A database name as shown in a message: names only, never free text. */
function shownName(name: string): string {
    return /^[A-Za-z0-9_$.-]{1,64}$/.test(name) ? JSON.stringify(name) : "a different name";
}

type Target = { db: PolicyResource } | { undecided: string } | undefined;

/** One database name a container gives its app, and the database it should match. */
interface NameCheck {
    path: string;
    what: string;
    value: string | Unknown;
    target: Target;
}

/** The database a host names: one of the stack's by endpoint, else the one feeding the task whose endpoint is not known yet. */
function databaseByHost(databases: PolicyResource[], feeding: PolicyResource[]): (host: string) => Target {
    return (host) => {
        const found = databases.find((d) => databaseHosts(d).hosts.includes(host));
        if (found) return { db: found };
        const pending = feeding.filter((d) => databaseHosts(d).unknown);
        if (pending.length === 1) return { db: pending[0] };
        return undefined; // a database outside the stack, or not RDS
    };
}

/** The container's database host setting: the database its first known value names, and whether one is known or unknown. */
function hostSetting(entries: EnvironmentEntry[], byHost: (host: string) => Target): { target: Target; known: boolean; unknown: boolean } {
    let target: Target;
    let known = false;
    let unknown = false;
    for (const e of entries) {
        if (e.name === UNKNOWN || !isDatabaseHostSetting(e.name)) continue;
        const v = asString(e.value);
        if (v === UNKNOWN) unknown = true;
        else if (typeof v === "string" && !known) {
            known = true;
            target = byHost(hostOfSetting(v));
        }
    }
    return { target, known, unknown };
}

/**
 * The database names a container's environment gives its app (in a database URL, or a name
 * setting), each with the database to match: a URL's own host, else the container's host setting,
 * else the one database feeding the task.
 */
function nameChecks(entries: EnvironmentEntry[], byHost: (host: string) => Target, feeding: PolicyResource[]): NameCheck[] {
    const host = hostSetting(entries, byHost);
    const checks: NameCheck[] = [];
    for (const e of entries) {
        if (e.name === UNKNOWN) continue;
        const v = asString(e.value);
        if (v === undefined) continue;
        const url = typeof v === "string" ? parseDatabaseUrl(v) : undefined;
        if (url) {
            if (url.database !== undefined)
                checks.push({
                    path: e.path,
                    what: `the database of the URL in \`${e.name}\``,
                    value: url.database,
                    target: byHost(url.host),
                });
            continue;
        }
        if (!isDatabaseNameSetting(e.name)) continue;
        let target = host.target;
        if (host.known) {
            /* the host decides: a server outside the stack is not judged */
        } else if (host.unknown)
            target =
                feeding.length === 1
                    ? { db: feeding[0] }
                    : { undecided: "the database host setting of the same container is not known yet" };
        else if (feeding.length === 1) target = { db: feeding[0] };
        checks.push({ path: e.path, what: `\`${e.name}\``, value: v, target });
    }
    return checks;
}

/** Reports one name check of container `containerName`: undecided, a mismatch with the name the database creates, or nothing. */
function judgeNameCheck(ctx: StackContext<object>, subject: Subject, containerName: string, check: NameCheck): void {
    const target = check.target;
    if (target === undefined) return;
    if ("undecided" in target) return ctx.report.undecided(subject, { path: check.path, reason: target.undecided });
    const created = createdDatabase(target.db);
    if (created.name === UNKNOWN || check.value === UNKNOWN) {
        return ctx.report.undecided(subject, {
            path: check.path,
            reason:
                created.name === UNKNOWN
                    ? `\`${created.field}\` of '${target.db.name}' is not known yet`
                    : "the value is not known until the update runs",
        });
    }
    if (created.name === undefined) return; // no database created by name: nothing to compare with
    if (created.name === check.value) return;
    ctx.report.violation(subject, {
        path: check.path,
        found: `${check.what} = ${shownName(check.value)} in container '${containerName}', but '${target.db.name}' creates \`${created.field}\` ${shownName(created.name)}`,
        problem:
            'The app connects to a database that does not exist on that server: every connection fails with "database does not exist" (PostgreSQL) or "Unknown database" (MySQL), so the app never becomes ready',
        fix: `Take the name from the database resource's own output (\`DATABASE_NAME: db.${created.field}\`) instead of repeating it, or change \`${created.field}\``,
    });
}

function judgeContainers(ctx: StackContext<object>, source: TaskDefinitionSource, databases: PolicyResource[]): void {
    const subject = ctx.subject(source.resource);
    const feeding = sourcesOfProperty(source.resource, source.containersProperty, DATABASE_TYPES);
    const containers = containersFedBy(ctx, source, feeding);
    if (!containers) return;
    const byHost = databaseByHost(databases, feeding);
    for (const c of containers) {
        const entries = environmentEntries(c);
        if (entries === UNKNOWN) {
            if (feeding.length > 0) ctx.report.undecided(subject, { path: `${c.path}.environment` });
            continue;
        }
        for (const check of nameChecks(entries, byHost, feeding)) judgeNameCheck(ctx, subject, c.name, check);
    }
}

/**
 * Repeating a database name in two places lets them drift: the app then asks RDS for a database
 * that was never created.
 */
export const databaseNameConsistent: StackValidationPolicy = {
    name: "database-name-consistent",
    description:
        "The database name a container is given (a name setting or the path of a PostgreSQL/MySQL URL) must be the dbName of the RDS instance or cluster it connects to.",
    enforcementLevel: "mandatory",
    validateStack: stackRule({}, (ctx) => {
        const databases = ctx.resources.filter((r) => DATABASE_TYPES.includes(r.type));
        if (databases.length === 0) return;
        for (const source of taskDefinitionSources(ctx.resources)) judgeContainers(ctx, source, databases);
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(databaseNameConsistent, {
    levelNote: ` (stack policy)`,
    checks: `database names given to containers — name settings (\`DATABASE_NAME\`, \`DB_NAME\`,
\`*_DB_NAME\`, \`PGDATABASE\`, \`POSTGRES_DB\`, \`MYSQL_DATABASE\`) and the path of PostgreSQL/MySQL URLs
(\`postgres://…/app\`, \`postgresql+psycopg://\`, \`mysql://\`, \`jdbc:…\`) in \`environment\` — against the
\`dbName\` of the \`aws:rds/instance:Instance\` (or \`databaseName\` of the \`aws:rds/cluster:Cluster\`)
they point at: matched by host (the URL's host, or the container's \`DATABASE_HOST\`/\`DB_HOST\`/\`PGHOST\`
setting) against the instance's \`address\`/\`endpoint\` or the cluster's \`endpoint\`/\`readerEndpoint\`,
else the single database in the property dependencies of the containers. A host outside the stack
is not judged; a database without \`dbName\` (nothing created by name) is not judged; unknown
values fed by a database are undecided.`,
    rationale: `When the two names drift, every connection fails with "database does not exist" and the
app never becomes ready; ECS then replaces tasks that can never work.`,
    config: `none.`,
    remediation: `Pass the database resource's own output (\`DATABASE_NAME: db.dbName\`) instead of repeating
the name.`,
    examples: `Fails:
\`\`\`ts
const db = new aws.rds.Instance("db", { dbName: "app", /* … */ });
environment: [{ name: "DATABASE_HOST", value: db.address }, { name: "DATABASE_NAME", value: "application" }]
\`\`\`
Passes:
\`\`\`ts
environment: [{ name: "DATABASE_HOST", value: db.address }, { name: "DATABASE_NAME", value: db.dbName }]
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: databaseNameConsistent, metadata };
