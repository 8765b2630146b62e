// The table a bulk load deduplicates with: every row added is found under its hash, a hash nobody
// added finds nothing, and rows whose hashes collide are all returned (the writer then compares the
// stored event ids, so a collision never drops a record).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoredHashes } from './stored-hashes.ts';
import { cyrb53 } from '../db/flow-content-hash.ts';

/** Every row the table offers for a hash (has() asks about each until one is it). */
function rowsOf(table: StoredHashes, hash: number): number[] {
  const rows: number[] = [];
  table.has(hash, (row) => (rows.push(row), false));
  return rows;
}

test('every added row is found under its hash, through many growths; other hashes find nothing', () => {
  const table = new StoredHashes();
  const n = 300_000; // the table starts at 65,536 slots: this grows it three times
  for (let i = 1; i <= n; i++) table.add(cyrb53(`event-${i}`), i);
  for (let i = 1; i <= n; i++) assert.deepEqual(rowsOf(table, cyrb53(`event-${i}`)), [i]);
  for (let i = n + 1; i <= n + 1000; i++) assert.deepEqual(rowsOf(table, cyrb53(`event-${i}`)), []);
});

test('rows under one hash are all returned, and hashes that share a slot stay apart', () => {
  const table = new StoredHashes();
  table.add(42, 7);
  table.add(42, 9);
  // Same low bits (the slot), different hash: found only under its own.
  table.add(42 + 2 ** 40, 11);
  assert.deepEqual(rowsOf(table, 42), [7, 9]);
  assert.deepEqual(rowsOf(table, 42 + 2 ** 40), [11]);
  assert.deepEqual(rowsOf(table, 43), []);
  assert.equal(table.has(42, (row) => row === 9), true, 'the second row of a shared hash is found');
  assert.equal(table.has(42, (row) => row === 11), false, 'a row under another hash is not');
});

test('a row id it cannot keep is refused, not stored as an empty slot', () => {
  const table = new StoredHashes();
  assert.throws(() => table.add(1, 0), RangeError);
  assert.throws(() => table.add(1, 2 ** 60), RangeError);
});
