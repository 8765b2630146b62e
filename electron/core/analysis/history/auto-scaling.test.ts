// "Who terminated this instance?" when Auto Scaling did: the termination names its service-linked
// role, so who-changed names the group that launched the instance and the group's changes before
// the termination, where the person is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { whoChanged } from './who-changed.ts';
import { GROUP_CHANGES_LISTED, madeByAutoScaling } from './auto-scaling.ts';
import { GROUP, GROUP_ID, INSTANCE, asg, autoScaling, launch, rec, terminate, user } from '../../../../test-support/auto-scaling-records.ts';

test('an instance Auto Scaling terminated names its group and who changed the group before it', () => {
  const db = memoryCase();
  loadRecords(db, [
    asg('2024-06-01T10:00:00Z', 'CreateAutoScalingGroup', user('alice'), { minSize: 1, maxSize: 3, desiredCapacity: 1 }),
    launch('2024-06-01T10:01:00Z', INSTANCE, GROUP),
    asg('2024-06-01T12:00:00Z', 'DescribeAutoScalingGroups', user('bob'), {}),
    asg('2024-06-01T12:00:30Z', 'UpdateAutoScalingGroup', user('mallory'), { minSize: 0, desiredCapacity: 0 }),
    terminate('2024-06-01T12:02:00Z', INSTANCE, autoScaling),
    asg('2024-06-01T13:00:00Z', 'UpdateAutoScalingGroup', user('mallory'), { minSize: 1, desiredCapacity: 1 }),
  ]);
  const r = whoChanged(db, INSTANCE);
  assert.deepEqual(r.items.map((i) => [i.eventName, i.touch, i.actor.arn]), [
    ['RunInstances', 'created', autoScaling.arn],
    ['TerminateInstances', 'deleted', autoScaling.arn],
  ]);
  const [launched, terminated] = r.items;
  assert.deepEqual(terminated.autoScaling?.group, { id: GROUP_ID, name: GROUP });
  assert.deepEqual(terminated.autoScaling?.changes.map((c) => [c.eventTime, c.eventName, c.actor.origin.label]), [
    ['2024-06-01T10:00:00.000Z', 'CreateAutoScalingGroup', 'user/alice'],
    ['2024-06-01T12:00:30.000Z', 'UpdateAutoScalingGroup', 'user/mallory'],
  ], 'the group\'s changes up to the termination, earliest first: not the read, not the change after');
  assert.equal(terminated.autoScaling?.changes[1].change.summary, 'UpdateAutoScalingGroup: desired capacity 0, min size 0', 'what the person set');
  assert.equal(terminated.autoScaling?.more, false);
  assert.deepEqual(launched.autoScaling?.changes.map((c) => c.eventName), ['CreateAutoScalingGroup'], 'the launch: the group as it was then');

  // The group is a resource of its own: its history, by its id or its name.
  assert.deepEqual(whoChanged(db, GROUP).items.map((i) => [i.eventName, i.actor.origin.label]), [
    ['CreateAutoScalingGroup', 'user/alice'], ['UpdateAutoScalingGroup', 'user/mallory'], ['UpdateAutoScalingGroup', 'user/mallory']]);
  assert.equal(whoChanged(db, GROUP).resource.id, GROUP_ID);
  db.close();
});

test('a termination by a person has no Auto Scaling cause; Auto Scaling\'s with no launch in the case names no group', () => {
  const db = memoryCase();
  const other = 'i-0f1e2d3c4b5a69788';
  loadRecords(db, [terminate('2024-06-01T12:02:00Z', INSTANCE, user('mallory')), terminate('2024-06-01T12:03:00Z', other, autoScaling)]);
  assert.equal(whoChanged(db, INSTANCE).items[0].autoScaling, undefined);
  assert.deepEqual(whoChanged(db, other).items[0].autoScaling, { group: null, changes: [], more: false });
  db.close();
});

test('a termination asked of the group is the person\'s change to the instance, and ties it to its group', () => {
  const db = memoryCase();
  loadRecords(db, [
    rec('2024-06-01T12:00:00Z', 'autoscaling.amazonaws.com', 'TerminateInstanceInAutoScalingGroup', user('mallory'),
      { instanceId: INSTANCE, shouldDecrementDesiredCapacity: true },
      { activity: { activityId: 'a1', autoScalingGroupName: GROUP, description: `Terminating EC2 instance: ${INSTANCE}`, statusCode: 'InProgress' } }),
    terminate('2024-06-01T12:00:05Z', INSTANCE, autoScaling),
  ]);
  const r = whoChanged(db, INSTANCE);
  assert.deepEqual(r.items.map((i) => [i.eventName, i.actor.origin.label]), [
    ['TerminateInstanceInAutoScalingGroup', 'user/mallory'], ['TerminateInstances', autoScaling.arn.replace(/^arn:aws:sts::\d+:/, '')]]);
  assert.deepEqual(r.items[1].autoScaling?.group, { id: GROUP_ID, name: GROUP });
  assert.deepEqual(r.items[1].autoScaling?.changes.map((c) => [c.eventName, c.actor.origin.label]), [['TerminateInstanceInAutoScalingGroup', 'user/mallory']]);
  db.close();
});

test('a busy group lists its latest changes before the scaling and says there are more', () => {
  const db = memoryCase();
  const updates = Array.from({ length: GROUP_CHANGES_LISTED + 3 }, (_, i) =>
    asg(`2024-06-01T11:${String(10 + i).padStart(2, '0')}:00Z`, 'SetDesiredCapacity', user(i % 2 ? 'alice' : 'carol'), { desiredCapacity: i }));
  loadRecords(db, [launch('2024-06-01T10:01:00Z', INSTANCE, GROUP), ...updates, terminate('2024-06-01T12:02:00Z', INSTANCE, autoScaling)]);
  const cause = whoChanged(db, INSTANCE).items[1].autoScaling!;
  assert.equal(cause.more, true);
  assert.deepEqual(cause.changes.map((c) => c.eventTime), updates.slice(-GROUP_CHANGES_LISTED).map((u) => new Date(u.eventTime).toISOString()));
  db.close();
});

test('Auto Scaling is known by its role\'s session (a custom suffix too), by what invoked the call, or by where it came from', () => {
  const session = (role: string) => `arn:aws:sts::111122223333:assumed-role/${role}/AutoScaling`;
  assert.equal(madeByAutoScaling(session('AWSServiceRoleForAutoScaling'), null, null), true);
  assert.equal(madeByAutoScaling(session('AWSServiceRoleForAutoScaling_web'), null, null), true);
  assert.equal(madeByAutoScaling(null, 'autoscaling.amazonaws.com', null), true);
  assert.equal(madeByAutoScaling(null, null, 'autoscaling.amazonaws.com'), true);
  assert.equal(madeByAutoScaling(session('AWSServiceRoleForAutoScalingX'), null, '203.0.113.9'), false);
  assert.equal(madeByAutoScaling(session('ops'), 'cloudformation.amazonaws.com', null), false);
});
