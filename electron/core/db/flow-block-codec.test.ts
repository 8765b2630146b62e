// Flow blocks read back what was stored, and a block a crafted case holds is refused with a
// FlowBlockError naming what is wrong, never read past its end or expanded without bound.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constants, zstdCompressSync } from 'node:zlib';
import { decodeFlowColumns, FlowBlockError, packFlowColumns } from './flow-block-codec.ts';
import { FlowColumnsBuilder } from './flow-columns-builder.ts';
import { emptyFlowRow } from '../ingest/parse/flow-parser.ts';
import type { FlowRow } from '../ingest/types.ts';

const row = (r: Partial<FlowRow>): FlowRow => ({ ...emptyFlowRow(), ...r });

test('records read back field by field: absent fields, repeated and changing texts, numbers past 32 bits', () => {
  const rows = [
    row({ version: 2, interfaceId: 'eni-1', srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', bytes: 2 ** 40, startTime: 1_700_000_000_000, action: 'ACCEPT' }),
    row({ version: 2, interfaceId: 'eni-1', srcaddr: '10.0.0.3', dstaddr: '10.0.0.1', bytes: 0, startTime: 1_700_000_001_000, action: 'REJECT' }),
    row({ interfaceId: 'eni-2', region: 'eu-west-1', srcport: 0 }),
    row({}),
  ];
  const back = decodeFlowColumns(packFlowColumns(FlowColumnsBuilder.of(rows)));
  assert.equal(back.n, 4);
  assert.deepEqual(Array.from({ length: back.n }, (_, i) => back.row(i)).map((r) => ({ ...emptyFlowRow(), ...r })), rows);
  assert.equal(back.num.tcpFlags, undefined, 'a column with no value is not stored');
  assert.equal(decodeFlowColumns(packFlowColumns(FlowColumnsBuilder.of([]))).n, 0);
});

const compressed = (bytes: Buffer) => zstdCompressSync(bytes, { params: { [constants.ZSTD_c_compressionLevel]: 1 } });
function block(header: unknown, body = Buffer.alloc(0)): Buffer {
  const h = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const start = (4 + h.length + 7) & ~7;
  const out = Buffer.alloc(start + body.length);
  out.writeUInt32LE(h.length, 0);
  h.copy(out, 4);
  body.copy(out, start);
  return compressed(out);
}

test('a crafted block is refused with the reason, not read past its end', () => {
  const refused = (data: Buffer, reason: RegExp) => assert.throws(() => decodeFlowColumns(data), (e: unknown) => e instanceof FlowBlockError && reason.test(e.message));
  refused(Buffer.from('not zstd at all'), /does not decompress/);
  refused(compressed(Buffer.from([1, 0])), /shorter than its header/);
  refused(compressed(Buffer.from([255, 255, 255, 0, 1, 2])), /header runs past its end/);
  refused(block('{"v": 1, "n": '), /header is not JSON/);
  refused(block({ v: 99, n: 0, dict: [], text: [], num: [] }), /format this build does not read/);
  refused(block({ v: 1, n: 1, dict: [], text: ['constructor'], num: [] }), /not one Trailscope writes/);
  refused(block({ v: 1, n: -1, dict: [], text: [], num: [] }), /not one Trailscope writes/);
  refused(block({ v: 1, n: 1_000, dict: [], text: [], num: ['bytes'] }), /shorter than its columns/);
  refused(block({ v: 1, n: 1, dict: ['a'], text: ['srcaddr'], num: [] }, Buffer.from(new Uint32Array([5]).buffer)), /names a text its dictionary lacks/);
  // More than a block may hold once expanded: zstd stops at the bound.
  refused(compressed(Buffer.alloc(65 * 1024 * 1024)), /does not decompress/);
});
