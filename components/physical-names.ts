/**
 * Physical names that two stacks in one account and region cannot share. A fixed name
 * (`family: "api"`, `/ecs/api`, `platform-postgres-final`) makes the second stack of a project
 * fail with `ResourceAlreadyExistsException` / `DBSnapshotAlreadyExists`, or — for an ECS task
 * definition family — silently mix both stacks' revisions in one family. Resources whose name
 * nobody needs to type get Pulumi's auto-naming (a random suffix); the ones people look up by name
 * (log groups, task families, services, parameters, snapshots) get the project and the stack in
 * their name, made valid for each naming rule here.
 */

/** Where a physical name belongs: the Pulumi project and stack (`pulumi.getProject()`, `pulumi.getStack()`). */
export interface NameScope {
    readonly project: string;
    readonly stack: string;
}

/**
 * `<project>-<stack>-<name>` for ECS task definition families and service names: letters, digits,
 * `-` and `_`, at most 255 (ECS `RegisterTaskDefinition` / `CreateService`). Other characters
 * (Pulumi allows `.` in project and stack names) become `-`.
 */
export function ecsName(scope: NameScope, name: string): string {
    return `${scope.project}-${scope.stack}-${name}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 255);
}

/** `/ecs/<project>/<stack>/<name>`: a CloudWatch Logs group name (`[.\-_/#A-Za-z0-9]`, at most 512). */
export function ecsLogGroupName(scope: NameScope, name: string): string {
    return `/ecs/${scope.project}/${scope.stack}/${name}`.replace(/[^.\-_/#A-Za-z0-9]/g, "-").slice(0, 512);
}

/**
 * `/<project>/<stack>/<path>`: an SSM parameter name under the stack's own prefix (letters, digits,
 * `.`, `-`, `_`, `/`; a first segment of `aws` or `ssm` is reserved, which a project name could be).
 */
export function stackParameterName(scope: NameScope, path: string): string {
    const name = `/${scope.project}/${scope.stack}/${path.replace(/^\/+/, "")}`.replace(/[^A-Za-z0-9_./-]/g, "-");
    return /^\/(aws|ssm)/i.test(name) ? `/p-${name.slice(1)}` : name;
}

/**
 * An RDS identifier (DB instance, snapshot): letters, digits and single hyphens, starting with a
 * letter, not ending with a hyphen, at most 255.
 */
export function rdsIdentifier(scope: NameScope, name: string): string {
    const raw = `${scope.project}-${scope.stack}-${name}`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/-+/g, "-");
    const lettered = /^[a-z]/.test(raw) ? raw : `p-${raw}`;
    return lettered.slice(0, 255).replace(/-+$/, "");
}
