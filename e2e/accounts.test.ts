// An organisation trail in the real workbench (browser mode, Debian Chromium): choosing one account
// narrows the timeline to exactly that account's events, and the choice survives a reload (the URL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { generateAccount } from '../tools/gen/generate.ts';
import { SKIP_WITHOUT_CHROMIUM as skip, keepScreenshot, serveInputs, withScreenshot } from './support.ts';

test('one account of an organisation trail: its events only, kept across a reload', { skip }, async (t) => {
  const gen = mkdtempSync(join(tmpdir(), 'ts-e2e-org-gen-'));
  t.after(() => rmSync(gen, { recursive: true, force: true }));
  await generateAccount({ events: 1200, flows: 200, out: join(gen, 'org'), shape: { accounts: 3, config: false } });
  const population = (JSON.parse(readFileSync(join(gen, 'org', 'incident.json'), 'utf8')) as { population: { accounts: string[] } }).population;
  rmSync(join(gen, 'org', 'incident.json'));
  const member = population.accounts[1];
  // What the trail delivered: every account's records, and those under the member's prefix
  // (AWSLogs/o-…/ACCOUNT/CloudTrail/…). The counts are waited for exactly, so no count read
  // mid-load (before the read-only calls are shown, before the account applies) can pass.
  const total = population.accounts.reduce((n, a) => n + recordsUnder(join(gen, 'org'), a), 0);
  const expected = recordsUnder(join(gen, 'org'), member);
  assert.ok(expected > 0 && expected < total, `${expected} of ${total}`);
  const served = await serveInputs('accounts', () => [join(gen, 'org')]);
  t.after(() => served.close());
  const { server, browser } = served;
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(server.url);
  await withScreenshot(page, 'accounts', async () => {
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const count = (n: number) => timeline.getByRole('status').getByText(`${n.toLocaleString('en')} events`, { exact: true });
    await timeline.getByRole('checkbox', { name: 'Show read-only calls' }).check();
    await count(total).waitFor({ timeout: 30_000 });
    const choice = timeline.getByRole('combobox', { name: 'Account' });
    assert.deepEqual((await choice.locator('option').allInnerTexts()).slice(1), [...population.accounts].sort());
    await choice.selectOption(member);
    await count(expected).waitFor({ timeout: 30_000 });
    assert.match(page.url(), new RegExp(`acct=${member}`));
    await keepScreenshot(page, 'accounts-one');
    await page.reload();
    await count(expected).waitFor({ timeout: 30_000 });
    assert.equal(await timeline.getByRole('combobox', { name: 'Account' }).inputValue(), member);
  });
  await page.close();
});

function recordsUnder(dir: string, account: string): number {
  let n = 0;
  for (const f of readdirSync(dir, { recursive: true }) as string[]) {
    if (!f.endsWith('.json.gz') || !f.split(sep).includes(account) || !f.split(sep).includes('CloudTrail')) continue;
    n += (JSON.parse(gunzipSync(readFileSync(join(dir, f))).toString()) as { Records: unknown[] }).Records.length;
  }
  return n;
}
