// End to end in browser mode, on an account of the bundled demo's size (too large to draw whole, too
// small for the overview): the workbench opens on a question, the most severe finding's actor with
// its neighbours, and lays those few nodes out on their own. With the whole account's cached places
// they stood on top of each other (the attacker's session under the instance it terminated).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startFixture, openApp, withScreenshot, type Fixture, SKIP_WITHOUT_CHROMIUM as skip } from './support.ts';
import { DEMO_OPTIONS } from '../tools/gen/demo-options.ts';

let f: Fixture;
before(async () => {
  if (skip) return;
  f = await startFixture({ ...DEMO_OPTIONS });
});
after(async () => {
  await f?.close();
});

test('the account opens on its most severe finding\'s actor, laid out apart from each other', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'opening-question', async () => {
    const graph = page.getByRole('region', { name: 'Graph' });
    const status = graph.getByRole('status').filter({ hasText: /Graph ready/ });
    await status.filter({ hasText: /· around .* · layout \d+ ms/ }).waitFor({ timeout: 30_000 });
    await page.locator('summary', { hasText: /^Export$/ }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'JSON', exact: true }).click()]);
    const json = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { nodes: { id: string; position: { x: number; y: number } }[] };
    const ids = json.nodes.map((n) => n.id);
    assert.ok(ids.includes(f.incident.openPort.sessionArn), `the session that opened the port among ${ids.join(', ')}`);
    assert.ok(ids.includes(f.incident.openPort.groupId), 'and the group it opened');
    let closest = Infinity;
    for (const a of json.nodes) {
      for (const b of json.nodes) if (a !== b) closest = Math.min(closest, Math.hypot(a.position.x - b.position.x, a.position.y - b.position.y));
    }
    assert.ok(closest >= 40, `no two of its ${json.nodes.length} nodes on top of each other (closest ${closest.toFixed(1)} apart)`);
  });
  await page.close();
});
