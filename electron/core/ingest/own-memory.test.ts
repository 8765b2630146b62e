// Only memory nothing else shares is freed or moved: a pooled small buffer never is, whatever its size.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freeNow, ownMemory } from './own-memory.ts';

test('a small buffer cut from a shared pool is not its own; a small allocation of its own is', () => {
  const pooled = Buffer.from('a few bytes');
  const neighbour = Buffer.from('another few bytes');
  assert.equal(pooled.buffer, neighbour.buffer, 'both come from the same pool');
  assert.equal(ownMemory(pooled), null);
  freeNow(pooled);
  assert.equal(neighbour.toString(), 'another few bytes');

  const own = Buffer.allocUnsafeSlow(100).fill(1);
  assert.equal(ownMemory(own), own.buffer);
  assert.equal(ownMemory(own.subarray(10)), null, 'part of a small allocation may share it with other views');
  freeNow(own);
  assert.equal(own.length, 0, 'freed: the view reads as empty');
  assert.equal(ownMemory(own), null, 'already freed');
});

test('memory larger than a pool is the view\'s own, as before', () => {
  const large = Buffer.alloc(64 * 1024);
  assert.equal(ownMemory(large.subarray(0, 100)), large.buffer);
});
