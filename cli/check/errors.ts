/**
 * Why the check could not give a verdict. The CLI prints `error: <stage>: <message>` on stderr,
 * nothing on stdout, and exits 2 — whatever the stage.
 */

import { TIMEOUT_ENV } from "./args";

/** The stages an error can be about; `policy <name>` when one policy failed. */
export type CheckStage = "program" | "policy pack" | "policy pack config" | `policy ${string}`;

export class CheckError extends Error {
    constructor(
        readonly stage: CheckStage,
        message: string,
    ) {
        super(`${stage}: ${message}`);
        this.name = "CheckError";
    }
}

/** The hint every timeout message ends with. */
export const RAISE_TIMEOUT_HINT = `raise the limit with --timeout or ${TIMEOUT_ENV} if it is only slow`;
