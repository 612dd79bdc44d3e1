/** The output names of a workflow: `<id>_state_machine_arn` and `<id>_example_input`, with `-` as `_`. */
export function workflowOutputs(workflowId: string): { readonly stateMachineArn: string; readonly exampleInput: string } {
  const prefix = workflowId.replace(/-/g, '_');
  return { stateMachineArn: `${prefix}_state_machine_arn`, exampleInput: `${prefix}_example_input` };
}
