import type { ExecutionResult, RunExecutionOptions } from '../../simulator/run-execution';

type StateMachine = RunExecutionOptions['stateMachine'];

/**
 * A redrive as Step Functions makes one, emulated: the same execution again from the state it
 * failed in, with that state's input (the last state it entered). It enters through a Choice on
 * a mark the input carries, so every state stays reachable, as the local engine requires.
 */
export function redriveOf(stateMachine: StateMachine, failed: ExecutionResult): Pick<RunExecutionOptions, 'stateMachine' | 'name' | 'input'> {
  const from = failed.inputs[failed.inputs.length - 1];
  const { definition } = stateMachine;
  const entry = { Type: 'Choice', Choices: [{ Variable: '$.redriven', IsPresent: true, Next: from.state }], Default: definition.StartAt };
  return {
    stateMachine: { ...stateMachine, definition: { ...definition, StartAt: 'Redrive', States: { Redrive: entry, ...definition.States } } as typeof definition },
    name: failed.name,
    input: { ...(from.input as object), redriven: true },
  };
}
