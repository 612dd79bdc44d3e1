import { HandlerError, InvalidInput } from './errors';

/**
 * What a work module (or a task's start and check modules) may export beside `handler`: the
 * version of the state (the handle) its code writes, and how to read a state an earlier (or later)
 * version wrote. A module that exports neither carries its state as it is.
 */
export interface VersionedModule<State = unknown> {
  /** A positive whole number: raise it whenever the state's shape changes. */
  readonly stateVersion?: number;
  /** Turns a state written by `fromVersion` into one this version reads. */
  readonly migrateState?: (state: unknown, fromVersion: number) => State | Promise<State>;
}

/** How a state travels once its module exports a version: the state beside the version that wrote it. */
export interface StampedState<State = unknown> {
  readonly stateVersion: number;
  readonly state: State;
}

/** A state written by another version, with no migrateState to read it: nothing was called, the state is kept. */
export class StateVersionMismatch extends HandlerError {
  override readonly name = 'StateVersionMismatch';
}

const isVersion = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;

/** Whether a value is a state stamped with its version: exactly `{"stateVersion": n, "state": ...}`. */
export function isStamped(value: unknown): value is StampedState {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 2 && keys.includes('state') && isVersion((value as { stateVersion?: unknown }).stateVersion);
}

/** The version a module declares, or undefined; a declared one that is not a positive whole number is refused at its first call. */
export function versionOf(module: VersionedModule | undefined, what: string): number | undefined {
  const version = module?.stateVersion;
  if (version === undefined) return undefined;
  if (!isVersion(version)) throw new InvalidInput(`${what} exports stateVersion ${JSON.stringify(version)}: it must be a positive whole number`);
  if (module?.migrateState !== undefined && typeof module.migrateState !== 'function') throw new InvalidInput(`${what} exports migrateState, which is not a function`);
  return version;
}

/**
 * The state as this version reads it. A stamped state from another version goes through
 * `migrateState` first, or, with none, the call fails with StateVersionMismatch naming both
 * versions before anything else runs. An unstamped state (a job's first input, or one written
 * before the module declared a version) is taken as this version's; a module with no version
 * gets the state exactly as it came.
 */
export async function readState<State>(carried: unknown, module: VersionedModule<State> | undefined, what: string, resume: string): Promise<State> {
  const version = versionOf(module, what);
  if (version === undefined || !isStamped(carried)) return carried as State;
  if (carried.stateVersion === version) return carried.state as State;
  if (!module?.migrateState) {
    throw new StateVersionMismatch(
      `${what}: the state was written by stateVersion ${carried.stateVersion}, and this code is stateVersion ${version} and exports no migrateState; ` +
        `nothing was called and the state is kept as it was. ${resume}`,
    );
  }
  return module.migrateState(carried.state, carried.stateVersion);
}

/** The state to hand on: stamped with this version when the module declares one, as it is otherwise. */
export function stampState<State>(state: State, module: VersionedModule | undefined, what: string): State | StampedState<State> {
  const version = versionOf(module, what);
  return version === undefined ? state : { stateVersion: version, state };
}
