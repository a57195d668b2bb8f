/**
 * The programs a platform team would write with the installed packages (tests/install/install.test.ts):
 * one clean, one with the seed mistakes, one JavaScript program with a misspelt argument key.
 * Written to a temporary directory outside the repository, so they can only see what npm installed.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The program directory's package.json: the tarballs of our packages, the Pulumi SDKs from the registry. */
export function programPackageJson(tarballs: Record<string, string>, pulumiVersion: string, awsVersion: string): object {
    return {
        name: "team-platform",
        private: true,
        dependencies: {
            "@pulumi/pulumi": pulumiVersion,
            "@pulumi/aws": awsVersion,
            ...Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`])),
        },
    };
}

/** A Pulumi template's tsconfig (module commonjs, moduleResolution node: the `.d.ts` must resolve without `exports`). */
const TSCONFIG = {
    compilerOptions: {
        strict: true,
        outDir: "bin",
        target: "es2020",
        module: "commonjs",
        moduleResolution: "node",
        sourceMap: true,
        forceConsistentCasingInFileNames: true,
        noImplicitReturns: true,
        noFallthroughCasesInSwitch: true,
        types: ["node"],
    },
    include: ["good/*.ts", "bad/*.ts"],
};

/** HealthyFargateService behind the SharedAlb, on an image the domain knows (the probe tool is chosen from it). */
const GOOD = `import * as aws from "@pulumi/aws";
import { HealthyFargateService, SharedAlb } from "@healthy-fargate/components";

const vpcId = "vpc-0123456789abcdef0";
const cluster = new aws.ecs.Cluster("platform");
const alb = new SharedAlb("edge", { vpcId, publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"] });
new HealthyFargateService("api", {
    cluster: cluster.arn,
    vpcId,
    subnetIds: ["subnet-a", "subnet-b"],
    listener: { listenerArn: alb.listenerArn, securityGroupId: alb.securityGroupId, dnsName: alb.dnsName, protocol: alb.protocol },
    routing: { priority: 10, pathPatterns: ["/api/*"] },
    image: "public.ecr.aws/docker/library/python:3.12-slim",
    startup: { expectedSeconds: 20, worstCaseSeconds: 60 },
});
export const url = alb.dnsName;
`;

/** Arguments of a HealthyFargateService in the programs below (as the text of an object literal's entries). */
const SERVICE_ARGS = `    cluster: "arn:aws:ecs:eu-central-1:123456789012:cluster/main",
    vpcId: "vpc-123",
    subnetIds: ["subnet-1"],
    listener: {
        listenerArn: "arn:aws:elasticloadbalancing:eu-central-1:123456789012:listener/app/edge/50dc6c495c0c9188/f2f7dc8efc522ab2",
        securityGroupId: "sg-alb",
    },
    routing: { priority: 10, pathPatterns: ["/api/*"] },
    image: "public.ecr.aws/docker/library/node:22",
    startup: { expectedSeconds: 20, worstCaseSeconds: 60 },`;

/**
 * The seed mistakes. The component rejects curl on a slim image at construction (so a program using
 * it cannot make that mistake): the raw @pulumi/aws resources of the check's `raw-broken` fixture
 * (curl without -f on python:3.12-slim, the ALB probing `/` while the container probes
 * /health/live) are how the check gets to judge it and the path mismatch. The scheme-less Redis URL
 * goes through the component, which passes environment values on as they are: the pack judges it.
 */
function badProgram(): string {
    const raw = fs.readFileSync(path.join(__dirname, "..", "fixtures", "programs", "raw-broken", "index.ts"), "utf8");
    return `${raw}
// The component: a Redis URL without a scheme (redis:// or rediss://) in the environment.
import { HealthyFargateService } from "@healthy-fargate/components";
new HealthyFargateService("web", {
${SERVICE_ARGS}
    environment: { REDIS_URL: "cache.internal:6379" },
});
`;
}

/** JavaScript (no compiler to catch it): \`livenesPath\` for \`livenessPath\`. */
const TYPO = `"use strict";
const { HealthyFargateService } = require("@healthy-fargate/components");
new HealthyFargateService("api", {
${SERVICE_ARGS}
    probe: { livenesPath: "/healthz" },
});
`;

function writeProgram(dir: string, name: string, main: string, source: string): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\nmain: ${main}\n`);
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: eu-central-1\n");
    fs.writeFileSync(path.join(dir, main), source);
}

/** Writes the three programs (good/, bad/, typo/) and the shared tsconfig.json under `root`. */
export function writePrograms(root: string): void {
    fs.writeFileSync(path.join(root, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
    writeProgram(path.join(root, "good"), "team-good", "index.ts", GOOD);
    writeProgram(path.join(root, "bad"), "team-bad", "index.ts", badProgram());
    writeProgram(path.join(root, "typo"), "team-typo", "index.js", TYPO);
}

/** Serializes RolloutVerification's provider from the installed package, as `pulumi up` does for a dynamic resource. */
export const SERIALIZE = `"use strict";
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const { RolloutVerificationProvider } = require("@healthy-fargate/components");
const provider = new RolloutVerificationProvider();
pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then(s => fs.writeFileSync(process.argv[1], s.text));
`;

/**
 * The dynamic-provider host's part (@pulumi/pulumi cmd/dynamic-provider: \`requireFromString(text).handler()\`,
 * in the program's directory), then \`diff\` and \`create\`; prints what it did and which modules it loaded.
 */
export const HOST = `"use strict";
const path = require("path");
const requireFromString = require(require.resolve("require-from-string", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }));
const provider = requireFromString(require("fs").readFileSync(process.argv[1], "utf8")).handler();
const inputs = JSON.parse(process.argv[2]);
(async () => {
    const diff = await provider.diff("id", { ...inputs, taskDefinitionArn: "old" }, inputs);
    const create = await provider.create(inputs);
    const loaded = Object.keys(require.cache).filter(file => file.includes("@healthy-fargate"));
    const tsNode = process[Symbol.for("ts-node.register.instance")] !== undefined;
    process.stdout.write(JSON.stringify({ diff, create, loaded, tsNode }));
})().catch(e => { process.stderr.write(String(e && e.message || e)); process.exitCode = 3; });
`;
