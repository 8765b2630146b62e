// The graph's public peers of each interface, counted on each block's dictionary ids: the same peers,
// directions and accepted / rejected counts as a record-by-record reading of the flow-direction field
// (else the one public side), for the whole case, at moments inside a bucket, and for one node.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryCase } from '../../../../test-support/case-fixtures.ts';
import { FlowStore } from '../../db/flow-store.ts';
import { buildFlowBlock } from '../../db/flow-block.ts';
import { emptyFlowRow } from '../../ingest/parse/flow-parser.ts';
import type { FlowRow } from '../../db/flow-row.ts';
import { isPublicAddress } from '../attribution/instance-addresses.ts';
import { countsAt } from '../graph/graph-counts.ts';
import { peersOf } from '../graph/node-counts.ts';
import type { PeerCount } from './peer-counts.ts';

const T0 = Date.parse('2025-03-01T00:00:00Z');
const ADDRESSES = ['203.0.113.7', '198.51.100.20', '10.0.0.5', '172.16.4.4', '8.8.8.8', '', 'amazonaws.com'];

/** Two sources of records in every shape the peer test meets: stated and unstated directions, private pairs, no interface, no start. */
function rows(source: number): FlowRow[] {
  const out: FlowRow[] = [];
  for (let k = 0; k < 400; k++) {
    const start = k % 37 === 0 ? null : T0 + ((k * 11 + source * 17) % 240) * 60_000 + k;
    out.push({
      ...emptyFlowRow(), version: 5, interfaceId: k % 23 === 0 ? null : k % 29 === 0 ? '' : `eni-${source}${k % 3}`,
      srcaddr: ADDRESSES[k % 7], dstaddr: ADDRESSES[(k * 3 + source) % 7], srcport: 40000 + k, dstport: 22, protocol: 6,
      startTime: start, endTime: start === null ? null : start + 60_000, action: k % 4 ? 'ACCEPT' : 'REJECT',
      flowDirection: k % 5 === 0 ? 'ingress' : k % 5 === 1 ? 'egress' : k % 5 === 2 ? 'sideways' : null,
    });
  }
  return out;
}

function scene() {
  const db = memoryCase();
  const all: FlowRow[] = [];
  for (const source of [1, 2]) {
    db.prepare(`INSERT INTO source_rows (id, name, hash, size, kind, status, started_at) VALUES (?, ?, NULL, 0, 'flowlog', 'done', 0)`).run(source, `f${source}`);
    const r = rows(source);
    all.push(...r);
    db.transaction(() => new FlowStore(db).insert(source, buildFlowBlock(r)))();
  }
  return { db, all };
}

/** The peer of one record and its direction, read from its texts. */
function peerOf(r: FlowRow): { peer: string; inbound: boolean } | null {
  if (!r.interfaceId) return null;
  let inbound: boolean;
  if (r.flowDirection === 'ingress') inbound = true;
  else if (r.flowDirection === 'egress') inbound = false;
  else if (isPublicAddress(r.srcaddr) !== isPublicAddress(r.dstaddr)) inbound = isPublicAddress(r.srcaddr);
  else return null;
  const peer = inbound ? r.srcaddr : r.dstaddr;
  return peer && isPublicAddress(peer) ? { peer, inbound } : null;
}

/** Peers counted record by record, sorted for comparison. */
function expected(records: FlowRow[]): PeerCount[] {
  const byLink = new Map<string, PeerCount>();
  for (const r of records) {
    const p = peerOf(r);
    if (!p) continue;
    const link = JSON.stringify([p.peer, r.interfaceId, p.inbound]);
    const c = byLink.get(link) ?? { peer: p.peer, eni: r.interfaceId!, inbound: p.inbound, accepted: 0, rejected: 0 };
    byLink.set(link, c);
    if (r.action === 'REJECT') c.rejected++;
    else c.accepted++;
  }
  return sorted([...byLink.values()]);
}

const sorted = (peers: PeerCount[]) => [...peers].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

test('the graph counts each public peer of an interface as the records say, whole case and at moments inside a bucket', () => {
  const { db, all } = scene();
  const whole = countsAt(db, null).peers;
  assert.ok(whole.length > 10, 'the scene has peers to count');
  assert.ok(whole.some((p) => p.rejected > 0) && whole.some((p) => !p.inbound) && whole.some((p) => p.inbound));
  // Records without a start belong to no moment: the graph's series leaves them out.
  assert.deepEqual(sorted(whole), expected(all.filter((r) => r.startTime !== null)));
  for (const minutes of [0, 7, 61, 133, 239]) {
    const at = T0 + minutes * 60_000 + 30_001;
    assert.deepEqual(sorted(countsAt(db, at).peers), expected(all.filter((r) => r.startTime !== null && r.startTime <= at)), `at +${minutes} min`);
  }
});

test("a node's peers: an interface's, and the interfaces a public address met as the peer", () => {
  const { db, all } = scene();
  const at = T0 + 120 * 60_000;
  const upTo = all.filter((r) => r.startTime !== null && r.startTime <= at);
  const eni = peersOf(db, 'eni-21', at);
  assert.equal(eni.cut, false);
  assert.deepEqual(sorted(eni.rows), expected(upTo.filter((r) => r.interfaceId === 'eni-21')));
  const address = peersOf(db, 'ip/203.0.113.7', at);
  assert.deepEqual(sorted(address.rows), expected(upTo.filter((r) => r.srcaddr === '203.0.113.7' || r.dstaddr === '203.0.113.7'))
    .filter((p) => p.peer === '203.0.113.7'));
  assert.ok(address.rows.length > 0);
});
