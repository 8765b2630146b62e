// What each Auto Scaling call touches: the group by account, region and name, and the instances it
// takes in, lets go of or is told to end; the group an instance was launched into, from Auto Scaling's
// tag. Values from a record are data: an empty name or a missing region names no group.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeCloudTrailRecord } from '../normalize-cloudtrail.ts';
import { A, GROUP, GROUP_ID, INSTANCE, asg, autoScaling, launch, rec, user } from '../../../../../test-support/auto-scaling-records.ts';

function touched(record: object): Record<string, string> {
  const r = normalizeCloudTrailRecord(record);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return Object.fromEntries(r.value.resources.map((t) => [t.id, `${t.type}:${t.touch}`]));
}

const OTHER = 'i-0f1e2d3c4b5a69788';

test('calls on a group: created, changed, read, deleted; instances attached, detached, protected', () => {
  const alice = user('alice');
  assert.deepEqual(touched(asg('2024-06-01T10:00:00Z', 'CreateAutoScalingGroup', alice, { minSize: 1 })), { [GROUP_ID]: 'autoscaling-group:created' });
  for (const name of ['UpdateAutoScalingGroup', 'SetDesiredCapacity', 'PutScalingPolicy', 'PutScheduledUpdateGroupAction', 'SuspendProcesses', 'StartInstanceRefresh']) {
    assert.deepEqual(touched(asg('2024-06-01T10:00:00Z', name, alice, {})), { [GROUP_ID]: 'autoscaling-group:modified' }, name);
  }
  assert.deepEqual(touched(asg('2024-06-01T10:00:00Z', 'DeleteAutoScalingGroup', alice, { forceDelete: true })), { [GROUP_ID]: 'autoscaling-group:deleted' });
  assert.deepEqual(touched(rec('2024-06-01T10:00:00Z', 'autoscaling.amazonaws.com', 'DescribeAutoScalingGroups', alice, { autoScalingGroupNames: [GROUP, 'batch'] })),
    { [GROUP_ID]: 'autoscaling-group:read', [`autoscaling-group/${A}/eu-west-1/batch`]: 'autoscaling-group:read' });
  assert.deepEqual(touched(asg('2024-06-01T10:00:00Z', 'AttachInstances', alice, { instanceIds: [INSTANCE, OTHER] })),
    { [GROUP_ID]: 'autoscaling-group:modified', [INSTANCE]: 'instance:attached', [OTHER]: 'instance:attached' });
  assert.deepEqual(touched(asg('2024-06-01T10:00:00Z', 'DetachInstances', alice, { instanceIds: [INSTANCE], shouldDecrementDesiredCapacity: true })),
    { [GROUP_ID]: 'autoscaling-group:modified', [INSTANCE]: 'instance:detached' });
  assert.deepEqual(touched(asg('2024-06-01T10:00:00Z', 'SetInstanceProtection', alice, { instanceIds: [INSTANCE], protectedFromScaleIn: true })),
    { [GROUP_ID]: 'autoscaling-group:modified', [INSTANCE]: 'instance:modified' });
  assert.deepEqual(touched(rec('2024-06-01T10:00:00Z', 'autoscaling.amazonaws.com', 'CreateOrUpdateTags', alice,
    { tags: [{ resourceId: GROUP, resourceType: 'auto-scaling-group', key: 'env', value: 'prod', propagateAtLaunch: true }] })), { [GROUP_ID]: 'autoscaling-group:modified' });
});

test('an instance launched by Auto Scaling leads to its group; an empty name or a missing region names none', () => {
  assert.deepEqual(touched(launch('2024-06-01T10:01:00Z', INSTANCE, GROUP)),
    { [INSTANCE]: 'instance:created', 'ami-0abc1234def567890': 'image:used', [GROUP_ID]: 'autoscaling-group:used' });
  assert.deepEqual(touched(launch('2024-06-01T10:01:00Z', INSTANCE, '')), { [INSTANCE]: 'instance:created', 'ami-0abc1234def567890': 'image:used' });
  const noRegion = { ...asg('2024-06-01T10:00:00Z', 'UpdateAutoScalingGroup', autoScaling, {}), awsRegion: undefined };
  assert.deepEqual(touched(noRegion), {});
});
