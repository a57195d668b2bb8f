import * as assert from "assert";
import {
    forceSslDefault,
    forceSslParameter,
    isSslModeSetting,
    postgresMajorVersion,
    sslModeConflict,
    sslModeOfUrl,
} from "../../policies/domain";

describe("postgres-tls: rds.force_ssl against sslmode", () => {
    it("derives the RDS default from the major version (on from PostgreSQL 15), and knows no Aurora default", () => {
        assert.deepStrictEqual(
            ["13.4", "14", "15.2", "16", 17].map((v) => postgresMajorVersion(v)),
            [13, 14, 15, 16, 17],
        );
        assert.deepStrictEqual(
            ["14.12", "15", "16.4"].map((v) => forceSslDefault("postgres", v)),
            [false, true, true],
        );
        assert.strictEqual(forceSslDefault("aurora-postgresql", "16.4"), undefined);
        assert.strictEqual(forceSslDefault("postgres", undefined), undefined);
    });

    it("reads rds.force_ssl from a parameter group's parameters", () => {
        assert.strictEqual(
            forceSslParameter([
                { name: "log_statement", value: "all" },
                { name: "rds.force_ssl", value: "0" },
            ]),
            false,
        );
        assert.strictEqual(forceSslParameter([{ name: "rds.force_ssl", value: 1 }]), true);
        assert.strictEqual(forceSslParameter([]), undefined);
    });

    it("finds sslmode in URLs and settings, and only disable conflicts with a TLS-only server", () => {
        assert.strictEqual(sslModeOfUrl("postgres://u:p@h:5432/db?application_name=x&sslmode=DISABLE"), "disable");
        assert.strictEqual(sslModeOfUrl("postgres://h/db"), undefined);
        assert.ok(isSslModeSetting("PGSSLMODE") && isSslModeSetting("db_ssl_mode") && !isSslModeSetting("SSL_CERT"));
        assert.ok(sslModeConflict("disable", true));
        for (const mode of ["allow", "prefer", "require", "verify-full"] as const)
            assert.strictEqual(sslModeConflict(mode, true), undefined);
        assert.strictEqual(sslModeConflict("disable", false), undefined);
    });
});
