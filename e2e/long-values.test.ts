// A record with a 300 KB user agent in the real workbench (browser mode, Debian Chromium): the timeline
// row shows the agent's start and its size, the details view likewise, and "Show all" loads the whole
// value through event:field, chunk by chunk, equal to what the record holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SKIP_WITHOUT_CHROMIUM as skip, keepScreenshot, serveInputs, withScreenshot } from './support.ts';

const AGENT = `Mozilla/5.0 (long-agent) ${'é0123456789'.repeat(30_000)}`.slice(0, 300_000);

function record(i: number, userAgent: string) {
  return {
    eventVersion: '1.08',
    eventID: `00000000-0000-4000-8000-00000000000${i}`,
    eventTime: `2025-03-10T12:00:0${i}Z`,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.66',
    userAgent,
    readOnly: false,
    recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333', userName: 'mallory', accessKeyId: 'AKIAEXAMPLEEXAMPLE01' },
  };
}

test('a long user agent shows its start and size, and Show all loads all of it', { skip }, async (t) => {
  const { server, browser, close } = await serveInputs('long', (dir) => {
    const file = join(dir, 'trail.json');
    writeFileSync(file, JSON.stringify({ Records: [record(1, 'aws-cli/2.15.0'), record(2, AGENT)] }));
    return [file];
  });
  t.after(close);
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(server.url);
  const size = `… (${Buffer.byteLength(AGENT).toLocaleString('en-US')} bytes)`;
  await withScreenshot(page, 'long-values', async () => {
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const row = timeline.getByRole('listbox', { name: 'Events' }).getByRole('option').filter({ hasText: size });
    await row.first().waitFor({ timeout: 30_000 });
    await row.first().click();
    const details = page.getByRole('region', { name: 'Details' });
    await details.getByText(size).first().waitFor();
    await details.getByRole('button', { name: /Show all of the user agent/ }).click();
    const full = details.getByLabel('Full user agent');
    await full.waitFor({ timeout: 30_000 });
    assert.equal(await full.innerText(), AGENT);
    await keepScreenshot(page, 'long-values');
  });
  await page.close();
});
