/**
 * Container image references: whether a string is one ECS (and every OCI registry client) can
 * pull, and where it breaks when it is not.
 *
 * The grammar is the one the distribution project documents for references (package
 * `github.com/distribution/reference`, reference.go and regexp.go; Docker and containerd parse
 * image names with it), written here from that grammar:
 *
 *   reference        := name [ ":" tag ] [ "@" digest ]
 *   name             := [ domain "/" ] path                      (path at most 255 characters)
 *   domain           := host [ ":" port ]                        (host: DNS-like name, IPv4, or [IPv6])
 *   domain-component := alphanumeric, or alphanumeric ( alphanumeric | "-" )* alphanumeric   (either case)
 *   path             := path-component ( "/" path-component )*
 *   path-component   := [a-z0-9]+ ( separator [a-z0-9]+ )*      (lower case only)
 *   separator        := "." | "_" | "__" | "-"+
 *   tag              := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 *   digest           := algorithm ":" hex                         (algorithm: [A-Za-z][A-Za-z0-9]* joined by [-_+.]; hex ≥ 32)
 *
 * The first component is a registry only when it contains "." or ":" or is `localhost`
 * (`ghcr.io/x`, `localhost:5000/x`); otherwise it is part of the path (`library/nginx`). For the
 * digest algorithms the OCI image spec registers, the encoded part is fixed: `sha256` = 64 and
 * `sha512` = 128 lower-case hex characters (opencontainers/image-spec, descriptor.md,
 * "Registered algorithms").
 *
 * Pure: no Pulumi, no I/O, never throws.
 */

/** A reference that parsed, split into its parts. */
export interface ImageReferenceParts {
    /** Registry host (and port) when the reference names one, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
    domain?: string;
    /** Repository path, e.g. `library/python` or `team/api`. */
    path: string;
    tag?: string;
    digest?: string;
}

/** `problem` is a predicate of the whole value ("is blank", "is not a valid reference: its tag …"); `fix` a sentence. */
export type ImageReferenceCheck = { ok: true; reference: ImageReferenceParts } | { ok: false; problem: string; fix: string };

const REPOSITORY_PATH_MAX = 255;
const DOMAIN_COMPONENT = "(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])";
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[A-Fa-f0-9:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$/;
const REGISTERED_DIGESTS: Record<string, RegExp> = { sha256: /^[a-f0-9]{64}$/, sha512: /^[a-f0-9]{128}$/ };

const EXAMPLE =
    "`123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2`, `public.ecr.aws/docker/library/python:3.12-slim` or " +
    "`ghcr.io/org/app@sha256:<64 hex>`";

function invalid(problem: string, fix: string): ImageReferenceCheck {
    return { ok: false, problem, fix };
}

/** Splits `[domain/]path` where the first component is a domain only if it looks like one. */
function splitName(name: string): { domain?: string; path: string } {
    const slash = name.indexOf("/");
    if (slash < 0) return { path: name };
    const first = name.slice(0, slash);
    return /[.:]/.test(first) || first === "localhost" ? { domain: first, path: name.slice(slash + 1) } : { path: name };
}

function checkDigest(digest: string): ImageReferenceCheck | undefined {
    if (!DIGEST.test(digest)) {
        return invalid(
            `is not a valid reference: its digest \`${digest}\` is not \`<algorithm>:<hex>\` with at least 32 hex ` + `characters`,
            "Use the digest the registry reports, e.g. `@sha256:` followed by 64 hex characters.",
        );
    }
    const [algorithm, encoded] = digest.split(":");
    const registered = REGISTERED_DIGESTS[algorithm];
    if (registered && !registered.test(encoded)) {
        const length = algorithm === "sha256" ? 64 : 128;
        return invalid(
            `is not a valid reference: its ${algorithm} digest has ${encoded.length} characters; ` +
                `${algorithm} digests are exactly ${length} lower-case hex characters`,
            "Copy the full digest from the registry (`docker " + "buildx imagetools inspect <image>` or the ECR console).",
        );
    }
    return undefined;
}

function checkPath(path: string): ImageReferenceCheck | undefined {
    if (path.length > REPOSITORY_PATH_MAX) {
        return invalid(
            `is not a valid reference: its repository path has ${path.length} characters; at most ${REPOSITORY_PATH_MAX} ` + `are allowed`,
            "Use a shorter repository name.",
        );
    }
    const bad = path.split("/").find((component) => !PATH_COMPONENT.test(component));
    if (bad === undefined) return undefined;
    if (bad !== bad.toLowerCase() && PATH_COMPONENT.test(bad.toLowerCase())) {
        return invalid(
            `is not a valid reference: its repository \`${path}\` has upper-case letters; repository names are lower ` + `case`,
            `Write it as \`${path.toLowerCase()}\` (only the registry host may contain upper case).`,
        );
    }
    return invalid(
        `is not a valid reference: its repository path component \`${bad}\` is not lower-case letters and digits joined by ` +
            `\`.\`, \`_\`, \`__\` or \`-\``,
        `Write the image as \`[registry/]repository[:tag][@digest]\`, e.g. ${EXAMPLE}.`,
    );
}

/**
 * Checks `value` against the reference grammar (see the module comment). The answer says what is
 * wrong and how to write it; `value` of any type is accepted (a non-string is "not a string").
 */
export function checkImageReference(value: unknown): ImageReferenceCheck {
    if (value === undefined) return invalid("is not set", `Pass the image to run, e.g. ${EXAMPLE}.`);
    if (typeof value !== "string") {
        return invalid(
            `is ${value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`}, ` + `not a string`,
            `Pass the image reference as a string, e.g. ${EXAMPLE}.`,
        );
    }
    if (value.trim() === "") return invalid("is blank", `Pass the image to run, e.g. ${EXAMPLE}.`);
    if (/\s/.test(value)) return invalid("contains whitespace", "Remove the spaces and line breaks (a copy-paste often adds them).");
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
        return invalid(
            "is a URL; image references have no scheme",
            `Drop \`${value.slice(0, value.indexOf("://") + 3)}\`: ` + `write \`registry/repository:tag\`.`,
        );
    }
    const at = value.indexOf("@");
    const beforeDigest = at < 0 ? value : value.slice(0, at);
    const digest = at < 0 ? undefined : value.slice(at + 1);
    const lastSlash = beforeDigest.lastIndexOf("/");
    const colon = beforeDigest.indexOf(":", lastSlash + 1);
    const name = colon < 0 ? beforeDigest : beforeDigest.slice(0, colon);
    const tag = colon < 0 ? undefined : beforeDigest.slice(colon + 1);
    const { domain, path } = splitName(name);

    if (path === "") return invalid("names no repository", `Write \`registry/repository:tag\`, e.g. ${EXAMPLE}.`);
    if (domain !== undefined && !DOMAIN.test(domain)) {
        return invalid(
            `is not a valid reference: its registry \`${domain}\` is not a host name or address with an optional ` + `\`:port\``,
            "Fix the registry part before the first `/`.",
        );
    }
    const pathProblem = checkPath(path);
    if (pathProblem) return pathProblem;
    if (tag !== undefined && !TAG.test(tag)) {
        return invalid(
            `is not a valid reference: its tag \`${tag}\` is not 1–128 letters, digits, \`_\`, ` +
                `\`.\` or \`-\` (not starting with \`.\` or \`-\`)`,
            "Use the tag the registry shows, e.g. `:1.4.2`.",
        );
    }
    if (digest !== undefined) {
        const digestProblem = checkDigest(digest);
        if (digestProblem) return digestProblem;
    }
    const reference: ImageReferenceParts = { ...(domain !== undefined ? { domain } : {}), path };
    if (tag !== undefined) reference.tag = tag;
    if (digest !== undefined) reference.digest = digest;
    return { ok: true, reference };
}
