import * as sdk from '@aws-sdk/client-rds';
import { RDS_KINDS, snapshotTagConditionKey } from '../../../lambdas/rds-snapshot/rds-kinds';
import { TARGET_TYPES } from '../../../lambdas/rds-snapshot/snapshot-naming';

describe('the instance/cluster table names what the SDK names', () => {
  test.each(TARGET_TYPES)("%s: every API is one of the SDK's commands", (type) => {
    for (const api of Object.values(RDS_KINDS[type].api)) expect(sdk[`${api}Command`]).toBeDefined();
  });

  test.each(TARGET_TYPES)("%s: every fault is the name of the SDK's exception class", (type) => {
    for (const fault of Object.values(RDS_KINDS[type].faults)) expect(new sdk[fault]({ message: 'x', $metadata: {} }).name).toBe(fault);
  });

  test('the tag condition key follows the snapshot resource type', () => {
    expect(snapshotTagConditionKey('instance', 'workflow:created-by')).toBe('rds:snapshot-tag/workflow:created-by');
    expect(snapshotTagConditionKey('cluster', 'workflow:created-by')).toBe('rds:cluster-snapshot-tag/workflow:created-by');
  });
});
