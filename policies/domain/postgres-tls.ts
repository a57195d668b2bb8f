/**
 * TLS between an app and RDS for PostgreSQL: the client's `sslmode` against the server's
 * `rds.force_ssl`.
 *
 * Facts (AWS RDS User Guide, read Nov 2026):
 * - "By default, the rds.force_ssl parameter is set to 0 (off) for DB instances using PostgreSQL
 *   versions before 15. By default, rds.force_ssl is set to 1 (on) for DB instances using PostgreSQL
 *   15 and later major versions." ("Updating applications to connect to PostgreSQL DB instances using
 *   new SSL/TLS certificates", ssl-certificate-rotation-postgresql.html). With it on, the server
 *   accepts only SSL/TLS connections ("Requiring an SSL connection to a PostgreSQL DB instance").
 * - A DB parameter group (`rds.force_ssl` = 0 or 1) overrides the default; an instance without one
 *   uses `default.postgres<major>`.
 * - Aurora PostgreSQL: the sources read do not state the default per version (a re:Post Knowledge
 *   Center article says 0), so it is treated as unknown unless the cluster parameter group sets it.
 *
 * libpq `sslmode` (PostgreSQL docs, "SSL Support"): `disable` never uses TLS; `allow` and `prefer`
 * (libpq's default) fall back to or try TLS; `require`, `verify-ca` and `verify-full` always use it.
 * So only `disable` fails against a server that forces TLS: "no pg_hba.conf entry for host …, SSL off".
 *
 * Pure: no Pulumi, no I/O, never throws.
 */

export type PostgresSslMode = "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full";
const SSL_MODES: readonly string[] = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

/** The major version of an engine version string (`"16"`, `"15.4"`, `"9.6.22"` → 16, 15, 9). */
export function postgresMajorVersion(engineVersion: unknown): number | undefined {
    if (typeof engineVersion !== "string" && typeof engineVersion !== "number") return undefined;
    const m = /^(\d+)/.exec(String(engineVersion).trim());
    return m ? Number(m[1]) : undefined;
}

/** Whether RDS forces TLS by default for `engine`/`engineVersion`; `undefined` when the sources do not say. */
export function forceSslDefault(engine: string, engineVersion: unknown): boolean | undefined {
    if (engine !== "postgres") return undefined; // aurora-postgresql: not stated per version
    const major = postgresMajorVersion(engineVersion);
    return major === undefined ? undefined : major >= 15;
}

/** `rds.force_ssl` from a parameter group's `parameters` list (`[{ name, value }]`); `undefined` when not set there. */
export function forceSslParameter(parameters: unknown): boolean | undefined {
    if (!Array.isArray(parameters)) return undefined;
    for (const p of parameters) {
        if (!p || typeof p !== "object" || (p as { name?: unknown }).name !== "rds.force_ssl") continue;
        const value = String((p as { value?: unknown }).value ?? "").trim();
        if (value === "1") return true;
        if (value === "0") return false;
    }
    return undefined;
}

/** True for RDS's own parameter groups (`default.postgres16`), which keep every default. */
export function isDefaultParameterGroupName(name: string): boolean {
    return /^default\./.test(name);
}

/** `sslmode` of a PostgreSQL URL's query (`?sslmode=disable`), lower case; `undefined` when absent. */
export function sslModeOfUrl(url: string): PostgresSslMode | undefined {
    const query = url.includes("?") ? url.slice(url.indexOf("?") + 1).split("#")[0] : "";
    for (const pair of query.split("&")) {
        const [key, value] = pair.split("=");
        if (key?.toLowerCase() === "sslmode" && value !== undefined && SSL_MODES.includes(value.toLowerCase()))
            return value.toLowerCase() as PostgresSslMode;
    }
    return undefined;
}

/** True for settings that hold libpq's `sslmode`: `PGSSLMODE`, `DB_SSLMODE`, `DATABASE_SSL_MODE`. */
export function isSslModeSetting(name: string): boolean {
    const canonical = name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
    return canonical === "PGSSLMODE" || /(^|_)SSL_?MODE$/.test(canonical);
}

/** A value of an sslmode setting, when it is one. */
export function parseSslMode(value: string): PostgresSslMode | undefined {
    const v = value.trim().toLowerCase();
    return SSL_MODES.includes(v) ? (v as PostgresSslMode) : undefined;
}

/** The verdict for a client `sslmode` against a server that forces TLS (or not). */
export function sslModeConflict(mode: PostgresSslMode, serverForcesTls: boolean): { message: string; fix: string } | undefined {
    if (!serverForcesTls || mode !== "disable") return undefined;
    return {
        message:
            '`sslmode=disable` never uses TLS, and the server accepts only TLS connections (rds.force_ssl = 1): every connection fails with "no pg_hba.conf entry for host …, SSL off", so the app never becomes ready',
        fix: "Use `sslmode=require`, or `sslmode=verify-full` with the RDS CA bundle (`sslrootcert=/path/to/global-bundle.pem`, from https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem)",
    };
}
