// Migration 149 on a case of the previous version: the resources' search index, rebuilt over the texts'
// view, finds the same resources for every term, stays whole through later writes, and is smaller where
// a resource's id holds its name or is its ARN (an S3 object's three texts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openCase, type CaseDb } from '../open-case.ts';
import { caseAtVersion } from '../../../../test-support/case-at-version.ts';
import { resourcesMatching } from '../../analysis/search/resource-matches.ts';

const A = '111122223333';
const object = (n: number) => {
  const key = `exports/2025/03/10/part-${String(n).padStart(5, '0')}.parquet`;
  return { id: `arn:aws:s3:::example-corp-data/${key}`, type: 'object', name: key, arn: `arn:aws:s3:::example-corp-data/${key}` };
};
const others = [
  { id: 'sg-0a1b2c3d4e5f60718', type: 'security-group', name: 'web-public', arn: `arn:aws:ec2:us-east-1:${A}:security-group/sg-0a1b2c3d4e5f60718` },
  { id: 'i-0123456789abcdef0', type: 'instance', name: 'Bastion Host', arn: null },
  { id: 'example-corp-data', type: 'bucket', name: 'example-corp-data', arn: 'arn:aws:s3:::example-corp-data' },
  { id: `arn:aws:iam::${A}:role/deploy`, type: 'role', name: 'deploy', arn: `arn:aws:iam::${A}:role/deploy` },
  { id: 'vol-0feedfacecafe0001', type: 'volume', name: null, arn: null },
];
const TERMS = ['part-00042', 'example-corp', 'parquet', 'web-pub', 'security-group/sg-0a1', 'bastion', 'BASTION HOST', 'role/deploy', 'deploy', ':s3:::', 'cafe0001', 'nothing-here'];

/** What each term finds (ids, sorted): the search's own answer, up to everything. */
const answers = (db: CaseDb) => TERMS.map((q) => resourcesMatching(db, q, 1000).map((r) => r.id).sort());
const indexBytes = (db: CaseDb) => db.prepare('SELECT sum(length(block)) FROM resources_search_data').pluck().get() as number;

test('a version 148 case gets its resources\' search index over each text once: the same answers, whole through later writes, smaller', (t) => {
  const { path, raw } = caseAtVersion(t, 148);
  const insert = raw.prepare('INSERT INTO resources (id, type, account_id, region, name, arn) VALUES (?, ?, ?, ?, ?, ?)');
  for (const r of [...Array.from({ length: 300 }, (_, n) => object(n)), ...others]) insert.run(r.id, r.type, A, 'us-east-1', r.name, r.arn);
  raw.close();

  // The answers and the index as version 148 kept them, read through today's code.
  const before = openCaseAt148(path);
  const was = { answers: before.answers, bytes: before.bytes };
  assert.equal(was.answers[0].length, 1);
  assert.ok(was.answers[1].length >= 301, 'the bucket and every object');

  const db = openCase(path);
  t.after(() => db.close());
  assert.match(db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'resources_search'`).pluck().get() as string, /resources_search_texts/);
  db.prepare(`INSERT INTO resources_search (resources_search) VALUES ('integrity-check')`).run();
  assert.deepEqual(answers(db), was.answers);
  assert.ok(indexBytes(db) < was.bytes * 0.6, `${indexBytes(db)} bytes of index, against ${was.bytes}`);

  // Writes after it: a name the id does not hold, an ARN made the id, a row gone, a new object.
  db.prepare(`UPDATE resources SET name = 'quarterly-report' WHERE id = ?`).run(object(7).id);
  db.prepare(`UPDATE resources SET arn = id WHERE id = 'sg-0a1b2c3d4e5f60718'`).run();
  db.prepare(`DELETE FROM resources WHERE id = ?`).run(object(8).id);
  db.prepare('INSERT INTO resources (id, type, name, arn) VALUES (?, ?, ?, ?)').run(object(999).id, 'object', object(999).name, object(999).arn);
  db.prepare(`INSERT INTO resources_search (resources_search) VALUES ('integrity-check')`).run();
  assert.deepEqual(resourcesMatching(db, 'quarterly', 10).map((r) => r.id), [object(7).id]);
  assert.deepEqual(resourcesMatching(db, 'security-group/sg', 10), [], 'its ARN is its id now');
  assert.deepEqual(resourcesMatching(db, 'part-00008', 10), []);
  assert.deepEqual(resourcesMatching(db, 'part-00999', 10).map((r) => r.id), [object(999).id]);
});

/** The search's answers on the case as version 148 left it, read by a plain connection (nothing migrated). */
function openCaseAt148(path: string): { answers: string[][]; bytes: number } {
  // resourcesMatching reads only `resources` and `resources_search`, which version 148 has.
  const raw = new Database(path, { readonly: true }) as unknown as CaseDb;
  try {
    return { answers: answers(raw), bytes: indexBytes(raw) };
  } finally {
    raw.close();
  }
}
