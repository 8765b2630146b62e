// Conversations counted on the blocks' columns: the same conversations, fields, counts and order as
// rolling up the earliest records one by one (the records a time-ordered read returns), whether the
// bound on records read bites or not; and the earliest-records bound itself against a sort.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlowConversation } from '../../../../shared/engine-types.ts';
import { memoryCase } from '../../../../test-support/case-fixtures.ts';
import { FlowStore } from '../../db/flow-store.ts';
import { buildFlowBlock } from '../../db/flow-block.ts';
import { emptyFlowRow } from '../../ingest/parse/flow-parser.ts';
import type { FlowRow } from '../../db/flow-row.ts';
import { flowConversationKey } from '../../../../shared/flow-key.ts';
import { isPublicAddress } from '../attribution/instance-addresses.ts';
import { flowRecords, type FlowRecordFilter } from './flow-records.ts';
import { rollUpConversations } from './conversations.ts';
import { EarliestRecords } from './earliest-records.ts';

const T0 = Date.parse('2025-03-01T00:00:00Z');
const ADDRESSES = ['203.0.113.7', '198.51.100.20', '10.0.0.5', '172.16.4.4', '8.8.8.8', ''];

/** Three sources whose times overlap, in every shape: stated and unstated directions, replies, missing fields, no start. */
function rows(source: number): FlowRow[] {
  const out: FlowRow[] = [];
  for (let k = 0; k < 500; k++) {
    const start = k % 41 === 0 ? null : T0 + ((k * 13 + source * 29) % 300) * 60_000 + (k % 3) * 1000;
    out.push({
      ...emptyFlowRow(), version: 5, interfaceId: k % 31 === 0 ? null : `eni-${k % 4}`,
      srcaddr: ADDRESSES[k % 6], dstaddr: ADDRESSES[(k * 5 + source) % 6], srcport: k % 7 === 0 ? null : [22, 443, 50000 + k][k % 3],
      dstport: k % 11 === 0 ? null : [22, 3389, 40000 + k][(k + source) % 3], protocol: k % 13 === 0 ? null : 6,
      packets: k % 9 === 0 ? null : k, bytes: k * 40, startTime: start, endTime: start === null || k % 8 === 0 ? null : start + 90_000,
      action: k % 17 === 0 ? null : k % 4 ? 'ACCEPT' : 'REJECT', flowDirection: k % 5 === 0 ? 'ingress' : k % 5 === 1 ? 'egress' : null,
    });
  }
  return out;
}

function scene() {
  const db = memoryCase();
  for (const source of [1, 2, 3]) {
    db.prepare(`INSERT INTO source_rows (id, name, hash, size, kind, status, started_at) VALUES (?, ?, NULL, 0, 'flowlog', 'done', 0)`).run(source, `f${source}`);
    db.transaction(() => new FlowStore(db).insert(source, buildFlowBlock(rows(source))))();
  }
  return db;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The roll-up read one record at a time, the earliest first. */
function expected(db: ReturnType<typeof scene>, f: FlowRecordFilter, windowMs: number, maxScan: number): FlowConversation[] {
  const convs = new Map<string, FlowConversation>();
  for (const r of flowRecords(db, f, maxScan).records) {
    if (r.startTime === null) continue;
    const pub = isPublicAddress;
    const inbound = r.flowDirection === 'ingress' ? true : r.flowDirection === 'egress' ? false
      : pub(r.srcaddr) && !pub(r.dstaddr) ? true : !pub(r.srcaddr) && pub(r.dstaddr) ? false : null;
    const reply = r.srcport !== null && r.dstport !== null && r.srcport < r.dstport && r.srcport < 1024;
    const o = inbound === null ? { direction: 'unknown' as const, local: r.dstaddr, peer: r.srcaddr, port: r.dstport }
      : inbound ? { direction: 'inbound' as const, local: r.dstaddr, peer: r.srcaddr, port: r.dstport }
        : reply ? { direction: 'inbound' as const, local: r.srcaddr, peer: r.dstaddr, port: r.srcport }
          : { direction: 'outbound' as const, local: r.srcaddr, peer: r.dstaddr, port: r.dstport };
    const w = Math.floor(r.startTime / windowMs) * windowMs;
    const key = JSON.stringify([r.interfaceId, o.peer, o.port, r.protocol, o.direction, w]);
    const last = iso(r.endTime ?? r.startTime)!;
    let c = convs.get(key);
    if (!c) {
      c = {
        key: flowConversationKey({ interfaceId: r.interfaceId, direction: o.direction, peerAddress: o.peer, port: o.port, protocol: r.protocol }),
        interfaceId: r.interfaceId, localAddress: o.local, peerAddress: o.peer, direction: o.direction, port: o.port, protocol: r.protocol,
        windowStart: iso(w)!, windowEnd: iso(w + windowMs)!, firstSeen: iso(r.startTime), lastSeen: last,
        records: 0, packets: 0, bytes: 0, accepted: 0, rejected: 0, peerIsPublic: isPublicAddress(o.peer),
      };
      convs.set(key, c);
    }
    c.records++;
    c.packets += r.packets ?? 0;
    c.bytes += r.bytes ?? 0;
    if (r.action === 'ACCEPT') c.accepted++;
    else if (r.action === 'REJECT') c.rejected++;
    if (last > c.lastSeen!) c.lastSeen = last;
  }
  return [...convs.values()];
}

test('conversations hold what a one-by-one roll-up of the earliest records gives, in its order, bound or not', () => {
  const db = scene();
  const filters: FlowRecordFilter[] = [{}, { eni: 'eni-1' }, { ip: '203.0.113.7' }, { from: T0 + 3_600_000, to: T0 + 9_000_000 }, { port: 22 }];
  let compared = 0;
  for (const f of filters) {
    for (const windowMs of [60_000, 3_600_000]) {
      // 1,500 records in all: a bound of 2,000 reads them all; the others cut inside the untimed records, at a tie, and later.
      for (const maxScan of [2_000, 5, 300, 777]) {
        const got = rollUpConversations(db, f, { windowMs, limit: 10_000, maxScan });
        assert.deepEqual(got, expected(db, f, windowMs, maxScan), JSON.stringify({ f, windowMs, maxScan }));
        compared += got.length;
      }
    }
  }
  assert.ok(compared > 1000, 'the scene has conversations to compare');
  const limited = rollUpConversations(db, {}, { windowMs: 60_000, limit: 7, maxScan: 2_000 });
  assert.deepEqual(limited, expected(db, {}, 60_000, 2_000).slice(0, 7));
});

test('the earliest records: where the k earliest of a stream end, records without a start first, ties by id', () => {
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (const k of [1, 3, 50, 1000]) {
    const earliest = new EarliestRecords(k);
    const all: [number, number][] = [];
    for (let id = 0; id < 5000; id++) {
      // Few distinct starts, so many ties; some records without one.
      const start = random() < 0.05 ? NaN : Math.floor(random() * 40);
      earliest.add(start, id);
      all.push([Number.isNaN(start) ? -Infinity : start, id]);
    }
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const cut = earliest.cutoff();
    assert.deepEqual([cut.start, cut.id], all[k - 1], `k = ${k}`);
    assert.equal(all.filter(([s, id]) => cut.includes(s, id)).length, k);
  }
});
