// The timeline as the workbench asks for it: read-only calls hidden, a graph node's events, windows
// with an exclusive end, and the brush's histogram.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { refreshDerived } from '../refresh-derived.ts';
import { timelinePage, timelineRowById } from './timeline-query.ts';
import { timelineHistogram } from './timeline-histogram.ts';

const ROLE = 'arn:aws:iam::111111111111:role/admin';
const SESSION = 'arn:aws:sts::111111111111:assumed-role/admin/bob';
const alice = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice', key: 'AKIAALICE0000000000A' };
const bob = { type: 'AssumedRole', arn: SESSION, key: 'ASIABOB00000000000B', issuer: ROLE, session: 'bob' };

function scene() {
  const db = memoryCase();
  insertEvents(db, [
    { eventId: 'a1', time: '2025-01-01T10:00:00Z', name: 'DescribeInstances', identity: alice, ip: '198.51.100.7', readOnly: true },
    { eventId: 'a2', time: '2025-01-01T10:10:00Z', name: 'StopInstances', identity: alice, ip: '198.51.100.7', readOnly: false, resources: [{ id: 'i-1', type: 'instance', touch: 'modified' }] },
    { eventId: 'b1', time: '2025-01-01T11:00:00Z', name: 'TerminateInstances', identity: bob, ip: '203.0.113.9', readOnly: false, resources: [{ id: 'i-1', type: 'instance', touch: 'deleted' }] },
    { eventId: 'b2', time: '2025-01-01T12:00:00Z', name: 'ListBuckets', identity: bob, ip: '203.0.113.9', readOnly: true },
  ]);
  refreshDerived(db);
  return db;
}
const ids = (p: { rows: { eventId: string }[] }) => p.rows.map((r) => r.eventId);

test('read-only calls are hidden only when asked', () => {
  const db = scene();
  assert.deepEqual(ids(timelinePage(db, {})), ['a1', 'a2', 'b1', 'b2']);
  assert.deepEqual(ids(timelinePage(db, { includeReadOnly: false })), ['a2', 'b1']);
});

test('node: where it acted or was touched, for a resource, an identity, a key, an address and a role', () => {
  const db = scene();
  assert.deepEqual(ids(timelinePage(db, { node: 'i-1' })), ['a2', 'b1']);
  assert.deepEqual(ids(timelinePage(db, { node: alice.arn })), ['a1', 'a2']);
  assert.deepEqual(ids(timelinePage(db, { node: bob.key })), ['b1', 'b2']);
  assert.deepEqual(ids(timelinePage(db, { node: 'ip/203.0.113.9' })), ['b1', 'b2']);
  assert.deepEqual(ids(timelinePage(db, { node: ROLE })), ['b1', 'b2'], 'a role: its sessions\' calls');
  assert.deepEqual(ids(timelinePage(db, { node: 'i-1', includeReadOnly: false, from: '2025-01-01T10:30:00Z' })), ['b1']);
});

test("a temporary key's events begin with the call that issued it, which names it as its credential, not as a resource", () => {
  const db = memoryCase();
  insertEvents(db, [
    { eventId: 'ar', time: '2025-01-01T10:50:00Z', name: 'AssumeRole', identity: alice, ip: '198.51.100.7', readOnly: false,
      issued: { key: bob.key, role: ROLE, session: 'bob', issuedArn: SESSION }, resources: [{ id: SESSION, type: 'session', touch: 'created' }] },
    { eventId: 'b1', time: '2025-01-01T11:00:00Z', name: 'TerminateInstances', identity: bob, ip: '203.0.113.9', readOnly: false },
    { eventId: 'a3', time: '2025-01-01T11:10:00Z', name: 'StopInstances', identity: alice, ip: '198.51.100.7', readOnly: false },
  ]);
  refreshDerived(db);
  assert.deepEqual(ids(timelinePage(db, { node: bob.key })), ['ar', 'b1']);
  assert.deepEqual(ids(timelinePage(db, { node: alice.key })), ['ar', 'a3'], 'the caller\'s key: its calls alone');
});

test('before is exclusive, to is inclusive', () => {
  const db = scene();
  assert.deepEqual(ids(timelinePage(db, { before: '2025-01-01T11:00:00Z' })), ['a1', 'a2']);
  assert.deepEqual(ids(timelinePage(db, { to: '2025-01-01T11:00:00Z' })), ['a1', 'a2', 'b1']);
});

test('histogram counts the filtered events per bucket over the window', () => {
  const db = scene();
  const h = timelineHistogram(db, { from: '2025-01-01T10:00:00Z', before: '2025-01-01T13:00:00Z' }, 3);
  assert.equal(h.bucketMs, 3600_000);
  assert.deepEqual(h.counts, [2, 1, 1]);
  assert.deepEqual(timelineHistogram(db, { from: '2025-01-01T10:00:00Z', before: '2025-01-01T13:00:00Z', includeReadOnly: false }, 3).counts, [1, 1, 0]);
  assert.deepEqual(timelineHistogram(db, { from: '2025-01-01T10:00:00Z', before: '2025-01-01T13:00:00Z', actor: alice.arn }, 3).counts, [2, 0, 0]);
  const whole = timelineHistogram(db, {}, 4);
  assert.equal(whole.counts.reduce((a, b) => a + b, 0), 4, 'the case span covers every event');
});

test('each bucket holds exactly the rows a page of its window lists, for broad and narrow filters alike', () => {
  const db = scene();
  // The row source of the page reads bucket i as the window [from + i·bucketMs, from + (i+1)·bucketMs):
  // a count that differs from those rows would put rows in the wrong place. Odd bucket widths too.
  for (const filter of [{}, { includeReadOnly: false }, { eventName: 'StopInstances' }, { node: 'i-1' }, { actor: bob.arn }, { text: 'alice' }]) {
    for (const buckets of [1, 3, 7, 1000]) {
      const h = timelineHistogram(db, filter, buckets);
      const from = Date.parse(h.from);
      const listed = h.counts.map((_, i) => {
        const lo = from + i * h.bucketMs;
        const hi = Math.min(lo + h.bucketMs, Date.parse(h.to));
        return lo < hi ? timelinePage(db, { ...filter, from: new Date(lo).toISOString(), before: new Date(hi).toISOString() }).rows.length : 0;
      });
      assert.deepEqual(h.counts, listed, `${JSON.stringify(filter)} in ${buckets} buckets`);
    }
  }
});

test('one row by id', () => {
  const db = scene();
  const page = timelinePage(db, {});
  for (const r of page.rows) assert.equal(timelineRowById(db, r.id)?.eventId, r.eventId);
  assert.equal(timelineRowById(db, 999), null);
});
