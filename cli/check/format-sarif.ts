/**
 * SARIF 2.1.0 output for GitHub code scanning. Rules come from the policy pack's own metadata;
 * each result points at the line where the program's own files construct the resource (the
 * finding's `source`, see `cli/offline/source-positions.ts`), else at the program's entry file,
 * and names the resource URN as logical location.
 *
 * Paths are relative to the source root (`%SRCROOT%`: the repository the SARIF is uploaded for),
 * as GitHub code scanning resolves `artifactLocation.uri` against the repository's root.
 */
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import type { ArtifactLocation, Log, PhysicalLocation, ReportingDescriptor, Result } from "sarif";
import { type CheckReport, type Finding } from "./report";

/** The name this repository's pack gives itself (`new PolicyPack("healthy-fargate", …)` in policies/index.ts). */
export const OWN_PACK_NAME = "healthy-fargate";
const REPOSITORY = "https://github.com/healthy-fargate/healthy-fargate";

/**
 * The policy docs of this repository's pack at the version that ran: the tag `v<version>` (the
 * pack's version is its package.json `version`, as `GetAnalyzerInfo` reports it; releases tag
 * every version, docs/releasing.md). Each policy has a `## <name>` heading there, so its name is
 * its anchor (tests/check/sarif-locations.test.ts checks both).
 */
export function ownPolicyDocs(version: string): string {
    return `${REPOSITORY}/blob/v${version}/policies/README.md`;
}

/** Where SARIF paths start: `--source-root`, or the git top-level of the program's directory. */
export interface SarifOptions {
    /** The program's entry file: where a finding without a construction line points. */
    entryFile: string;
    /** Absolute directory that `%SRCROOT%` stands for. */
    sourceRoot: string;
}

function level(f: Finding): Result.level {
    if (!f.decided) return "note";
    return f.enforcementLevel === "mandatory" ? "error" : "warning";
}

function ruleLevel(enforcementLevel: string): ReportingDescriptor["defaultConfiguration"] {
    return { level: enforcementLevel === "mandatory" ? "error" : enforcementLevel === "disabled" ? "none" : "warning" };
}

/** A path under the source root as `%SRCROOT%`-relative URI; any other as an absolute file URI. */
export function artifactLocation(file: string, sourceRoot: string): ArtifactLocation {
    const relative = path.relative(sourceRoot, file);
    if (relative && !relative.startsWith("..") && !path.isAbsolute(relative)) {
        // A SARIF artifact location is a URI reference: each segment percent-encoded (a space is `%20`).
        return { uri: relative.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
    }
    return { uri: pathToFileURL(file).href };
}

function physicalLocation(f: Finding, options: SarifOptions): PhysicalLocation {
    if (f.source) {
        return {
            artifactLocation: artifactLocation(f.source.file, options.sourceRoot),
            region: { startLine: f.source.line, startColumn: f.source.column },
        };
    }
    return { artifactLocation: artifactLocation(options.entryFile, options.sourceRoot), region: { startLine: 1 } };
}

function rulesOf(report: CheckReport, docs: string | undefined): ReportingDescriptor[] {
    return report.policyPack.policies.map((p) => {
        const helpUri = docs ? `${docs}#${p.name}` : p.url;
        return {
            id: p.name,
            name: p.name,
            shortDescription: { text: p.description.split("\n")[0] },
            fullDescription: { text: p.description },
            ...(helpUri ? { helpUri } : {}),
            defaultConfiguration: ruleLevel(p.enforcementLevel),
            properties: { enforcementLevel: p.enforcementLevel },
        };
    });
}

export function formatSarif(report: CheckReport, options: SarifOptions): string {
    // Only our pack's docs are known to exist; another pack's rules link only what its metadata names.
    const docs = report.policyPack.name === OWN_PACK_NAME ? ownPolicyDocs(report.policyPack.version) : undefined;
    const rules = rulesOf(report, docs);
    const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
    const results: Result[] = report.findings.map((f) => ({
        ruleId: f.policy,
        ...(ruleIndex.has(f.policy) ? { ruleIndex: ruleIndex.get(f.policy) } : {}),
        level: level(f),
        message: { text: f.message },
        locations: [
            {
                physicalLocation: physicalLocation(f, options),
                ...(f.urn ? { logicalLocations: [{ name: f.resourceName, fullyQualifiedName: f.urn, kind: "resource" }] } : {}),
            },
        ],
        properties: { decided: f.decided, enforcementLevel: f.enforcementLevel, resourceType: f.resourceType },
    }));
    const log: Log = {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: report.policyPack.name,
                        version: report.policyPack.version,
                        ...(docs ? { informationUri: docs } : {}),
                        rules,
                    },
                },
                originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(options.sourceRoot + path.sep).href } },
                results,
                properties: { stack: report.stack, project: report.project, resources: report.resources },
            },
        ],
    };
    return JSON.stringify(log, null, 2);
}

/**
 * The source root the SARIF paths start from when `--source-root` is not given: the git
 * top-level of `dir` (the nearest parent with a `.git` directory, or a `.git` file as a worktree
 * or submodule has), else `dir` itself. No `git` process: the check needs no git installed.
 */
export function defaultSourceRoot(dir: string, exists: (p: string) => boolean = fs.existsSync): string {
    for (let current = path.resolve(dir); ; current = path.dirname(current)) {
        if (exists(path.join(current, ".git"))) return current;
        if (path.dirname(current) === current) return path.resolve(dir);
    }
}
