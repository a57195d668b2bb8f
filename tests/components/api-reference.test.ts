/**
 * docs/api-reference.md is what docs/api-reference.ts generates from the components' TSDoc
 * (`npm run docs`): the checked-in reference cannot drift from the code.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { DEFAULTS } from "../../components/healthy-fargate-service/args";
import { API_REFERENCE, generateApiReference } from "../../docs/api-reference";

describe("API reference (docs/api-reference.md)", function () {
    this.timeout(60_000);
    const generated = generateApiReference();

    it("is up to date with the TSDoc of components/ (run npm run docs after changing an exported API)", () => {
        assert.equal(fs.readFileSync(API_REFERENCE, "utf8"), generated);
    });

    it("lists every exported component with its arguments, types and defaults", () => {
        for (const name of [
            "HealthyFargateService",
            "RedisEndpoint",
            "ServiceDashboard",
            "HealthyFargateServiceArgs",
            "RedisEndpointArgs",
            "ServiceDashboardArgs",
        ]) {
            assert.ok(generated.includes(`### \`${name}\`\n`), `${name} is in the reference`);
        }
        assert.ok(generated.includes(`| \`port?\` | \`number\` | ${DEFAULTS.port} |`), "HealthyFargateServiceArgs.port with its default");
        assert.ok(generated.includes("| `cluster` | `pulumi.Input<string>` | required |"));
        assert.ok(generated.includes("| `RedisEndpoint.fromReplicationGroup(group, options)` | `RedisEndpoint` |"));
    });
});
