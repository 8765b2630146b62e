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
  let expected = 0;
  const served = await serveInputs('accounts', () => [join(gen, 'org')]);
  t.after(() => served.close());
  const { server, browser } = served;
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(server.url);
  await withScreenshot(page, 'accounts', async () => {
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByRole('checkbox', { name: 'Show read-only calls' }).check();
    const all = timeline.getByRole('status').getByText(/^[\d,]+ events$/);
    await all.waitFor({ timeout: 30_000 });
    const total = Number((await all.innerText()).replace(/\D/g, ''));
    const choice = timeline.getByRole('combobox', { name: 'Account' });
    assert.deepEqual((await choice.locator('option').allInnerTexts()).slice(1), [...population.accounts].sort());
    await choice.selectOption(member);
    const narrowed = timeline.getByRole('status').getByText(/^[\d,]+ events$/).filter({ hasNotText: (await all.innerText()) });
    await narrowed.waitFor();
    expected = Number((await narrowed.innerText()).replace(/\D/g, ''));
    assert.ok(expected > 0 && expected < total, `${expected} of ${total}`);
    assert.match(page.url(), new RegExp(`acct=${member}`));
    await keepScreenshot(page, 'accounts-one');
    await page.reload();
    await timeline.getByRole('status').getByText(`${expected.toLocaleString('en')} events`, { exact: true }).waitFor({ timeout: 30_000 });
    assert.equal(await timeline.getByRole('combobox', { name: 'Account' }).inputValue(), member);
  });
  await page.close();
  // Exactly the records the trail delivered under that account's prefix (AWSLogs/o-…/ACCOUNT/CloudTrail/…).
  assert.equal(expected, recordsUnder(join(gen, 'org'), member));
});

function recordsUnder(dir: string, account: string): number {
  let n = 0;
  for (const f of readdirSync(dir, { recursive: true }) as string[]) {
    if (!f.endsWith('.json.gz') || !f.split(sep).includes(account) || !f.split(sep).includes('CloudTrail')) continue;
    n += (JSON.parse(gunzipSync(readFileSync(join(dir, f))).toString()) as { Records: unknown[] }).Records.length;
  }
  return n;
}
