import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cacheTranspiles } from "../../cli/offline/transpile-cache";

describe("offline: the transpile cache", () => {
    function service(options: unknown) {
        const calls: string[] = [];
        const svc = {
            compile: (code: string, _fileName?: string) => {
                calls.push(code);
                return `compiled(${code})`;
            },
            config: { options },
            ts: { version: "5.9.3" },
        };
        return { svc, calls };
    }

    it("compiles a file once per text, options and compiler; a changed file or option compiles again", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "transpile-cache-"));
        const first = service({ module: 199 });
        cacheTranspiles(first.svc, "10.9.2", dir);
        assert.equal(first.svc.compile("a", "/p/index.ts"), "compiled(a)");
        const second = service({ module: 199 });
        cacheTranspiles(second.svc, "10.9.2", dir);
        assert.equal(second.svc.compile("a", "/p/index.ts"), "compiled(a)");
        assert.deepEqual(second.calls, [], "a hit: not compiled again");
        assert.equal(second.svc.compile("b", "/p/index.ts"), "compiled(b)");
        const otherOptions = service({ module: 1 });
        cacheTranspiles(otherOptions.svc, "10.9.2", dir);
        otherOptions.svc.compile("a", "/p/index.ts");
        assert.deepEqual([second.calls, otherOptions.calls], [["b"], ["a"]]);
    });
});
