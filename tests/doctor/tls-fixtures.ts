/**
 * A test certificate authority made with the `openssl` CLI (EC keys: fast), and server
 * certificates it signs for 127.0.0.1 and localhost with chosen validity dates — current,
 * about to expire, or expired — for the smoke tests' loopback HTTPS servers.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCa {
    /** The CA certificate (PEM): trust it to verify the servers. */
    readonly caPem: string;
    /** Issues a server certificate valid from `notBefore` to `notAfter`. */
    issue(notBefore: Date, notAfter: Date): { certPem: string; keyPem: string };
    dispose(): void;
}

function openssl(args: string[], cwd: string): void {
    const r = spawnSync("openssl", args, { cwd, encoding: "utf8" });
    if (r.error || r.status !== 0) throw new Error(`openssl ${args[0]} failed (openssl must be on PATH): ${r.error?.message ?? r.stderr}`);
}

/** `20200101000000Z`: the date form `openssl ca -startdate/-enddate` takes. */
const asn1Time = (d: Date) => d.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";

const CA_CONFIG = `[ ca ]
default_ca = test
[ test ]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = server
unique_subject = no
[ any ]
commonName = supplied
[ server ]
subjectAltName = IP:127.0.0.1,DNS:localhost
`;

export function createTestCa(): TestCa {
    const dir = mkdtempSync(join(tmpdir(), "doctor-ca-"));
    writeFileSync(join(dir, "ca.cnf"), CA_CONFIG);
    writeFileSync(join(dir, "index.txt"), "");
    writeFileSync(join(dir, "serial"), "01\n");
    openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key"], dir);
    openssl(["req", "-x509", "-new", "-key", "ca.key", "-days", "2", "-subj", "/CN=healthy-fargate doctor test CA", "-out", "ca.pem"], dir);
    let n = 0;
    return {
        caPem: readFileSync(join(dir, "ca.pem"), "utf8"),
        issue(notBefore, notAfter) {
            const name = `server-${n++}`;
            openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`], dir);
            openssl(["req", "-new", "-key", `${name}.key`, "-subj", "/CN=localhost", "-out", `${name}.csr`], dir);
            openssl(
                [
                    "ca",
                    "-batch",
                    "-config",
                    "ca.cnf",
                    "-cert",
                    "ca.pem",
                    "-keyfile",
                    "ca.key",
                    "-in",
                    `${name}.csr`,
                    "-out",
                    `${name}.pem`,
                    "-startdate",
                    asn1Time(notBefore),
                    "-enddate",
                    asn1Time(notAfter),
                    "-notext",
                ],
                dir,
            );
            return { certPem: readFileSync(join(dir, `${name}.pem`), "utf8"), keyPem: readFileSync(join(dir, `${name}.key`), "utf8") };
        },
        dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
}
