import { hostLocality, parseHostPort, pushTarget } from "../targets";
import type { Facts, Verdict } from "../types";

/** grpc_health_probe exits non-zero unless the service reports SERVING. */
export function analyzeGrpcProbe(args: string[], facts: Facts): Verdict {
    for (let i = 0; i < args.length; i++) {
        const match = /^--?addr(?:=(.*))?$/.exec(args[i]);
        if (!match) continue;
        const address = match[1] ?? args[++i];
        if (address === undefined) continue;
        const parsed = parseHostPort(address);
        pushTarget(facts, {
            raw: address,
            tool: "grpc_health_probe",
            host: parsed.host,
            port: parsed.port,
            portExplicit: parsed.port !== undefined,
            local: parsed.host === "" ? true : hostLocality(parsed.host),
        });
    }
    return "fails";
}
