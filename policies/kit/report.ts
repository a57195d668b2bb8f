/**
 * How the pack words and reports its findings. One convention for every policy:
 *
 * Violation (reported at the policy's enforcement level):
 *   `'<resource name>' (<type>) \`<field path>\`: found <value>. <what is wrong and why> Fix: <how>`
 *
 * Undecided (the policy could not decide because a value is unknown — typically computed from
 * another resource's output during `pulumi preview` — or a reference cannot be followed):
 *   `[undecided] '<resource name>' (<type>) \`<field path>\`: <why it cannot be decided>. …`
 * An undecided report is ALWAYS sent at enforcement level `advisory` (whatever the policy's level),
 * so a preview is never blocked by what it cannot know, and never passes silently either. The
 * message starts with {@link UNDECIDED_MARKER}; {@link isUndecidedMessage} recognises it also inside
 * the "<description>\n<message>" text the CLI shows, which the offline check turns into
 * `decided: false`.
 *
 * Policy error (an exception inside a policy, i.e. a bug of the pack): reported at the policy's own
 * enforcement level, starting with {@link POLICY_ERROR_MARKER} (see {@link Reporter.policyError}).
 *
 * Messages never print environment values or other free text that may hold a credential.
 */
import type { ReportViolation } from "@pulumi/policy";

export const UNDECIDED_MARKER = "[undecided]";

/**
 * Start of the report of an exception inside a policy: a bug of the pack, never a verdict on the
 * resource (the fuzz test asserts none occur). Reported at the policy's own enforcement level, see
 * {@link Reporter.policyError}.
 */
export const POLICY_ERROR_MARKER = "policy error:";

/** True when a diagnostic message (with or without the description line before it) is an undecided report. */
export function isUndecidedMessage(message: unknown): boolean {
    return typeof message === "string" && message.split("\n").some((line) => line.startsWith(`${UNDECIDED_MARKER} `));
}

/** True when a diagnostic message (with or without the description line before it) reports a crash of a policy. */
export function isPolicyErrorMessage(message: unknown): boolean {
    return typeof message === "string" && message.split("\n").some((line) => line.startsWith(`${POLICY_ERROR_MARKER} `));
}

/** The resource a finding is about. */
export interface Subject {
    name: string;
    type: string;
    /** Set for stack policies, where the host cannot infer the resource. */
    urn?: string;
}

export interface Violation {
    /** Field path in the resource's inputs, e.g. `containerDefinitions[app].healthCheck.timeout`. */
    path: string;
    /** The value found, already rendered (see `show`). */
    found: string;
    /** What is wrong and why it matters (complete sentence(s)). */
    problem: string;
    /** How to fix it (complete sentence(s)). */
    fix: string;
}

export interface Undecided {
    path: string;
    /** Why the policy cannot decide; default: the value is unknown until the update runs. */
    reason?: string;
}

export function label(subject: Subject): string {
    return `'${subject.name}' (${subject.type})`;
}

function sentence(text: string): string {
    const t = text.trim();
    return /[.!?)]$/.test(t) ? t : `${t}.`;
}

export function formatViolation(subject: Subject, v: Violation): string {
    return `${label(subject)} \`${v.path}\`: found ${v.found}. ${sentence(v.problem)} Fix: ${sentence(v.fix)}`;
}

const UNKNOWN_UNTIL_UPDATE = "the value is not known until the update runs (it is computed from another resource's output)";

/**
 * Whether a `pulumi up` will let the policy decide: true when the reason is a value not known yet
 * (computed from another resource's output), false when it is something an update does not change —
 * a resource this stack does not manage, an image outside the known table, an IAM `Condition`.
 */
export function decidedDuringUpdate(reason: string): boolean {
    return /\b(not known|unknown)\b/.test(reason) && !/not managed in this stack|does not manage/.test(reason);
}

export function formatUndecided(subject: Subject, u: Undecided): string {
    const reason = u.reason ?? UNKNOWN_UNTIL_UPDATE;
    const when = decidedDuringUpdate(reason) ? " The policy decides when the value is known (during `pulumi up`)." : "";
    return `${UNDECIDED_MARKER} ${label(subject)} \`${u.path}\`: cannot verify: ${sentence(reason)}${when}`;
}

/** Collects a policy's reports for one invocation; drops exact duplicates. */
export class Reporter {
    private readonly seen = new Set<string>();
    constructor(private readonly reportViolation: ReportViolation) {}

    violation(subject: Subject, v: Violation): void {
        const message = formatViolation(subject, v);
        if (this.once(message)) this.reportViolation(message, subject.urn);
    }

    undecided(subject: Subject, u: Undecided): void {
        const message = formatUndecided(subject, u);
        if (!this.once(message)) return;
        // @pulumi/policy accepts a violation object whose level overrides the policy's (server.js
        // `makeReportViolationFun`); its public type only declares the string form.
        const report = this.reportViolation as unknown as (violation: {
            message: string;
            urn?: string;
            enforcementLevel: "advisory";
        }) => void;
        report({ message, ...(subject.urn ? { urn: subject.urn } : {}), enforcementLevel: "advisory" });
    }

    /**
     * Reports an exception inside a policy. Not as `[undecided]` (always advisory), which would let a
     * mandatory policy pass a resource it never judged: at the policy's OWN enforcement level (the
     * string form of `reportViolation`), so a crash of a mandatory policy blocks `pulumi preview`
     * as its violation would, and an advisory policy's crash stays advisory. The message starts with
     * {@link POLICY_ERROR_MARKER}, by which the offline check tells a crash from a finding.
     */
    policyError(subject: Subject, error: unknown): void {
        let text: string;
        try {
            text = error instanceof Error ? error.message : String(error);
        } catch {
            text = "an exception that cannot be printed";
        }
        const message =
            `${POLICY_ERROR_MARKER} ${label(subject)}: ${sentence(text.slice(0, 200))} The policy could not judge this resource ` +
            "because of a bug in the healthy-fargate pack (please report it); this is reported at the policy's own enforcement level, " +
            "so a mandatory policy does not pass a resource it could not judge.";
        if (this.once(message)) this.reportViolation(message, subject.urn);
    }

    private once(message: string): boolean {
        if (this.seen.has(message)) return false;
        this.seen.add(message);
        return true;
    }
}
