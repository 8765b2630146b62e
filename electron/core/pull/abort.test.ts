// Cancel from the "Pull from AWS" dialog: the AbortSignal stops every collector, cuts requests in
// flight, keeps what was stored with its checkpoints, and the next pull completes to the exact counts
// of a pull that was never interrupted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase, type CaseDb } from '../db/open-case.ts';
import { buildFakeAccount } from '../../../test-support/fake-aws/account.ts';
import { startFakeAws } from '../../../test-support/fake-aws/server.ts';
import { pullAccount } from './index.ts';
import type { PullEvent, PullOptions } from './types.ts';
import { flowCount } from '../../../test-support/temp-case.ts';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
const UNTIL = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 86_400_000);
const SINCE = new Date(UNTIL.getTime() - 86_400_000);
const REGIONS = ['us-east-1', 'eu-west-1'];
const EVENTS = 400; // eight LookupEvents pages per region
const FLOWS = 60;
const credentials = async () => ({ accessKeyId: 'ASIATESTCREDENTIAL03', secretAccessKey: 'trailscopeTestSecretKey0000000000000000003' });

const n = (db: CaseDb, sql: string) => (db.prepare(sql).get() as { n: number }).n;
const counts = (db: CaseDb) => ({
  events: n(db, 'SELECT count(*) n FROM event_rows'),
  flows: flowCount(db),
  resources: n(db, 'SELECT count(*) n FROM resources'),
  versions: n(db, 'SELECT count(*) n FROM resource_versions'),
  edges: n(db, 'SELECT count(*) n FROM edges'),
  principals: n(db, 'SELECT count(*) n FROM principals'),
});

test('cancel mid-pull: returns without waiting on a stalled request, keeps a consistent case, and a resume completes exactly', { timeout: 90_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-abort-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const fake = buildFakeAccount({ start: SINCE, end: UNTIL, eventsPerRegion: EVENTS, flowsPerRegion: FLOWS, regions: REGIONS });
  const aws = await startFakeAws(fake);
  t.after(() => aws.close());
  const options: PullOptions = {
    regions: REGIONS,
    since: SINCE,
    until: UNTIL,
    what: ['cloudtrail', 'flows', 'config'],
    endpoint: aws.url,
    credentials,
    retry: { baseMs: 20, capMs: 200 },
    // Longer than the test's own timeout: only the abort can end the stalled request below.
    requestTimeoutMs: 600_000,
  };

  // The reference: the same account pulled without interruption.
  const clean = openCase(join(dir, 'clean.trailscope'));
  t.after(() => clean.open && clean.close());
  await pullAccount(clean, options);
  const expected = counts(clean);
  assert.equal(expected.events, EVENTS * REGIONS.length);

  // A flow log object that never arrives, and a cancel once every region has stored a few pages.
  aws.addFault({ kind: 'slow', operation: 'GetObject', times: 1, delayMs: 600_000 });
  const db = openCase(join(dir, 'case.trailscope'));
  t.after(() => db.open && db.close());
  const controller = new AbortController();
  const storedBy = new Map<string, number>();
  const onEvent = (e: PullEvent) => {
    if (e.kind !== 'collector' || e.progress.collector !== 'cloudtrail:lookup-events') return;
    const p = e.progress;
    storedBy.set(p.region, p.stored);
    if (storedBy.size === REGIONS.length && Math.min(...storedBy.values()) >= 100) controller.abort();
  };
  // Pages served (a throttled request serves none): the cancelled pull plus the resume need the clean pull's 16.
  const pagesServed = () => aws.requests.filter((r) => r.operation === 'LookupEvents' && r.status === 200).length;
  const pagesBefore = pagesServed();
  const report = await pullAccount(db, options, { signal: controller.signal, onEvent });

  assert.equal(report.cancelled, true);
  assert.equal(report.collectors.filter((c) => c.status === 'failed').length, 0, 'a cancel is not a failure');
  const lookups = report.collectors.filter((c) => c.collector === 'cloudtrail:lookup-events');
  assert.deepEqual(lookups.map((c) => c.status), ['cancelled', 'cancelled']);
  const stalled = report.collectors.find((c) => c.collector.startsWith('flows:s3:'));
  assert.equal(stalled?.status, 'cancelled', 'the stalled object fetch was cut');
  // What the collectors say they stored is what the case holds: nothing half-written.
  const mid = counts(db);
  assert.equal(mid.events, lookups.reduce((s, c) => s + c.stored, 0));
  assert.ok(mid.events > 0 && mid.events < expected.events, `cancelled mid-way with ${mid.events} events`);
  assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
  const checkpoints = db.prepare(`SELECT count(*) n FROM checkpoints WHERE key LIKE 'pull:%:cloudtrail:lookup-events'`).get() as { n: number };
  assert.equal(checkpoints.n, REGIONS.length, 'each region kept its place');
  const cancelledPages = pagesServed() - pagesBefore;
  assert.ok(cancelledPages < 16, `stopped asking once cancelled (${cancelledPages} of 16 pages)`);

  // Resume: only the rest is asked for, and the case ends exactly as the clean pull's.
  const resumed = await pullAccount(db, options);
  assert.equal(resumed.cancelled, false);
  assert.deepEqual(resumed.collectors.filter((c) => c.status !== 'done').map((c) => `${c.collector}@${c.region}: ${c.message}`), []);
  const resumedPages = pagesServed() - pagesBefore - cancelledPages;
  // Only a page in flight when the cancel came (its events never stored) can be served twice.
  assert.ok(cancelledPages + resumedPages <= 16 + REGIONS.length, `resumed from the checkpoints (${cancelledPages} + ${resumedPages} pages)`);
  assert.deepEqual(counts(db), expected);
  // One pacer per account and region for the process: the cancelled pull and the resume, started right
  // after other pulls, waited for their requests instead of being throttled by them.
  assert.equal(aws.requests.filter((r) => r.fault === 'rate-limited').length, 0);
});
