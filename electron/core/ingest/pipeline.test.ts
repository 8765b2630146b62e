import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestPaths } from './pipeline.ts';
import { CaseWriter } from './writer.ts';
import { tempCase, count, flowCount } from '../../../test-support/temp-case.ts';
import { RAW_BLOCK_RECORDS, packRawBlock, readRawEventById } from '../db/raw-events.ts';
import { trailFile } from '../../../test-support/trail-file.ts';
import { REDACTED_SESSION_TOKEN } from './prepare-batch.ts';
import { REAL } from '../../../test-support/real-data.ts';
import { flowRecords } from '../analysis/flows/flow-records.ts';
import { openCase } from '../db/open-case.ts';
import { serviceCalls } from '../../../test-support/service-calls.ts';

const TRAILSCRAPER = join(REAL, 'trailscraper/tests/cloudtrail/data/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json');
const STRATUS_PORT22 = join(REAL, 'stratus-red-team/aws.exfiltration.ec2-security-group-open-port-22-ingress.json');

function sampleRecords(): Record<string, unknown>[] {
  return JSON.parse(readFileSync(TRAILSCRAPER, 'utf8')).Records;
}

test('a folder of good and bad inputs: the good are stored, each bad one is rejected with its reason', async (t) => {
  const c = tempCase('mixed');
  t.after(() => c.cleanup());
  const input = join(c.dir, 'input');
  mkdirSync(join(input, 'AWSLogs/111111111111/CloudTrail/eu-central-1/2017/12/11'), { recursive: true });
  copyFileSync(TRAILSCRAPER, join(input, 'AWSLogs/111111111111/CloudTrail/eu-central-1/2017/12/11/trail.json'));
  const records = sampleRecords();
  const gz = gzipSync(JSON.stringify({ Records: records.slice(0, 3) }));
  writeFileSync(join(input, 'truncated.json.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
  writeFileSync(join(input, 'broken.json'), '{"Records": [{"eventID": "x", ');
  writeFileSync(join(input, 'empty.json'), '');
  writeFileSync(join(input, 'binary.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  const noId = { ...records[0] } as Record<string, unknown>;
  delete noId.eventID;
  writeFileSync(join(input, 'no-event-id.json'), JSON.stringify({ Records: [noId] }));

  const summary = await ingestPaths(c.db, [input]);
  const byName = (name: string) => summary.sources.find((s) => s.path.endsWith(name))!;

  assert.equal(byName('trail.json').status, 'done');
  assert.equal(byName('trail.json').stored, records.length);
  // A record without eventID is read with an id derived from its content (a different record from the one with its eventID).
  assert.equal(byName('no-event-id.json').status, 'done');
  assert.equal(byName('no-event-id.json').stored, 1);
  assert.equal(count(c.db, 'events'), records.length + 1);
  for (const [name, pattern] of [
    ['truncated.json.gz', /gzip|truncat|end of/i],
    ['broken.json', /json|end of|truncat/i],
    ['empty.json', /empty/i],
    ['binary.bin', /binary|unrecognized|not/i],
  ] as const) {
    const s = byName(name);
    assert.equal(s.status, 'rejected', `${name} should be rejected`);
    assert.match(s.reason ?? '', pattern, `${name}: ${s.reason}`);
  }
  // The case records the same outcome, so `info` and the app can show it later.
  const rejected = c.db.prepare(`SELECT path, reason FROM sources WHERE status = 'rejected'`).all() as { path: string; reason: string }[];
  assert.equal(rejected.length, 4);
  assert.ok(rejected.every((r) => r.reason.length > 5));
});

test('ingesting the same inputs twice changes nothing; the same events in another file are stored once', async (t) => {
  const c = tempCase('twice');
  t.after(() => c.cleanup());
  const first = await ingestPaths(c.db, [TRAILSCRAPER, STRATUS_PORT22]);
  const snapshot = () => ({
    events: count(c.db, 'events'),
    resources: count(c.db, 'event_resources'),
    principals: count(c.db, 'principals'),
    blocks: count(c.db, 'raw_blocks'),
    sources: count(c.db, 'sources'),
  });
  const before = snapshot();
  assert.ok(first.events > 0);
  const second = await ingestPaths(c.db, [TRAILSCRAPER, STRATUS_PORT22]);
  assert.equal(second.events, 0);
  assert.deepEqual(second.sources.map((s) => s.status), ['unchanged', 'unchanged']);
  assert.deepEqual(snapshot(), before);

  // The gzipped twin has other bytes but the same events: read, nothing new stored.
  const gz = await ingestPaths(c.db, [TRAILSCRAPER + '.gz']);
  assert.equal(gz.sources[0].status, 'done');
  assert.equal(gz.sources[0].stored, 0);
  assert.equal(gz.sources[0].records, before.events - JSON.parse(readFileSync(STRATUS_PORT22, 'utf8')).length);
  assert.equal(count(c.db, 'events'), before.events);
});

/** A record as the case keeps it: exactly as read, but for a logged session token. */
function asStored(record: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(record) as { responseElements?: { credentials?: { sessionToken?: unknown } } };
  if (typeof copy.responseElements?.credentials?.sessionToken === 'string') copy.responseElements.credentials.sessionToken = REDACTED_SESSION_TOKEN;
  return copy as Record<string, unknown>;
}

test('raw records come back exactly as read', async (t) => {
  const c = tempCase('raw');
  t.after(() => c.cleanup());
  await ingestPaths(c.db, [TRAILSCRAPER]);
  for (const record of sampleRecords()) {
    assert.deepEqual(readRawEventById(c.db, record.eventID as string), asStored(record));
  }
});

test('a file of more records than a raw block holds comes back record for record, read in any order; a block stored again under its id is read afresh', async (t) => {
  const c = tempCase('raw-blocks');
  t.after(() => c.cleanup());
  const base = sampleRecords();
  const records = Array.from({ length: 2 * RAW_BLOCK_RECORDS + 77 }, (_, i) => ({
    ...asStored(base[i % base.length]),
    eventID: `0000${String(i).padStart(4, '0')}-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`,
    requestParameters: { marker: `call ${i}` },
  }));
  const file = trailFile(c.dir, 'many.json', records);
  await ingestPaths(c.db, [file]);
  const blocks = c.db.prepare('SELECT raw_block AS block, count(*) AS n FROM event_rows GROUP BY raw_block ORDER BY raw_block').all() as { block: number; n: number }[];
  assert.deepEqual(blocks.map((b) => b.n), [RAW_BLOCK_RECORDS, RAW_BLOCK_RECORDS, 77]);
  // Every other record, from the end: each read leaves another block behind it.
  const order = records.map((_, i) => i).filter((i) => i % 2 === 1).reverse().concat(records.map((_, i) => i).filter((i) => i % 2 === 0));
  for (const i of order) assert.deepEqual(readRawEventById(c.db, records[i].eventID), records[i]);

  // The first block's records stored again under its id, one of them changed (as a rolled-back
  // ingest's block id is used again): the record read is the one stored now.
  const first = records.slice(0, RAW_BLOCK_RECORDS).map((r) => JSON.stringify(r));
  assert.deepEqual(readRawEventById(c.db, records[5].eventID), records[5]);
  first[5] = JSON.stringify({ ...records[5], requestParameters: { marker: 'stored again' } });
  c.db.prepare('UPDATE raw_blocks SET data = ? WHERE id = ?').run(packRawBlock(first), blocks[0].block);
  assert.deepEqual(readRawEventById(c.db, records[5].eventID), { ...records[5], requestParameters: { marker: 'stored again' } });
  // A block that no longer decompresses: its records are missing, the other blocks' are not.
  c.db.prepare('UPDATE raw_blocks SET data = ? WHERE id = ?').run(Buffer.from('not a zstd frame'), blocks[0].block);
  assert.equal(readRawEventById(c.db, records[5].eventID), null);
  assert.deepEqual(readRawEventById(c.db, records[RAW_BLOCK_RECORDS].eventID), records[RAW_BLOCK_RECORDS]);
});

test('flow logs and configuration land as flow records, resources and edges', async (t) => {
  const c = tempCase('flows');
  t.after(() => c.cleanup());
  const dir = join(c.dir, 'in');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'flows.log'),
    [
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
      '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK',
    ].join('\n') + '\n',
  );
  const summary = await ingestPaths(c.db, [dir, join(REAL, 'cloudmapper-demo/account-data/demo/us-east-1/ec2-describe-security-groups.json')]);
  assert.equal(flowCount(c.db), 2);
  assert.deepEqual(
    flowRecords(c.db, {}, 10).records.map((r) => ({ dstport: r.dstport, action: r.action })).sort((a, b) => a.dstport! - b.dstport!),
    [{ dstport: 22, action: 'ACCEPT' }, { dstport: 3389, action: 'REJECT' }],
  );
  const config = summary.sources.find((s) => s.path.endsWith('ec2-describe-security-groups.json'))!;
  assert.equal(config.status, 'done', config.reason ?? '');
  assert.ok(count(c.db, 'resources', `type = 'security-group'`) > 0);
  // Flow records from the same lines in another file are not stored twice.
  writeFileSync(join(dir, 'copy.log'), readFileSync(join(dir, 'flows.log'), 'utf8') + '\n');
  await ingestPaths(c.db, [join(dir, 'copy.log')]);
  assert.equal(flowCount(c.db), 2);
});

test('an abort stops between batches; the next ingest resumes to the same counts as a clean run', async (t) => {
  const c = tempCase('abort');
  t.after(() => c.cleanup());
  const controller = new AbortController();
  controller.abort();
  const aborted = await ingestPaths(c.db, [TRAILSCRAPER], { signal: controller.signal });
  assert.equal(aborted.aborted, true);
  const resumed = await ingestPaths(c.db, [TRAILSCRAPER]);
  assert.equal(resumed.aborted, false);
  assert.equal(count(c.db, 'events'), sampleRecords().length);
  assert.equal(count(c.db, 'sources', `status = 'done'`), 1);
});

test('an earlier attempt at a file is resumed, not repeated: one interrupted before, one rejected in the same ingest', async (t) => {
  const c = tempCase('attempts');
  t.after(() => c.cleanup());
  const dir = join(c.dir, 'in');
  mkdirSync(dir);
  // A small clean file, read in a group with others (read-worker.ts), and a file nothing can be read from.
  const small = join(dir, 'small.json');
  writeFileSync(small, JSON.stringify({ Records: sampleRecords().slice(0, 3) }));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"Records": nope');
  // The small file's earlier attempt, as an ingest killed while reading it leaves it.
  const sha256 = createHash('sha256').update(readFileSync(small)).digest('hex');
  const writer = new CaseWriter(c.db);
  const interrupted = writer.startSource({ path: small, sha256, size: 0, kind: 'cloudtrail' });
  const summary = await ingestPaths(c.db, [small, bad, bad], { readers: 1 });
  assert.deepEqual(summary.inputs, { done: 1, rejected: 2, unchanged: 0, skipped: 0 });
  const rows = c.db.prepare(`SELECT id, path, status FROM sources ORDER BY id`).all();
  assert.deepEqual(rows, [{ id: interrupted, path: small, status: 'done' }, { id: interrupted + 1, path: bad, status: 'rejected' }]);
  const ids = new Set(sampleRecords().slice(0, 3).map((r) => r.eventID));
  assert.equal(count(c.db, 'events', `source_id = ${interrupted}`), ids.size);
});

test('several reader workers store exactly what one stores, each source once', async (t) => {
  const one = tempCase('one-reader');
  const three = tempCase('three-readers');
  t.after(() => {
    one.cleanup();
    three.cleanup();
  });
  const inputs = [join(REAL, 'stratus-red-team'), join(REAL, 'trailscraper'), join(REAL, 'awsdocs-vpc-user-guide'), join(REAL, 'cloudmapper-demo')];
  const a = await ingestPaths(one.db, inputs, { readers: 1 });
  const b = await ingestPaths(three.db, inputs, { readers: 3 });
  const outcome = (s: typeof a) => s.sources.map((x) => `${x.path} ${x.status} ${x.records}`).sort();
  assert.deepEqual(outcome(b), outcome(a));
  assert.equal(b.sources.length, new Set(b.sources.map((x) => x.path)).size);
  for (const table of ['events', 'resources', 'resource_versions', 'edges', 'event_resources', 'sources', 'flow_addresses', 'flow_interfaces']) {
    assert.equal(count(three.db, table), count(one.db, table), table);
  }
  assert.ok(flowCount(one.db) > 0);
  const records = (db: typeof one.db) => flowRecords(db, {}, 1e6).records.map(({ id: _id, ...r }) => JSON.stringify(r)).sort();
  assert.deepEqual(records(three.db), records(one.db), 'the same flow records');
});

test('every event ingested is found by free-text search on its name, across batches and files', async (t) => {
  // The pipeline writes batches as savepoints inside larger commits and their search text at each
  // commit (see CaseWriter.flushSearchText): none may be left out.
  const c = tempCase('searchable');
  t.after(() => c.cleanup());
  await ingestPaths(c.db, [join(REAL, 'stratus-red-team'), join(REAL, 'trailscraper'), join(REAL, 'cloudmapper-demo')], { readers: 2 });
  const names = c.db.prepare(`SELECT DISTINCT s.value FROM event_rows e JOIN strings s ON s.id = e.event_name`).pluck().all() as string[];
  assert.ok(names.length > 20, `${names.length} event names`);
  const unfound = c.db.prepare(`SELECT count(*) FROM event_rows e JOIN strings s ON s.id = e.event_name
    WHERE s.value = ? AND e.id NOT IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)`).pluck();
  for (const name of names) assert.equal(unfound.get(name, `"${name.replaceAll('"', '""')}"`), 0, name);
});

test('a write that fails midway stops the ingest; the next one ends with exactly the counts of a clean run', async (t) => {
  const inputs = [join(REAL, 'stratus-red-team'), join(REAL, 'trailscraper'), join(REAL, 'cloudmapper-demo')];
  const clean = tempCase('clean');
  const failed = tempCase('failed');
  t.after(() => {
    clean.cleanup();
    failed.cleanup();
  });
  await ingestPaths(clean.db, inputs, { readers: 2 });
  // The disk fills (or any write fails) after some batches are in: a temporary trigger on this connection.
  failed.db.exec(`CREATE TEMP TRIGGER disk_full AFTER INSERT ON main.event_rows WHEN new.id = 150
    BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
  await assert.rejects(ingestPaths(failed.db, inputs, { readers: 2 }), /disk is full/);
  failed.db.exec('DROP TRIGGER disk_full');
  const stored = count(failed.db, 'events');
  assert.ok(stored < count(clean.db, 'events'), `${stored} events stored before the failure`);
  await ingestPaths(failed.db, inputs, { readers: 2 });
  const totals = (db: typeof clean.db) => ({
    events: count(db, 'events'),
    sources: count(db, 'sources', `status = 'done'`),
    eventResources: count(db, 'event_resources'),
    credentials: count(db, 'credentials'),
    principalEvents: db.prepare('SELECT sum(event_count) FROM principals').pluck().get(),
    serviceCalls: serviceCalls(db).stored,
    searchable: db.prepare(`SELECT count(*) FROM events_fts WHERE events_fts MATCH 'AssumeRole OR DescribeInstances OR ListBuckets'`).pluck().get(),
  });
  assert.deepEqual(totals(failed.db), totals(clean.db));
  assert.deepEqual(serviceCalls(failed.db).stored, serviceCalls(failed.db).ofEvents, 'nothing of the failed batch counted');
});

test('session tokens that CloudTrail logged never reach the case; the rest of the record is kept as read', async (t) => {
  const c = tempCase('tokens');
  t.after(() => c.cleanup());
  const file = join(REAL, 'stratus-red-team/aws.credential-access.ec2-get-password-data.json');
  const records = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
  const tokens = records
    .map((r) => (r as { responseElements?: { credentials?: { sessionToken?: unknown } } }).responseElements?.credentials?.sessionToken)
    .filter((x): x is string => typeof x === 'string');
  assert.ok(tokens.length > 0, 'the sample logs session tokens');
  await ingestPaths(c.db, [file]);
  for (const record of records) assert.deepEqual(readRawEventById(c.db, record.eventID as string), asStored(record));
  const text = (c.db.prepare(`SELECT group_concat(value, ' ') AS t FROM strings`).get() as { t: string }).t;
  for (const token of tokens) assert.ok(!text.includes(token));
});

test('a file that kills its reader (out of memory) is rejected by name; the rest is still read', { timeout: 120_000 }, async (t) => {
  const c = tempCase('oom');
  t.after(() => c.cleanup());
  const dir = join(c.dir, 'in');
  mkdirSync(dir);
  // A configuration document of two million tiny objects: a few dozen MB on disk, far more as objects.
  writeFileSync(join(dir, 'a-huge.json'), `{"Reservations":[${'{"Instances":[]},'.repeat(2_000_000)}{"Instances":[]}]}`);
  copyFileSync(STRATUS_PORT22, join(dir, 'b-stratus.json'));
  const summary = await ingestPaths(c.db, [dir], { readers: 1, readerHeapMiB: 48 });
  const huge = summary.sources.find((s) => s.path.endsWith('a-huge.json'))!;
  assert.equal(huge.status, 'rejected');
  assert.match(huge.reason ?? '', /out of memory|stopped/);
  const stratus = summary.sources.find((s) => s.path.endsWith('b-stratus.json'))!;
  assert.equal(stratus.status, 'done');
  assert.equal(stratus.stored, JSON.parse(readFileSync(STRATUS_PORT22, 'utf8')).length);
  assert.equal(count(c.db, 'sources', `status = 'rejected' AND path LIKE '%a-huge.json'`), 1);
});

test('a new case is read with the page cache capped, and the cache the caller chose is back for the analysis and after', async (t) => {
  const c = tempCase('cache');
  t.after(() => c.cleanup());
  c.db.close();
  const db = openCase(c.path, { cacheMiB: 128 });
  t.after(() => db.close());
  const cacheByPhase = new Map<string, number>();
  await ingestPaths(db, [TRAILSCRAPER], { onProgress: (p) => cacheByPhase.set(p.phase, db.pragma('cache_size', { simple: true }) as number) });
  assert.equal(cacheByPhase.get('reading'), -96 * 1024);
  assert.equal(cacheByPhase.get('analysing'), -128 * 1024);
  assert.equal(db.pragma('cache_size', { simple: true }), -128 * 1024);
});
