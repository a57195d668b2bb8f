/**
 * Fargate task sizes: which cpu/memory pairs AWS accepts, and the parsing of both spellings the
 * ECS API takes ("1024" / 1024 / "1 vCPU"; "2048" / 2048 / "2 GB" / "2GB").
 *
 * Source: ECS developer guide, "Task size" table for Fargate (8 and 16 vCPU need platform 1.4.0+).
 */

/** cpu units → allowed memory in MiB, as [from, to, step]. */
const FARGATE_SIZES: ReadonlyArray<{ cpu: number; from: number; to: number; step: number; explicit?: number[] }> = [
    { cpu: 256, from: 512, to: 2048, step: 0, explicit: [512, 1024, 2048] },
    { cpu: 512, from: 1024, to: 4096, step: 1024 },
    { cpu: 1024, from: 2048, to: 8192, step: 1024 },
    { cpu: 2048, from: 4096, to: 16384, step: 1024 },
    { cpu: 4096, from: 8192, to: 30720, step: 1024 },
    { cpu: 8192, from: 16384, to: 61440, step: 4096 },
    { cpu: 16384, from: 32768, to: 122880, step: 8192 },
];

/** Valid Fargate cpu values, in units (1024 = 1 vCPU). */
export const FARGATE_CPU_VALUES: readonly number[] = FARGATE_SIZES.map((s) => s.cpu);

/** The memory values (MiB) Fargate offers for `cpu` units; empty when `cpu` is not a Fargate size. */
export function fargateMemoryOptions(cpu: number): number[] {
    const size = FARGATE_SIZES.find((s) => s.cpu === cpu);
    if (!size) return [];
    if (size.explicit) return [...size.explicit];
    const out: number[] = [];
    for (let m = size.from; m <= size.to; m += size.step) out.push(m);
    return out;
}

export type ParsedSize = { ok: true; value: number } | { ok: false; reason: string };

/**
 * Parses a task `cpu` value into cpu units. Accepts numbers, numeric strings and "N vCPU"
 * (fractions allowed: "0.25 vCPU" = 256).
 */
export function parseCpu(raw: unknown): ParsedSize {
    if (typeof raw === "number") return Number.isFinite(raw) ? { ok: true, value: raw } : { ok: false, reason: `${raw} is not a number` };
    if (typeof raw !== "string") return { ok: false, reason: `expected a number or a string like "1 vCPU", got ${describe(raw)}` };
    const text = raw.trim();
    const vcpu = /^(\d+(?:\.\d+)?)\s*vcpu$/i.exec(text);
    if (vcpu) return { ok: true, value: Math.round(parseFloat(vcpu[1]) * 1024) };
    if (/^\d+$/.test(text)) return { ok: true, value: parseInt(text, 10) };
    return { ok: false, reason: `"${raw}" is neither cpu units ("1024") nor vCPUs ("1 vCPU")` };
}

/** Parses a task `memory` value into MiB. Accepts numbers, numeric strings (MiB) and "N GB"/"NGB". */
export function parseMemory(raw: unknown): ParsedSize {
    if (typeof raw === "number") return Number.isFinite(raw) ? { ok: true, value: raw } : { ok: false, reason: `${raw} is not a number` };
    if (typeof raw !== "string") return { ok: false, reason: `expected a number of MiB or a string like "2 GB", got ${describe(raw)}` };
    const text = raw.trim();
    const gb = /^(\d+(?:\.\d+)?)\s*gb$/i.exec(text);
    if (gb) return { ok: true, value: Math.round(parseFloat(gb[1]) * 1024) };
    const mb = /^(\d+)\s*(?:mb|mib)?$/i.exec(text);
    if (mb) return { ok: true, value: parseInt(mb[1], 10) };
    return { ok: false, reason: `"${raw}" is neither MiB ("2048") nor GB ("2 GB")` };
}

export type TaskSizeVerdict =
    { valid: true; cpu: number; memory: number } | { valid: false; field: "cpu" | "memory"; message: string; fix: string };

/** Checks a cpu/memory pair against the Fargate table. Never throws. */
export function checkFargateTaskSize(rawCpu: unknown, rawMemory: unknown): TaskSizeVerdict {
    const cpu = parseCpu(rawCpu);
    if (!cpu.ok)
        return {
            valid: false,
            field: "cpu",
            message: `cpu ${cpu.reason}.`,
            fix: `Use one of ${FARGATE_CPU_VALUES.join(", ")} (cpu units) or "N vCPU".`,
        };
    const memory = parseMemory(rawMemory);
    if (!memory.ok)
        return {
            valid: false,
            field: "memory",
            message: `memory ${memory.reason}.`,
            fix: `Use a memory size in MiB ("2048") or GB ("2 GB") that Fargate offers for cpu ${cpu.value}.`,
        };
    const options = fargateMemoryOptions(cpu.value);
    if (options.length === 0) {
        return {
            valid: false,
            field: "cpu",
            message: `cpu ${cpu.value} is not a Fargate task size.`,
            fix: `Use one of ${FARGATE_CPU_VALUES.join(", ")} cpu units (${FARGATE_CPU_VALUES.map((c) => `${c / 1024} vCPU`).join(", ")}).`,
        };
    }
    if (!options.includes(memory.value)) {
        return {
            valid: false,
            field: "memory",
            message: `memory ${memory.value} MiB is not offered with cpu ${cpu.value} on Fargate.`,
            fix: `For cpu ${cpu.value} use ${describeOptions(options)} MiB, or pick the cpu that offers ${memory.value} MiB (${cpusOffering(memory.value) || "none does"}).`,
        };
    }
    return { valid: true, cpu: cpu.value, memory: memory.value };
}

function cpusOffering(memory: number): string {
    return FARGATE_CPU_VALUES.filter((c) => fargateMemoryOptions(c).includes(memory)).join(" or ");
}

function describeOptions(options: number[]): string {
    if (options.length <= 4) return options.join(", ");
    const step = options[1] - options[0];
    return `${options[0]}–${options[options.length - 1]} in steps of ${step}`;
}

function describe(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "an array";
    return typeof value;
}

/** Per-container sizes as awsx reads them to size a task (`cpu` units, `memory`/`memoryReservation` MiB). */
export interface ContainerSize {
    cpu?: unknown;
    memory?: unknown;
    memoryReservation?: unknown;
}

/**
 * The cpu/memory pairs awsx chooses from (vCPU → GB), its own table: note 1 GB steps for 8 and 16
 * vCPU (Fargate wants 4 GB and 8 GB steps) and a 32 vCPU size Fargate does not offer.
 * Source: pulumi-awsx awsx/ecs/fargateMemoryAndCpu.ts (e60adf3, v3.8.0+16).
 */
const AWSX_SIZES: ReadonlyArray<{ vcpu: number; memGBs: number[] }> = [
    { vcpu: 0.25, memGBs: [0.5, 1, 2] },
    { vcpu: 0.5, memGBs: steps(1, 4) },
    { vcpu: 1, memGBs: steps(2, 8) },
    { vcpu: 2, memGBs: steps(4, 16) },
    { vcpu: 4, memGBs: steps(8, 30) },
    { vcpu: 8, memGBs: steps(16, 60) },
    { vcpu: 16, memGBs: steps(32, 120) },
    { vcpu: 32, memGBs: [60, 120, 244] },
];

function steps(from: number, to: number): number[] {
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * The task size awsx gives a FargateTaskDefinition whose args set no `cpu`/`memory`: the sums of the
 * containers' `cpu` and `memoryReservation` (else `memory`), rounded up to the first entry of its
 * table that covers both — the first by memory, then by vCPU: awsx sorts its table by cost, but then
 * re-sorts the same array in place by vCPU and by memory to find the maxima, so memory order wins.
 * `undefined` when a container size is not a number (unknown); `exceeds` when awsx refuses the
 * program (more than its largest size).
 */
export function awsxFargateTaskSize(containers: readonly ContainerSize[]): { cpu: number; memory: number } | { exceeds: true } | undefined {
    let units = 0;
    let mib = 0;
    for (const c of containers) {
        const number = (v: unknown) => (v === undefined || v === null ? 0 : typeof v === "number" && Number.isFinite(v) ? v : NaN);
        const size = [c.cpu, c.memoryReservation, c.memory].map(number);
        if (size.some(Number.isNaN)) return undefined;
        units += size[0];
        mib += size[1] || size[2];
    }
    const vcpu = units / 1024;
    const gb = mib / 1024;
    const entries = AWSX_SIZES.flatMap((s) => s.memGBs.map((memGB) => ({ vcpu: s.vcpu, memGB }))).sort(
        (a, b) => a.memGB - b.memGB || a.vcpu - b.vcpu,
    );
    const chosen = entries.find((e) => e.vcpu >= vcpu && e.memGB >= gb);
    return chosen ? { cpu: chosen.vcpu * 1024, memory: chosen.memGB * 1024 } : { exceeds: true };
}
