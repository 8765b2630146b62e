// Migration 140 on a case of the previous version: every source keeps its path, its content hash and
// what refers to it (its evidence, its rejected records), the `sources` view names them as before, and
// the next ingest of the same files finds each one by its content and path: what was read is unchanged,
// a file rejected before is tried again in its own row.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { openCase, type CaseDb } from '../open-case.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { makeZip } from '../../ingest/parse/test-zip.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { schemaAt } from '../../../../test-support/schema-at.ts';

const rec = (id: string) => ({ eventVersion: '1.08', eventID: id, eventTime: '2024-05-01T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' });
const trail = (...ids: string[]) => gzipSync(JSON.stringify({ Records: ids.map(rec) }));

/** Everything the case says of its sources, as a user's queries read it (the evidence's hash as hex, however kept). */
const described = (db: CaseDb) => ({
  sources: db.prepare(`SELECT * FROM sources ORDER BY id`).all(),
  evidence: db.prepare(`SELECT s.path, lower(hex(v.content_hash)) FROM source_evidence v JOIN sources s ON s.id = v.source_id ORDER BY s.path`).raw().all(),
  rejected: db.prepare(`SELECT s.path, r.position, r.reason FROM rejected_records r JOIN sources s ON s.id = r.source_id ORDER BY r.id`).raw().all(),
});

test('a version 139 case keeps every source, its hash and what refers to it; the next ingest finds them by content and path', async (t) => {
  const c = tempCase('migration-140');
  t.after(() => c.cleanup());
  const input = join(c.dir, 'evidence');
  const day = join(input, 'AWSLogs/111122223333/CloudTrail/eu-west-1/2024/05/01');
  mkdirSync(day, { recursive: true });
  writeFileSync(join(day, '111122223333_CloudTrail_eu-west-1_20240501T1000Z_a.json.gz'), trail('a1', 'a2'));
  writeFileSync(join(day, '111122223333_CloudTrail_eu-west-1_20240501T1005Z_b.json.gz'), trail('b1'));
  // A member of an archive (its folder is the archive's and its own), a record refused, a file nothing is read from.
  writeFileSync(join(input, 'export.zip'), makeZip([{ name: 'inner/c.json', data: JSON.stringify({ Records: [rec('c1'), { eventID: 'no-time' }] }) }]));
  writeFileSync(join(input, 'broken.json'), '{"Records": nope');
  const first = await ingestPaths(c.db, [input]);
  assert.deepEqual(first.inputs, { done: 3, rejected: 1, unchanged: 0, skipped: 0 });
  const before = described(c.db);
  assert.equal(before.sources.length, 4);
  assert.equal(before.evidence.length, 3, 'each CloudTrail file read keeps its content hash');
  assert.equal(before.rejected.length, 1);

  schemaAt(c.db, 139);
  c.db.pragma('user_version = 139');
  c.db.close();
  const db = openCase(c.path);
  t.after(() => db.close());
  assert.deepEqual(described(db), before, 'paths, hashes, evidence and rejected records as they were');
  const stored = db.prepare(`SELECT length(hash) AS bytes, f.value AS folder, s.name FROM source_rows s JOIN strings f ON f.id = s.folder ORDER BY s.id`).all() as
    { bytes: number; folder: string; name: string }[];
  assert.deepEqual(stored.map((s) => s.bytes), [32, 32, 32, 32]);
  assert.ok(stored.some((s) => s.folder === `${join(input, 'export.zip')}!/inner/` && s.name === 'c.json'), JSON.stringify(stored));
  assert.equal(db.prepare(`SELECT count(DISTINCT folder) FROM source_rows WHERE name LIKE '111122223333_CloudTrail_%'`).pluck().get(), 1, 'a day\'s files share one folder');

  // The same inputs again: each file read before is found by its content; the rejected one, by content
  // and path, is tried again in its own row, not a second.
  const again = await ingestPaths(db, [input]);
  assert.deepEqual(again.inputs, { done: 0, rejected: 1, unchanged: 3, skipped: 0 });
  assert.equal(db.prepare(`SELECT count(*) FROM sources`).pluck().get(), 4);
  assert.deepEqual(described(db).sources.map((s) => (s as { path: string }).path), before.sources.map((s) => (s as { path: string }).path));
});
