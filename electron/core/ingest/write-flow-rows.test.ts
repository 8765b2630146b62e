// A live pull hands the writer a page of flow records of any size: it is stored as blocks small
// enough to decode, every record once with an id of its own, and the page's checkpoint with the last.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryCase } from '../../../test-support/case-fixtures.ts';
import { flowRecords } from '../analysis/flows/flow-records.ts';
import { emptyFlowRow } from './parse/flow-parser.ts';
import { FLOW_PART_RECORDS } from '../db/flow-columns-builder.ts';
import { CaseWriter } from './writer.ts';

test('a page larger than a block is split into blocks; the records, their ids and the checkpoint all land', () => {
  const db = memoryCase();
  const writer = new CaseWriter(db);
  const source = writer.startSource({ path: 'cloudwatch:/flows', sha256: 'x', size: 0, kind: 'flowlog' });
  const n = 2 * FLOW_PART_RECORDS + 123;
  const rows = Array.from({ length: n }, (_, i) => ({ ...emptyFlowRow(), interfaceId: 'eni-1', srcaddr: `10.0.${i >> 8}.${i & 255}`, srcport: i, startTime: 1_700_000_000_000 + i }));
  const counts = writer.writeFlowRows(source, [...rows, rows[0]], [], { key: 'pull:flows', value: 'page-1' });
  assert.deepEqual([counts.stored, counts.duplicates], [n, 1]);
  assert.equal(db.prepare('SELECT count(*) FROM flow_blocks').pluck().get(), 3);
  const back = flowRecords(db, {}, 10 * n).records;
  assert.equal(back.length, n);
  assert.equal(new Set(back.map((r) => r.id)).size, n, 'every record its own id');
  assert.equal(writer.getCheckpoint('pull:flows'), 'page-1');
});

test('a record read again is stored once, whether or not it has a start time and whatever else its block holds', () => {
  const db = memoryCase();
  const writer = new CaseWriter(db);
  const source = writer.startSource({ path: 'flows.log', sha256: 'y', size: 0, kind: 'flowlog' });
  const record = (srcport: number, startTime: number | null) => ({ ...emptyFlowRow(), interfaceId: 'eni-1', srcaddr: '10.0.0.1', srcport, startTime });
  const noStart = record(1, null);
  writer.writeFlowRows(source, [record(2, 1_000_000), noStart, record(3, 2_000_000)], []);
  // Another file of other hours (its block's time range does not meet the first's), with the record without a start among them.
  const again = writer.writeFlowRows(source, [record(4, 9_000_000), { ...noStart }, record(5, 9_500_000)], []);
  assert.deepEqual([again.stored, again.duplicates], [2, 1]);
  const overlapping = writer.writeFlowRows(source, [record(3, 2_000_000), record(7, 2_100_000)], []);
  assert.deepEqual([overlapping.stored, overlapping.duplicates], [1, 1]);
  // A file of records without times only, holding it once more.
  const untimed = writer.writeFlowRows(source, [{ ...noStart }, record(6, null)], []);
  assert.deepEqual([untimed.stored, untimed.duplicates], [1, 1]);
  assert.equal(flowRecords(db, {}, 100).records.length, 7);
});
