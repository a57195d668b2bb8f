import { strict as assert } from "assert";
import fc from "fast-check";
import {
    arnLocation,
    arnMatches,
    classifyEnvironmentEntry,
    isArnOfSecret,
    secretNameOfId,
    detectToken,
    isSecretLikeName,
    looksLikeToken,
    maskUrlCredentials,
    parseSecretSource,
    secretsManagerArnCovers,
    ssmParameterArn,
    urlWithPassword,
} from "../../policies/domain";

const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
const SECRET_PARTIAL = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db";
const PARAMETER = "arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/password";

// Built from pieces so that secret scanners do not flag this file.
const AWS_KEY_ID = "AKIA" + "IOSFODNN7EXAMPLE";
const AWS_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY";
const GITHUB_TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
const SLACK_TOKEN = "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
const JWT = "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

describe("secrets", () => {
    describe("isSecretLikeName", () => {
        const secret = [
            "DB_PASSWORD",
            "GITHUB_TOKEN",
            "MYSQL_ROOTPASSWORD",
            "SMTP_PASSWD",
            "JWT_SECRET",
            "CLIENT_SECRET",
            "DJANGO_SECRET_KEY",
            "SECRET_KEY_BASE",
            "STRIPE_API_KEY",
            "X_API_KEY",
            "APIKEY",
            "apiKey",
            "dbPassword",
            "db-password",
            "SSH_PRIVATE_KEY",
            "GCP_CREDENTIALS",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID",
            "REDIS_AUTH_TOKEN",
            "DB_PASS",
            "DB_PWD",
            "GPG_PASSPHRASE",
            "OAuth2Token",
            "APP_SECRETS",
        ];
        const notSecret = [
            "TOKEN_URL",
            "OAUTH_TOKEN_ENDPOINT",
            "TOKEN_TTL",
            "PASSWORD_MIN_LENGTH",
            "DB_PASSWORD_FILE",
            "DB_SECRET_ARN",
            "SECRET_NAME",
            "USE_SECRETS_MANAGER",
            "MAX_TOKENS",
            "TOKENIZER_PATH",
            "PASS_THROUGH",
            "PWD",
            "OLDPWD",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "KMS_KEY_ID",
            "CACHE_KEY",
            "PORT",
            "DATABASE_URL",
            "PASSWORDLESS_LOGIN",
            "",
            "_",
        ];
        for (const name of secret) it(`flags ${name}`, () => assert.equal(isSecretLikeName(name), true));
        for (const name of notSecret) it(`does not flag ${JSON.stringify(name)}`, () => assert.equal(isSecretLikeName(name), false));
        it("answers false for non-strings", () => assert.equal(isSecretLikeName(undefined), false));
    });

    describe("looksLikeToken", () => {
        const tokens: [string, string][] = [
            [AWS_KEY_ID, "aws-access-key-id"],
            ["ASIA" + "Y34FZKBOKMUTVV7A", "aws-access-key-id"],
            [GITHUB_TOKEN, "github-token"],
            ["github_pat_" + "11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789", "github-token"],
            [SLACK_TOKEN, "slack-token"],
            [JWT, "jwt"],
            ["sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", "stripe-key"],
            ["AIza" + "SyA-1234567890abcdefghijklmnopqrstu", "google-api-key"],
            ["-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----", "private-key-pem"],
            [AWS_SECRET_KEY, "high-entropy-string"],
            ["Zm9vYmFyYmF6cXV4UXVpY2tCcm93bkZveDEyMzQ1Njc4OTA", "high-entropy-string"],
        ];
        for (const [value, kind] of tokens) it(`recognises ${kind} ${value.slice(0, 8)}…`, () => assert.equal(detectToken(value), kind));

        const ordinary = [
            "production",
            "https://example.com/callback",
            "3600",
            "true",
            "550e8400-e29b-41d4-a716-446655440000",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "sha256:" + "a".repeat(64),
            "/usr/local/lib/ApplicationSupportFolderV12",
            "ThisIsAnOrdinaryCamelCaseIdentifier",
            "my-service.internal.example.com",
            "AKIA-not-a-key",
            "",
        ];
        for (const value of ordinary)
            it(`leaves ${JSON.stringify(value.slice(0, 40))} alone`, () => assert.equal(looksLikeToken(value), false));
        it("answers false for non-strings", () => assert.equal(looksLikeToken(12345), false));
    });

    describe("urlWithPassword and maskUrlCredentials", () => {
        it("masks the password of any scheme and keeps the rest", () => {
            assert.equal(urlWithPassword("postgres://app:s3cret@db.internal:5432/app"), "postgres://app:****@db.internal:5432/app");
            assert.equal(urlWithPassword("rediss://:tok@cache:6379"), "rediss://:****@cache:6379");
            assert.equal(urlWithPassword("amqps://user:p%40ss@mq/vhost?x=1"), "amqps://user:****@mq/vhost?x=1");
        });

        it("masks a password that contains a raw `/` (a broken URL must not leak either)", () => {
            assert.equal(urlWithPassword("redis://:ab/cd@cache:6379"), "redis://:****@cache:6379");
        });

        it("masks the whole of a raw password containing `@`, `/`, `?` and `#`", () => {
            assert.equal(urlWithPassword("redis://:p@ss/w:rd#%?&@cache:6379"), "redis://:****@cache:6379");
        });

        it("never lets any part of a raw password through (property)", () => {
            const passwordChar = fc.constantFrom(..."aZ9@/:?#%&=+-_.!$'()*,;[]~");
            fc.assert(
                fc.property(
                    fc.constantFrom("redis", "rediss", "postgres", "https", "amqp"),
                    fc.constantFrom("", "app"),
                    fc.array(passwordChar, { maxLength: 20 }),
                    fc.constantFrom("", "/0", "/db?sslmode=require", "/x#frag"),
                    (scheme, user, chars, tail) => {
                        const password = "Qx7" + chars.join(""); // a marker that cannot occur by chance elsewhere
                        const masked = urlWithPassword(`${scheme}://${user}:${password}@host.example:1234${tail}`);
                        assert.equal(masked, `${scheme}://${user}:****@host.example:1234${tail}`);
                    },
                ),
                { numRuns: 2000 },
            );
        });

        it("masks a token used as the user name", () => {
            assert.equal(urlWithPassword(`https://${GITHUB_TOKEN}@github.com/org/repo.git`), "https://****@github.com/org/repo.git");
        });

        it("returns null for URLs without a password", () => {
            for (const value of [
                "https://example.com/a@b",
                "https://host:8080/@me",
                "redis://user@cache:6379",
                "redis://user:@cache",
                "mailto:a@b.c",
                "not a url",
                "",
                42,
            ]) {
                assert.equal(urlWithPassword(value), null, String(value));
            }
        });

        it("maskUrlCredentials leaves other values unchanged", () => {
            assert.equal(maskUrlCredentials("redis://cache:6379"), "redis://cache:6379");
            assert.equal(maskUrlCredentials("plain text"), "plain text");
        });
    });

    describe("classifyEnvironmentEntry", () => {
        it("reports a URL with a password, masked, with the secrets form as fix", () => {
            const finding = classifyEnvironmentEntry("REDIS_URL", "rediss://:tok3n@cache:6379");
            assert.equal(finding?.id, "url-with-password-in-environment");
            assert.equal(finding?.maskedValue, "rediss://:****@cache:6379");
            assert.equal(
                finding?.message,
                "Environment variable `REDIS_URL` holds a URL with a password (`rediss://:****@cache:6379`); plain `environment` values are visible to anyone who can describe the task definition.",
            );
            assert.match(
                finding!.fix,
                /`secrets: \[\{ name: "REDIS_URL", valueFrom: "arn:aws:secretsmanager:<region>:<account>:secret:<secret-name>" \}\]`/,
            );
            assert.match(finding!.fix, /execution role `secretsmanager:GetSecretValue`/);
            assert.ok(!JSON.stringify(finding).includes("tok3n"));
        });

        it("reports a token under any name, without repeating it", () => {
            const finding = classifyEnvironmentEntry("GIT_CONFIG", GITHUB_TOKEN);
            assert.equal(finding?.id, "token-in-environment");
            assert.match(finding!.message, /\(github-token\)/);
            assert.ok(!JSON.stringify(finding).includes(GITHUB_TOKEN));
        });

        it("reports a secret-like name with a plausible or unknown value", () => {
            assert.equal(classifyEnvironmentEntry("DB_PASSWORD", "hunter2")?.id, "secret-name-in-environment");
            assert.equal(classifyEnvironmentEntry("DB_PASSWORD", undefined)?.id, "secret-name-in-environment");
        });

        it("does not report a secret-like name whose value cannot be a secret or only points at one", () => {
            for (const value of [
                "",
                "true",
                "3600",
                "changeme",
                "<set-me>",
                "${DB_PASSWORD}",
                SECRET,
                PARAMETER,
                "/run/secrets/db_password",
            ]) {
                assert.equal(classifyEnvironmentEntry("DB_PASSWORD", value), null, value);
            }
        });

        it("does not report ordinary entries", () => {
            assert.equal(classifyEnvironmentEntry("TOKEN_URL", "https://auth.example.com/token"), null);
            assert.equal(classifyEnvironmentEntry("LOG_LEVEL", "info"), null);
            assert.equal(classifyEnvironmentEntry("", "x"), null);
        });
    });

    describe("parseSecretSource", () => {
        it("classifies a complete Secrets Manager ARN", () => {
            assert.deepEqual(parseSecretSource(SECRET), {
                kind: "secretsmanager",
                valueFrom: SECRET,
                partition: "aws",
                region: "us-east-1",
                account: "123456789012",
                secretArn: SECRET,
                secretName: "prod/db-AbCdEf",
                hasRandomSuffix: true,
                grantArn: SECRET,
            });
        });

        it("strips the json-key/version selector to the ARN to grant", () => {
            const source = parseSecretSource(`${SECRET}:password:AWSCURRENT:`);
            assert.equal(source.kind, "secretsmanager");
            if (source.kind !== "secretsmanager") return;
            assert.equal(source.secretArn, SECRET);
            assert.equal(source.jsonKey, "password");
            assert.equal(source.versionStage, "AWSCURRENT");
            assert.equal(source.versionId, undefined);
            const byId = parseSecretSource(`${SECRET}:::0f1e2d3c-aaaa-bbbb-cccc-1234567890ab`);
            assert.equal(byId.kind === "secretsmanager" && byId.versionId, "0f1e2d3c-aaaa-bbbb-cccc-1234567890ab");
        });

        it("grants `name-??????` for a partial ARN (no random suffix)", () => {
            const source = parseSecretSource(SECRET_PARTIAL);
            assert.equal(source.kind === "secretsmanager" && source.hasRandomSuffix, false);
            assert.equal(source.kind === "secretsmanager" && source.grantArn, `${SECRET_PARTIAL}-??????`);
        });

        it("classifies SSM parameter ARNs and names", () => {
            assert.deepEqual(parseSecretSource(PARAMETER), {
                kind: "ssm-parameter-arn",
                valueFrom: PARAMETER,
                partition: "aws",
                region: "us-east-1",
                account: "123456789012",
                parameterArn: PARAMETER,
                parameterPath: "prod/db/password",
            });
            assert.deepEqual(parseSecretSource("/prod/db/password"), {
                kind: "ssm-parameter-name",
                valueFrom: "/prod/db/password",
                parameterName: "/prod/db/password",
            });
            assert.equal(parseSecretSource("db_password").kind, "ssm-parameter-name");
            assert.equal(parseSecretSource("arn:aws-cn:ssm:cn-north-1:123456789012:parameter/x").kind, "ssm-parameter-arn");
        });

        const invalid: [unknown, RegExp][] = [
            [undefined, /must be a string, got undefined/],
            [null, /must be a string, got null/],
            ["", /is empty/],
            [` ${SECRET}`, /whitespace/],
            ["arn:aws:s3:::bucket/key", /ECS reads secrets only from Secrets Manager or SSM Parameter Store/],
            ["arn:aws:secretsmanager:us-east-1:123456789012:secret", /not a complete ARN|no valid secret name/],
            ["arn:aws:secretsmanager::123456789012:secret:db-AbCdEf", /no valid region/],
            ["arn:aws:secretsmanager:us-east-1:1234:secret:db-AbCdEf", /12-digit account/],
            [`${SECRET}:k:AWSCURRENT:0f1e2d3c`, /only one of them/],
            [`${SECRET}:a:b:c:d`, /more than the three selector fields/],
            ["arn:aws:ssm:us-east-1:123456789012:document/x", /not of a parameter/],
            ["arn:aws:ssm:us-east-1:123456789012:parameter//x", /no valid parameter name/],
            ["aws/reserved", /not starting with `aws` or `ssm`/],
            ["has spaces", /neither an ARN nor a valid SSM parameter name/],
        ];
        for (const [value, reason] of invalid) {
            it(`rejects ${JSON.stringify(value)} with a reason`, () => {
                const source = parseSecretSource(value);
                assert.equal(source.kind, "invalid");
                assert.match(source.kind === "invalid" ? source.reason : "", reason);
            });
        }

        it("never throws", () => {
            fc.assert(
                fc.property(fc.anything(), (value) => {
                    assert.ok(
                        ["secretsmanager", "ssm-parameter-arn", "ssm-parameter-name", "invalid"].includes(parseSecretSource(value).kind),
                    );
                }),
                { numRuns: 2000 },
            );
            fc.assert(
                fc.property(fc.string(), fc.string(), (a, b) => {
                    parseSecretSource(`arn:${a}:${b}`);
                    parseSecretSource(`arn:aws:secretsmanager:us-east-1:123456789012:secret:${a}`);
                }),
                { numRuns: 2000 },
            );
        });
    });

    describe("arnMatches", () => {
        it("matches literally and with `*` / `?`", () => {
            assert.equal(arnMatches(SECRET, SECRET), true);
            assert.equal(arnMatches("*", SECRET), true);
            assert.equal(arnMatches("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/*", SECRET), true);
            assert.equal(arnMatches("arn:aws:secretsmanager:*:*:secret:prod/db-??????", SECRET), true);
            assert.equal(arnMatches("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-?????", SECRET), false);
            assert.equal(arnMatches("arn:aws:secretsmanager:us-east-1:123456789012:secret:staging/*", SECRET), false);
        });

        it("is case-sensitive", () => {
            assert.equal(arnMatches(SECRET.toLowerCase(), SECRET), false);
        });

        it("keeps a mid-segment wildcard inside its segment, but lets a segment-final `*` run on", () => {
            // `us-*-1` may not swallow the `:` that ends the region.
            assert.equal(arnMatches("arn:aws:ssm:us-*1", "arn:aws:ssm:us-east-1:123456789012:parameter/x1"), false);
            assert.equal(arnMatches("arn:aws:ssm:us-*", PARAMETER), true);
            assert.equal(arnMatches("arn:aws:ssm:us-east-1:123456789012:parameter/prod/*", PARAMETER), true);
        });

        it("answers false for non-strings", () => {
            assert.equal(arnMatches(undefined, SECRET), false);
            assert.equal(arnMatches("*", 42), false);
        });

        it("agrees with a glob that may not cross `:` mid-segment, on random input", () => {
            const alphabet = fc.constantFrom("a", "b", ":", "*", "?");
            fc.assert(
                fc.property(fc.array(alphabet, { maxLength: 8 }), fc.array(fc.constantFrom("a", "b", ":"), { maxLength: 8 }), (p, a) => {
                    const pattern = p.join("");
                    const arn = a.join("");
                    const source =
                        "^" +
                        p
                            .map((ch, i) =>
                                ch === "*" ? (i === p.length - 1 || p[i + 1] === ":" ? ".*" : "[^:]*") : ch === "?" ? "[^:]" : ch,
                            )
                            .join("") +
                        "$";
                    assert.equal(arnMatches(pattern, arn), new RegExp(source).test(arn), `${pattern} vs ${arn}`);
                }),
                { numRuns: 3000 },
            );
        });
    });

    describe("secretsManagerArnCovers", () => {
        it("covers a complete ARN with the exact ARN, `-??????`, `-*` or `*`", () => {
            for (const grant of [
                SECRET,
                `${SECRET_PARTIAL}-??????`,
                `${SECRET_PARTIAL}-*`,
                `${SECRET_PARTIAL}*`,
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:*",
                "*",
            ]) {
                assert.equal(secretsManagerArnCovers(grant, SECRET), true, grant);
            }
        });

        it("does not cover a secret with the bare name ARN (the random suffix is part of the real ARN)", () => {
            assert.equal(secretsManagerArnCovers(SECRET_PARTIAL, SECRET), false);
        });

        it("covers a valueFrom with a json-key selector through its base ARN", () => {
            assert.equal(secretsManagerArnCovers(SECRET, `${SECRET}:password::`), true);
        });

        it("covers a partial valueFrom only with a grant that matches every suffix", () => {
            assert.equal(secretsManagerArnCovers(`${SECRET_PARTIAL}-??????`, SECRET_PARTIAL), true);
            assert.equal(secretsManagerArnCovers(`${SECRET_PARTIAL}-*`, SECRET_PARTIAL), true);
            assert.equal(secretsManagerArnCovers(SECRET, SECRET_PARTIAL), false, "one specific suffix");
            assert.equal(secretsManagerArnCovers(SECRET_PARTIAL, SECRET_PARTIAL), false, "the bare name");
        });

        it("does not cover other secrets, accounts or non-Secrets-Manager sources", () => {
            assert.equal(
                secretsManagerArnCovers(`${SECRET_PARTIAL}-??????`, "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/dbx-AbCdEf"),
                false,
            );
            assert.equal(secretsManagerArnCovers(SECRET.replace("123456789012", "210987654321"), SECRET), false);
            assert.equal(secretsManagerArnCovers("*", PARAMETER), false);
            assert.equal(secretsManagerArnCovers("*", "nonsense"), false);
        });

        it("never throws", () => {
            fc.assert(
                fc.property(fc.anything(), fc.anything(), (a, b) => {
                    assert.equal(typeof secretsManagerArnCovers(a, b), "boolean");
                }),
                { numRuns: 1000 },
            );
        });
    });

    describe("ssmParameterArn", () => {
        it("drops the leading `/` of a hierarchical name, as AWS does in the ARN", () => {
            const where = { partition: "aws", region: "us-east-1", account: "123456789012" };
            assert.equal(ssmParameterArn("/prod/db/password", where), PARAMETER);
            assert.equal(ssmParameterArn("db_password", where), "arn:aws:ssm:us-east-1:123456789012:parameter/db_password");
        });
    });
});

describe("parseSecretSource: secrets that AWS services manage", () => {
    it("accepts an RDS-managed master password ARN (`rds!db-…`) and grants exactly it", () => {
        const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-4e5f-6789-abcd-ef0123456789-AbCdEf";
        const parsed = parseSecretSource(`${arn}:password::`);
        assert.equal(parsed.kind, "secretsmanager");
        if (parsed.kind === "secretsmanager") {
            assert.equal(parsed.secretArn, arn);
            assert.equal(parsed.grantArn, arn);
            assert.equal(parsed.jsonKey, "password");
        }
    });

    it("still rejects `!` anywhere but a service prefix", () => {
        for (const name of ["app/db!pass-AbCdEf", "!bang-AbCdEf", "Rds!db-AbCdEf", "rds!db!x-AbCdEf"]) {
            assert.equal(parseSecretSource(`arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}`).kind, "invalid", name);
        }
    });
});

describe("ARN helpers the policies share", () => {
    it("arnLocation reads partition, region and account of regional ARNs only", () => {
        assert.deepEqual(arnLocation(SECRET), { partition: "aws", region: "us-east-1", account: "123456789012" });
        assert.deepEqual(arnLocation("arn:aws-cn:ssm:cn-north-1:123456789012:parameter/x"), {
            partition: "aws-cn",
            region: "cn-north-1",
            account: "123456789012",
        });
        assert.equal(arnLocation("arn:aws:iam::123456789012:role/x"), undefined, "IAM ARNs are global");
        assert.equal(arnLocation("arn:aws:ssm:us-east-1:123:parameter/x"), undefined);
        assert.equal(arnLocation("arn:aws:ssm:us-east-1:123456789012"), undefined);
        assert.equal(arnLocation(42), undefined);
    });

    it("isArnOfSecret matches a complete ARN exactly and a partial one with any random suffix", () => {
        const complete = parseSecretSource(`${SECRET}:password::`);
        const partial = parseSecretSource(SECRET_PARTIAL);
        assert.ok(isArnOfSecret(SECRET, complete));
        assert.ok(!isArnOfSecret(`${SECRET_PARTIAL}-ZzZzZz`, complete));
        assert.ok(isArnOfSecret(`${SECRET_PARTIAL}-ZzZzZz`, partial));
        assert.ok(isArnOfSecret(SECRET_PARTIAL, partial));
        assert.ok(!isArnOfSecret(`${SECRET_PARTIAL}-ZzZzZz-AbCdEf`, partial), "a longer name is another secret");
        assert.ok(!isArnOfSecret(`${SECRET_PARTIAL}2-ZzZzZz`, partial));
        assert.ok(!isArnOfSecret(SECRET, parseSecretSource(PARAMETER)));
        assert.ok(!isArnOfSecret(undefined, partial));
    });

    it("secretNameOfId drops the random suffix of a complete ARN and keeps plain names", () => {
        assert.equal(secretNameOfId("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/redis-url-AbCdEf"), "prod/redis-url");
        assert.equal(secretNameOfId("prod/redis-url"), "prod/redis-url");
        assert.equal(secretNameOfId(undefined), undefined);
    });
});
