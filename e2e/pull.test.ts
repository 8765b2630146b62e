// End to end: "Pull from AWS" in browser mode. The fake AWS runs in this test; `trailscope serve`
// runs as its own process with the fake's endpoint, dummy keys and a temporary AWS config in its
// environment (exactly where the SDK's standard chain looks), and the dialog drives the pull.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, ROOT, ensureRendererBuilt, keepScreenshot, withScreenshot, SKIP_WITHOUT_CHROMIUM, BROWSER_ARGS } from './support.ts';
import { openCase } from '../electron/core/db/open-case.ts';
import { buildFakeAccount } from '../test-support/fake-aws/account.ts';
import { startFakeAws, type FakeAws } from '../test-support/fake-aws/server.ts';

const skip = SKIP_WITHOUT_CHROMIUM;
// Inside LookupEvents' 90 days: the day before yesterday to yesterday, on hour boundaries.
const UNTIL = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 86_400_000);
const SINCE = new Date(UNTIL.getTime() - 86_400_000);
const REGIONS = ['us-east-1', 'eu-west-1'];
const EVENTS = 60;
const FLOWS = 40;
const SECRET = 'e2eDialogSecretKey0000000000000000000000';

let dir: string;
let aws: FakeAws;
let url: string;
let browser: Browser;
const serves: ChildProcess[] = [];

/** `trailscope serve` on a case, as its own process with the fake's endpoint and AWS files in its environment. */
async function startServe(casePath: string): Promise<{ proc: ChildProcess; url: string }> {
  openCase(casePath).close();
  const proc = spawn(process.execPath, [join(ROOT, 'bin/trailscope.js'), 'serve', '--case', casePath, '--port', '0'], {
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
  serves.push(proc);
  const at = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err.slice(-2000)}`)));
  });
  return { proc, url: at };
}

before(async () => {
  if (skip) return;
  ensureRendererBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ts-e2e-pull-'));
  aws = await startFakeAws(buildFakeAccount({ start: SINCE, end: UNTIL, eventsPerRegion: EVENTS, flowsPerRegion: FLOWS, regions: REGIONS }));
  // [default] has a region but no keys: choosing it shows the "no credentials" message.
  writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-1\n\n[profile incident-readonly]\nregion = eu-west-1\n');
  writeFileSync(join(dir, 'credentials'), `[incident-readonly]\naws_access_key_id = AKIAE2EDIALOGTEST001\naws_secret_access_key = ${SECRET}\n`);
  ({ url } = await startServe(join(dir, 'pulled.case')));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
});

after(async () => {
  await browser?.close();
  for (const proc of serves) {
    if (proc.exitCode !== null) continue;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGINT');
    await exited;
  }
  await aws?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Dialog = ReturnType<Page['getByRole']>;

async function openPullDialog(at = url): Promise<{ page: Page; dialog: Dialog }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(at);
  await page.getByRole('button', { name: 'Pull from AWS…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pull from AWS' });
  await dialog.waitFor();
  return { page, dialog };
}

/** Chooses a profile and waits for "Check account" to show the fake's account. */
async function chooseProfile(dialog: Dialog, profile: string): Promise<void> {
  await dialog.getByRole('combobox', { name: 'Profile' }).selectOption(profile);
  await dialog.getByRole('region', { name: 'Account' }).getByText(`Account ${aws.account.accountId} as ${aws.account.callerArn}`).waitFor({ timeout: 20_000 });
}

async function fillWindow(dialog: Dialog, what: string[]): Promise<void> {
  await chooseProfile(dialog, 'incident-readonly');
  await dialog.getByRole('checkbox', { name: 'eu-west-1' }).check();
  await dialog.getByLabel(/^Since/).fill(SINCE.toISOString());
  await dialog.getByLabel(/^Until/).fill(UNTIL.toISOString());
  for (const [name, key] of [['CloudTrail events', 'cloudtrail'], ['VPC flow logs', 'flows'], ['Configuration (EC2, IAM)', 'config']]) {
    await dialog.getByRole('checkbox', { name }).setChecked(what.includes(key));
  }
}

test('Check account: the account STS gives is shown before Start is enabled, and a profile without keys says so', { skip }, async () => {
  // Hold the first GetCallerIdentity so the dialog's state while it checks can be seen.
  aws.addFault({ kind: 'slow', operation: 'GetCallerIdentity', delayMs: 1500, times: 1 });
  const asked = aws.requests.length;
  const { page, dialog } = await openPullDialog();
  try {
    await withScreenshot(page, 'pull-check', async () => {
      const account = dialog.getByRole('region', { name: 'Account' });
      const start = dialog.getByRole('button', { name: 'Start pull' });
      // The default chain is chosen on open and checked at once (environment keys in the serve process).
      await account.getByText('Checking which account the default chain signs in to…').waitFor();
      assert.equal(await start.isEnabled(), false, 'Start waits for the account');
      await keepScreenshot(page, 'pull-check-checking');
      await account.getByText(`Account ${aws.account.accountId} as ${aws.account.callerArn}`).waitFor({ timeout: 20_000 });
      assert.equal(await start.isEnabled(), true);
      await keepScreenshot(page, 'pull-check-account');
      // [default] has no keys: the message names it, and Start is off again.
      await dialog.getByRole('combobox', { name: 'Profile' }).selectOption('default');
      const alert = account.getByRole('alert');
      await alert.waitFor({ timeout: 20_000 });
      assert.match(await alert.innerText(), /^No credentials found for profile "default"/);
      assert.equal(await start.isEnabled(), false);
      assert.equal(await account.getByText(/^Account \d{12}/).count(), 0, 'no account shown for a profile that has none');
      await keepScreenshot(page, 'pull-check-no-credentials');
      await chooseProfile(dialog, 'incident-readonly');
      assert.equal(await start.isEnabled(), true);
      const ops = aws.requests.slice(asked).map((r) => r.operation);
      assert.deepEqual([...new Set(ops)], ['GetCallerIdentity'], 'nothing but STS asked before Start');
      assert.ok(!(await page.content()).includes(SECRET), 'no secret in the page');
    });
  } finally {
    aws.faults.clear();
    await page.close();
  }
});

test('credentials STS refuses: a clear message naming the profile, no secret, Start stays off until a check succeeds', { skip }, async () => {
  aws.denied.add('sts:GetCallerIdentity');
  const { page, dialog } = await openPullDialog();
  try {
    await withScreenshot(page, 'pull-refused', async () => {
      const account = dialog.getByRole('region', { name: 'Account' });
      await dialog.getByRole('combobox', { name: 'Profile' }).selectOption('incident-readonly');
      const alert = account.getByRole('alert').filter({ hasText: 'incident-readonly' });
      await alert.waitFor({ timeout: 20_000 });
      assert.match(await alert.innerText(), /^AWS refused the credentials of profile "incident-readonly": .*\(AccessDenied: /);
      assert.equal(await dialog.getByRole('button', { name: 'Start pull' }).isEnabled(), false);
      const html = await page.content();
      assert.ok(!html.includes(SECRET) && !html.includes('AKIAE2EDIALOGTEST001'), 'no key or secret in the page');
      await keepScreenshot(page, 'pull-refused');
      aws.denied.delete('sts:GetCallerIdentity');
      await account.getByRole('button', { name: 'Check account' }).click();
      await account.getByText(`Account ${aws.account.accountId} as ${aws.account.callerArn}`).waitFor({ timeout: 20_000 });
      assert.equal(await account.getByRole('alert').count(), 0);
      assert.equal(await dialog.getByRole('button', { name: 'Start pull' }).isEnabled(), true);
    });
  } finally {
    aws.denied.delete('sts:GetCallerIdentity');
    await page.close();
  }
});

test('pull an account through the dialog: profiles listed, events and flows counted, every collector done', { skip }, async () => {
  const { page, dialog } = await openPullDialog();
  await withScreenshot(page, 'pull-full', async () => {
    // Profiles arrive on their own call, beside the default chain's check.
    await dialog.getByRole('option', { name: 'incident-readonly' }).waitFor({ state: 'attached' });
    const profiles = await dialog.getByRole('combobox', { name: 'Profile' }).getByRole('option').allInnerTexts();
    assert.deepEqual(profiles, ['Default chain (environment, AWS_PROFILE, default profile)', 'default', 'incident-readonly']);
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
    assert.equal(await lookup.getByRole('cell').nth(4).innerText(), '', 'nothing rejected');
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
        assert.equal(await row.getByRole('cell').nth(5).innerText(), 'Needs permission ec2:DescribeInstances');
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

test('an Athena slice through the dialog loads the scoped events into a fresh case', { skip }, async () => {
  // A case of its own, so every event the slice brings is new to it.
  const fresh = await startServe(join(dir, 'athena.case'));
  const eventNames = ['RunInstances', 'CreateAccessKey', 'AssumeRole'];
  const expected = [...aws.account.events.values()].flat().filter((e) => eventNames.includes(e.eventName)).length;
  assert.ok(expected > 0, 'the fake account has events of these names');
  const { page, dialog } = await openPullDialog(fresh.url);
  try {
    await withScreenshot(page, 'pull-athena', async () => {
      await fillWindow(dialog, []);
      await dialog.getByRole('checkbox', { name: 'Query a slice of the trail through Athena' }).check();
      await dialog.getByLabel('Database', { exact: true }).fill('cloudtrail');
      await dialog.getByLabel('Table', { exact: true }).fill('management_events');
      await dialog.getByLabel('Work group', { exact: true }).fill('primary');
      await dialog.getByLabel(/^Output location/).fill('s3://e2e-athena-results/trailscope/');
      await dialog.getByLabel('Event names', { exact: true }).fill(eventNames.join(', '));
      await keepScreenshot(page, 'pull-athena-form');
      const started = aws.requests.length;
      await dialog.getByRole('button', { name: 'Start pull' }).click();
      await dialog.getByRole('status').getByText(/^Pull finished:/).waitFor({ timeout: 60_000 });
      assert.match(await dialog.getByRole('status').innerText(), new RegExp(`^Pull finished: ${expected} events, 0 flow records from account ${aws.account.accountId}`));
      const rows = dialog.getByRole('table', { name: 'Collectors' }).getByRole('row');
      const cells = await rows.evaluateAll((trs) => trs.slice(1).map((tr) => [...tr.children].slice(0, 4).map((td) => td.textContent).join(' ')));
      assert.deepEqual(cells, [`cloudtrail:athena us-east-1 done ${expected}`]);
      const ops = new Set(aws.requests.slice(started).map((r) => r.operation));
      assert.ok(ops.has('StartQueryExecution') && ops.has('GetQueryResults'), [...ops].join(', '));
      assert.ok(!ops.has('LookupEvents'), 'CloudTrail read through Athena only');
      await dialog.getByRole('table', { name: 'Collectors' }).scrollIntoViewIfNeeded();
      await keepScreenshot(page, 'pull-athena-done');
      await dialog.getByRole('button', { name: 'Close' }).click();
      await page.getByText(new RegExp(`${expected} events · 0 flow records`)).waitFor({ timeout: 10_000 });
    });
  } finally {
    await page.close();
  }
});

test('a pull from the trail bucket keeps the signed digests: the Evidence tab says signature verified', { skip }, async () => {
  const fresh = await startServe(join(dir, 'bucket.case'));
  const { page, dialog } = await openPullDialog(fresh.url);
  try {
    await withScreenshot(page, 'pull-signatures', async () => {
      await fillWindow(dialog, ['cloudtrail']);
      await dialog.getByLabel(/^Trail bucket/).fill('trailscope-fake-trail');
      await dialog.getByRole('button', { name: 'Start pull' }).click();
      await dialog.getByRole('status').getByText(/^Pull finished:/).waitFor({ timeout: 60_000 });
      await dialog.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('tab', { name: 'Evidence' }).click();
      const panel = page.getByRole('region', { name: 'Evidence' });
      await panel.getByRole('button', { name: 'Verify evidence' }).click();
      await panel.getByRole('status').getByText(/Nothing contradicts the digests\..*\d+ digests \(signature verified\)/).waitFor({ timeout: 30_000 });
      await panel.getByText(/^Digests \(\d+\)$/).click();
      const cells = await panel.getByRole('table', { name: 'Digest signatures' }).getByRole('row').evaluateAll((trs) => trs.slice(1).map((tr) => tr.children[2].textContent));
      assert.ok(cells.length > 0);
      assert.deepEqual(new Set(cells), new Set(['signature verified']));
      await keepScreenshot(page, 'pull-signatures');
    });
  } finally {
    await page.close();
  }
});
