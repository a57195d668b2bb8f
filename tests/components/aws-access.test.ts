/**
 * The rollout verification reads the account the service was deployed to: the AWS provider's
 * profile, role chain, region and endpoints reach its inputs (under the mocks), and the client
 * factory signs with exactly those credentials against those endpoints (a loopback STS and ECS).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { ListClustersCommand } from "@aws-sdk/client-ecs";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { type AwsAccess, awsAccessFrom, goDurationSeconds } from "../../components/aws-access";
import { createAwsClients, describeAccess } from "../../components/aws-clients";
import { HealthyFargateService } from "../../components";
import { RolloutVerificationProvider } from "../../components/rollout-verification";
import { withMocks } from "../support/pulumi-mocks";
import { serviceArgs } from "../support/service-args";
import { startFakeAws, type FakeAws } from "../doctor/fake-aws";

const VERIFICATION = "pulumi-nodejs:dynamic/healthy-fargate:RolloutVerification";
const DEPLOYER = "arn:aws:iam::210987654321:role/deployer";
const READER = "arn:aws:iam::210987654321:role/ecs-reader";

async function verificationInputs(config: Record<string, string>, providerArgs?: aws.ProviderArgs): Promise<any> {
    const run = await withMocks(config);
    const provider = providerArgs ? new aws.Provider("deployer", providerArgs) : undefined;
    new HealthyFargateService("api", serviceArgs, provider ? { providers: [provider] } : undefined);
    const resources = await run.settle();
    return resources.find((r) => r.type === VERIFICATION)!.inputs;
}

describe("RolloutVerification gets the deploying provider's account settings", () => {
    it("from an explicit provider: region, profile, role chain and endpoints", async () => {
        const inputs = await verificationInputs(
            {},
            {
                region: "eu-west-2",
                profile: "ops",
                assumeRoles: [{ roleArn: DEPLOYER, sessionName: "ci", externalId: "ext-1", duration: "1h" }, { roleArn: READER }],
                endpoints: [{ ecs: "http://127.0.0.1:4566", sts: "http://127.0.0.1:4567", cloudwatchlogs: "http://127.0.0.1:4568" }],
            },
        );
        assert.deepEqual(inputs.aws, {
            source: 'provider "deployer"',
            region: "eu-west-2",
            profile: "ops",
            assumeRoles: [{ roleArn: DEPLOYER, sessionName: "ci", externalId: "ext-1", durationSeconds: 3600 }, { roleArn: READER }],
            endpoints: { ecs: "http://127.0.0.1:4566", sts: "http://127.0.0.1:4567", logs: "http://127.0.0.1:4568" },
        });
        assert.equal(inputs.region, "eu-west-2");
        assert.deepEqual(
            inputs.credentials,
            { [specialSigKey]: specialSecretSig, value: null },
            "no static keys on this provider (and a secret anyway)",
        );
    });

    it("from an explicit provider with static keys: passed on (as a secret input), never as plain settings", async () => {
        const inputs = await verificationInputs({}, { region: "eu-west-2", accessKey: "AKIDPROVIDER", secretKey: "provider-secret" });
        assert.deepEqual(inputs.credentials, {
            [specialSigKey]: specialSecretSig,
            value: { accessKeyId: "AKIDPROVIDER", secretAccessKey: "provider-secret" },
        });
        assert.doesNotMatch(JSON.stringify(inputs.aws), /AKIDPROVIDER|provider-secret/);
    });

    it("from the stack config without an explicit provider", async () => {
        const inputs = await verificationInputs({
            "aws:profile": "ops",
            "aws:assumeRoles": JSON.stringify([{ roleArn: DEPLOYER, sessionName: "ci" }]),
            "aws:endpoints": JSON.stringify([{ ecs: "http://127.0.0.1:4566" }]),
        });
        assert.deepEqual(inputs.aws, {
            source: "stack config (aws:*)",
            region: "us-east-1",
            profile: "ops",
            assumeRoles: [{ roleArn: DEPLOYER, sessionName: "ci" }],
            endpoints: { ecs: "http://127.0.0.1:4566" },
        });
    });

    it("the serialized provider captures only the clients module's package name (plain data), not the module", async () => {
        const pulumi = await import("@pulumi/pulumi");
        const provider = new RolloutVerificationProvider();
        const text = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
        assert.ok(text.includes('"@healthy-fargate/components/aws-clients"'));
        assert.ok(!text.includes(path.resolve(__dirname, "../../components")), "no path into the source checkout");
        assert.doesNotMatch(text, /require\(["']@aws-sdk\/credential-providers["']\)/, "SDK modules are required inside the methods only");
    });

    it("parses what providers and config hold: JSON strings, the single `assumeRole` of older stacks, Go durations", () => {
        assert.deepEqual(awsAccessFrom({ assumeRole: JSON.stringify({ roleArn: DEPLOYER, duration: "1h30m" }) }, "x").assumeRoles, [
            { roleArn: DEPLOYER, durationSeconds: 5400 },
        ]);
        assert.deepEqual(awsAccessFrom({ assumeRoles: "not json", endpoints: 7 }, "x"), { source: "x", assumeRoles: [], endpoints: {} });
        assert.equal(goDurationSeconds("15m"), 900);
        assert.equal(goDurationSeconds("soon"), undefined);
    });
});

/** A loopback STS (AWS Query): AssumeRole hands out keys named after the role, GetCallerIdentity names the account. */
async function startFakeSts(): Promise<{
    url: string;
    calls: Array<{ action: string; roleArn?: string; signedWith?: string }>;
    close(): Promise<void>;
}> {
    const calls: Array<{ action: string; roleArn?: string; signedWith?: string }> = [];
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
            const form = new URLSearchParams(body);
            const action = form.get("Action") ?? "";
            const signedWith = /Credential=([^/]+)\//.exec(req.headers.authorization ?? "")?.[1];
            calls.push({ action, roleArn: form.get("RoleArn") ?? undefined, signedWith });
            res.writeHead(200, { "content-type": "text/xml" });
            if (action === "AssumeRole") {
                const key = `ASIA${form
                    .get("RoleArn")!
                    .split("/")
                    .pop()!
                    .toUpperCase()
                    .replace(/[^A-Z]/g, "")}`;
                res.end(
                    `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>${key}</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${form.get("RoleArn")}/x</Arn><AssumedRoleId>AROA:x</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`,
                );
            } else {
                res.end(
                    "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::210987654321:assumed-role/ecs-reader/x</Arn><UserId>AROA:x</UserId><Account>210987654321</Account></GetCallerIdentityResult></GetCallerIdentityResponse>",
                );
            }
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        calls,
        close: () => new Promise<void>((r) => server.close(() => r())),
    };
}

describe("The verification's clients use those settings (loopback STS and ECS)", () => {
    let sts: Awaited<ReturnType<typeof startFakeSts>>;
    let ecs: FakeAws;
    let dir: string;
    const saved = { ...process.env };
    let access: AwsAccess;

    before(async () => {
        sts = await startFakeSts();
        ecs = await startFakeAws({
            "ECS.ListClusters": () => ({ clusterArns: [] }),
            "ECS.DescribeServices": () => ({
                services: [],
                failures: [{ arn: "arn:aws:ecs:eu-west-2:210987654321:service/platform/api", reason: "MISSING" }],
            }),
        });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-access-"));
        fs.writeFileSync(path.join(dir, "credentials"), "[ops]\naws_access_key_id = AKIDOPSPROFILE\naws_secret_access_key = ops-secret\n");
        fs.writeFileSync(path.join(dir, "config"), "[profile ops]\nregion = eu-west-2\n");
        for (const key of Object.keys(process.env)) if (key.startsWith("AWS_")) delete process.env[key];
        Object.assign(process.env, {
            AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "credentials"),
            AWS_CONFIG_FILE: path.join(dir, "config"),
            AWS_EC2_METADATA_DISABLED: "true",
        });
        access = {
            source: 'provider "deployer"',
            region: "eu-west-2",
            profile: "ops",
            assumeRoles: [{ roleArn: DEPLOYER, sessionName: "ci" }, { roleArn: READER }],
            endpoints: { ecs: ecs.url, sts: sts.url },
        };
    });
    after(async () => {
        process.env = saved;
        await sts.close();
        await ecs.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("assumes the role chain from the profile's keys and signs ECS calls with the last role, in the provider's region", async () => {
        const clients = createAwsClients(access);
        await clients.ecs.send(new ListClustersCommand({}));
        assert.deepEqual(
            sts.calls.filter((c) => c.action === "AssumeRole").map((c) => [c.roleArn, c.signedWith]),
            [
                [DEPLOYER, "AKIDOPSPROFILE"],
                [READER, "ASIADEPLOYER"],
            ],
        );
        const call = ecs.calls.find((c) => c.op === "ECS.ListClusters")!;
        assert.match(call.authorization!, /Credential=ASIAECSREADER\/\d{8}\/eu-west-2\/ecs\/aws4_request/);
    });

    it("names the account (STS GetCallerIdentity), the region and where the credentials came from", async () => {
        const where = await describeAccess(access, createAwsClients(access));
        assert.equal(
            where,
            `account 210987654321 (as arn:aws:sts::210987654321:assumed-role/ecs-reader/x) in region eu-west-2; credentials from profile "ops", then role ${DEPLOYER}, then role ${READER}, settings from provider "deployer"`,
        );
    });

    it("falls back to the role ARN's account when STS cannot be reached", async () => {
        const unreachable = { ...access, endpoints: { ...access.endpoints, sts: "http://127.0.0.1:9" } };
        const where = await describeAccess(unreachable, createAwsClients(unreachable), { accessKeyId: "AKIDSTATIC", secretAccessKey: "x" });
        assert.match(
            where,
            /^account 210987654321 \(from the role ARN; STS GetCallerIdentity failed: .*\) in region eu-west-2; credentials from static keys, then role/,
        );
    });

    it("a failed verification says which account and region it read", async () => {
        const provider = new RolloutVerificationProvider();
        const inputs = {
            cluster: "platform",
            serviceName: "api",
            taskDefinitionArn: "arn:aws:ecs:eu-west-2:210987654321:task-definition/api:7",
            region: "eu-west-2",
            timeout: "30s",
            pollInterval: "1s",
            aws: access,
        };
        await assert.rejects(provider.create(inputs), (e: Error) => {
            assert.match(e.message, /cannot read .*api/);
            assert.match(
                e.message,
                /\(RolloutVerification read account 210987654321 \(as arn:aws:sts::210987654321:assumed-role\/ecs-reader\/x\) in region eu-west-2; credentials from profile "ops"/,
            );
            return true;
        });
        assert.ok(ecs.calls.some((c) => c.op === "ECS.DescribeServices" && /eu-west-2/.test(c.authorization ?? "")));
    });
});
