# Runs against the synthesized stack (cdk.tf.json) with a mocked AWS provider: the real
# hashicorp/aws 5.100.0 schema, no credentials, no network. Values below stand for the account,
# region and partition the data sources would return. The stack is synthesized with two instances
# (one on a schedule), a cluster and an alert email (__tests__/support/operations.ts), and a
# second job, `drain`, with loop express, all under a customer managed key (__tests__/terraform.test.ts).

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
}

# Distinct ARNs where an assertion tells one resource from another.
override_resource {
  target = aws_sfn_state_machine.continue_as_new_workflow_state_machine
  values = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:long-running-continue-as-new" }
}
override_resource {
  target = aws_sfn_state_machine.drain_workflow_state_machine
  values = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:long-running-drain" }
}
override_resource {
  target = aws_sfn_state_machine.rds_snapshot_workflow_state_machine
  values = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:long-running-rds-snapshot" }
}
override_resource {
  target = aws_sns_topic.alerts_topic
  values = { arn = "arn:aws:sns:eu-west-1:123456789012:long-running-workflow-failures" }
}
override_resource {
  target = aws_iam_role.rds_snapshot_schedules_execution_role
  values = { arn = "arn:aws:iam::123456789012:role/long-running-rds-snapshot-scheduler" }
}

variables {
  arn_prefix = "arn:aws:%s:eu-west-1:123456789012:%s"
  key        = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
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
      state.Resource if strcontains(try(state.Resource, ""), ":function:")
      ]) == toset([
      for fn in [aws_lambda_function.rds_snapshot_create_function, aws_lambda_function.rds_snapshot_describe_function, aws_lambda_function.rds_snapshot_retention_function] :
      format(var.arn_prefix, "lambda", "function:${fn.function_name}")
    ])
    error_message = "The snapshot definition must call exactly the create, describe and retention functions, by ARN in the mocked account and region."
  }

  assert {
    condition = toset([
      for state in values(jsondecode(aws_sfn_state_machine.rds_snapshot_workflow_state_machine.definition).States) :
      state.Parameters.StateMachineArn if try(state.Resource, "") == "arn:aws:states:::aws-sdk:sfn:listExecutions"
    ]) == toset([format(var.arn_prefix, "states", "stateMachine:${aws_sfn_state_machine.rds_snapshot_workflow_state_machine.name}")])
    error_message = "The snapshot definition's overlap check may list only its own state machine's executions."
  }

  assert {
    condition = alltrue([
      for name, policy in {
        continue_as_new = aws_iam_role_policy.continue_as_new_workflow_execution_policy.policy
        rds_snapshot    = aws_iam_role_policy.rds_snapshot_workflow_execution_policy.policy
      } :
      toset(one([for s in jsondecode(policy).Statement : s.Resource if s.Sid == "InvokeOwnFunctions"])) == setunion(toset([
        for state in values(jsondecode(name == "continue_as_new"
          ? aws_sfn_state_machine.continue_as_new_workflow_state_machine.definition
        : aws_sfn_state_machine.rds_snapshot_workflow_state_machine.definition).States) :
        state.Resource if strcontains(try(state.Resource, ""), ":function:")
        ]), toset([
        for fn in [aws_lambda_function.continue_as_new_restart_function.function_name] : format(var.arn_prefix, "lambda", "function:${fn}") if name == "continue_as_new"
      ]))
    ])
    error_message = "Each state machine role must allow lambda:InvokeFunction on exactly the functions its definition calls, and a job's on its restart function too (an execution started before a switch of restartWith still calls it)."
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
    condition = alltrue([
      for kind, names in { Instance = ["db", "snapshot", "instance"], Cluster = ["cluster", "cluster-snapshot", "cluster"] } :
      toset(one([
        for s in jsondecode(aws_iam_role_policy.rds_snapshot_create_execution_policy.policy).Statement : s.Resource if s.Sid == "Create${kind}Snapshots"
        ])) == toset(concat(
        [for id, type in jsondecode(aws_lambda_function.rds_snapshot_create_function.environment[0].variables.SNAPSHOT_TARGETS) : format(var.arn_prefix, "rds", "${names[0]}:${id}") if type == names[2]],
        [for id, type in jsondecode(aws_lambda_function.rds_snapshot_create_function.environment[0].variables.SNAPSHOT_TARGETS) : format(var.arn_prefix, "rds", "${names[1]}:${id}-sfn-*") if type == names[2]],
      ))
    ])
    error_message = "The create function may snapshot only the targets its environment names, into this workflow's snapshot names."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.rds_snapshot_retention_execution_policy.policy).Statement :
      values(s.Condition.StringEquals) == [aws_lambda_function.rds_snapshot_retention_function.environment[0].variables.CREATED_BY] if startswith(s.Sid, "DeleteTagged")
    ]) && length([for s in jsondecode(aws_iam_role_policy.rds_snapshot_retention_execution_policy.policy).Statement : s if startswith(s.Sid, "DeleteTagged")]) == 2
    error_message = "The retention function may delete only snapshots tagged as this workflow's, of both kinds."
  }

  assert {
    condition = alltrue(flatten([
      for policy in [
        aws_iam_role_policy.continue_as_new_check_input_execution_policy.policy,
        aws_iam_role_policy.continue_as_new_work_execution_policy.policy,
        aws_iam_role_policy.continue_as_new_workflow_execution_policy.policy,
        aws_iam_role_policy.rds_snapshot_create_execution_policy.policy,
        aws_iam_role_policy.rds_snapshot_describe_execution_policy.policy,
        aws_iam_role_policy.rds_snapshot_retention_execution_policy.policy,
        aws_iam_role_policy.rds_snapshot_workflow_execution_policy.policy,
        aws_iam_role_policy.rds_snapshot_schedules_execution_policy.policy,
        ] : [
        for s in jsondecode(policy).Statement : [
          for r in s.Resource : r == "*" ? endswith(s.Sid, "AwsRequiresStar") : startswith(r, "arn:aws:") && strcontains(r, ":eu-west-1:123456789012:")
        ]
      ]
    ]))
    error_message = "Every IAM resource must be an exact ARN in the mocked account and region; \"*\" only where AWS requires it."
  }
}

run "schedules_start_only_their_target" {
  command = apply

  assert {
    condition = alltrue([
      for schedule in [aws_scheduler_schedule.rds_snapshot_schedules_orders_db] :
      schedule.group_name == aws_scheduler_schedule_group.rds_snapshot_schedules_group.name
      && schedule.target[0].arn == aws_sfn_state_machine.rds_snapshot_workflow_state_machine.arn
      && schedule.target[0].role_arn == aws_iam_role.rds_snapshot_schedules_execution_role.arn
      && jsondecode(schedule.target[0].input) == { target = schedule.name, overlap = "skip" }
    ])
    error_message = "Each schedule must start the snapshot state machine, with its own role, for the target it is named after, skipping a start that would overlap."
  }

  assert {
    condition     = aws_scheduler_schedule.rds_snapshot_schedules_orders_db.schedule_expression == "cron(0 3 * * ? *)" && aws_scheduler_schedule.rds_snapshot_schedules_orders_db.schedule_expression_timezone == "Europe/Berlin"
    error_message = "The schedule must carry the configured expression and time zone."
  }

  assert {
    condition = jsondecode(aws_iam_role.rds_snapshot_schedules_execution_role.assume_role_policy).Statement[0].Condition == {
      StringEquals = { "aws:SourceAccount" = "123456789012" }
      ArnLike      = { "aws:SourceArn" = format(var.arn_prefix, "scheduler", "schedule-group/${aws_scheduler_schedule_group.rds_snapshot_schedules_group.name}") }
    }
    error_message = "Scheduler may assume the role only for this account's schedule group of this workflow."
  }

  assert {
    condition = [for s in jsondecode(aws_iam_role_policy.rds_snapshot_schedules_execution_policy.policy).Statement : [s.Action, s.Resource]] == [
      [["states:StartExecution"], [format(var.arn_prefix, "states", "stateMachine:${aws_sfn_state_machine.rds_snapshot_workflow_state_machine.name}")]],
      [["kms:Decrypt", "kms:GenerateDataKey"], [var.key]],
    ]
    error_message = "The schedules' role may only start the snapshot state machine."
  }
}

run "the_key_encrypts_machines_logs_functions_and_topic" {
  command = apply

  assert {
    condition = alltrue([
      for machine in [
        aws_sfn_state_machine.continue_as_new_workflow_state_machine,
        aws_sfn_state_machine.drain_workflow_state_machine,
        aws_sfn_state_machine.drain_batch_state_machine_state_machine,
        aws_sfn_state_machine.continue_as_new_batch_state_machine_state_machine,
        aws_sfn_state_machine.rds_snapshot_workflow_state_machine,
      ] : machine.encryption_configuration[0].type == "CUSTOMER_MANAGED_KMS_KEY" && machine.encryption_configuration[0].kms_key_id == var.key
    ])
    error_message = "Every state machine must encrypt its definition and executions with the configured key."
  }

  assert {
    condition = alltrue([
      for group in [
        aws_cloudwatch_log_group.continue_as_new_workflow_logs,
        aws_cloudwatch_log_group.continue_as_new_work_logs,
        aws_cloudwatch_log_group.drain_batch_state_machine_logs,
        aws_cloudwatch_log_group.rds_snapshot_create_logs,
      ] : group.kms_key_id == var.key
      ]) && alltrue([
      for fn in [
        aws_lambda_function.continue_as_new_work_function,
        aws_lambda_function.drain_work_function,
        aws_lambda_function.rds_snapshot_retention_function,
      ] : fn.kms_key_arn == var.key
    ]) && aws_sns_topic.alerts_topic.kms_master_key_id == var.key
    error_message = "Log groups, functions and the alert topic must use the configured key."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.drain_workflow_execution_policy.policy).Statement : s if startswith(s.Sid, "UseStackKey")
      ]) == {
      Sid       = "UseStackKeyForOwnStateMachines"
      Effect    = "Allow"
      Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = [var.key]
      Condition = { StringEquals = { "kms:EncryptionContext:aws:states:stateMachineArn" = [format(var.arn_prefix, "states", "stateMachine:long-running-drain"), format(var.arn_prefix, "states", "stateMachine:long-running-drain-batch")] } }
    }
    error_message = "A job's role may use the key only for its own state machine and its batch machine."
  }
}

run "express_batches_run_only_the_work" {
  command = apply

  assert {
    condition     = aws_sfn_state_machine.drain_batch_state_machine_state_machine.type == "EXPRESS" && aws_sfn_state_machine.drain_workflow_state_machine.type == "STANDARD"
    error_message = "An Express job's batches run on an EXPRESS machine, started by its STANDARD job machine."
  }

  assert {
    condition = [
      for state in values(jsondecode(aws_sfn_state_machine.drain_workflow_state_machine.definition).States) :
      state.Parameters.StateMachineArn if try(state.Resource, "") == "arn:aws:states:::states:startExecution.sync:2"
    ] == [format(var.arn_prefix, "states", "stateMachine:${aws_sfn_state_machine.drain_batch_state_machine_state_machine.name}")]
    error_message = "The job machine runs its own batch machine, and only that, through startExecution.sync:2."
  }

  assert {
    condition = toset([
      for state in values(jsondecode(aws_sfn_state_machine.drain_batch_state_machine_state_machine.definition).States) :
      state.Resource if strcontains(try(state.Resource, ""), ":function:")
    ]) == toset([format(var.arn_prefix, "lambda", "function:${aws_lambda_function.drain_work_function.function_name}")])
    error_message = "A batch calls only its job's work function."
  }

  assert {
    condition = strcontains(aws_iam_role_policy.drain_workflow_execution_policy.policy, format(var.arn_prefix, "lambda", "function:${aws_lambda_function.drain_work_function.function_name}"))
    error_message = "The job machine's role keeps invoking the work its batches call: an execution started before the switch to express still calls it."
  }

  assert {
    condition = toset([
      for state in values(jsondecode(aws_sfn_state_machine.drain_workflow_state_machine.definition).States) :
      state.Resource if strcontains(try(state.Resource, ""), ":function:")
    ]) == toset([for fn in [aws_lambda_function.drain_check_input_function, aws_lambda_function.drain_work_function] : format(var.arn_prefix, "lambda", "function:${fn.function_name}")])
    error_message = "The job machine calls the work itself only in WorkAgain, the call a batch gave up on, besides its check-input."
  }

  assert {
    condition = aws_sfn_state_machine.continue_as_new_batch_state_machine_state_machine.type == "EXPRESS" && length([
      for state in values(jsondecode(aws_sfn_state_machine.continue_as_new_workflow_state_machine.definition).States) :
      state if try(state.Resource, "") == "arn:aws:states:::states:startExecution.sync:2"
      ]) == 0 && toset([
      for state in values(jsondecode(aws_sfn_state_machine.continue_as_new_batch_state_machine_state_machine.definition).States) :
      state.Resource if strcontains(try(state.Resource, ""), ":function:")
    ]) == toset([format(var.arn_prefix, "lambda", "function:${aws_lambda_function.continue_as_new_work_function.function_name}")])
    error_message = "A Standard job keeps its batch machine, calling only its work, for executions started before a switch from express; its own definition starts none."
  }
}

run "failures_reach_the_topic" {
  command = apply

  assert {
    condition = jsondecode(aws_cloudwatch_event_rule.alerts_rule.event_pattern).detail == {
      status          = ["FAILED", "TIMED_OUT", "ABORTED"]
      stateMachineArn = [aws_sfn_state_machine.continue_as_new_workflow_state_machine.arn, aws_sfn_state_machine.drain_workflow_state_machine.arn, aws_sfn_state_machine.rds_snapshot_workflow_state_machine.arn]
    }
    error_message = "The rule must match failed, timed-out and aborted executions of every Standard state machine (an Express batch fails its job's), and nothing else."
  }

  assert {
    condition     = aws_cloudwatch_event_target.alerts_target.arn == aws_sns_topic.alerts_topic.arn && aws_cloudwatch_event_target.alerts_target.rule == aws_cloudwatch_event_rule.alerts_rule.name
    error_message = "The rule must send to the alerts topic."
  }

  assert {
    condition = jsondecode(aws_sns_topic_policy.alerts_policy.policy).Statement[0].Resource == aws_sns_topic.alerts_topic.arn && jsondecode(aws_sns_topic_policy.alerts_policy.policy).Statement[0].Condition == {
      ArnEquals = { "aws:SourceArn" = format(var.arn_prefix, "events", "rule/${aws_cloudwatch_event_rule.alerts_rule.name}") }
    }
    error_message = "Only this stack's rule may publish to the topic."
  }

  assert {
    condition     = aws_sns_topic_subscription.alerts_email.protocol == "email" && aws_sns_topic_subscription.alerts_email.endpoint == "ops@example.com"
    error_message = "The configured address must be subscribed by email."
  }
}

run "outputs_are_set" {
  command = apply

  assert {
    condition     = output.continue_as_new_state_machine_arn == aws_sfn_state_machine.continue_as_new_workflow_state_machine.arn && output.rds_snapshot_state_machine_arn == aws_sfn_state_machine.rds_snapshot_workflow_state_machine.arn && output.alert_topic_arn == aws_sns_topic.alerts_topic.arn
    error_message = "The ARN outputs must name the state machines and the alerts topic."
  }

  assert {
    condition     = jsondecode(output.continue_as_new_example_input) == {} && jsondecode(output.rds_snapshot_example_input) == { target = "orders-db" }
    error_message = "The example inputs must be ready to start each workflow."
  }
}
