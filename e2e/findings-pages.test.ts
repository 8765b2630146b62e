// End to end in browser mode: a case with more findings than one page (600 users each stopping a
// trail, added to the generated account by a second ingest that stores the findings): the panel counts
// the whole list, shows the first page of incidents, and "More findings" loads the rest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFixture, openApp, withScreenshot, type Fixture, SKIP_WITHOUT_CHROMIUM } from './support.ts';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';

const skip = SKIP_WITHOUT_CHROMIUM;
const USERS = 600;
const A = '111122223333';
let f: Fixture;

before(async () => {
  if (skip) return;
  f = await startFixture();
  const records = Array.from({ length: USERS }, (_, i) => ({
    eventVersion: '1.09', eventID: `pages-${i}`, eventTime: new Date(Date.UTC(2025, 3, 1) + i * 60_000).toISOString(), eventSource: 'cloudtrail.amazonaws.com',
    eventName: 'StopLogging', awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.7', recipientAccountId: A, requestParameters: { name: `trail-${i}` },
    userIdentity: { type: 'IAMUser', principalId: `AIDAPAGES${String(i).padStart(11, '0')}`, arn: `arn:aws:iam::${A}:user/p${i}`, accountId: A, accessKeyId: `AKIAPAGES${String(i).padStart(11, '0')}`, userName: `p${i}` },
  }));
  const file = join(f.dir, 'stops.json');
  writeFileSync(file, JSON.stringify({ Records: records }));
  const db = openCase(f.casePath);
  try {
    await ingestPaths(db, [file]);
  } finally {
    db.close();
  }
});
after(async () => {
  await f?.close();
});

test('more findings than a page: the counts are the whole list, "More findings" loads the next page', { skip }, async () => {
  const page = await openApp(f);
  await withScreenshot(page, 'findings-pages', async () => {
    await page.getByRole('tab', { name: /^Findings/ }).click();
    const panel = page.getByRole('region', { name: 'Findings' });
    const more = panel.getByText(/^\d+ of \d+ loaded$/);
    await more.waitFor({ timeout: 30_000 });
    const [loaded, total] = (await more.textContent())!.match(/\d+/g)!.map(Number);
    assert.equal(loaded, 500, 'one page');
    assert.ok(total > USERS, `the whole list is counted (${total})`);
    const status = (await panel.getByRole('status').filter({ hasText: /incidents ·/ }).textContent()) ?? '';
    const high = Number(/(\d+) high/.exec(status)?.[1]);
    assert.ok(high >= USERS, `every stopped trail counts among the high findings (${status})`);
    const incidents = panel.getByRole('list', { name: 'Incidents' }).locator(':scope > li');
    await panel.getByRole('button', { name: /^Show all \d+ incidents/ }).click();
    const before = await incidents.count();
    await panel.getByRole('button', { name: 'More findings' }).click();
    await more.waitFor({ state: 'detached' });
    assert.ok((await incidents.count()) > before, 'the next page brought more incidents');
  });
});
