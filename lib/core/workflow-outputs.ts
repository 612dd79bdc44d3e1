const ARN_SUFFIX = '_state_machine_arn';
const INPUT_SUFFIX = '_example_input';

/** How outputs and their descriptions name a workflow: its id with `-` as `_`. */
export const outputLabel = (workflowId: string) => workflowId.replace(/-/g, '_');

/** The output names of a workflow: `<label>_state_machine_arn` and `<label>_example_input`. */
export function workflowOutputs(workflowId: string): { readonly stateMachineArn: string; readonly exampleInput: string } {
  const label = outputLabel(workflowId);
  return { stateMachineArn: `${label}${ARN_SUFFIX}`, exampleInput: `${label}${INPUT_SUFFIX}` };
}

/** The ids of the workflows whose outputs these are: workflow ids never hold `_`, so the mapping reverses. */
export function workflowIdsOf(outputNames: readonly string[]): string[] {
  return outputNames.filter((name) => name.endsWith(ARN_SUFFIX)).map((name) => name.slice(0, -ARN_SUFFIX.length).replace(/_/g, '-'));
}
