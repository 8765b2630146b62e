// Windows of a value laid end to end rebuild it exactly, wherever the byte edges fall.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utf8Window } from './utf8-window.ts';

test('byte windows never split a character and rebuild the value exactly', () => {
  const value = 'aé日🦊'.repeat(50) + 'end';
  const bytes = Buffer.from(value);
  for (const size of [4, 5, 6, 7, 16, 33, 100]) {
    let offset = 0;
    const parts: string[] = [];
    while (offset < bytes.length) {
      const w = utf8Window(bytes.subarray(offset, offset + size), offset, bytes.length);
      assert.ok(w.nextOffset > offset, `progress with windows of ${size}`);
      assert.ok(!w.text.includes('\ufffd'), 'no broken character');
      parts.push(w.text);
      offset = w.nextOffset;
    }
    assert.equal(parts.join(''), value, `windows of ${size} bytes`);
  }
  // An offset inside a character (a made-up one) starts at the next whole character.
  const w = utf8Window(bytes.subarray(2, 12), 2, bytes.length);
  assert.equal(w.offset, 3);
  assert.ok(value.slice(2).startsWith(w.text));
});
