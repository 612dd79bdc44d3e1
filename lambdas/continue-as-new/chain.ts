import { HandlerError } from '../shared/errors';
import { EXECUTION_ARN_RULE, EXECUTION_ARN_TEXT } from '../shared/execution-arn';
import { type JsonObject, requireInteger, requireObject, requireString } from '../shared/validate';

/** Where an execution stands in its chain. */
export interface Lineage {
  readonly rootExecutionArn: string;
  readonly rootExecutionName: string;
  /** 0 for the first execution. */
  readonly generation: number;
}

/** This execution as its successor's input names it: together, proof of who started the successor. */
export interface Self {
  readonly executionArn: string;
  readonly startTime: string;
}

/** What a successor is started with, by either restart mode. */
export interface SuccessorInput {
  readonly state: unknown;
  readonly lineage: Lineage & { readonly parentExecutionArn: string; readonly parentStartTime: string };
  /** Links the successor to its parent in the Step Functions console. */
  readonly AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: string;
}

/** What the machine carries from one work call to the next. */
export interface LoopState {
  readonly work: { readonly state: unknown; readonly done: boolean };
  /** Calls made, and history events the loop wrote (retries included), in this execution. */
  readonly loop: { readonly iteration: number; readonly events: number };
  readonly lineage: Lineage;
  readonly self: Self;
}

/** Execution names: 1-80 characters, and only those CloudWatch Logs takes. */
export const EXECUTION_NAME_RULE = /^[0-9A-Za-z_-]{1,80}$/;
export const MAX_EXECUTION_NAME = 80;

/** The same name for the same root and generation, so a retried start finds the successor it already made. */
export function successorName(lineage: Lineage): string {
  return `${lineage.rootExecutionName}-g${lineage.generation + 1}`;
}

export function successorInput(state: unknown, lineage: Lineage, self: Self): SuccessorInput {
  return {
    state,
    lineage: { ...lineage, generation: lineage.generation + 1, parentExecutionArn: self.executionArn, parentStartTime: self.startTime },
    AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: self.executionArn,
  };
}

/**
 * Whether an execution holding our successor's name was started by this very execution: an
 * execution name can be reused after 90 days, so the name alone proves nothing.
 */
export function isStartedBy(input: unknown, self: Self): boolean {
  const lineage = (input as { lineage?: { parentExecutionArn?: unknown; parentStartTime?: unknown } } | null)?.lineage;
  return lineage?.parentExecutionArn === self.executionArn && lineage?.parentStartTime === self.startTime;
}

/** The execution holding the successor's name was not started by this one. */
export class SuccessorNameTaken extends HandlerError {
  override readonly name = 'SuccessorNameTaken';

  constructor(name: string) {
    super(
      `an execution named ${name} exists and was not started by this execution (names are reusable after 90 days); ` +
        'start a new chain under another name with the last state',
    );
  }
}

export function readLineage(value: unknown, path: string): Lineage {
  const lineage: JsonObject = requireObject(value, path);
  return {
    rootExecutionArn: requireString(lineage, 'rootExecutionArn', EXECUTION_ARN_RULE, EXECUTION_ARN_TEXT, `${path}.rootExecutionArn`),
    rootExecutionName: requireString(lineage, 'rootExecutionName', EXECUTION_NAME_RULE, 'an execution name', `${path}.rootExecutionName`),
    generation: requireInteger(lineage, 'generation', 0, `${path}.generation`),
  };
}

export function readSelf(value: unknown, path: string): Self {
  const self = requireObject(value, path);
  return {
    executionArn: requireString(self, 'executionArn', EXECUTION_ARN_RULE, EXECUTION_ARN_TEXT, `${path}.executionArn`),
    startTime: requireString(self, 'startTime', /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/, 'an ISO 8601 UTC time', `${path}.startTime`),
  };
}
