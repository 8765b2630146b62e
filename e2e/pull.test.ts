// End to end: "Pull from AWS" in browser mode. The fake AWS runs in this test; `trailscope serve`
// runs as its own process with the fake's endpoint, dummy keys and a temporary AWS config in its
// environment (exactly where the SDK's standard chain looks), and the dialog drives the pull.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, ROOT, ensureRendererBuilt, keepScreenshot, withScreenshot } from './support.ts';
import { openCase } from '../electron/core/db/open-case.ts';
import { buildFakeAccount } from '../electron/core/pull/fake-aws/account.ts';
import { startFakeAws, type FakeAws } from '../electron/core/pull/fake-aws/server.ts';

const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
// Inside LookupEvents' 90 days: the day before yesterday to yesterday, on hour boundaries.
const UNTIL = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 86_400_000);
const SINCE = new Date(UNTIL.getTime() - 86_400_000);
const REGIONS = ['us-east-1', 'eu-west-1'];
const EVENTS = 60;
const FLOWS = 40;
const SECRET = 'e2eDialogSecretKey0000000000000000000000';

let dir: string;
let aws: FakeAws;
let serve: ChildProcess;
let url: string;
let browser: Browser;

before(async () => {
  if (skip) return;
  ensureRendererBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ts-e2e-pull-'));
  aws = await startFakeAws(buildFakeAccount({ start: SINCE, end: UNTIL, eventsPerRegion: EVENTS, flowsPerRegion: FLOWS, regions: REGIONS }));
  writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-1\n\n[profile incident-readonly]\nregion = eu-west-1\n');
  writeFileSync(join(dir, 'credentials'), `[incident-readonly]\naws_access_key_id = AKIAE2EDIALOGTEST001\naws_secret_access_key = ${SECRET}\n`);
  const casePath = join(dir, 'pulled.case');
  openCase(casePath).close();
  serve = spawn(process.execPath, [join(ROOT, 'bin/trailscope.js'), 'serve', '--case', casePath, '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: aws.url,
      AWS_ACCESS_KEY_ID: 'AKIAE2EENVIRONMENT01',
      AWS_SECRET_ACCESS_KEY: 'e2eEnvironmentSecret00000000000000000000',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_PROFILE: '',
      AWS_REGION: 'us-east-1',
    },
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    serve.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    serve.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    serve.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err.slice(-2000)}`)));
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
});

after(async () => {
  await browser?.close();
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGINT');
    await exited;
  }
  await aws?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openPullDialog(): Promise<{ page: Page; dialog: ReturnType<Page['getByRole']> }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(url);
  await page.getByRole('button', { name: 'Pull from AWS…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pull from AWS' });
  await dialog.waitFor();
  return { page, dialog };
}

async function fillWindow(dialog: ReturnType<Page['getByRole']>, what: string[]): Promise<void> {
  await dialog.getByRole('combobox', { name: 'Profile' }).selectOption('incident-readonly');
  await dialog.getByRole('checkbox', { name: 'eu-west-1' }).check();
  await dialog.getByLabel(/^Since/).fill(SINCE.toISOString());
  await dialog.getByLabel(/^Until/).fill(UNTIL.toISOString());
  for (const [name, key] of [['CloudTrail events', 'cloudtrail'], ['VPC flow logs', 'flows'], ['Configuration (EC2, IAM)', 'config']]) {
    await dialog.getByRole('checkbox', { name }).setChecked(what.includes(key));
  }
}

test('pull an account through the dialog: profiles listed, events and flows counted, every collector done', { skip }, async () => {
  const { page, dialog } = await openPullDialog();
  await withScreenshot(page, 'pull-full', async () => {
    const profiles = await dialog.getByRole('combobox', { name: 'Profile' }).getByRole('option').allInnerTexts();
    assert.deepEqual(profiles, ['default', 'incident-readonly']);
    await fillWindow(dialog, ['cloudtrail', 'flows', 'config']);
    await dialog.getByRole('button', { name: 'Start pull' }).click();
    const status = dialog.getByRole('status');
    await status.getByText(/^Pull finished:/).waitFor({ timeout: 60_000 });
    const text = await status.innerText();
    assert.match(text, new RegExp(`${EVENTS * REGIONS.length} events, ${FLOWS * REGIONS.length} flow records from account 111122223333`));
    const table = dialog.getByRole('table', { name: 'Collectors' });
    const rows = table.getByRole('row');
    const statuses = await rows.evaluateAll((trs) => trs.slice(1).map((tr) => `${tr.children[0].textContent} ${tr.children[1].textContent} ${tr.children[2].textContent}`));
    assert.ok(statuses.length >= 10, statuses.join('\n'));
    assert.deepEqual(statuses.filter((s) => !s.endsWith(' done')), []);
    const lookup = rows.filter({ hasText: 'cloudtrail:lookup-events' }).filter({ hasText: 'eu-west-1' });
    assert.equal(await lookup.getByRole('cell').nth(3).innerText(), String(EVENTS));
    assert.ok(!(await page.content()).includes(SECRET), 'no secret in the page');
    await keepScreenshot(page, 'pull-full');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByText(new RegExp(`${EVENTS * REGIONS.length} events · ${FLOWS * REGIONS.length} flow records`)).waitFor({ timeout: 10_000 });
  });
  await page.close();
});

test('one collector denied: the dialog names the permission it needs while the rest complete', { skip }, async () => {
  aws.denied.add('ec2:DescribeInstances');
  const { page, dialog } = await openPullDialog();
  try {
    await withScreenshot(page, 'pull-denied', async () => {
      await fillWindow(dialog, ['cloudtrail', 'config']);
      await dialog.getByRole('button', { name: 'Start pull' }).click();
      await dialog.getByRole('status').getByText(/^Pull finished with problems/).waitFor({ timeout: 60_000 });
      const rows = dialog.getByRole('table', { name: 'Collectors' }).getByRole('row');
      const denied = rows.filter({ hasText: 'config:describe-instances' });
      assert.equal(await denied.count(), 2);
      for (const region of REGIONS) {
        const row = denied.filter({ hasText: region });
        assert.equal(await row.getByRole('cell').nth(2).innerText(), 'denied');
        assert.equal(await row.getByRole('cell').nth(4).innerText(), 'Needs permission ec2:DescribeInstances');
      }
      const others = await rows.evaluateAll((trs) => trs.slice(1).map((tr) => `${tr.children[0].textContent} ${tr.children[2].textContent}`));
      assert.deepEqual(others.filter((s) => !s.endsWith(' done') && !s.startsWith('config:describe-instances')), []);
      assert.ok(others.filter((s) => s.endsWith(' done')).length >= 8, others.join('\n'));
      await keepScreenshot(page, 'pull-denied');
    });
  } finally {
    aws.denied.delete('ec2:DescribeInstances');
    await page.close();
  }
});

test('Cancel stops a pull held up by a request that never answers', { skip }, async () => {
  aws.addFault({ kind: 'slow', operation: 'DescribeVpcs', delayMs: 120_000 });
  const { page, dialog } = await openPullDialog();
  try {
    await withScreenshot(page, 'pull-cancel', async () => {
      await fillWindow(dialog, ['config']);
      await dialog.getByRole('button', { name: 'Start pull' }).click();
      const rows = dialog.getByRole('table', { name: 'Collectors' }).getByRole('row');
      await rows.filter({ hasText: 'config:get-account-authorization-details' }).filter({ hasText: 'done' }).waitFor({ timeout: 30_000 });
      await dialog.getByRole('button', { name: 'Cancel pull' }).click();
      await dialog.getByRole('status').getByText(/^Pull cancelled/).waitFor({ timeout: 10_000 });
      const asked = aws.requests.length;
      const stalled = rows.filter({ hasText: 'config:describe-vpcs' });
      assert.equal(await stalled.first().getByRole('cell').nth(2).innerText(), 'cancelled');
      await page.waitForTimeout(1000);
      assert.equal(aws.requests.length, asked, 'nothing asked of AWS after the cancel');
      assert.equal(await dialog.getByRole('button', { name: 'Start pull' }).isEnabled(), true);
      await keepScreenshot(page, 'pull-cancel');
    });
  } finally {
    aws.faults.clear();
    await page.close();
  }
});
