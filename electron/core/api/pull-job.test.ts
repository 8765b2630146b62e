// The "Pull from AWS" dialog's calls through the API's dispatcher: a pull runs on a worker thread
// against the local fake AWS (credentials from the environment, as the standard chain reads them),
// the status shows the account and each collector, and a cancel stops it.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../db/open-case.ts';
import { buildFakeAccount } from '../../../test-support/fake-aws/account.ts';
import { startFakeAws } from '../../../test-support/fake-aws/server.ts';
import { openWorkbench } from './open-workbench.ts';
import type { JobStatus } from '../../../shared/api/types.ts';
import { removeFolder } from '../../../test-support/remove-folder.ts';

const UNTIL = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 86_400_000);
const SINCE = new Date(UNTIL.getTime() - 86_400_000);
const REGIONS = ['us-east-1', 'eu-west-1'];
const SECRET = 'dialogTestSecretKey000000000000000000000';
const ACCOUNT = '111122223333';

async function setup(t: TestContext, eventsPerRegion: number, denied: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-pulljob-'));
  t.after(() => removeFolder(dir));
  const aws = await startFakeAws(buildFakeAccount({ start: SINCE, end: UNTIL, eventsPerRegion, flowsPerRegion: 40, regions: REGIONS }), { denied });
  t.after(() => aws.close());
  writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-1\n[profile incident-ro]\nregion = eu-west-1\n');
  writeFileSync(join(dir, 'credentials'), `[default]\naws_access_key_id = AKIADIALOGTEST000001\naws_secret_access_key = ${SECRET}\n`);
  // The worker thread inherits this process's environment, as the serve process's worker does.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: aws.url, AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
  });
  const casePath = join(dir, 'pull.case');
  openCase(casePath).close();
  const wb = openWorkbench(casePath);
  t.after(() => wb.close());
  return { aws, wb };
}

const value = <T>(r: { ok: boolean; value?: unknown; error?: { message: string } }): T => {
  assert.ok(r.ok, r.error?.message);
  return r.value as T;
};

test('pull:profiles lists names only, and pull:start runs a pull whose status shows the account and each collector', { timeout: 60_000 }, async (t) => {
  const { wb } = await setup(t, 60, ['ec2:DescribeSecurityGroups']);
  const profiles = value<{ profiles: string[] }>(await wb.dispatch('pull:profiles', {}));
  assert.deepEqual(profiles.profiles, ['default', 'incident-ro']);
  assert.ok(!JSON.stringify(profiles).includes(SECRET));

  const refused = await wb.dispatch('pull:start', { regions: ['us-east-1; rm -rf /'], since: '2d', what: ['cloudtrail'] });
  assert.equal(refused.ok, false);

  const unchecked = await wb.dispatch('pull:start', { profile: 'default', regions: REGIONS, since: '2d', what: ['cloudtrail'] });
  assert.equal(unchecked.ok, false, 'a pull names the account "Check account" showed');

  const id = value<{ account: string }>(await wb.dispatch('pull:identity', { profile: 'default' }));
  assert.equal(id.account, ACCOUNT);
  const { jobId } = value<{ jobId: string }>(await wb.dispatch('pull:start', { profile: 'default', account: id.account, regions: REGIONS, since: SINCE.toISOString(), until: UNTIL.toISOString(), what: ['cloudtrail', 'flows', 'config'] }));
  let s: JobStatus;
  do {
    await new Promise((r) => setTimeout(r, 200));
    s = value<JobStatus>(await wb.dispatch('job:status', { jobId }));
  } while (s.state === 'running');
  assert.equal(s.state, 'done', s.error ?? '');
  assert.equal(s.kind, 'pull');
  assert.equal(s.pull?.account, ACCOUNT);
  assert.equal(s.records, 120);
  assert.equal(s.flows, 80);
  const denied = s.pull!.collectors.filter((c) => c.status === 'denied');
  assert.deepEqual(denied.map((c) => `${c.collector}@${c.region} ${c.permission}`).sort(), [
    'config:describe-security-groups@eu-west-1 ec2:DescribeSecurityGroups',
    'config:describe-security-groups@us-east-1 ec2:DescribeSecurityGroups',
  ]);
  assert.ok(s.pull!.collectors.filter((c) => c.status === 'done').length > 6);
  assert.ok(!JSON.stringify(s).includes('AKIADIALOGTEST000001'));
  const info = value<{ events: number }>(await wb.dispatch('case:info', {}));
  assert.equal(info.events, 120);
});

test('cancel stops a running pull: the job ends cancelled and the fake AWS is asked nothing more', { timeout: 60_000 }, async (t) => {
  const { aws, wb } = await setup(t, 2000);
  const { jobId } = value<{ jobId: string }>(await wb.dispatch('pull:start', { account: ACCOUNT, regions: REGIONS, since: SINCE.toISOString(), until: UNTIL.toISOString(), what: ['cloudtrail'] }));
  let s: JobStatus;
  do {
    await new Promise((r) => setTimeout(r, 100));
    s = value<JobStatus>(await wb.dispatch('job:status', { jobId }));
  } while (s.state === 'running' && s.records < 100);
  value(await wb.dispatch('job:cancel', { jobId }));
  const end = await (async () => {
    for (;;) {
      const x = value<JobStatus>(await wb.dispatch('job:status', { jobId }));
      if (x.state !== 'running') return x;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  assert.equal(end.state, 'cancelled');
  assert.ok(end.records < 4000, `stopped mid-way at ${end.records}`);
  const asked = aws.requests.length;
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(aws.requests.length, asked, 'no request after the cancel');
  assert.ok(end.pull!.collectors.every((c) => c.status === 'cancelled'), JSON.stringify(end.pull!.collectors.map((c) => c.status)));
});

async function settle(wb: { dispatch(name: string, input: unknown): Promise<unknown> }, jobId: string): Promise<JobStatus> {
  for (;;) {
    const x = value<JobStatus>((await wb.dispatch('job:status', { jobId })) as never);
    if (x.state !== 'running') return x;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a pull whose credentials lead to another account than the one checked is refused before anything is stored', { timeout: 60_000 }, async (t) => {
  const { aws, wb } = await setup(t, 60);
  const { jobId } = value<{ jobId: string }>(await wb.dispatch('pull:start', { profile: 'default', account: '999988887777', regions: REGIONS, since: SINCE.toISOString(), until: UNTIL.toISOString(), what: ['cloudtrail', 'config'] }));
  const end = await settle(wb, jobId);
  assert.equal(end.state, 'failed');
  assert.match(end.error ?? '', /Refused to pull: profile "default" now signs in to account 111122223333 .*not account 999988887777/);
  assert.deepEqual(aws.requests.map((r) => r.operation), ['GetCallerIdentity'], 'nothing but STS asked');
  assert.equal(value<{ events: number; sources: number }>(await wb.dispatch('case:info', {})).sources, 0);
});

test('an Athena slice through pull:start loads the scoped rows as events', { timeout: 60_000 }, async (t) => {
  const { aws, wb } = await setup(t, 200);
  const athena = { database: 'cloudtrail', table: 'management_events', workgroup: 'primary', eventNames: ['RunInstances', 'CreateAccessKey'] };
  const bad = await wb.dispatch('pull:start', { account: ACCOUNT, regions: REGIONS, since: '2d', what: [], athena: { ...athena, table: 'x; DROP TABLE y' } });
  assert.equal(bad.ok, false, 'an Athena name that is not an identifier is refused');
  const { jobId } = value<{ jobId: string }>(await wb.dispatch('pull:start', { account: ACCOUNT, regions: REGIONS, since: SINCE.toISOString(), until: UNTIL.toISOString(), what: [], athena }));
  const end = await settle(wb, jobId);
  assert.equal(end.state, 'done', end.error ?? '');
  const expected = [...aws.account.events.values()].flat().filter((e) => athena.eventNames.includes(e.eventName)).length;
  assert.ok(expected > 0);
  assert.deepEqual(end.pull!.collectors.map((c) => `${c.collector} ${c.status} ${c.stored}`), [`cloudtrail:athena done ${expected}`]);
  assert.equal(end.records, expected);
  assert.equal(value<{ events: number }>(await wb.dispatch('case:info', {})).events, expected);
  assert.ok(aws.requests.some((r) => r.operation === 'StartQueryExecution'));
  assert.ok(!aws.requests.some((r) => r.operation === 'LookupEvents'));
});
