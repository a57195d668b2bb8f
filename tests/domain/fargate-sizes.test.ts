import { strict as assert } from "assert";
import fc from "fast-check";
import {
    FARGATE_CPU_VALUES,
    awsxFargateTaskSize,
    checkFargateTaskSize,
    fargateMemoryOptions,
    parseCpu,
    parseMemory,
} from "../../policies/domain";

describe("Fargate task sizes", () => {
    it("offers exactly the documented memory for each cpu", () => {
        assert.deepEqual(fargateMemoryOptions(256), [512, 1024, 2048]);
        assert.equal(fargateMemoryOptions(4096).length, (30720 - 8192) / 1024 + 1);
        assert.deepEqual(fargateMemoryOptions(8192).slice(0, 3), [16384, 20480, 24576]);
        assert.deepEqual(fargateMemoryOptions(16384).slice(-2), [114688, 122880]);
        assert.deepEqual(fargateMemoryOptions(300), []);
    });

    it("parses both spellings of cpu and memory", () => {
        assert.deepEqual(parseCpu("1 vCPU"), { ok: true, value: 1024 });
        assert.deepEqual(parseCpu("0.25 vcpu"), { ok: true, value: 256 });
        assert.deepEqual(parseCpu(" 2048 "), { ok: true, value: 2048 });
        assert.deepEqual(parseMemory("2 GB"), { ok: true, value: 2048 });
        assert.deepEqual(parseMemory("0.5GB"), { ok: true, value: 512 });
        assert.deepEqual(parseMemory("3072"), { ok: true, value: 3072 });
        assert.equal(parseCpu("lots").ok, false);
        assert.equal(parseMemory({}).ok, false);
    });

    it("accepts valid pairs in either form", () => {
        assert.deepEqual(checkFargateTaskSize("1 vCPU", "2 GB"), { valid: true, cpu: 1024, memory: 2048 });
        assert.deepEqual(checkFargateTaskSize(256, "512"), { valid: true, cpu: 256, memory: 512 });
    });

    it("rejects what awsx's auto-sizing produces for 8 vCPU (1 GiB steps) and names the allowed values", () => {
        const v = checkFargateTaskSize(8192, 17408);
        assert.equal(v.valid, false);
        if (!v.valid) {
            assert.equal(v.field, "memory");
            assert.match(v.fix, /16384–61440 in steps of 4096/);
        }
    });

    it("rejects a cpu that is not a Fargate size and suggests the sizes", () => {
        const v = checkFargateTaskSize(1000, 2048);
        assert.equal(v.valid, false);
        if (!v.valid) assert.match(v.fix, /256, 512, 1024/);
    });

    it("property: every table pair is valid and memory off the table is not", () => {
        fc.assert(
            fc.property(fc.constantFrom(...FARGATE_CPU_VALUES), fc.integer({ min: 0, max: 130000 }), (cpu, memory) => {
                const verdict = checkFargateTaskSize(cpu, memory);
                assert.equal(verdict.valid, fargateMemoryOptions(cpu).includes(memory));
            }),
            { numRuns: 2000 },
        );
    });

    it("property: never throws on arbitrary values", () => {
        fc.assert(
            fc.property(fc.anything(), fc.anything(), (a, b) => {
                checkFargateTaskSize(a, b);
            }),
            { numRuns: 2000 },
        );
    });

    describe("awsx's automatic sizing (awsx/ecs/fargateMemoryAndCpu.ts)", () => {
        it("rounds the containers' sums up to awsx's table, memory first", () => {
            assert.deepEqual(awsxFargateTaskSize([]), { cpu: 256, memory: 512 });
            assert.deepEqual(
                awsxFargateTaskSize([
                    { cpu: 512, memory: 1024 },
                    { cpu: 512, memory: 1024 },
                ]),
                { cpu: 1024, memory: 2048 },
            );
            // memoryReservation counts instead of memory when set.
            assert.deepEqual(awsxFargateTaskSize([{ cpu: 256, memory: 4096, memoryReservation: 512 }]), { cpu: 256, memory: 512 });
            // 8 vCPU: awsx's 1 GiB steps give 17 GiB, which Fargate rejects (it wants 4 GiB steps).
            const big = awsxFargateTaskSize([{ cpu: 8192, memory: 17408 }]) as { cpu: number; memory: number };
            assert.deepEqual(big, { cpu: 8192, memory: 17408 });
            assert.equal(checkFargateTaskSize(big.cpu, big.memory).valid, false);
        });

        it("says when awsx refuses the program, and when a size is not a number", () => {
            assert.deepEqual(awsxFargateTaskSize([{ cpu: 40960 }]), { exceeds: true });
            assert.equal(awsxFargateTaskSize([{ cpu: "256" }]), undefined);
        });
    });
});
