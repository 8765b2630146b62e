// Exported CloudTrail and records without an eventID through the whole ingest: the case stores
// how each source was read, marks derived event ids, and deduplicates by them.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from './pipeline.ts';
import { count, tempCase } from '../../../test-support/temp-case.ts';
import { serviceCalls } from '../../../test-support/service-calls.ts';

const FIXTURES = new URL('./parse/exported/fixtures/', import.meta.url).pathname;

/** A lab capture: eventVersion 1.08 records with time, name, source, identity and address, but no eventID. */
function labRecords(): Record<string, unknown>[] {
  return [0, 1, 2].map((i) => ({
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAQ4LABUSER7Q2ZKPB', arn: 'arn:aws:iam::111122223333:user/lab', accountId: '111122223333', accessKeyId: 'AKIAQ4LABUSER7Q2ZKPB', userName: 'lab' },
    eventTime: `2024-06-0${i + 1}T09:00:00Z`, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', awsRegion: 'eu-west-1',
    sourceIPAddress: '192.0.2.10', userAgent: 'aws-cli/2.15.0',
  }));
}

test('records without eventID: stored with derived ids, marked, deduplicated across files and within one', async (t) => {
  const c = tempCase('derived');
  t.after(() => c.cleanup());
  const records = labRecords();
  const lab = join(c.dir, 'lab.json');
  writeFileSync(lab, JSON.stringify({ Records: records }));
  // The same records pretty-printed with keys in another order, plus one record twice: a different file.
  const reordered = records.map((r) => Object.fromEntries(Object.entries(r).reverse()));
  const again = join(c.dir, 'lab-again.json');
  writeFileSync(again, JSON.stringify([...reordered, reordered[0]], null, 2));

  const first = await ingestPaths(c.db, [lab]);
  assert.equal(first.events, 3);
  assert.deepEqual(first.sources.map((s) => [s.status, s.rejectedRecords]), [['done', 0]]);
  const rows = c.db.prepare('SELECT e.event_id AS id, r.event_id_derived AS derived FROM events e JOIN event_rows r ON r.id = e.id ORDER BY e.event_time').all() as { id: string; derived: number }[];
  assert.equal(rows.length, 3);
  for (const r of rows) {
    assert.match(r.id, /^derived-[0-9a-f]{32}$/);
    assert.equal(r.derived, 1);
  }

  const second = await ingestPaths(c.db, [lab]);
  assert.deepEqual(second.sources.map((s) => s.status), ['unchanged']);
  const third = await ingestPaths(c.db, [again]);
  assert.equal(third.events, 0, 'the same records in another file, in another key order, are not stored again');
  assert.equal(third.sources[0].records, 4);
  assert.equal(count(c.db, 'events'), 3);
  assert.equal((c.db.prepare('SELECT duplicates FROM sources WHERE path = ?').pluck().get(again)), 4);
  // Who called which service counts each event once, however often it was read.
  const calls = serviceCalls(c.db);
  assert.deepEqual(calls.stored, calls.ofEvents);
  assert.equal(calls.stored.reduce((n, [, , , events]) => n + events, 0), 3);
});

test('two identical records without eventID in one new case are one event (bulk load deduplicates them too)', async (t) => {
  const c = tempCase('identical');
  t.after(() => c.cleanup());
  const [r] = labRecords();
  const file = join(c.dir, 'twice.json');
  writeFileSync(file, JSON.stringify([r, structuredClone(r)]));
  const summary = await ingestPaths(c.db, [file]);
  assert.equal(summary.events, 1);
  assert.equal(count(c.db, 'events'), 1);
  // An event with its own eventID is not marked.
  const own = join(c.dir, 'own.json');
  writeFileSync(own, JSON.stringify([{ ...r, eventID: '0f0e0d0c-0b0a-4908-8706-050403020100' }]));
  await ingestPaths(c.db, [own]);
  assert.equal(c.db.prepare(`SELECT event_id_derived FROM event_rows WHERE event_id = '0f0e0d0c-0b0a-4908-8706-050403020100'`).pluck().get(), null);
});

test('each exported source records how it was read; plain CloudTrail records nothing', async (t) => {
  const c = tempCase('read-as');
  t.after(() => c.cleanup());
  const files = ['s3-original.json', 'logstash.ndjson', 'splunk-export.csv', 'athena-results.csv', 'elastic-search-response.json'].map((f) => join(FIXTURES, f));
  const summary = await ingestPaths(c.db, files);
  assert.deepEqual(summary.sources.map((s) => s.status), ['done', 'done', 'done', 'done', 'done']);
  // The same two events in five formats: stored once.
  assert.equal(count(c.db, 'events'), 2);
  const readAs = Object.fromEntries(
    (c.db.prepare('SELECT path, read_as FROM sources').all() as { path: string; read_as: string | null }[]).map((r) => [r.path.split('/').pop(), r.read_as]),
  );
  assert.deepEqual(readAs, {
    's3-original.json': null,
    'logstash.ndjson': 'Logstash export: time from @timestamp',
    'splunk-export.csv': 'Splunk export: record from _raw',
    'athena-results.csv': 'query result (Athena or CloudTrail Lake): lower-case columns mapped to CloudTrail fields',
    'elastic-search-response.json':
      'Elastic (ECS) document: record from event.original; Elastic (ECS) document: record rebuilt from ECS fields (aws.cloudtrail.*, event.*), without what ECS does not map',
  });
  // The Logstash file was first rejected whole in the field ("record has no eventTime"): here every record is read.
  assert.ok(readFileSync(join(FIXTURES, 'logstash.ndjson'), 'utf8').includes('"@version"'));
});
