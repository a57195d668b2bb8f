import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    type PostgresSslMode,
    forceSslDefault,
    forceSslParameter,
    isDatabaseHostSetting,
    isDefaultParameterGroupName,
    isSslModeSetting,
    parseDatabaseUrl,
    parseSslMode,
    sslModeConflict,
    sslModeOfUrl,
} from "../domain/index";
import { type StackContext, containersFedBy, stackRule } from "../kit";
import {
    type ContainerSetting,
    DATA_STORE_TYPES,
    type DataStoreView,
    NET_TYPES,
    type TaskDefinitionSource,
    TYPES,
    UNKNOWN,
    asString,
    containerSettings,
    dataStoreOfHost,
    dataStores,
    field,
    taskDefinitionSources,
    propertyDependencies,
    rawProps,
    sourcesOfProperty,
} from "../resources";
import { type PackRule, ruleMetadata } from "../kit/metadata";

type Ctx = StackContext<object>;

const POSTGRES_ENGINES = ["postgres", "aurora-postgresql"];

/** `rds.force_ssl` of a parameter group resource the database names (by name, or by property dependency when unknown). */
function parameterGroupSetting(
    db: PolicyResource,
    key: string,
    groupType: string,
    resources: readonly PolicyResource[],
): boolean | undefined | { undecided: string } | "default" {
    const name = asString(field(rawProps(db.props), key));
    if (name === undefined || (typeof name === "string" && isDefaultParameterGroupName(name))) return "default";
    const group =
        typeof name === "string"
            ? resources.find(
                  (r) => r.type === groupType && [field(rawProps(r.props), "name"), field(rawProps(r.props), "id")].includes(name),
              )
            : propertyDependencies(db, key).find((r) => r.type === groupType);
    if (!group)
        return {
            undecided: `parameter group ${typeof name === "string" ? `\`${name}\`` : "(unknown name)"} of '${db.name}' is not managed in this stack`,
        };
    const parameters = field(rawProps(group.props), "parameters");
    if (parameters === UNKNOWN) return { undecided: `the parameters of '${group.name}' are not known yet` };
    return forceSslParameter(parameters);
}

/** Whether the database accepts only TLS connections, and why. */
function serverForcesTls(
    db: DataStoreView,
    resources: readonly PolicyResource[],
): { forces: boolean; why: string } | { undecided: string } {
    const props = rawProps(db.resource.props);
    const engine = db.engine as string;
    const cluster = db.resource.type === TYPES.rdsCluster;
    const set = parameterGroupSetting(
        db.resource,
        cluster ? "dbClusterParameterGroupName" : "parameterGroupName",
        cluster ? NET_TYPES.rdsClusterParameterGroup : NET_TYPES.rdsParameterGroup,
        resources,
    );
    if (typeof set === "object") return set;
    if (typeof set === "boolean") return { forces: set, why: `its parameter group sets rds.force_ssl = ${set ? 1 : 0}` };
    const version = field(props, "engineVersion");
    if (version === UNKNOWN) return { undecided: `\`engineVersion\` of '${db.resource.name}' is not known yet` };
    const byDefault = forceSslDefault(engine, version);
    if (byDefault === undefined) {
        return {
            undecided:
                version === undefined
                    ? `\`engineVersion\` of '${db.resource.name}' is unset, so the version RDS picked decides rds.force_ssl`
                    : `the default rds.force_ssl of ${engine} ${String(version)} is not known to this pack; set it in the parameter group`,
        };
    }
    return {
        forces: byDefault,
        why: `rds.force_ssl defaults to ${byDefault ? 1 : 0} for ${engine} ${String(version)} (on from PostgreSQL 15)`,
    };
}

interface SslModeUse {
    mode: PostgresSslMode;
    host: string | undefined;
    setting: ContainerSetting;
    shown: string;
}

/** The sslmode settings of a container: in PostgreSQL URLs, and sslmode variables (with the container's host setting). */
function sslModeUses(settings: ContainerSetting[]): { uses: SslModeUse[]; unknown: ContainerSetting[] } {
    const uses: SslModeUse[] = [];
    const unknown: ContainerSetting[] = [];
    const hostSetting = settings.find((s) => isDatabaseHostSetting(s.name) && typeof s.value === "string");
    const urlHost = settings
        .map((s) => (typeof s.value === "string" ? parseDatabaseUrl(s.value) : undefined))
        .find((u) => u?.engine === "postgres")?.host;
    const defaultHost = typeof hostSetting?.value === "string" ? hostSetting.value.split(":")[0].toLowerCase() : urlHost;
    for (const s of settings) {
        if (s.value === UNKNOWN) {
            if (isSslModeSetting(s.name)) unknown.push(s);
            continue;
        }
        const url = parseDatabaseUrl(s.value);
        const urlMode = url?.engine === "postgres" ? sslModeOfUrl(s.value) : undefined;
        if (url && urlMode)
            uses.push({ mode: urlMode, host: url.host, setting: s, shown: `\`sslmode=${urlMode}\` in the URL of ${s.where}` });
        const mode = !url && isSslModeSetting(s.name) ? parseSslMode(s.value) : undefined;
        if (mode) uses.push({ mode, host: defaultHost, setting: s, shown: `\`${s.name}=${mode}\` (${s.where})` });
    }
    return { uses, unknown };
}

function judgeContainers(ctx: Ctx, source: TaskDefinitionSource, postgres: DataStoreView[]): void {
    const subject = ctx.subject(source.resource);
    const feeding = sourcesOfProperty(source.resource, source.containersProperty, DATA_STORE_TYPES).filter((r) =>
        postgres.some((p) => p.resource === r),
    );
    const containers = containersFedBy(ctx, source, feeding);
    if (!containers) return;
    for (const c of containers) {
        const settings = containerSettings(source, c, ctx.resources);
        if (settings === UNKNOWN) {
            if (feeding.length > 0) ctx.report.undecided(subject, { path: `${c.path}.environment` });
            continue;
        }
        const { uses, unknown } = sslModeUses(settings);
        if (feeding.length > 0) for (const s of unknown) ctx.report.undecided(subject, { path: s.path });
        for (const use of uses) judgeUse(ctx, subject, use, postgres, feeding);
    }
}

function judgeUse(
    ctx: Ctx,
    subject: ReturnType<Ctx["subject"]>,
    use: SslModeUse,
    postgres: DataStoreView[],
    feeding: PolicyResource[],
): void {
    if (use.mode !== "disable") return; // every other mode connects to a TLS-only server
    const db = use.host
        ? dataStoreOfHost(use.host, postgres, use.setting)
        : feeding.length === 1
          ? postgres.find((p) => p.resource === feeding[0])
          : undefined;
    if (!db) {
        if (use.host && /\.rds\.amazonaws\.com$/.test(use.host))
            ctx.report.undecided(subject, {
                path: use.setting.path,
                reason: "the PostgreSQL host is an RDS endpoint not managed in this stack, so its rds.force_ssl is unknown",
            });
        return;
    }
    const server = serverForcesTls(db, ctx.resources);
    if ("undecided" in server) return ctx.report.undecided(subject, { path: use.setting.path, reason: server.undecided });
    const conflict = sslModeConflict(use.mode, server.forces);
    if (!conflict) return;
    ctx.report.violation(subject, {
        path: use.setting.path,
        found: `${use.shown}, connecting to '${db.resource.name}', where ${server.why}`,
        problem: conflict.message,
        fix: conflict.fix,
    });
}

/**
 * RDS for PostgreSQL 15 and later accepts only TLS connections by default (rds.force_ssl = 1): an app
 * told `sslmode=disable` never connects.
 */
export const postgresTlsMatchesServer: StackValidationPolicy = {
    name: "postgres-tls-matches-server",
    description:
        "A PostgreSQL connection configured with sslmode=disable must not point at an RDS PostgreSQL database that accepts only TLS connections (rds.force_ssl on, the default from PostgreSQL 15).",
    enforcementLevel: "mandatory",
    validateStack: stackRule({}, (ctx) => {
        const postgres = dataStores(ctx.resources).filter((d) => typeof d.engine === "string" && POSTGRES_ENGINES.includes(d.engine));
        if (postgres.length === 0) return;
        for (const source of taskDefinitionSources(ctx.resources)) judgeContainers(ctx, source, postgres);
    }),
};

/** What this policy checks, why, and how to fix a violation: its README section is generated from this (docs/policies-readme.ts). */
export const metadata = ruleMetadata(postgresTlsMatchesServer, {
    levelNote: ` (stack policy)`,
    checks: `\`sslmode=disable\` given to a container — in the query of a PostgreSQL URL
(\`postgres://…?sslmode=disable\`, \`postgresql+psycopg://…\`, \`jdbc:postgresql://…\`) or as an sslmode
setting (\`PGSSLMODE\`, \`DB_SSLMODE\`, \`*_SSL_MODE\`) — in \`environment\`, or stored in the SSM parameter or
secret version behind a \`secrets\` entry, against the RDS PostgreSQL database it points at (matched
by the URL's host or the container's \`PGHOST\`/\`DATABASE_HOST\`, else the single PostgreSQL database
feeding the containers). The server forces TLS when its parameter group
(\`aws:rds/parameterGroup\`, \`aws:rds/clusterParameterGroup\` for Aurora) sets \`rds.force_ssl = 1\`, or —
without the parameter — by RDS's default for the engine version, which \`domain/postgres-tls.ts\`
keeps with its source: **off before PostgreSQL 15, on from 15** (AWS RDS User Guide, "Updating
applications to connect to PostgreSQL DB instances using new SSL/TLS certificates"). Aurora
PostgreSQL's default is not stated per version in the sources read, so without a cluster parameter
group setting it is \`[undecided]\`, as are an unset or unknown \`engineVersion\`, an RDS host outside
the stack and an sslmode not known yet. Other sslmodes connect to a TLS-only server (\`prefer\`, libpq's
default, tries TLS first), so only \`disable\` is judged.`,
    rationale: `RDS for PostgreSQL 15 and later sets \`rds.force_ssl = 1\` by default. With \`rds.force_ssl = 1\`, \`pg_hba.conf\` admits only \`hostssl\` connections: every plaintext
connection fails ("no pg_hba.conf entry for host …, SSL off"), the app never becomes ready, and ECS
replaces its tasks. Upgrading a database from 14 to 16 turns this on under an unchanged app.`,
    config: `none.`,
    remediation: `\`sslmode=require\` (or \`verify-full\` with the RDS CA bundle and \`sslrootcert\`), or set
\`rds.force_ssl = 0\` in the database's parameter group when plaintext inside the VPC is intended.`,
    examples: `Fails:
\`\`\`ts
const db = new aws.rds.Instance("db", { engine: "postgres", engineVersion: "16", /* … */ });
environment: [{ name: "DATABASE_URL", value: pulumi.interpolate\`postgres://app@\${db.address}:5432/app?sslmode=disable\` }]
\`\`\`
Passes:
\`\`\`ts
environment: [{ name: "DATABASE_URL", value: pulumi.interpolate\`postgres://app@\${db.address}:5432/app?sslmode=require\` }]
\`\`\``,
});

/** The policy with its metadata: the one entry the pack's registry (policies/registry.ts) lists. */
export const rule: PackRule = { policy: postgresTlsMatchesServer, metadata };
