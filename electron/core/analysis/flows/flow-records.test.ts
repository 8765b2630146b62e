// Flow records read back from their blocks: a filter by interface, address, side, action, port or
// time finds exactly the records a scan of every record finds, whichever blocks the roll-ups let it
// skip; the earliest come first and a limit keeps the earliest; a block a damaged case cannot decode
// leaves the others' answers whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryCase } from '../../../../test-support/case-fixtures.ts';
import { FlowStore } from '../../db/flow-store.ts';
import { buildFlowBlock } from '../../db/flow-block.ts';
import { MAX_STORED_COLUMNS_BYTES } from '../../db/flow-block-codec.ts';
import { emptyFlowRow } from '../../ingest/parse/flow-parser.ts';
import type { FlowRow } from '../../db/flow-row.ts';
import { flowRecords, type FlowRecordFilter } from './flow-records.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-03-01T00:00:00Z');

/** Three sources over six hours: interfaces and addresses that come and go, some records without times. */
function rows(source: number): FlowRow[] {
  const out: FlowRow[] = [];
  for (let k = 0; k < 300; k++) {
    const start = k % 50 === 0 ? null : T0 + ((k * 7 + source * 13) % 360) * 60_000;
    out.push({
      ...emptyFlowRow(), version: 2, accountId: k % 3 ? '111122223333' : '444455556666', interfaceId: `eni-${source}${k % 4}`,
      srcaddr: `203.0.113.${k % 17}`, dstaddr: `10.0.${source}.${k % 5}`, srcport: 40000 + k, dstport: [22, 443, 3389][k % 3], protocol: 6,
      startTime: start, endTime: start === null ? null : start + 60_000, action: k % 5 ? 'ACCEPT' : 'REJECT',
    });
  }
  return out;
}

function scene() {
  const db = memoryCase();
  const all: FlowRow[] = [];
  for (const source of [1, 2, 3]) {
    db.prepare(`INSERT INTO source_rows (id, name, hash, size, kind, status, started_at) VALUES (?, ?, NULL, 0, 'flowlog', 'done', 0)`).run(source, `f${source}`);
    const r = rows(source);
    all.push(...r);
    db.transaction(() => new FlowStore(db).insert(source, buildFlowBlock(r)))();
  }
  return { db, all };
}

/** What a filter means, record by record. */
function matches(r: FlowRow, f: FlowRecordFilter): boolean {
  const s = r.startTime;
  return (f.eni === undefined || r.interfaceId === f.eni) && (f.srcaddr === undefined || r.srcaddr === f.srcaddr) &&
    (f.dstaddr === undefined || r.dstaddr === f.dstaddr) && (f.ip === undefined || r.srcaddr === f.ip || r.dstaddr === f.ip) &&
    (f.action === undefined || r.action === f.action) && (f.accounts === undefined || f.accounts.includes(r.accountId!)) &&
    (f.from === undefined || (s !== null && s >= f.from)) && (f.to === undefined || (s !== null && s <= f.to)) &&
    (f.port === undefined || r.dstport === f.port || r.srcport === f.port) && (f.dstPorts === undefined || f.dstPorts.includes(r.dstport!));
}

const key = (r: FlowRow) => JSON.stringify([r.interfaceId, r.srcaddr, r.dstaddr, r.srcport, r.startTime]);

test('a filter finds exactly the records that match it, whichever blocks it skips', () => {
  const { db, all } = scene();
  const filters: FlowRecordFilter[] = [
    {}, { eni: 'eni-21' }, { eni: 'eni-99' }, { ip: '203.0.113.4' }, { ip: '10.0.3.2' }, { srcaddr: '10.0.1.1' }, { dstaddr: '10.0.1.1' },
    { eni: 'eni-32', ip: '203.0.113.4' }, { action: 'REJECT', dstPorts: [22, 3389] }, { port: 443 }, { accounts: ['444455556666'] },
    { from: T0 + HOUR, to: T0 + 2 * HOUR }, { eni: 'eni-10', from: T0 + 3 * HOUR }, { ip: '203.0.113.9', to: T0 + HOUR / 2 },
  ];
  for (const f of filters) {
    const got = flowRecords(db, f, 10_000).records.map(key).sort();
    assert.deepEqual(got, all.filter((r) => matches(r, f)).map(key).sort(), JSON.stringify(f));
  }
});

test('the earliest records come first, and a limit keeps the earliest', () => {
  const { db, all } = scene();
  const { records, cut } = flowRecords(db, { eni: 'eni-20' }, 10);
  const earliest = all.filter((r) => r.interfaceId === 'eni-20').sort((a, b) => (a.startTime ?? -Infinity) - (b.startTime ?? -Infinity)).slice(0, 10);
  assert.deepEqual(records.map((r) => r.startTime), earliest.map((r) => r.startTime));
  assert.ok(cut);
  assert.ok(!flowRecords(db, { eni: 'eni-20' }, 10_000).cut);
});

test('a limit keeps the records without a start, whichever block holds them, and then the earliest', () => {
  const db = memoryCase();
  db.prepare(`INSERT INTO source_rows (id, name, hash, size, kind, status, started_at) VALUES (1, 'f', NULL, 0, 'flowlog', 'done', 0)`).run();
  const store = new FlowStore(db);
  const record = (srcport: number, start: number | null) => ({ ...emptyFlowRow(), interfaceId: 'eni-1', srcport, startTime: start });
  db.transaction(() => {
    store.insert(1, buildFlowBlock([1, 2, 3, 4, 5].map((m) => record(m, T0 + m * 60_000))));
    // A block that starts an hour later, holding records without a start: they come before every other.
    store.insert(1, buildFlowBlock([record(100, T0 + HOUR), record(101, null), record(102, null)]));
  })();
  const { records, cut } = flowRecords(db, {}, 3);
  assert.deepEqual(records.map((r) => r.srcport), [101, 102, 1]);
  assert.ok(cut);
});

test('a block the case cannot decode leaves the other blocks\' records in every answer', () => {
  const { db, all } = scene();
  db.prepare(`UPDATE flow_block_data SET columns = x'00112233' WHERE id = (SELECT id FROM flow_blocks WHERE source_id = 2)`).run();
  const got = flowRecords(db, {}, 10_000).records.map(key).sort();
  assert.deepEqual(got, all.filter((r) => !r.interfaceId!.startsWith('eni-2')).map(key).sort());
  // A blob larger than any block is not even read.
  db.prepare(`UPDATE flow_block_data SET columns = zeroblob(${MAX_STORED_COLUMNS_BYTES + 1}) WHERE id = (SELECT id FROM flow_blocks WHERE source_id = 3)`).run();
  assert.deepEqual(flowRecords(db, {}, 10_000).records.map(key).sort(), all.filter((r) => r.interfaceId!.startsWith('eni-1')).map(key).sort());
});

test('a case of more blocks than a page of the block list: every block is read, in order of first start', () => {
  const db = memoryCase();
  db.prepare(`INSERT INTO source_rows (id, name, hash, size, kind, status, started_at) VALUES (1, 'f', NULL, 0, 'flowlog', 'done', 0)`).run();
  const store = new FlowStore(db);
  const n = 10_050;
  db.transaction(() => {
    for (let k = 0; k < n; k++) {
      // Stored out of time order; every 1,000th without a start.
      const start = k % 1000 === 7 ? null : T0 + ((k * 7919) % n) * 60_000;
      store.insert(1, buildFlowBlock([{ ...emptyFlowRow(), interfaceId: `eni-${k % 3}`, srcport: k, startTime: start }]));
    }
  })();
  const all = flowRecords(db, {}, 2 * n).records;
  assert.equal(all.length, n);
  const starts = all.map((r) => r.startTime ?? -Infinity);
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
  assert.equal(flowRecords(db, { eni: 'eni-2' }, 2 * n).records.length, Math.floor(n / 3));
  const earliest = flowRecords(db, { from: T0 }, 5).records.map((r) => r.startTime);
  assert.deepEqual(earliest, [0, 1, 2, 3, 4].map((m) => T0 + m * 60_000));
});
