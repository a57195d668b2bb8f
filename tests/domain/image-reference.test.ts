import { strict as assert } from "assert";
import fc from "fast-check";
import { checkImageReference } from "../../policies/domain/image-reference";

const SHA256 = "a".repeat(64);

describe("checkImageReference (distribution reference grammar)", () => {
    const valid: Array<[string, object]> = [
        ["nginx", { path: "nginx" }],
        ["nginx:1.27-alpine", { path: "nginx", tag: "1.27-alpine" }],
        ["library/python:3.12-slim", { path: "library/python", tag: "3.12-slim" }],
        [
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:1.4.2",
            { domain: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", path: "team/api", tag: "1.4.2" },
        ],
        ["public.ecr.aws/docker/library/python:3.12-slim", { domain: "public.ecr.aws", path: "docker/library/python", tag: "3.12-slim" }],
        [`ghcr.io/org/app@sha256:${SHA256}`, { domain: "ghcr.io", path: "org/app", digest: `sha256:${SHA256}` }],
        [`ghcr.io/org/app:v2@sha256:${SHA256}`, { domain: "ghcr.io", path: "org/app", tag: "v2", digest: `sha256:${SHA256}` }],
        ["localhost:5000/my_app__x/b-c.d:latest", { domain: "localhost:5000", path: "my_app__x/b-c.d", tag: "latest" }],
        ["Registry.Example.COM/app", { domain: "Registry.Example.COM", path: "app" }],
        ["[::1]:5000/app:1", { domain: "[::1]:5000", path: "app", tag: "1" }],
    ];
    for (const [image, reference] of valid) {
        it(`accepts ${image}`, () => assert.deepEqual(checkImageReference(image), { ok: true, reference }));
    }

    const invalid: Array<[unknown, RegExp]> = [
        ["", /is blank/],
        ["   ", /is blank/],
        [42, /is a number, not a string/],
        [null, /is null, not a string/],
        [undefined, /is not set/],
        [["nginx"], /is an array, not a string/],
        ["nginx :latest", /contains whitespace/],
        ["https://ghcr.io/org/app:1", /is a URL; image references have no scheme/],
        ["ghcr.io/Org/App:1", /has upper-case letters; repository names are lower case/],
        ["ghcr.io/org/app:-bad", /its tag `-bad`/],
        [`ghcr.io/org/app:${"t".repeat(129)}`, /its tag/],
        ["ghcr.io/org/app@sha256:abc", /is not `<algorithm>:<hex>`/],
        [`ghcr.io/org/app@sha256:${"a".repeat(63)}b0`, /sha256 digests are exactly 64 lower-case hex characters/],
        [`ghcr.io/org/app@sha256:${"A".repeat(64)}`, /sha256 digests are exactly 64/],
        ["ghcr.io//app", /path component ``/],
        ["ghcr.io/", /names no repository/],
        ["-bad.example.com/app", /its registry `-bad.example.com` is not a host name/],
        ["-bad/app", /path component `-bad`/],
        ["bad_host.io:5000/app", /its registry `bad_host.io:5000`/],
        [`x/${"a".repeat(256)}`, /at most 255/],
    ];
    for (const [value, message] of invalid) {
        it(`rejects ${JSON.stringify(value)?.slice(0, 60)}`, () => {
            const result = checkImageReference(value);
            assert.equal(result.ok, false);
            if (!result.ok) {
                assert.match(result.problem, message);
                assert.ok(result.fix.length > 10, "every problem comes with a fix");
            }
        });
    }

    it("never throws, whatever it is given", () => {
        fc.assert(
            fc.property(fc.anything(), (value) => {
                checkImageReference(value);
            }),
        );
        fc.assert(
            fc.property(fc.string(), (value) => {
                checkImageReference(value);
            }),
        );
    });
});
