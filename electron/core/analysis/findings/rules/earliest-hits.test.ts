// A rule's hits past its limit: the earliest are kept, in the timeline's order, whatever order they
// were found in, and once the limit is reached a later candidate is not wanted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EarliestHits, type Timed } from './earliest-hits.ts';

type Hit = Timed & { eventId: string };
const order = (a: Hit, b: Hit) => a.time - b.time || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
const hit = (time: number, eventId: string, id = time): Hit => ({ id, time, eventId });

test('the earliest hits are kept, ties of one time by eventID, whatever order they were found in', () => {
  const found = [hit(50, 'e'), hit(10, 'b', 11), hit(40, 'd'), hit(10, 'a', 12), hit(30, 'c'), hit(20, 'z'), hit(60, 'f')];
  const kept = (hits: Hit[]) => {
    const h = new EarliestHits<Hit>(3, order);
    for (const x of hits) h.add(x);
    return { ids: h.hits().map((x) => x.eventId), overflowed: h.overflowed };
  };
  assert.deepEqual(kept(found), { ids: ['a', 'b', 'z'], overflowed: true });
  assert.deepEqual(kept([...found].reverse()), { ids: ['a', 'b', 'z'], overflowed: true });
  assert.deepEqual(kept(found.slice(0, 3)), { ids: ['b', 'd', 'e'], overflowed: false });
});

test('past the limit only candidates up to the latest kept hit are wanted', () => {
  const h = new EarliestHits<Hit>(2, order);
  for (const t of [40, 30, 20]) h.add(hit(t, `t${t}`));
  assert.equal(h.wants(30), true, 'the latest kept one\'s time: a lower eventID may still come');
  assert.equal(h.wants(31), false);
  // Many earlier hits, one at a time: the kept ones stay the earliest.
  for (let t = 19; t >= 0; t--) h.add(hit(t, `t${String(t).padStart(2, '0')}`));
  assert.deepEqual(h.hits().map((x) => x.time), [0, 1]);
  assert.equal(h.wants(2), false);
});
