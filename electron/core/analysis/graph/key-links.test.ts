import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { neighbourhood } from './graph-at.ts';

const ALICE = 'arn:aws:iam::111111111111:user/alice';
const KEY = 'AKIAALICE0000000000A';
const SESSION = 'arn:aws:sts::111111111111:assumed-role/admin/alice-debug';
const STS_KEY = 'ASIASESSION00000000A';
const alice = { type: 'IAMUser', arn: ALICE, key: KEY };
const session = { type: 'AssumedRole', arn: SESSION, key: STS_KEY, issuer: 'arn:aws:iam::111111111111:role/admin' };

function scene() {
  const db = memoryCase();
  insertEvents(db, [
    { eventId: 'a1', time: '2025-01-01T10:00:00Z', name: 'GetCallerIdentity', identity: alice, ip: '198.51.100.7' },
    { eventId: 'a2', time: '2025-01-01T10:05:00Z', name: 'ListUsers', identity: alice, ip: '198.51.100.7' },
    {
      eventId: 'a3', time: '2025-01-01T10:10:00Z', name: 'AssumeRole', source: 'sts.amazonaws.com', identity: alice, ip: '203.0.113.66',
      issued: { key: STS_KEY, role: 'arn:aws:iam::111111111111:role/admin', session: 'alice-debug', issuedArn: SESSION, expires: '2025-01-01T11:10:00Z' },
    },
    { eventId: 's1', time: '2025-01-01T10:20:00Z', name: 'DescribeInstances', identity: session, ip: '203.0.113.66' },
    // After the moment asked about: must not show.
    { eventId: 'a4', time: '2025-01-01T12:00:00Z', name: 'ListRoles', identity: alice, ip: '192.0.2.99' },
  ]);
  return db;
}

const edge = (g: ReturnType<typeof neighbourhood>, kind: string, source: string, target: string) =>
  g.edges.find((e) => e.kind === kind && e.source === source && e.target === target);

test('a long-term key links to its user and to the addresses that used it, up to T', () => {
  const g = neighbourhood(scene(), { nodeId: KEY, at: '2025-01-01T11:00:00Z' });
  assert.equal(edge(g, 'user-access-key', ALICE, KEY)?.eventCount, 3, 'three calls by alice with the key');
  assert.equal(edge(g, 'source-ip', 'ip/198.51.100.7', KEY)?.eventCount, 2);
  assert.equal(edge(g, 'source-ip', 'ip/203.0.113.66', KEY)?.eventCount, 1);
  assert.equal(edge(g, 'source-ip', 'ip/192.0.2.99', KEY), undefined, 'used from there only after T');
  assert.ok(g.nodes.some((n) => n.id === ALICE && n.type === 'user'));
});

test('a session key links to the session it was issued to, the identity that asked for it, and its addresses', () => {
  const g = neighbourhood(scene(), { nodeId: STS_KEY, at: '2025-01-01T11:00:00Z' });
  const issued = edge(g, 'issued-to', STS_KEY, SESSION);
  assert.ok(issued);
  assert.equal(issued.eventCount, 1);
  assert.equal(issued.validFrom, '2025-01-01T10:10:00.000Z');
  assert.equal(issued.validTo, '2025-01-01T11:10:00.000Z');
  assert.ok(edge(g, 'requested-by', STS_KEY, ALICE));
  assert.equal(edge(g, 'source-ip', 'ip/203.0.113.66', STS_KEY)?.eventCount, 1);
  assert.equal(g.nodes.find((n) => n.id === STS_KEY)?.account, '111111111111', "no resource: the issuing call's account");
  const before = neighbourhood(scene(), { nodeId: STS_KEY, at: '2025-01-01T10:00:00Z' });
  assert.equal(before.edges.length, 0, 'not issued yet');
});
