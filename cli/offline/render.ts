/**
 * `npm run preview:offline [-- --stack NAME] [--program DIR]`: renders a stack under Pulumi's mocks
 * and prints its resources and the health contract of each HealthyFargateService.
 * No Pulumi CLI, no AWS credentials.
 */
import * as path from "path";
import { healthContractsOf } from "./health-contracts";
import { formatContractTable } from "@healthy-fargate/domain";
import { ProgramRunError } from "./program-runner";
import { DEFAULT_PROGRAM_TIMEOUT_MS, runProgramIsolated } from "./isolated";

function argValue(args: string[], flag: string): string | undefined {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<number> {
    const args = process.argv.slice(2);
    const stack = argValue(args, "--stack") ?? "dev";
    const programDir = path.resolve(argValue(args, "--program") ?? path.join(__dirname, "..", ".."));
    const run = await runProgramIsolated({ programDir, stack, timeoutMs: DEFAULT_PROGRAM_TIMEOUT_MS });

    const byType = new Map<string, number>();
    for (const r of run.resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
    console.log(`Stack ${run.project}/${run.stack}: ${run.resources.length} resources (rendered offline under mocks)`);
    for (const [type, count] of [...byType].sort()) console.log(`  ${String(count).padStart(3)}  ${type}`);
    console.log(`\nHealth contracts\n${formatContractTable(healthContractsOf(run.resources))}`);
    for (const note of run.notes) console.log(`\nnote: ${note}`);
    return 0;
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        console.error(e instanceof ProgramRunError ? `error: ${e.message}` : e);
        process.exit(2);
    },
);
