/**
 * Database settings as apps read them from their environment: PostgreSQL/MySQL connection URLs
 * (`postgres://user:pass@host:5432/app`, `postgresql+psycopg://…`, `jdbc:mysql://…`), database
 * name settings (`DATABASE_NAME`, `DB_NAME`, `PGDATABASE`, `POSTGRES_DB`, `MYSQL_DATABASE`) and
 * host settings (`DATABASE_HOST`, `DB_HOST`, `PGHOST`, `MYSQL_HOST`). Used to check that an app
 * connects to the database the RDS resource actually creates (`dbName`).
 *
 * Pure: no Pulumi, no I/O, never throws. Credentials are never part of a result.
 */
import { nameTokens } from "./secret-names";

export type DatabaseEngineFamily = "postgres" | "mysql";

/** A database URL taken apart (no credentials). */
export interface DatabaseUrl {
    engine: DatabaseEngineFamily;
    /** Lower-case host; empty when the URL has none (unix socket). */
    host: string;
    port?: number;
    /** The database named by the path (percent-decoded); `undefined` when the path names none. */
    database?: string;
}

const SCHEME = /^(?:jdbc:)?(postgres|postgresql|pgsql|mysql|mariadb)(?:\+[a-z0-9_]+)?:\/\//i;

/** Parses a PostgreSQL/MySQL URL; `undefined` for anything else. */
export function parseDatabaseUrl(value: unknown): DatabaseUrl | undefined {
    if (typeof value !== "string") return undefined;
    const text = value.trim();
    const scheme = SCHEME.exec(text);
    if (!scheme) return undefined;
    const engine: DatabaseEngineFamily = /^(mysql|mariadb)$/i.test(scheme[1]) ? "mysql" : "postgres";
    const rest = text.slice(scheme[0].length);
    const authorityEnd = rest.search(/[/?#]/);
    const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
    const tail = authorityEnd < 0 ? "" : rest.slice(authorityEnd);
    const hostPort = authority.slice(authority.lastIndexOf("@") + 1).split(",")[0];
    let host = hostPort;
    let port: number | undefined;
    const bracket = /^\[([^\]]*)\](?::(\d+))?$/.exec(hostPort);
    if (bracket) {
        host = bracket[1];
        port = bracket[2] !== undefined ? Number(bracket[2]) : undefined;
    } else {
        const m = /^([^:]*)(?::(\d+))?$/.exec(hostPort);
        if (m) {
            host = m[1];
            port = m[2] !== undefined ? Number(m[2]) : undefined;
        }
    }
    const path = tail.startsWith("/") ? tail.slice(1).split(/[?#]/, 1)[0] : "";
    let database: string | undefined;
    if (path !== "") {
        try {
            database = decodeURIComponent(path.split("/")[0]);
        } catch {
            database = path.split("/")[0];
        }
    }
    const out: DatabaseUrl = { engine, host: host.toLowerCase() };
    if (port !== undefined) out.port = port;
    if (database !== undefined && database !== "") out.database = database;
    return out;
}

function hasPair(tokens: string[], first: string[], second: string[]): boolean {
    return tokens.some((t, i) => first.includes(t) && second.includes(tokens[i + 1]));
}

const DB_WORDS = ["DB", "DATABASE", "PG", "POSTGRES", "POSTGRESQL", "MYSQL", "RDS"];

/** True for settings that name the database: `DATABASE_NAME`, `DB_NAME`, `APP_DB_NAME`, `PGDATABASE`, `POSTGRES_DB`, `MYSQL_DATABASE`. */
export function isDatabaseNameSetting(name: unknown): boolean {
    if (typeof name !== "string") return false;
    const tokens = nameTokens(name);
    const canonical = tokens.join("_");
    if (["PGDATABASE", "POSTGRES_DB", "POSTGRES_DATABASE", "MYSQL_DATABASE", "MYSQL_DB", "DBNAME", "DATABASENAME"].includes(canonical))
        return true;
    return hasPair(tokens, DB_WORDS, ["NAME"]);
}

/** True for settings that hold the database host: `DATABASE_HOST`, `DB_HOST`, `PGHOST`, `POSTGRES_HOST`, `MYSQL_HOST`, `DB_ENDPOINT`. */
export function isDatabaseHostSetting(name: unknown): boolean {
    if (typeof name !== "string") return false;
    const tokens = nameTokens(name);
    const canonical = tokens.join("_");
    if (["PGHOST", "DBHOST", "DATABASEHOST"].includes(canonical)) return true;
    return hasPair(tokens, DB_WORDS, ["HOST", "HOSTNAME", "ADDRESS", "ENDPOINT"]);
}

/** The host part of a host setting's value (`db.example.com:5432` → `db.example.com`), lower case. */
export function hostOfSetting(value: string): string {
    const v = value.trim().toLowerCase();
    const bracket = /^\[([^\]]*)\]/.exec(v);
    if (bracket) return bracket[1];
    return v.split(":").length === 2 ? v.split(":")[0] : v;
}
