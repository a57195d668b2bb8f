#!/usr/bin/env node
/**
 * The `healthy-fargate` command of the `@healthy-fargate/cli` package: `check` (the offline
 * policy check, cli/check/README.md) and `doctor` (the ECS doctor, cli/doctor/README.md). Each
 * command keeps its own flags and exit codes; this file only picks the command.
 */
import "./enable-compile-cache";
import { runCli as runCheck } from "./check/main";
import type * as DoctorCli from "@healthy-fargate/doctor/cli";

export const USAGE = `usage: healthy-fargate <command> [flags]
  check    run a Pulumi program offline through the policy pack (healthy-fargate check --help)
  doctor   explain an ECS service, follow a rollout, measure start-up (healthy-fargate doctor: its commands)
exit codes: those of the command; 2 for an unknown command`;

/** Runs the command `argv[0]` with the rest of `argv`. */
export function runCommand(argv: string[]): void {
    const [command, ...rest] = argv;
    if (command === "check") return runCheck(rest);
    // Loaded only for `doctor`: the check does not pay for the AWS SDK.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when used (see above)
    if (command === "doctor") return (require("@healthy-fargate/doctor/cli") as typeof DoctorCli).runCli(rest);
    if (command === "--help" || command === "-h" || command === "help") {
        process.stdout.write(`${USAGE}\n`);
        return;
    }
    process.stderr.write(`error: ${command === undefined ? "no command given" : `unknown command "${command}"`}\n${USAGE}\n`);
    process.exitCode = 2;
}

if (require.main === module) runCommand(process.argv.slice(2));
