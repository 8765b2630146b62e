// A record with a 300 KB user agent in the real workbench (browser mode, Debian Chromium): the timeline
// row shows the agent's start and its size, the details view likewise, and "Show all" loads the whole
// value through event:field, chunk by chunk, equal to what the record holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { CHROMIUM, ROOT, SKIP_WITHOUT_CHROMIUM as skip, ensureRendererBuilt, keepScreenshot, withScreenshot, BROWSER_ARGS } from './support.ts';
import { openCase } from '../electron/core/db/open-case.ts';
import { ingestPaths } from '../electron/core/ingest/pipeline.ts';
import { openWorkbench } from '../electron/core/api/open-workbench.ts';
import { startServer } from '../electron/server/http-server.ts';

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
  ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'ts-e2e-long-'));
  const file = join(dir, 'trail.json');
  writeFileSync(file, JSON.stringify({ Records: [record(1, 'aws-cli/2.15.0'), record(2, AGENT)] }));
  const casePath = join(dir, 'long.case');
  const db = openCase(casePath);
  await ingestPaths(db, [file]);
  db.close();
  const workbench = openWorkbench(casePath);
  const server = await startServer({ dispatch: workbench.dispatch, staticDir: join(ROOT, 'dist/renderer') });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
  t.after(async () => {
    await browser.close();
    await server.close();
    await workbench.close();
    rmSync(dir, { recursive: true, force: true });
  });
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
