import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { assumeRolePolicy, policyDocument, type PolicyStatement, type SourceCondition } from './iam';
import { keyStatement, StackKey, stateMachineOf } from './stack-key';
import { ValidationError } from './validation-error';

export interface ServiceRoleProps {
  readonly roleName: string;
  /** The service principal that assumes the role, e.g. `lambda.amazonaws.com`. */
  readonly service: string;
  readonly statements: readonly PolicyStatement[];
  /** Limits the trust to calls on behalf of this account and, where the service names one, resource (confused-deputy protection). */
  readonly source: SourceCondition;
}

/** A role one AWS service assumes, with one inline least-privilege policy. */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  private readonly statements: PolicyStatement[];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    if (!/^[\w+=,.@-]{1,64}$/.test(props.roleName)) {
      throw new ValidationError(this, `roleName "${props.roleName}" must be 1-64 letters, digits or +=,.@_- characters`);
    }
    this.statements = [...props.statements];
    this.role = new IamRole(this, 'role', { name: props.roleName, assumeRolePolicy: assumeRolePolicy(props.service, props.source) });
    this.policy = new IamRolePolicy(this, 'policy', {
      role: this.role.name,
      name: 'least-privilege',
      policy: Lazy.stringValue({ produce: () => policyDocument(this.withKey(props)) }),
    });
  }

  /**
   * The statements, and with the stack's key the one statement using it: for the state machines
   * the role runs (a Step Functions role, its own) or calls (any `states:` action's resources).
   */
  private withKey(props: ServiceRoleProps): PolicyStatement[] {
    const kmsKeyArn = StackKey.of(this);
    if (kmsKeyArn === undefined) return this.statements;
    const runs = props.service === 'states.amazonaws.com' && props.source.sourceArn ? [props.source.sourceArn] : [];
    const calls = this.statements.filter((s) => s.Action.some((action) => action.startsWith('states:'))).flatMap((s) => s.Resource.map(stateMachineOf));
    const statement = keyStatement(kmsKeyArn, [...runs, ...calls].filter((arn): arn is string => arn !== undefined));
    return statement ? [...this.statements, statement] : this.statements;
  }

  /** Adds a statement to the role's policy (written at synth, after every addition). */
  addToPolicy(statement: PolicyStatement): void {
    if (this.statements.some((existing) => existing.Sid === statement.Sid)) {
      throw new ValidationError(this, `the policy already has a statement with Sid "${statement.Sid}"`);
    }
    this.statements.push(statement);
  }
}
