// The generator's account served by the fake AWS: a full live pull must give the case what ingesting
// the generated folder gives — the same events, flow records and configuration, and the planted
// incident's facts (the opened SSH rule, who opened it, the persistence key) in both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccount } from '../../../tools/gen/generate.ts';
import { openCase, type CaseDb } from '../db/open-case.ts';
import { ingestPaths } from '../ingest/pipeline.ts';
import { fakeAccountFromGenerated, GENERATED_TRAIL_BUCKET } from '../../../test-support/fake-aws/from-generated.ts';
import { startFakeAws } from '../../../test-support/fake-aws/server.ts';
import { pullAccount } from './index.ts';
import { verifyEvidence } from '../evidence/verify-evidence.ts';
import type { PullOptions } from './types.ts';
import { flowCount } from '../../../test-support/temp-case.ts';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
const credentials = async () => ({ accessKeyId: 'ASIATESTCREDENTIAL02', secretAccessKey: 'trailscopeTestSecretKey0000000000000000001' });

type Rows = Record<string, unknown>[];
const all = (db: CaseDb, sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as Rows;
const one = (db: CaseDb, sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as Record<string, unknown> | undefined;

/** What a user compares between two cases of the same account. */
function shape(db: CaseDb) {
  return {
    events: one(db, 'SELECT count(*) n FROM event_rows')!.n,
    eventIds: one(db, `SELECT count(DISTINCT event_id) n FROM event_rows`)!.n,
    flows: flowCount(db),
    resourcesByType: all(db, 'SELECT type, count(*) n FROM resources GROUP BY type ORDER BY type'),
    snapshotVersions: one(db, `SELECT count(*) n FROM resource_versions WHERE origin = 'snapshot'`)!.n,
    snapshotEdgesByKind: all(db, `SELECT kind, count(*) n FROM edges WHERE origin = 'snapshot' GROUP BY kind ORDER BY kind`),
    eventEdges: one(db, `SELECT count(*) n FROM edges WHERE origin = 'event'`)!.n,
    principals: one(db, 'SELECT count(*) n FROM principals')!.n,
    credentials: one(db, 'SELECT count(*) n FROM credentials')!.n,
  };
}

test('a full pull of the generated account equals ingesting its files', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-pull-gen-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Inside LookupEvents' 90 days: a 24-hour window ending at least a day ago, on an hour boundary.
  const start = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 86_400_000);
  const out = join(dir, 'generated');
  await generateAccount({ out, events: 600, flows: 400, hours: 24, start: start.toISOString() });
  const incident = JSON.parse(readFileSync(join(out, 'incident.json'), 'utf8'));

  const ingested = openCase(join(dir, 'ingested.trailscope'));
  const pulled = openCase(join(dir, 'pulled.trailscope'));
  const fromBucket = openCase(join(dir, 'bucket.trailscope'));
  t.after(() => [ingested, pulled, fromBucket].forEach((db) => db.open && db.close()));
  await ingestPaths(ingested, [out]);

  const aws = await startFakeAws(fakeAccountFromGenerated(out));
  t.after(() => aws.close());
  const options: PullOptions = {
    regions: incident.regions,
    since: new Date(incident.window.start),
    until: new Date(incident.window.end),
    what: ['cloudtrail', 'flows', 'config'],
    endpoint: aws.url,
    credentials,
    retry: { baseMs: 20, capMs: 200 },
  };
  const report = await pullAccount(pulled, options);
  assert.deepEqual(report.collectors.filter((c) => c.status !== 'done').map((c) => `${c.collector}@${c.region}: ${c.message}`), []);
  assert.ok(aws.maxLookupsPerSecond() <= 2);

  const expected = shape(ingested);
  assert.equal(expected.events, 600, 'the generator wrote 600 events');
  assert.equal(expected.flows, 400, 'and 400 flow records');
  assert.deepEqual(shape(pulled), expected);

  // The same CloudTrail read from the trail bucket instead of LookupEvents.
  await pullAccount(fromBucket, { ...options, trailBucket: GENERATED_TRAIL_BUCKET, what: ['cloudtrail'] });
  assert.equal(one(fromBucket, 'SELECT count(*) n FROM event_rows')!.n, 600);
  // Pulled with their S3 metadata, the generator's digests verify: signatures, chain and log hashes.
  const evidence = verifyEvidence(fromBucket);
  assert.ok(evidence.digests.length > 0);
  assert.equal(evidence.signatures, 'signature verified');
  assert.deepEqual(evidence.problems, []);
  assert.ok(evidence.counts.verified > 0);
  // The folder itself is an unsigned copy of the same digests.
  assert.equal(verifyEvidence(ingested).signatures, 'unsigned copy');

  for (const db of [ingested, pulled]) {
    // The planted SSH rule: the event that opened it, by the admin session, and the rule itself.
    const open = incident.openPort;
    const event = one(db, 'SELECT event_name, identity_arn, access_key_id FROM events WHERE event_id = ?', open.eventId);
    assert.deepEqual(event, { event_name: 'AuthorizeSecurityGroupIngress', identity_arn: open.sessionArn, access_key_id: open.accessKeyId });
    assert.equal(one(db, 'SELECT type FROM resources WHERE id = ?', open.ruleId)?.type, 'security-group-rule');
    const rule = JSON.parse(String(one(db, `SELECT config FROM resource_versions WHERE resource_id = ? AND origin = 'snapshot'`, open.ruleId)?.config));
    assert.equal(rule.GroupId, open.groupId);
    assert.equal(rule.CidrIpv4, '0.0.0.0/0');
    assert.equal(rule.FromPort, 22);
    assert.ok(one(db, `SELECT 1 FROM edges WHERE src = ? AND dst = 'ip/0.0.0.0/0' AND kind = 'sg-rule-source'`, open.groupId), 'the group lets in the whole internet');
    // Persistence: the new key and who created it.
    const created = one(db, 'SELECT event_name FROM events WHERE event_id = ?', incident.persistence.eventId);
    assert.equal(created?.event_name, 'CreateAccessKey');
    assert.ok(one(db, 'SELECT 1 FROM event_resources WHERE resource_id = ? AND event = (SELECT id FROM event_rows WHERE event_id = ?)', incident.persistence.newAccessKeyId, incident.persistence.eventId));
  }
});
