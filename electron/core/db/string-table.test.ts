import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryCase } from '../../../test-support/case-fixtures.ts';
import { StringTable } from './string-table.ts';

test('the bounded cache keeps one id per text, however many texts went through it', () => {
  const db = memoryCase();
  const strings = new StringTable(db, 3);
  const texts = Array.from({ length: 20 }, (_, i) => `ASIA${String(i).padStart(16, '0')}`);
  const first = texts.map((t) => strings.id(t));
  // Asked again after the cache turned over several times: the stored ids, no second row.
  assert.deepEqual(texts.map((t) => strings.id(t)), first);
  assert.deepEqual(texts.map((t) => strings.find(t)), first);
  assert.equal(db.prepare('SELECT count(*) FROM strings WHERE value LIKE ?').pluck().get('ASIA%'), 20);
  assert.equal(new Set(first).size, 20);
  assert.equal(strings.id(null), null);
  assert.equal(strings.find('never stored'), null);
});
