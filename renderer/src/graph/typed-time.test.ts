import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTyped } from './typed-time.ts';

test('a typed minute lands on that minute, in UTC when the app shows UTC', () => {
  assert.equal(parseTyped('2025-03-10 07:26', true), Date.parse('2025-03-10T07:26:00Z'));
  assert.equal(parseTyped('2025-03-10 07:26:30 UTC', false), Date.parse('2025-03-10T07:26:30Z'));
  assert.equal(parseTyped('2025-03-10T07:26:00Z', true), Date.parse('2025-03-10T07:26:00Z'));
  assert.equal(parseTyped('yesterday', true), null);
  assert.equal(parseTyped('2025-13-09 09:99', true), null, 'a typo is refused, not rolled over');
});
