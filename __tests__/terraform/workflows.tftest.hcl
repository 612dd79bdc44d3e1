# Runs against the synthesized stack (cdk.tf.json) with a mocked AWS provider: the real
# hashicorp/aws 5.100.0 schema, no credentials, no network. Values below stand for the account,
# region and partition the data sources would return.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mocked" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mocked" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:mocked" }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:mocked" }
  }
}

variables {
  arn_prefix = "arn:aws:%s:eu-west-1:123456789012:%s"
}

run "definitions_invoke_exactly_their_own_functions" {
  command = apply

  assert {
    condition = toset([
      for state in values(jsondecode(aws_sfn_state_machine.continue_as_new_workflow_state_machine.definition).States) :
      state.Resource if strcontains(try(state.Resource, ""), ":function:")
      ]) == toset([
      for fn in [aws_lambda_function.continue_as_new_check_input_function, aws_lambda_function.continue_as_new_work_function] :
      format(var.arn_prefix, "lambda", "function:${fn.function_name}")
    ])
    error_message = "The continue-as-new definition must call exactly the check-input and work functions, by ARN in the mocked account and region."
  }

  assert {
    condition = one([
      for state in values(jsondecode(aws_sfn_state_machine.continue_as_new_workflow_state_machine.definition).States) :
      state.Parameters.StateMachineArn if try(state.Resource, "") == "arn:aws:states:::states:startExecution"
    ]) == format(var.arn_prefix, "states", "stateMachine:${aws_sfn_state_machine.continue_as_new_workflow_state_machine.name}")
    error_message = "The continue-as-new definition may start only its own state machine."
  }

  assert {
    condition = toset([
      for state in values(jsondecode(aws_sfn_state_machine.rds_snapshot_workflow_state_machine.definition).States) :
      state.Resource if state.Type == "Task"
      ]) == toset([
      for fn in [aws_lambda_function.rds_snapshot_create_snapshot_function, aws_lambda_function.rds_snapshot_describe_snapshot_function] :
      format(var.arn_prefix, "lambda", "function:${fn.function_name}")
    ])
    error_message = "The snapshot definition must call exactly the create and describe functions, by ARN in the mocked account and region."
  }

  assert {
    condition = alltrue([
      for name, policy in {
        continue_as_new = aws_iam_role_policy.continue_as_new_workflow_execution_policy.policy
        rds_snapshot    = aws_iam_role_policy.rds_snapshot_workflow_execution_policy.policy
      } :
      one([for s in jsondecode(policy).Statement : s.Resource if s.Sid == "InvokeOwnFunctions"]) == [
        for state in values(jsondecode(name == "continue_as_new"
          ? aws_sfn_state_machine.continue_as_new_workflow_state_machine.definition
        : aws_sfn_state_machine.rds_snapshot_workflow_state_machine.definition).States) :
        state.Resource if strcontains(try(state.Resource, ""), ":function:")
      ]
    ])
    error_message = "Each state machine role must allow lambda:InvokeFunction on exactly the functions its definition calls."
  }
}

run "policies_name_exact_arns" {
  command = apply

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.continue_as_new_workflow_execution_policy.policy).Statement : s.Resource if s.Sid == "StartOwnStateMachine"
    ]) == [format(var.arn_prefix, "states", "stateMachine:${aws_sfn_state_machine.continue_as_new_workflow_state_machine.name}")]
    error_message = "The continue-as-new state machine may start only itself."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.continue_as_new_check_input_execution_policy.policy).Statement : s.Resource if s.Sid == "ReadOwnExecutions"
    ]) == [format(var.arn_prefix, "states", "execution:${aws_sfn_state_machine.continue_as_new_workflow_state_machine.name}:*")]
    error_message = "The check-input function may read only its own state machine's executions."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.rds_snapshot_create_snapshot_execution_policy.policy).Statement : s.Resource if s.Sid == "SnapshotConfiguredInstance"
      ]) == [
      format(var.arn_prefix, "rds", "db:${aws_lambda_function.rds_snapshot_create_snapshot_function.environment[0].variables.DB_INSTANCE_IDENTIFIER}"),
      format(var.arn_prefix, "rds", "snapshot:${aws_lambda_function.rds_snapshot_create_snapshot_function.environment[0].variables.DB_INSTANCE_IDENTIFIER}-*"),
    ]
    error_message = "The create function may snapshot only the configured instance."
  }

  assert {
    condition = alltrue(flatten([
      for policy in [
        aws_iam_role_policy.continue_as_new_check_input_execution_policy.policy,
        aws_iam_role_policy.continue_as_new_work_execution_policy.policy,
        aws_iam_role_policy.continue_as_new_workflow_execution_policy.policy,
        aws_iam_role_policy.rds_snapshot_create_snapshot_execution_policy.policy,
        aws_iam_role_policy.rds_snapshot_describe_snapshot_execution_policy.policy,
        aws_iam_role_policy.rds_snapshot_workflow_execution_policy.policy,
        ] : [
        for s in jsondecode(policy).Statement : [
          for r in s.Resource : r == "*" ? endswith(s.Sid, "AwsRequiresStar") : startswith(r, "arn:aws:") && strcontains(r, ":eu-west-1:123456789012:")
        ]
      ]
    ]))
    error_message = "Every IAM resource must be an exact ARN in the mocked account and region; \"*\" only where AWS requires it."
  }
}

run "outputs_are_set" {
  command = apply

  assert {
    condition     = output.continue_as_new_state_machine_arn == aws_sfn_state_machine.continue_as_new_workflow_state_machine.arn && output.rds_snapshot_state_machine_arn == aws_sfn_state_machine.rds_snapshot_workflow_state_machine.arn
    error_message = "The state machine ARN outputs must name the state machines."
  }

  assert {
    condition     = jsondecode(output.continue_as_new_example_input) == {} && jsondecode(output.rds_snapshot_example_input) == {}
    error_message = "The example inputs must be ready to start each workflow."
  }
}
