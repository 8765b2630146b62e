// `trailscope who-changed` on an instance Auto Scaling terminated: the termination is the service's,
// and the text names the group and the person who changed it before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../../core/db/open-case.ts';
import { loadRecords } from '../../../test-support/case-fixtures.ts';
import { GROUP, GROUP_ID, INSTANCE, asg, autoScaling, launch, terminate, user } from '../../../test-support/auto-scaling-records.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';

test('who-changed of a scaled-in instance names its group and who set the group\'s capacity to zero', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-scaling-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const casePath = join(dir, 'c.case');
  const db = openCase(casePath);
  loadRecords(db, [
    asg('2024-06-01T10:00:00Z', 'CreateAutoScalingGroup', user('alice'), { minSize: 1, maxSize: 3, desiredCapacity: 1 }),
    launch('2024-06-01T10:01:00Z', INSTANCE, GROUP),
    asg('2024-06-01T12:00:30Z', 'UpdateAutoScalingGroup', user('mallory'), { minSize: 0, desiredCapacity: 0 }),
    terminate('2024-06-01T12:02:00Z', INSTANCE, autoScaling),
  ]);
  db.close();
  const { code, out } = await runTrailscope(['who-changed', '--case', casePath, INSTANCE]);
  assert.equal(code, 0);
  const termination = out.slice(out.indexOf('TerminateInstances'));
  assert.match(termination, new RegExp(`scaling: made by Auto Scaling for group ${GROUP} \\(${GROUP_ID}\\); its latest changes up to then:`));
  assert.match(termination, /2024-06-01T12:00:30\.000Z {2}UpdateAutoScalingGroup: desired capacity 0, min size 0, by arn:aws:iam::111122223333:user\/mallory → user\/mallory/);
});
