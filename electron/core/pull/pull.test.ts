// A live pull against the local fake AWS: real SDK clients, real wire protocols, a real case file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { openCase, type CaseDb } from '../db/open-case.ts';
import { buildFakeAccount } from '../../../test-support/fake-aws/account.ts';
import { startFakeAws } from '../../../test-support/fake-aws/server.ts';
import { pullAccount } from './index.ts';
import type { PullEvent, PullOptions } from './types.ts';
import { flowCount } from '../../../test-support/temp-case.ts';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
// Inside LookupEvents' 90 days: yesterday, on hour boundaries.
const UNTIL = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 86_400_000);
const SINCE = new Date(UNTIL.getTime() - 86_400_000);
const KEY_ID = 'ASIATESTCREDENTIAL01';
const SECRET = 'trailscopeTestSecretKey0000000000000000000';
const credentials = async () => ({ accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: 'trailscope-test-session-token' });
const EVENTS = 160; // four LookupEvents pages per region
const FLOWS = 60;
const REGIONS = ['us-east-1', 'eu-west-1'];

function tempCase(): { path: string; db: CaseDb; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-pull-'));
  const path = join(dir, 'case.trailscope');
  const db = openCase(path);
  return { path, db, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const count = (db: CaseDb, sql: string) => (db.prepare(sql).get() as { n: number }).n;
const account = () => buildFakeAccount({ start: SINCE, end: UNTIL, eventsPerRegion: EVENTS, flowsPerRegion: FLOWS, regions: REGIONS });
const options = (endpoint: string, extra: Partial<PullOptions> = {}): PullOptions => ({
  regions: REGIONS,
  since: SINCE,
  until: UNTIL,
  what: ['cloudtrail', 'flows', 'config'],
  endpoint,
  credentials,
  retry: { baseMs: 20, capMs: 200 },
  ...extra,
});

test('a full pull stores every event, flow record and configuration document, paced at two LookupEvents a second', async () => {
  const aws = await startFakeAws(account());
  const c = tempCase();
  const events: PullEvent[] = [];
  try {
    const report = await pullAccount(c.db, options(aws.url), { onEvent: (e) => events.push(e) });
    assert.equal(report.account, '111122223333');
    assert.deepEqual(report.collectors.filter((x) => x.status !== 'done'), []);
    assert.equal(count(c.db, 'SELECT count(*) n FROM events'), EVENTS * REGIONS.length);
    assert.equal(flowCount(c.db), FLOWS * REGIONS.length);
    assert.ok(count(c.db, `SELECT count(*) n FROM resources WHERE id = 'i-0fake0000000001'`) === 1, 'the instance from DescribeInstances is a resource');
    assert.equal(count(c.db, `SELECT count(*) n FROM edges WHERE kind = 'network-acl-subnet'`), REGIONS.length, 'each network ACL from DescribeNetworkAcls guards its subnet');
    assert.ok(count(c.db, `SELECT count(*) n FROM sources WHERE kind = 'config:get-account-authorization-details'`) === 1);
    // ListAccessKeys + GetAccessKeyLastUsed: each key a resource with its last use, linked to its user.
    const keyEdges = c.db.prepare(`SELECT src, dst FROM edges WHERE kind = 'user-access-key' AND dst LIKE 'AKIAFAKE%' ORDER BY dst`).all();
    assert.deepEqual(keyEdges[0], { src: 'arn:aws:iam::111122223333:user/analyst-1', dst: 'AKIAFAKE000000000000' });
    assert.equal(keyEdges.length, 3);
    const lastUsed = c.db.prepare(`SELECT config FROM resource_versions WHERE resource_id = 'AKIAFAKE000000000001'`).get() as { config: string };
    assert.equal(JSON.parse(lastUsed.config).AccessKeyLastUsed.ServiceName, 'ec2');
    assert.ok(aws.maxLookupsPerSecond() <= 2, `at most two LookupEvents per second per region, saw ${aws.maxLookupsPerSecond()}`);
    assert.equal(aws.requests.filter((r) => r.fault === 'rate-limited').length, 0, 'never throttled by the service');
    assert.deepEqual(events[0], { kind: 'account', account: '111122223333', arn: events[0].kind === 'account' ? events[0].arn : '' }, 'the account is shown first');
    assert.match(events[0].kind === 'account' ? events[0].arn : '', /^arn:aws:/);
    c.db.close();
    const bytes = readFileSync(c.path).toString('latin1');
    for (const secret of [KEY_ID, SECRET, 'trailscope-test-session-token']) assert.ok(!bytes.includes(secret), 'credentials never reach the case');
  } finally {
    if (c.db.open) c.db.close();
    c.cleanup();
    await aws.close();
  }
});

test('a denied collector reports the permission it needs while the others complete', async () => {
  const aws = await startFakeAws(account(), { denied: ['ec2:DescribeInstances', 'iam:GetCredentialReport'] });
  const c = tempCase();
  try {
    const report = await pullAccount(c.db, options(aws.url, { what: ['cloudtrail', 'config'] }));
    const denied = report.collectors.filter((x) => x.status === 'denied');
    assert.deepEqual(denied.map((d) => `${d.collector}@${d.region}`).sort(), [
      'config:describe-instances@eu-west-1',
      'config:describe-instances@us-east-1',
      'config:get-credential-report@global',
    ]);
    assert.deepEqual(denied.map((d) => d.permission).sort(), ['ec2:DescribeInstances', 'ec2:DescribeInstances', 'iam:GetCredentialReport']);
    assert.match(denied[0].message ?? '', /needs ec2:DescribeInstances/);
    assert.match(report.collectors.find((d) => d.collector === 'config:get-credential-report')?.message ?? '', /needs iam:GetCredentialReport/);
    assert.equal(report.collectors.filter((x) => x.status === 'failed').length, 0);
    assert.equal(count(c.db, 'SELECT count(*) n FROM events'), EVENTS * REGIONS.length);
    assert.ok(!JSON.stringify(report).includes(KEY_ID));
  } finally {
    c.db.close();
    c.cleanup();
    await aws.close();
  }
});

test('records LookupEvents returns that cannot be stored are counted as rejected on their collector, and kept with the reason', async () => {
  const fake = account();
  const [first] = fake.events.get('eu-west-1')!;
  // The same call once more, without its event source.
  fake.events.get('eu-west-1')!.push({ ...first, eventID: 'no-source', eventSource: undefined } as unknown as typeof first);
  const aws = await startFakeAws(fake);
  const c = tempCase();
  try {
    const report = await pullAccount(c.db, options(aws.url, { what: ['cloudtrail'] }));
    const lookup = (region: string) => report.collectors.find((x) => x.collector === 'cloudtrail:lookup-events' && x.region === region);
    assert.deepEqual([lookup('eu-west-1')?.rejected, lookup('eu-west-1')?.stored], [1, EVENTS]);
    assert.equal(lookup('us-east-1')?.rejected, 0);
    assert.equal(count(c.db, 'SELECT count(*) n FROM events'), EVENTS * REGIONS.length);
    const reasons = c.db.prepare('SELECT reason FROM rejected_records').pluck().all();
    assert.deepEqual(reasons, ['record has no eventSource']);
  } finally {
    c.db.close();
    c.cleanup();
    await aws.close();
  }
});

test('a storm of throttling, 500s, dropped connections and slow responses loses nothing', async () => {
  const aws = await startFakeAws(account());
  aws.addFault({ kind: 'throttle', operation: 'LookupEvents', probability: 0.3 });
  aws.addFault({ kind: 'request-limit', service: 'ec2', probability: 0.3 });
  aws.addFault({ kind: 'server-error', probability: 0.15 });
  aws.addFault({ kind: 'drop', probability: 0.1 });
  aws.addFault({ kind: 'slow', operation: 'GetObject', times: 2, delayMs: 1500 });
  const c = tempCase();
  try {
    const report = await pullAccount(c.db, options(aws.url, { requestTimeoutMs: 1000 }));
    assert.deepEqual(report.collectors.filter((x) => x.status !== 'done').map((x) => `${x.collector} ${x.message}`), []);
    assert.equal(count(c.db, 'SELECT count(*) n FROM events'), EVENTS * REGIONS.length);
    assert.equal(flowCount(c.db), FLOWS * REGIONS.length);
    assert.ok(report.collectors.reduce((n, x) => n + x.retries, 0) > 0, 'faults were met and retried');
    assert.ok(aws.maxLookupsPerSecond() <= 2, 'retries are paced too');
  } finally {
    c.db.close();
    c.cleanup();
    await aws.close();
  }
});

test('the Athena slice loads the scoped rows as events', async () => {
  const fake = account();
  const aws = await startFakeAws(fake, { athenaPageSize: 100 });
  const c = tempCase();
  try {
    const report = await pullAccount(c.db, options(aws.url, {
      what: [],
      athena: { database: 'cloudtrail', table: 'management_events', workgroup: 'primary', eventNames: ['RunInstances', 'CreateAccessKey'] },
    }));
    assert.deepEqual(report.collectors.map((x) => x.status), ['done']);
    const expected = [...fake.events.values()].flat().filter((e) => ['RunInstances', 'CreateAccessKey'].includes(e.eventName));
    assert.ok(expected.length > 100, 'more than one page of results');
    assert.equal(count(c.db, 'SELECT count(*) n FROM events'), expected.length);
    const row = c.db.prepare('SELECT identity_arn, access_key_id FROM events WHERE event_id = ?').get(expected[0].eventID) as { identity_arn: string; access_key_id: string };
    assert.equal(row.identity_arn, (expected[0].userIdentity as { arn: string }).arn);
  } finally {
    c.db.close();
    c.cleanup();
    await aws.close();
  }
});

test('a pull killed with SIGKILL mid-way resumes to exactly the counts of a clean pull', async () => {
  const fake = buildFakeAccount({ start: SINCE, end: UNTIL, eventsPerRegion: 400, flowsPerRegion: 0, regions: REGIONS });
  const aws = await startFakeAws(fake);
  const c = tempCase();
  c.db.close();
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../../test-support/fake-aws/pull-child.ts'), c.path, SINCE.toISOString(), UNTIL.toISOString(), REGIONS.join(','), 'cloudtrail'], {
      env: { ...process.env, AWS_ENDPOINT_URL: aws.url, AWS_ACCESS_KEY_ID: 'AKIACHILDTESTKEY0001', AWS_SECRET_ACCESS_KEY: 'childsecret', AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: '' },
      stdio: 'ignore',
    });
    let ended = false;
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve((ended = true, code))));
    // Kill once a few pages are stored in each region, well before the eight pages a region needs.
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      // A child that could not start or finished early must fail the test, not leave it waiting.
      assert.ok(!ended, 'the pull child ended before it was killed');
      const perRegion = [...aws.lookupTimes().values()].map((t) => t.length);
      if (perRegion.length === 2 && Math.min(...perRegion) >= 3) break;
    }
    child.kill('SIGKILL');
    await exited;
    const mid = openCase(c.path);
    const stored = count(mid, 'SELECT count(*) n FROM events');
    mid.close();
    assert.ok(stored > 0 && stored < 800, `killed mid-way with ${stored} events stored`);
    const before = aws.requests.filter((r) => r.operation === 'LookupEvents').length;

    const db = openCase(c.path);
    const report = await pullAccount(db, options(aws.url, { what: ['cloudtrail'] }));
    assert.deepEqual(report.collectors.map((x) => x.status), ['done', 'done']);
    assert.equal(count(db, 'SELECT count(*) n FROM events'), 800);
    const after = aws.requests.filter((r) => r.operation === 'LookupEvents').length - before;
    assert.ok(after < 16, `resumed from the checkpoint (${after} requests, a fresh pull needs 16)`);
    // A second pull over the same window asks for nothing more.
    const again = await pullAccount(db, options(aws.url, { what: ['cloudtrail'] }));
    assert.deepEqual(again.collectors.map((x) => x.stored), [0, 0]);
    db.close();
  } finally {
    c.cleanup();
    await aws.close();
  }
});

test('the trail bucket is read by the date prefixes of the window only, digest files kept for verify', async () => {
  const fake = account();
  const aws = await startFakeAws(fake);
  const c = tempCase();
  try {
    const report = await pullAccount(c.db, options(aws.url, { what: ['cloudtrail'], trailBucket: 'trailscope-fake-trail' }));
    assert.deepEqual(report.collectors.map((x) => x.status), ['done', 'done', 'done']);
    assert.equal(count(c.db, 'SELECT count(*) n FROM events'), EVENTS * REGIONS.length);
    assert.equal(aws.requests.filter((r) => r.operation === 'LookupEvents').length, 0);
    const fetched = aws.requests.filter((r) => r.operation === 'GetObject').length;
    const keys = [...fake.buckets.get('trailscope-fake-trail')!.keys()];
    const logFiles = keys.filter((k) => k.includes('/CloudTrail/')).length;
    const digests = keys.filter((k) => k.includes('/CloudTrail-Digest/')).length;
    assert.ok(digests > 0);
    assert.equal(fetched, logFiles + digests, 'every log and digest file once');
    assert.equal(count(c.db, "SELECT count(*) n FROM sources WHERE kind = 'cloudtrail-digest' AND status = 'skipped'"), digests, 'digests are sources without events');
    assert.equal(count(c.db, 'SELECT count(*) n FROM source_evidence'), logFiles + digests);
    const again = await pullAccount(c.db, options(aws.url, { what: ['cloudtrail'], trailBucket: 'trailscope-fake-trail' }));
    assert.equal(aws.requests.filter((r) => r.operation === 'GetObject').length, fetched, 'a second pull fetches nothing stored already');
    assert.deepEqual(again.collectors.map((x) => x.status), ['done', 'done', 'done']);
  } finally {
    c.db.close();
    c.cleanup();
    await aws.close();
  }
});
