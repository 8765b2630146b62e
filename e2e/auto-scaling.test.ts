// "Who terminated this instance?" when Auto Scaling did, in the real workbench (browser mode, Debian
// Chromium): the instance's History says the termination was Auto Scaling's, names its group and
// lists who changed the group before it; the group's name leads to the group's own History.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SKIP_WITHOUT_CHROMIUM as skip, keepScreenshot, searchFor, serveInputs, withScreenshot } from './support.ts';
import { GROUP, INSTANCE, asg, autoScaling, launch, terminate, user } from '../test-support/auto-scaling-records.ts';

test('an instance Auto Scaling terminated: History names the group and the person who set its capacity to zero', { skip }, async (t) => {
  const served = await serveInputs('auto-scaling', (dir) => {
    const trail = join(dir, 'trail.json');
    writeFileSync(trail, JSON.stringify({ Records: [
      asg('2024-06-01T10:00:00Z', 'CreateAutoScalingGroup', user('alice'), { minSize: 1, maxSize: 3, desiredCapacity: 1 }),
      launch('2024-06-01T10:01:00Z', INSTANCE, GROUP),
      asg('2024-06-01T12:00:30Z', 'UpdateAutoScalingGroup', user('mallory'), { minSize: 0, desiredCapacity: 0 }),
      terminate('2024-06-01T12:02:00Z', INSTANCE, autoScaling),
    ] }));
    return [trail];
  });
  t.after(() => served.close());
  const page = await served.browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(served.server.url);
  await withScreenshot(page, 'auto-scaling', async () => {
    await searchFor(page, INSTANCE);
    const history = page.getByRole('region', { name: 'History' });
    const termination = history.locator('li.history-item').filter({ hasText: 'TerminateInstances' });
    const cause = termination.getByRole('region', { name: 'Auto Scaling group' });
    await cause.waitFor({ timeout: 30_000 });
    assert.match(await cause.innerText(), new RegExp(`Made by Auto Scaling for the group ${GROUP}\\.`));
    const changes = await cause.getByRole('list', { name: 'Changes to the group' }).getByRole('listitem').allInnerTexts();
    assert.equal(changes.length, 2);
    assert.match(changes[0], /CreateAutoScalingGroup: desired capacity 1, min size 1, max size 3, by user\/alice/);
    assert.match(changes[1], /UpdateAutoScalingGroup: desired capacity 0, min size 0, by user\/mallory/);
    await keepScreenshot(page, 'auto-scaling-instance');

    await cause.getByRole('button', { name: GROUP }).click();
    await history.getByRole('heading', { name: `History: ${GROUP}` }).waitFor({ timeout: 30_000 });
    const groupChanges = await history.getByRole('list', { name: 'Changes' }).locator(':scope > li').allInnerTexts();
    assert.deepEqual(groupChanges.map((c) => c.split('\n')[0]), ['CreateAutoScalingGroup', 'UpdateAutoScalingGroup']);
    await keepScreenshot(page, 'auto-scaling-group');
  });
  await page.close();
});
