// A scan's sources and targets are numbered: the same text has the same number, past MAX_ADDRESSES a new
// one has none and the numbering says it is full, and a source's account and address come back whole
// whatever characters a crafted record gives them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ADDRESSES, Numbering, sourceKey, sourceOfKey } from './probe-reader.ts';

test('numbers are given as texts are met, the same text keeps its number, and past the bound a new text has none', () => {
  const n = new Numbering();
  for (let i = 0; i < MAX_ADDRESSES; i++) assert.equal(n.numberOf(`10.${i}`), i);
  assert.equal(n.full, false);
  assert.equal(n.numberOf('10.7'), 7);
  assert.equal(n.numberOf('192.0.2.1'), -1);
  assert.equal(n.full, true);
  assert.equal(n.numberOf(`10.${MAX_ADDRESSES - 1}`), MAX_ADDRESSES - 1, 'a text numbered before stays numbered');
});

test('a source key gives back its account and address, separators and all', () => {
  for (const [account, address] of [['111122223333', '10.0.1.5'], [null, '2600:1f18::15'], ['12:\u00003', '1:2:\u0000'], ['', 'x']] as const) {
    assert.deepEqual(sourceOfKey(sourceKey(account, address)), { account: account || null, address });
  }
});
