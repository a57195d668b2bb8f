import * as assert from "assert";
import { PORT_RANGE, checkPortValue, isPortNumber } from "../../policies/domain";

describe("port numbers (ELBv2 Port, HealthCheckPort; ECS PortMapping)", () => {
    it("accepts 1–65535 as numbers and numeric strings, and unset", () => {
        for (const port of [PORT_RANGE.min, 80, 8080, PORT_RANGE.max, "443", undefined]) {
            assert.strictEqual(checkPortValue(port), undefined, JSON.stringify(port));
        }
        assert.ok(isPortNumber(65535) && !isPortNumber(65536) && !isPortNumber("http"));
    });

    it("rejects what cannot be a port, saying why", () => {
        const cases: Array<[unknown, RegExp]> = [
            [-1, /outside 1–65535/],
            [0, /outside 1–65535/],
            [70000, /outside 1–65535/],
            ["70000", /outside 1–65535/],
            [3000.5, /not a whole number/],
            ["http", /not a number/],
            [Number.NaN, /not a number/],
            [true, /not a number/],
            [{}, /not a number/],
        ];
        for (const [port, why] of cases) {
            const problem = checkPortValue(port);
            assert.ok(problem, `no problem for ${String(port)}`);
            assert.match(problem.message, why);
            assert.match(problem.message, /AWS accepts a whole number from 1 to 65535/);
        }
        assert.strictEqual(checkPortValue("x".repeat(100))?.found.length, 40, "the value is shortened");
    });

    it("knows each field's extra value: traffic-port (or unset) for health checks, 0 for host ports", () => {
        assert.strictEqual(checkPortValue("traffic-port", "health-check-port"), undefined);
        assert.strictEqual(checkPortValue("", "health-check-port"), undefined);
        assert.match(checkPortValue("traffic-port")?.message ?? "", /not a number/);
        assert.match(checkPortValue("http", "health-check-port")?.message ?? "", /AWS accepts "traffic-port" or a whole number/);
        assert.strictEqual(checkPortValue(0, "host-port"), undefined);
        assert.match(checkPortValue(0)?.message ?? "", /outside/);
        assert.match(checkPortValue(-1, "host-port")?.message ?? "", /AWS accepts 0 \(a dynamic host port\)/);
    });
});
