// The table a bulk load deduplicates with: every row added is found under its hash, a hash nobody
// added almost never finds one, and rows whose kept bits collide are all returned (the writer then
// compares the stored event ids, so a collision never drops a record).
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
  let offered = 0;
  for (let i = 1; i <= n; i++) {
    const rows = rowsOf(table, cyrb53(`event-${i}`));
    assert.ok(rows.includes(i), `row ${i} is offered for its hash`);
    offered += rows.length;
  }
  // The table keeps 32 bits of each hash: a few of 300,000 share them (the writer settles those).
  assert.ok(offered - n < 50, `${offered - n} rows offered for a hash that is not theirs`);
  let foreign = 0;
  for (let i = n + 1; i <= n + 1000; i++) foreign += rowsOf(table, cyrb53(`event-${i}`)).length;
  assert.ok(foreign <= 1, `${foreign} rows offered for hashes nobody added`);
});

test('rows under one hash are all returned, and hashes that share a slot stay apart', () => {
  const table = new StoredHashes();
  table.add(42, 7);
  table.add(42, 9);
  // Same slot, different low bits: found only under its own.
  table.add(42 + 2 ** 20, 11);
  assert.deepEqual(rowsOf(table, 42), [7, 9]);
  assert.deepEqual(rowsOf(table, 42 + 2 ** 20), [11]);
  assert.deepEqual(rowsOf(table, 43), []);
  assert.equal(table.has(42, (row) => row === 9), true, 'the second row of a shared hash is found');
  assert.equal(table.has(42, (row) => row === 11), false, 'a row under another hash is not');
});

test('a row id it cannot keep is refused, not stored as an empty slot', () => {
  const table = new StoredHashes();
  assert.throws(() => table.add(1, 0), RangeError);
  assert.throws(() => table.add(1, 2 ** 60), RangeError);
  assert.throws(() => table.add(1, 2 ** 32), RangeError, 'row ids are kept as 32 bits');
  table.add(1, 2 ** 32 - 1);
  assert.deepEqual(rowsOf(table, 1), [2 ** 32 - 1]);
});

test('hashes that agree in their low 32 bits are both offered, and the caller tells them apart', () => {
  const table = new StoredHashes();
  table.add(5 + 2 ** 40, 1);
  table.add(5 + 2 ** 41, 2);
  // The table keeps the low bits only: both rows are offered for either hash, and isIt settles which.
  assert.deepEqual(rowsOf(table, 5 + 2 ** 40), [1, 2]);
  assert.equal(table.has(5 + 2 ** 41, (row) => row === 2), true);
  assert.equal(table.has(5 + 2 ** 42, (row) => row === 3), false);
});

test('8 bytes a slot: a million rows fit in 16 MB', () => {
  const table = new StoredHashes();
  for (let i = 1; i <= 1_000_000; i++) table.add(cyrb53(`event-${i}`), i);
  assert.equal(table.bytes, 16 * 1024 * 1024);
});

test('it grows a sixteenth at a time: a growth never holds much more than the table beside it', () => {
  const table = new StoredHashes();
  let bytes = table.bytes;
  let growths = 0;
  for (let i = 1; i <= 1_000_000; i++) {
    table.add(cyrb53(`event-${i}`), i);
    if (table.bytes !== bytes) {
      growths++;
      // Grown whole, the table would double (and hold the old beside the new until it was collected).
      assert.ok(table.bytes - bytes <= bytes / 8, `grew from ${bytes} to ${table.bytes} bytes at once`);
      bytes = table.bytes;
    }
  }
  assert.ok(growths >= 16 * 4, `${growths} growths`);
});

test('each table hashes with a seed of its own: texts that share one table\'s hash bits do not share the next one\'s', () => {
  const first = new StoredHashes();
  // Texts whose hashes agree in their low 12 bits in the first table (a crafted file would aim at all 32).
  const aimed: string[] = [];
  const target = first.hashOf('event-0') & 0xfff;
  for (let i = 1; aimed.length < 20; i++) if ((first.hashOf(`event-${i}`) & 0xfff) === target) aimed.push(`event-${i}`);
  const second = new StoredHashes();
  const spread = new Set(aimed.map((t) => second.hashOf(t) & 0xfff));
  assert.ok(spread.size > 10, `${spread.size} distinct low bits of 20 in another table`);
});
