// A stored body is read back only when it has what the views read, of their types: a crafted case's
// finding of flow records whose `flows` is not what one says of them (the panel reads its counts and
// interfaces, five at most) is not listed, and a genuine one comes back whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedFindingBody } from './stored-finding-body.ts';

const columns = { id: 'port-scan@2024-06-01T10:00:00.000Z', kind: 'port-scan', category: 'discovery', severity: 'medium', firstTime: '2024-06-01T10:00:00.000Z', lastTime: '2024-06-01T10:00:29.000Z' } as const;
const body = {
  title: 'Port scan from 10.0.1.5: 30 ports of 10.0.2.7', detail: '…', count: 61, eventIds: [], eventNames: [], sourceIPAddress: '10.0.1.5', value: '10.0.1.5', errorCode: null, actor: null,
  flows: { source: '10.0.1.5', accountId: '111122223333', interfaces: ['eni-0a0a0a0a0a0a0a0a1'], instanceId: null, records: 61, rejected: 60 },
};

test('a finding of flow records comes back whole; one whose flows are not what a finding says of them is not listed', () => {
  assert.deepEqual(storedFindingBody(JSON.stringify(body), columns)?.flows, body.flows);
  for (const flows of [null, 'x', { ...body.flows, records: '61' }, { ...body.flows, interfaces: 'eni-1' }, { ...body.flows, interfaces: [1] }, { ...body.flows, source: null }, { ...body.flows, instanceId: 7 }, { ...body.flows, interfaces: Array.from({ length: 6 }, (_, i) => `eni-${i}`) }]) {
    assert.equal(storedFindingBody(JSON.stringify({ ...body, flows }), columns), null, JSON.stringify(flows));
  }
});
