// An Auto Scaling group emptied by a person: a finding on the call that changed the group, since the
// terminations that follow name only Auto Scaling's role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { GROUP, INSTANCE, asg, autoScaling, launch, terminate, user } from '../../../../test-support/auto-scaling-records.ts';
import { findings } from './findings.ts';

test('a group set to zero, or deleted with its instances, is a finding on the person\'s call; other capacity changes are not', () => {
  const db = memoryCase();
  loadRecords(db, [
    asg('2024-06-01T10:00:00Z', 'CreateAutoScalingGroup', user('alice'), { minSize: 1, maxSize: 3, desiredCapacity: 1 }),
    launch('2024-06-01T10:01:00Z', INSTANCE, GROUP),
    asg('2024-06-01T11:00:00Z', 'SetDesiredCapacity', user('alice'), { desiredCapacity: 2 }),
    asg('2024-06-01T12:00:30Z', 'UpdateAutoScalingGroup', user('mallory'), { minSize: 0, desiredCapacity: 0 }),
    terminate('2024-06-01T12:02:00Z', INSTANCE, autoScaling),
    asg('2024-06-01T13:00:00Z', 'DeleteAutoScalingGroup', user('bob'), {}),
    asg('2024-06-01T14:00:00Z', 'DeleteAutoScalingGroup', user('mallory'), { forceDelete: true }),
  ]);
  const emptied = findings(db).findings.filter((f) => f.rule?.id === 'autoscaling-group-scaled-to-zero');
  assert.deepEqual(emptied.map((f) => [f.firstTime, f.severity, f.actor?.origin.label, f.title]), [
    ['2024-06-01T12:00:30.000Z', 'high', 'user/mallory', `Auto Scaling group emptied: ${GROUP} set to a desired capacity of 0 instances by user/mallory`],
    ['2024-06-01T14:00:00.000Z', 'high', 'user/mallory', `Auto Scaling group emptied: ${GROUP} deleted with its instances (forceDelete) by user/mallory`],
  ]);
  db.close();
});
