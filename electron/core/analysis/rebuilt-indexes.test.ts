// A first refresh builds the derived tables' indexes after their rows: the case must come out with
// exactly the schema the migrations make, and a failed refresh must leave the indexes in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase } from '../../../test-support/case-fixtures.ts';
import { refreshDerived } from './refresh-derived.ts';
import { schemaFindings } from '../db/schema-check.ts';
import { withIndexesRebuilt } from './rebuilt-indexes.ts';

const indexesOf = (db: ReturnType<typeof memoryCase>, table: string) =>
  db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`).pluck().all(table);

test('after a bulk refresh the derived tables have every index the migrations make, and nothing else', () => {
  const db = memoryCase();
  const before = ['actor_rows', 'event_actors', 'actor_facet_rows'].map((t) => indexesOf(db, t));
  const user = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/bob', key: 'AKIABOB', userName: 'bob' };
  insertEvents(db, [
    { eventId: 'e1', time: '2024-05-01T10:00:00Z', name: 'ListBuckets', identity: user, ip: '203.0.113.5' },
    { eventId: 'e2', time: '2024-05-01T10:01:00Z', name: 'ListUsers', identity: { ...user, key: 'AKIABOB2' }, ip: '203.0.113.6' },
  ]);
  const stats = refreshDerived(db);
  assert.equal(stats.newActors, 2);
  assert.deepEqual(['actor_rows', 'event_actors', 'actor_facet_rows'].map((t) => indexesOf(db, t)), before);
  assert.ok(before.flat().length >= 8);
  assert.deepEqual(schemaFindings(db), []);
  // Used, not only present: the key lookup behind `actor` reads the rebuilt unique index.
  const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM actors WHERE actor_key = ?`).all('AKIABOB') as { detail: string }[];
  assert.match(plan.map((p) => p.detail).join(' '), /actors_key/);
});

test('a write that fails rolls the dropped indexes back with it', () => {
  const db = memoryCase();
  const before = indexesOf(db, 'actor_rows');
  assert.throws(() => db.transaction(() => withIndexesRebuilt(db, 'actor_rows', true, () => {
    assert.deepEqual(indexesOf(db, 'actor_rows'), []);
    throw new Error('write failed');
  }))(), /write failed/);
  assert.deepEqual(indexesOf(db, 'actor_rows'), before);
  assert.throws(() => withIndexesRebuilt(db, 'actor_rows', true, () => 0), /inside a transaction/);
});
