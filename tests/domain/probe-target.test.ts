import * as assert from "assert";
import { isDeepHealthPath, normalizeProbePath, sameProbePath } from "../../policies/domain";

describe("probe-target", () => {
    it("normalizes a path: query and fragment cut at the first ? or #, / when empty", () => {
        assert.strictEqual(normalizeProbePath("/health/live?verbose=1#x"), "/health/live");
        assert.strictEqual(normalizeProbePath("/a#b?c"), "/a");
        assert.strictEqual(normalizeProbePath("?x"), "/");
        assert.strictEqual(normalizeProbePath("/a?x\ny"), "/a");
        assert.ok(sameProbePath("/ready?x", "/ready"));
        assert.ok(!sameProbePath("/ready/", "/ready"));
    });

    it("tells a deep path ignoring case, query and trailing slashes", () => {
        assert.ok(isDeepHealthPath("/Ready/"));
        assert.ok(isDeepHealthPath("/health/ready///?full=1"));
        assert.ok(!isDeepHealthPath("/health"));
        assert.ok(!isDeepHealthPath("/ready/x"));
        assert.ok(isDeepHealthPath("/", ["///"]));
    });

    it("is linear on a long run of slashes that does not end the path (it was quadratic: 2 s for 36,864)", () => {
        // Not a timing assertion: the answer for such a path, computed at a size where the old regex took seconds.
        assert.strictEqual(isDeepHealthPath("/".repeat(200_000) + "!"), false);
    });
});
