/**
 * Builds ARNs from partition, region, account and names. The IAM policies, the function
 * environment and the rendered definitions all take their ARNs from here, so a policy and the
 * resource it names cannot drift apart, and nothing waits on another resource's apply-time ARN.
 */
export class Arns {
  constructor(
    readonly partition: string,
    readonly region: string,
    readonly accountId: string,
  ) {}

  private arn(service: string, resource: string, region = this.region): string {
    return `arn:${this.partition}:${service}:${region}:${this.accountId}:${resource}`;
  }

  lambdaFunction(name: string): string {
    return this.arn('lambda', `function:${name}`);
  }

  stateMachine(name: string): string {
    return this.arn('states', `stateMachine:${name}`);
  }

  executions(stateMachineName: string): string {
    return this.arn('states', `execution:${stateMachineName}:*`);
  }

  /** An Express state machine's executions, whose ARNs read `express:<name>:<execution>:<id>`. */
  expressExecutions(stateMachineName: string): string {
    return this.arn('states', `express:${stateMachineName}:*`);
  }

  logGroup(name: string): string {
    return this.arn('logs', `log-group:${name}`);
  }

  logStreams(logGroupName: string): string {
    return `${this.logGroup(logGroupName)}:log-stream:*`;
  }

  /** A DB instance (`db:`) or an Aurora DB cluster (`cluster:`). */
  rds(resourceType: 'db' | 'cluster', identifier: string): string {
    return this.arn('rds', `${resourceType}:${identifier}`);
  }

  /** Snapshots (`snapshot:`) or cluster snapshots (`cluster-snapshot:`) whose identifier starts with the prefix. */
  rdsSnapshots(identifierPrefix: string, kind: 'snapshot' | 'cluster-snapshot' = 'snapshot'): string {
    return this.arn('rds', `${kind}:${identifierPrefix}*`);
  }

  scheduleGroup(name: string): string {
    return this.arn('scheduler', `schedule-group/${name}`);
  }

  snsTopic(name: string): string {
    return this.arn('sns', name);
  }

  eventRule(name: string): string {
    return this.arn('events', `rule/${name}`);
  }
}
