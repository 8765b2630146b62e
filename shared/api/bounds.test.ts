// The one clipping rule and the size measure every answer is checked with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipText, clipStrings, jsonChars, shownValue, utf8Bytes } from './bounds.ts';

test('clipText keeps the start (never half a character) and the full UTF-8 size', () => {
  assert.equal(clipText('short', 10), null);
  const fox = `ab🦊cd`;
  // Cutting at 3 UTF-16 units would split the fox's surrogate pair: the cut backs off to 2.
  assert.deepEqual(clipText(fox, 3), { text: 'ab', bytes: Buffer.byteLength(fox) });
  assert.deepEqual(clipText('é'.repeat(10), 4), { text: 'éééé', bytes: 20 });
  assert.equal(shownValue('abc', 1_500_000), 'abc… (1,500,000 bytes)');
  assert.equal(shownValue('abc', undefined), 'abc');
});

test('utf8Bytes and jsonChars agree with Buffer and JSON.stringify', () => {
  for (const s of ['', 'plain', 'é日🦊', '\u0000\u001b"\\\n\t', 'lone \ud83e surrogate']) assert.equal(utf8Bytes(s), s.includes('\ud83e ') ? Buffer.byteLength(s.replace('\ud83e', '\ufffd')) : Buffer.byteLength(s), s);
  const values: unknown[] = [
    { a: 1, b: 'x"y', c: [null, true, false, 1.5, -3], d: { e: '\u001b[31m\n' }, u: undefined },
    [{ id: 1, rows: [], t: '' }],
    'text',
    { nested: [[['\\']]], n: 1e21 },
  ];
  for (const v of values) assert.equal(jsonChars(v), JSON.stringify(v).length, JSON.stringify(v));
  assert.ok(jsonChars({ big: 'x'.repeat(1000) }, 10) > 10, 'stops counting past the ceiling');
});

test('clipStrings cuts every long string of an answer, keys left alone, the original untouched', () => {
  const long = 'k'.repeat(50);
  const original = { [long]: { label: 'z'.repeat(30), n: 3, list: ['short', 'w'.repeat(21)] }, same: { a: 'b' } };
  const v = clipStrings(original, 20);
  assert.equal(original[long].label, 'z'.repeat(30), 'a handler\'s own objects are not changed');
  assert.equal(v.same, original.same, 'what needed no cut is shared, not copied');
  assert.deepEqual(Object.keys(v), [long, 'same']);
  assert.equal(v[long].label, `${'z'.repeat(20)}… (30 bytes)`);
  assert.deepEqual(v[long].list, ['short', `${'w'.repeat(20)}… (21 bytes)`]);
  assert.equal(v[long].n, 3);
});
