/**
 * What the timed fuzz cases run, inside the case worker (case-runner.ts): each export takes one
 * structured-clonable input and returns plain data. The policies and the domain's parsers are
 * looked up by name here, since functions cannot cross to the worker.
 */
import {
    analyzeDockerfile,
    analyzeProbeCommand,
    checkImageReference,
    checkRedisUrl,
    classifyCommandArguments,
    hostOfSetting,
    isDeepHealthPath,
    judgeShellScript,
    looksLikeElastiCacheHost,
    normalizeProbePath,
    parseDatabaseUrl,
    parseDockerfileInstructions,
    parseHttpMatcher,
    probePathAndPort,
    shellOfImageFamily,
    shellSimpleCommands,
    sslModeOfUrl,
    topLevelCommands,
} from "../../policies/domain";
import { policies } from "../../policies/policies";
import { type Diagnostic, type StackResourceInput, isStackPolicy, runResource, runStack } from "./harness";

/** The domain's string parsers, each fed the adversarial string. */
export const PARSERS: Record<string, (s: string) => unknown> = {
    "analyzeProbeCommand CMD-SHELL": (s) => analyzeProbeCommand(["CMD-SHELL", s]),
    "analyzeProbeCommand CMD": (s) => analyzeProbeCommand(["CMD", ...s.split(" ")]),
    probePathAndPort: (s) => probePathAndPort(["CMD-SHELL", s]),
    shellSimpleCommands: (s) => shellSimpleCommands(s),
    topLevelCommands: (s) => topLevelCommands(s),
    judgeShellScript: (s) => judgeShellScript(s, shellOfImageFamily(undefined)),
    classifyCommandArguments: (s) => classifyCommandArguments(s.split(" ")),
    checkRedisUrl: (s) => checkRedisUrl(s),
    looksLikeElastiCacheHost: (s) => looksLikeElastiCacheHost(s),
    parseDatabaseUrl: (s) => parseDatabaseUrl(s),
    hostOfSetting: (s) => hostOfSetting(s),
    sslModeOfUrl: (s) => sslModeOfUrl(s),
    parseDockerfileInstructions: (s) => parseDockerfileInstructions(s),
    analyzeDockerfile: (s) => analyzeDockerfile(s),
    checkImageReference: (s) => checkImageReference(s),
    parseHttpMatcher: (s) => parseHttpMatcher(s),
    normalizeProbePath: (s) => normalizeProbePath(s),
    isDeepHealthPath: (s) => isDeepHealthPath(s),
};

function policyNamed(name: string) {
    const policy = policies.find((p) => p.name === name);
    if (!policy) throw new Error(`no policy named ${name}`);
    return policy;
}

/** Runs one domain parser on `text` (its result is not needed: only that it returns). */
export function parse(input: { parser: string; text: string }): void {
    PARSERS[input.parser](input.text);
}

/** One resource policy on one resource: what it reported. */
export function resourcePolicy(input: { policy: string; type: string; props: Record<string, unknown> }): Diagnostic[] {
    return runResource(policyNamed(input.policy), { type: input.type, name: "api-task", props: input.props });
}

/** One stack policy on a stack: what it reported. */
export function stackPolicy(input: { policy: string; resources: StackResourceInput[] }): Diagnostic[] {
    const policy = policyNamed(input.policy);
    if (!isStackPolicy(policy)) throw new Error(`${input.policy} is not a stack policy`);
    return runStack(policy, input.resources);
}
