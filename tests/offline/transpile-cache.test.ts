import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cacheTranspiles, transpileCache } from "../../cli/offline/transpile-cache";

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

    it("stores each output under the second key too, once: an older entry gets it on first use, and it is never rewritten", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "transpile-cache-"));
        const cache = transpileCache(dir)!;
        const older = service({ module: 199 });
        cacheTranspiles(older.svc, "10.9.2", dir);
        older.svc.compile("a", "/p/index.ts");
        const lazyKey = cache.key("lazy", "/p/index.ts", "a");
        assert.equal(cache.has(lazyKey), false, "an older check stored no second key");

        const current = service({ module: 199 });
        cacheTranspiles(current.svc, "10.9.2", dir, "lazy");
        assert.equal(current.svc.compile("a", "/p/index.ts"), "compiled(a)");
        assert.deepEqual(current.calls, [], "a hit");
        assert.equal(cache.read(lazyKey), "compiled(a)", "stored under the second key on first use");

        const file = path.join(dir, lazyKey.slice(0, 2), `${lazyKey}.js`);
        const past = new Date(2020, 0, 1);
        fs.utimesSync(file, past, past);
        current.svc.compile("a", "/p/index.ts");
        assert.equal(fs.statSync(file).mtimeMs, past.getTime(), "not written again");
    });
});
