// Events dated far from all the others (a time an export zeroed, a mistyped year) are kept, listed
// and counted, but the histogram spans the rest: drawn over 1970 to 9999, a day of events is one bar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { refreshDerived } from '../refresh-derived.ts';
import { caseSummary } from '../../case-info.ts';
import { timelinePage } from './timeline-query.ts';
import { timelineHistogram } from './timeline-histogram.ts';
import { eventSpan } from './event-span.ts';

const alice = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice', key: 'AKIAALICE0000000000A' };
const mallory = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/mallory', key: 'AKIAMALLORY00000000M' };

/** A day of calls every ten minutes, with `far` events at the given times. */
function dayWith(far: { time: string; who?: typeof alice }[]) {
  const db = memoryCase();
  const day = Array.from({ length: 144 }, (_, i) => ({
    eventId: `d${i}`, time: new Date(Date.parse('2025-06-01T00:00:00Z') + i * 600_000).toISOString(), name: 'DescribeInstances', identity: alice, ip: '198.51.100.7', readOnly: false,
  }));
  insertEvents(db, [...day, ...far.map((f, i) => ({ eventId: `far${i}`, time: f.time, name: 'StopLogging', identity: f.who ?? alice, ip: '203.0.113.9', readOnly: false }))]);
  refreshDerived(db);
  return db;
}
const total = (h: { counts: number[]; earlier: number; later: number }) => h.counts.reduce((a, b) => a + b, 0) + h.earlier + h.later;

test('a zeroed time and a year 9999 are left out of the span, counted on their side, and still listed', () => {
  const db = dayWith([{ time: '1970-01-01T00:00:00Z', who: mallory }, { time: '9999-12-31T23:59:59Z' }]);
  const summary = caseSummary(db, 'x.case');
  assert.equal(summary.firstTime, '1970-01-01T00:00:00.000Z', 'the case says its true first time');
  assert.equal(summary.lastTime, '9999-12-31T23:59:59.000Z');
  assert.deepEqual(summary.eventSpan, { from: '2025-06-01T00:00:00.000Z', to: '2025-06-01T23:50:00.000Z', earlier: 1, later: 1 });

  const h = timelineHistogram(db, {}, 24);
  assert.equal(h.from, '2025-06-01T00:00:00.000Z');
  assert.ok(h.bucketMs <= 3_600_000, 'hours, not centuries');
  assert.equal(h.counts.reduce((a, b) => a + b, 0), 144);
  assert.equal(h.earlier, 1);
  assert.equal(h.later, 1);
  // The list still holds them, at its ends: what the row source reads as its first and last windows.
  assert.deepEqual(timelinePage(db, { before: h.from }).rows.map((r) => r.eventId), ['far0']);
  assert.deepEqual(timelinePage(db, { from: h.to }).rows.map((r) => r.eventId), ['far1']);

  // Under a filter: only the far events it matches.
  const mallorys = timelineHistogram(db, { actor: mallory.arn }, 24);
  assert.deepEqual([total(mallorys), mallorys.earlier, mallorys.later], [1, 1, 0]);
  const stops = timelineHistogram(db, { eventName: 'StopLogging' }, 24);
  assert.deepEqual([total(stops), stops.earlier, stops.later], [2, 1, 1]);
  // A window the user gives is drawn as given: nothing outside it is counted.
  const windowed = timelineHistogram(db, { from: '1970-01-01T00:00:00Z', before: '9999-12-31T23:59:59.001Z' }, 24);
  assert.deepEqual([total(windowed), windowed.earlier, windowed.later], [146, 0, 0]);
  // One open end: the far events on that side are counted, the window's other end holds.
  const fromNoon = timelineHistogram(db, { from: '2025-06-01T12:00:00Z' }, 12);
  assert.deepEqual([total(fromNoon), fromNoon.earlier, fromNoon.later], [73, 0, 1]);
  const untilFar = timelineHistogram(db, { before: '1970-01-02T00:00:00Z' }, 12);
  assert.equal(total(untilFar), 1, 'a window that holds only the far event spans it');
});

test('a case whose events are spread out, or too few to tell apart, spans them all', () => {
  // A call a day over March and May, none in April: every one is part of the case.
  const spread = memoryCase();
  const days = [...Array.from({ length: 31 }, (_, i) => Date.parse('2025-03-01T09:00:00Z') + i * 86_400_000), ...Array.from({ length: 31 }, (_, i) => Date.parse('2025-05-01T09:00:00Z') + i * 86_400_000)];
  insertEvents(spread, days.map((t, i) => ({ eventId: `s${i}`, time: new Date(t).toISOString(), name: 'ListUsers', identity: alice, ip: '198.51.100.7', readOnly: true })));
  assert.deepEqual(eventSpan(spread), { first: days[0], last: days[61], from: days[0], to: days[61], earlier: 0, later: 0 });
  const h = timelineHistogram(spread, {}, 10);
  assert.deepEqual([total(h), h.earlier, h.later], [62, 0, 0]);

  // Two events (or up to four): neither is far from the other, however far apart.
  const two = memoryCase();
  insertEvents(two, [
    { eventId: 'a', time: '1970-01-01T00:00:00Z', name: 'ListUsers', identity: alice, ip: '198.51.100.7', readOnly: true },
    { eventId: 'b', time: '2025-06-01T00:00:00Z', name: 'ListUsers', identity: alice, ip: '198.51.100.7', readOnly: true },
  ]);
  assert.deepEqual(caseSummary(two, 'two.case').eventSpan, { from: '1970-01-01T00:00:00.000Z', to: '2025-06-01T00:00:00.000Z', earlier: 0, later: 0 });
  assert.equal(caseSummary(memoryCase(), 'empty.case').eventSpan, null);
});

test('a few far events are left out; more than a tail holds are part of the case, and spanned', () => {
  const zeroed = (n: number) => Array.from({ length: n }, (_, i) => ({ time: new Date(i * 1000).toISOString() }));
  // Three in 1970 beside a day of 144: strays.
  assert.deepEqual(caseSummary(dayWith(zeroed(3)), 'x.case').eventSpan, { from: '2025-06-01T00:00:00.000Z', to: '2025-06-01T23:50:00.000Z', earlier: 3, later: 0 });
  // Four of 148 (2.7%): a part of the data, drawn.
  assert.deepEqual(caseSummary(dayWith(zeroed(4)), 'x.case').eventSpan, { from: '1970-01-01T00:00:00.000Z', to: '2025-06-01T23:50:00.000Z', earlier: 0, later: 0 });
  // A case of ten events a month apart and one in 1970: the months are spanned, 1970 is not.
  const db = memoryCase();
  insertEvents(db, [{ t: '1970-01-01T00:00:00Z' }, ...Array.from({ length: 10 }, (_, i) => ({ t: `2025-${String(i + 1).padStart(2, '0')}-15T00:00:00Z` }))].map((e, i) => ({
    eventId: `m${i}`, time: e.t, name: 'ListUsers', identity: alice, ip: '198.51.100.7', readOnly: true,
  })));
  assert.deepEqual(caseSummary(db, 'months.case').eventSpan, { from: '2025-01-15T00:00:00.000Z', to: '2025-10-15T00:00:00.000Z', earlier: 1, later: 0 });
});

test('the span is found again once the case changes', () => {
  const db = dayWith([]);
  assert.deepEqual(caseSummary(db, 'x.case').eventSpan, { from: '2025-06-01T00:00:00.000Z', to: '2025-06-01T23:50:00.000Z', earlier: 0, later: 0 });
  insertEvents(db, [{ eventId: 'late', time: '9999-12-31T00:00:00Z', name: 'StopLogging', identity: mallory, ip: '203.0.113.9', readOnly: false }]);
  assert.deepEqual(caseSummary(db, 'x.case').eventSpan, { from: '2025-06-01T00:00:00.000Z', to: '2025-06-01T23:50:00.000Z', earlier: 0, later: 1 });
});
