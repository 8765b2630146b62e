// A record's content hash is stored with its block and compared with every later ingest's (a record
// read again is stored once): the function must not change, or records stored by an earlier build
// would be stored a second time. These values are what the builds before session 36 computed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cyrb53, flowContentHash } from './flow-content-hash.ts';
import { emptyFlowRow } from '../ingest/parse/flow-parser.ts';

test('the content hash of a record, and cyrb53, are those earlier builds stored', () => {
  const row = {
    ...emptyFlowRow(), version: 5, accountId: '123456789012', interfaceId: 'eni-0a1b2c3d', srcaddr: '10.0.0.1', dstaddr: '203.0.113.9',
    srcport: 443, dstport: 49152, protocol: 6, packets: 10, bytes: 2 ** 40 + 7, startTime: 1_700_000_000_000, endTime: 1_700_000_060_000,
    action: 'ACCEPT', logStatus: 'OK', vpcId: 'vpc-1', flowDirection: 'egress', trafficPath: 8,
  };
  assert.equal(flowContentHash(row), 7765582741497487);
  assert.equal(flowContentHash(emptyFlowRow()), 1575795030200524);
  assert.equal(cyrb53('event-1'), 1221451703167522);
  assert.equal(cyrb53('x', 7), 7806563198393042);
});
