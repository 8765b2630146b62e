// Flow log lines are read straight into a block's columns and hashed from them: every layout, in the
// hash's field order or not, must give the record and the hash that the record itself gives
// (flowContentHash), which is what deduplication compares with stored blocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowLineParser, DEFAULT_FIELDS, emptyFlowRow } from './flow-parser.ts';
import { FlowColumnsBuilder } from '../../db/flow-columns-builder.ts';
import { flowContentHash } from '../../db/flow-content-hash.ts';
import { decodeFlowColumns, packFlowColumns } from '../../db/flow-block-codec.ts';
import type { FlowRow } from '../types.ts';

// AWS's field list (version 5 and the ECS fields after it): the hash's order, with fields it leaves out between.
const AWS_FIELDS = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end',
  'action', 'log-status', 'vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr', 'region', 'az-id',
  'sublocation-type', 'sublocation-id', 'pkt-src-aws-service', 'pkt-dst-aws-service', 'flow-direction', 'traffic-path', 'ecs-cluster-name',
];
const KEY: Record<string, keyof FlowRow> = {
  version: 'version', 'account-id': 'accountId', 'interface-id': 'interfaceId', srcaddr: 'srcaddr', dstaddr: 'dstaddr', srcport: 'srcport',
  dstport: 'dstport', protocol: 'protocol', packets: 'packets', bytes: 'bytes', start: 'startTime', end: 'endTime', action: 'action',
  'log-status': 'logStatus', 'vpc-id': 'vpcId', 'subnet-id': 'subnetId', 'instance-id': 'instanceId', 'tcp-flags': 'tcpFlags',
  type: 'trafficType', 'pkt-srcaddr': 'pktSrcaddr', 'pkt-dstaddr': 'pktDstaddr', region: 'region', 'az-id': 'azId',
  'sublocation-type': 'sublocationType', 'sublocation-id': 'sublocationId', 'pkt-src-aws-service': 'pktSrcAwsService',
  'pkt-dst-aws-service': 'pktDstAwsService', 'flow-direction': 'flowDirection', 'traffic-path': 'trafficPath',
};
const NUMBERS = new Set(['version', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'tcp-flags', 'traffic-path']);

/** A deterministic value for a field: '-' now and then, texts that repeat and texts that do not. */
function value(field: string, i: number): string {
  if ((i * 7 + field.length) % 11 === 0) return '-';
  if (field === 'start' || field === 'end') return String(1_700_000_000 + i * 60 + (field === 'end' ? 59 : 0));
  if (field === 'bytes') return String(i * 2 ** 33 + 5);
  if (NUMBERS.has(field)) return String((i * 31 + field.length) % 65_536);
  if (field === 'srcaddr' || field === 'pkt-srcaddr') return `10.0.${i % 7}.${i % 251}`;
  if (field === 'dstaddr') return `203.0.113.${(i * 13) % 256}`;
  return `${field}-${i % 3}\u00e9`;
}

/** The record a line is, by the fields' names: what the parser must read, built apart from it. */
function expected(fields: string[], tokens: string[]): FlowRow {
  const row = emptyFlowRow() as Record<string, unknown>;
  fields.forEach((f, k) => {
    const key = KEY[f];
    if (!key || tokens[k] === '-') return;
    row[key] = NUMBERS.has(f) ? Number(tokens[k]) * (f === 'start' || f === 'end' ? 1000 : 1) : tokens[k];
  });
  return row as FlowRow;
}

function readLines(fields: string[], lines: string[], plain = true): { records: FlowColumnsBuilder; outs: (true | string | null)[] } {
  const parser = new FlowLineParser();
  const records = new FlowColumnsBuilder();
  const outs = [parser.readInto(records, fields.join(' '), 0, fields.join(' ').length, false)];
  for (const line of lines) outs.push(parser.readInto(records, line, 0, line.length, plain));
  return { records, outs };
}

test('every layout reads each line into its record and that record\'s hash, in the hash\'s order or not', () => {
  const shuffled = (list: string[], seed: number) => [...list].sort((a, b) => ((a.length * seed + a.charCodeAt(1)) % 13) - ((b.length * seed + b.charCodeAt(1)) % 13) || a.localeCompare(b));
  const layouts = [
    DEFAULT_FIELDS,
    AWS_FIELDS,
    // Some fields, in order, with gaps: the nulls between them are mixed as they are passed.
    ['version', 'vpc-id', 'srcaddr', 'start', 'tcp-flags', 'pkt-dstaddr', 'flow-direction'],
    ['interface-id', 'srcaddr', 'dstaddr', 'action', 'traffic-path'],
    // Out of order, a field named twice, a field Trailscope does not know: hashed from the values read.
    shuffled(AWS_FIELDS, 3),
    shuffled(DEFAULT_FIELDS, 5),
    ['srcaddr', 'version', 'srcaddr', 'unknown-field', 'end'],
  ];
  for (const fields of layouts) {
    const lines = Array.from({ length: 60 }, (_, i) => fields.map((f) => value(f, i)).join(' '));
    const { records, outs } = readLines(fields, lines);
    assert.equal(outs[0], null, 'the header line is no record');
    assert.equal(records.length, lines.length, fields.join(' '));
    lines.forEach((line, i) => {
      const want = expected(fields, line.split(' '));
      // A field named twice keeps its last value, as the tokenizer does.
      assert.deepEqual(records.row(i), want, `${fields.join(' ')}: line ${i}`);
      assert.equal(records.hashes[i], flowContentHash(want), `${fields.join(' ')}: hash of line ${i}`);
    });
  }
});

test('a line the plain reading gives up on is read by the tokenizer into the same record and hash', () => {
  const fields = AWS_FIELDS;
  const lines = Array.from({ length: 20 }, (_, i) => fields.map((f) => value(f, i)).join(' '));
  const plain = readLines(fields, lines);
  // Doubled spaces, a tab, a trailing carriage return, a comment: each goes the general way.
  const odd = lines.map((l, i) => (i % 4 === 0 ? l.replace(' ', '  ') : i % 4 === 1 ? l.replace(' ', '\t') : i % 4 === 2 ? `${l}\r` : `${l} # note`));
  const general = readLines(fields, odd, false);
  assert.deepEqual(general.records.rows(), plain.records.rows());
  assert.deepEqual([...general.records.hashes.subarray(0, 20)], [...plain.records.hashes.subarray(0, 20)]);
});

test('a line refused half way leaves nothing behind: not its values, not the columns it alone made', () => {
  const fields = ['version', 'srcaddr', 'tcp-flags', 'vpc-id', 'bytes'];
  const parser = new FlowLineParser(fields);
  const records = new FlowColumnsBuilder();
  const read = (line: string) => parser.readInto(records, line, 0, line.length, true);
  assert.equal(read('5 10.0.0.1 - - 100'), true);
  // tcp-flags and vpc-id are first given by this line, which is then refused at bytes.
  assert.equal(read('5 10.0.0.2 19 vpc-1 lots'), 'bytes is not a number');
  assert.equal(read('5 10.0.0.3 - - 300'), true);
  assert.equal(records.length, 2);
  const back = decodeFlowColumns(packFlowColumns(records));
  assert.deepEqual([back.row(0).srcaddr, back.row(1).srcaddr, back.row(1).bytes], ['10.0.0.1', '10.0.0.3', 300]);
  assert.equal(back.num.tcpFlags, undefined, 'no column is stored for the refused line alone');
  assert.equal(back.ids.vpcId, undefined);
  assert.equal(records.hashes[1], flowContentHash({ ...emptyFlowRow(), version: 5, srcaddr: '10.0.0.3', bytes: 300 }));
});

test('records that start with a word are read as records, and a header later in the file still changes the columns', () => {
  const parser = new FlowLineParser();
  const records = new FlowColumnsBuilder();
  const read = (line: string) => parser.readInto(records, line, 0, line.length, true);
  assert.equal(read('${interface-id} ${action} ${srcaddr} ${start}'), null, 'a header written as a --log-format');
  assert.equal(read('eni-0a1 ACCEPT 10.0.0.1 1700000000'), true);
  assert.equal(read('eni-0a2 REJECT - 1700000060'), true);
  // Concatenated S3 objects: the next one's header, in words.
  assert.equal(read('action interface-id start'), null);
  assert.equal(read('ACCEPT eni-0a3 1700000120'), true);
  assert.deepEqual(records.rows().map((r) => [r.interfaceId, r.action, r.srcaddr, r.startTime]), [
    ['eni-0a1', 'ACCEPT', '10.0.0.1', 1_700_000_000_000],
    ['eni-0a2', 'REJECT', null, 1_700_000_060_000],
    ['eni-0a3', 'ACCEPT', null, 1_700_000_120_000],
  ]);
  records.rows().forEach((r, i) => assert.equal(records.hashes[i], flowContentHash(r)));
});

// Numbers no date or exact integer holds are refused with the field's name, on either reading, and the
// lines around them are kept: a start of 10^15 seconds had reached the block's bounds as a REAL that
// SQLite refused, failing the whole ingest.
test('a number past what a time or an exact integer can hold refuses its line only', () => {
  const fields = ['version', 'srcaddr', 'bytes', 'start', 'end'];
  for (const plain of [true, false]) {
    const parser = new FlowLineParser(fields);
    const records = new FlowColumnsBuilder();
    const read = (line: string) => parser.readInto(records, line, 0, line.length, plain);
    assert.equal(read('5 10.0.0.1 100 1700000000 1700000060'), true);
    assert.equal(read('5 10.0.0.2 100 999999999999999 1700000060'), 'start is past the last date a time can hold');
    assert.equal(read('5 10.0.0.2 100 1700000000 99999999999999999999'), 'end is larger than a number Trailscope holds exactly');
    assert.equal(read('5 10.0.0.2 18446744073709551616 1700000000 1700000060'), 'bytes is larger than a number Trailscope holds exactly');
    assert.equal(read('5 10.0.0.2 100 1700000000 253402300800'), 'end is past the last date a time can hold', 'the year 10000');
    assert.equal(read('5 10.0.0.3 9007199254740991 253402300799 253402300799'), true, 'the largest exact count and the last date');
    assert.equal(records.length, 2);
    const back = decodeFlowColumns(packFlowColumns(records));
    assert.deepEqual([back.row(1).srcaddr, back.row(1).bytes, back.row(1).endTime], ['10.0.0.3', 9007199254740991, 253402300799000]);
  }
});
