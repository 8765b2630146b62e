import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, insertFlowRows, memoryCase, type TestEvent } from '../../../../test-support/case-fixtures.ts';
import { graphAt, neighbourhood } from './graph-at.ts';
import type { CaseDb } from '../../db/open-case.ts';

const ALICE = 'arn:aws:iam::111111111111:user/alice';
const alice = { type: 'IAMUser', arn: ALICE, key: 'AKIAALICE0000000000A' };
const sg = (touch: string) => [{ id: 'sg-1', type: 'security-group', touch }];

function scene(): CaseDb {
  const db = memoryCase();
  db.prepare(`INSERT INTO resources (id, type, account_id, region, name) VALUES ('sg-1', 'security-group', '111111111111', 'us-east-1', 'web'),
    ('eni-1', 'network-interface', '111111111111', 'us-east-1', NULL)`).run();
  db.prepare(`INSERT INTO principals (arn, type, account_id, name, first_seen, event_count) VALUES (?, 'IAMUser', '111111111111', 'alice', 0, 0)`).run(ALICE);
  const events: TestEvent[] = [
    { eventId: 'e1', time: '2025-01-01T10:00:00Z', name: 'AuthorizeSecurityGroupIngress', identity: alice, ip: '198.51.100.7', resources: sg('modified') },
    { eventId: 'e2', time: '2025-01-01T11:00:00Z', name: 'DescribeSecurityGroups', identity: alice, ip: '198.51.100.7', resources: sg('read') },
    { eventId: 'e3', time: '2025-01-01T12:00:00Z', name: 'AuthorizeSecurityGroupIngress', identity: alice, ip: '198.51.100.8', error: 'UnauthorizedOperation', resources: sg('modified') },
    { eventId: 'e4', time: '2025-01-01T13:00:00Z', name: 'DeleteSecurityGroup', identity: alice, ip: '198.51.100.7', resources: sg('deleted') },
  ];
  insertEvents(db, events);
  // 300 scanners rejected, one address let in on 22 at 10:05, one more accepted after noon.
  const flow = (srcaddr: string, dstport: number, start: string, end: string, action: string) => ({
    interfaceId: 'eni-1', srcaddr, dstaddr: '10.0.0.5', srcport: 40000, dstport, protocol: 6, startTime: Date.parse(start), endTime: Date.parse(end), action,
  });
  insertFlowRows(db, [
    ...Array.from({ length: 300 }, (_, i) => flow(`45.0.${i >> 8}.${i & 255}`, 1000 + i, '2025-01-01T09:00:00Z', '2025-01-01T09:01:00Z', 'REJECT')),
    flow('203.0.113.9', 22, '2025-01-01T10:05:00Z', '2025-01-01T10:06:00Z', 'ACCEPT'),
    flow('203.0.113.9', 22, '2025-01-01T10:07:00Z', '2025-01-01T10:08:00Z', 'ACCEPT'),
    flow('192.0.2.50', 22, '2025-01-01T12:30:00Z', '2025-01-01T12:31:00Z', 'ACCEPT'),
  ]);
  return db;
}

const edge = (g: ReturnType<typeof graphAt>, kind: string, source: string, target: string) =>
  g.edges.find((e) => e.kind === kind && e.source === source && e.target === target);
const node = (g: ReturnType<typeof graphAt>, id: string) => g.nodes.find((n) => n.id === id);

test('counts on nodes and edges stop at T, to the minute inside a bucket', () => {
  const db = scene();
  const early = graphAt(db, { at: '2025-01-01T10:30:00Z' });
  assert.equal(node(early, 'sg-1')?.eventCount, 1);
  assert.equal(node(early, ALICE)?.eventCount, 1);
  assert.equal(edge(early, 'acted-on', ALICE, 'sg-1')?.eventCount, 1);
  assert.equal(edge(early, 'source-ip', 'ip/198.51.100.7', ALICE)?.eventCount, 1);
  assert.equal(node(early, 'ip/198.51.100.8'), undefined, 'the address first used at noon does not exist yet');
  assert.equal(edge(early, 'connected', 'ip/203.0.113.9', 'eni-1')?.eventCount, 2);
  assert.equal(node(early, 'ip/192.0.2.50'), undefined);
  const at1006 = graphAt(db, { at: '2025-01-01T10:06:00Z' });
  assert.equal(edge(at1006, 'connected', 'ip/203.0.113.9', 'eni-1')?.eventCount, 1, 'only the flow that started by 10:06');

  const later = graphAt(db, { at: '2025-01-01T12:45:00Z' });
  assert.equal(node(later, 'sg-1')?.eventCount, 3, 'reads and failed attempts count as events');
  assert.equal(edge(later, 'acted-on', ALICE, 'sg-1')?.eventCount, 1, 'but only successful changes draw acted-on');
  assert.equal(edge(later, 'source-ip', 'ip/198.51.100.8', ALICE)?.eventCount, 1);
  assert.ok(edge(later, 'connected', 'ip/192.0.2.50', 'eni-1'));

  const after = graphAt(db, { at: '2025-01-01T13:30:00Z' });
  assert.equal(node(after, 'sg-1'), undefined, 'deleted at 13:00');
  const whole = graphAt(db);
  assert.equal(whole.at, null);
  assert.equal(node(whole, ALICE)?.eventCount, 4);
});

test('scanners past the limit fold into one count node; the address that got in keeps its own', () => {
  const db = scene();
  const g = graphAt(db, { at: '2025-01-01T11:00:00Z', ipLimits: { connected: 10 } });
  assert.ok(node(g, 'ip/203.0.113.9'), 'accepted peers rank before rejected-only ones');
  const other = node(g, 'ip/other-peers');
  assert.ok(other);
  assert.equal(other.props?.addresses, 291);
  assert.equal(other.props?.rejectedOnly, 291);
  assert.equal(edge(g, 'connected', 'ip/other-peers', 'eni-1')?.eventCount, 291);
  assert.equal(g.nodes.filter((n) => n.type === 'ip').length, 10 + 1 + 1, 'ten peers, the acting address, the count node');
});

test('type filter and neighbourhood of an address', () => {
  const db = scene();
  const onlyGroups = graphAt(db, { at: '2025-01-01T10:30:00Z', types: ['security-group'] });
  assert.deepEqual(onlyGroups.nodes.map((n) => n.id), ['sg-1']);
  const nb = neighbourhood(db, { nodeId: 'ip/203.0.113.9', at: '2025-01-01T11:00:00Z' });
  assert.ok(nb.edges.some((e) => e.kind === 'connected' && e.target === 'eni-1' && e.eventCount === 2));
  const who = neighbourhood(db, { nodeId: ALICE, at: '2025-01-01T12:45:00Z' });
  assert.deepEqual(who.edges.filter((e) => e.kind === 'source-ip').map((e) => e.source).sort(), ['ip/198.51.100.7', 'ip/198.51.100.8']);
});

test('a node the tables do not list takes its type from its id, never a default of user', () => {
  const db = scene();
  insertFlowRows(db, [{ interfaceId: 'eni-0flowonly', srcaddr: '203.0.113.77', dstaddr: '10.0.9.9', srcport: 40000, dstport: 443, protocol: 6,
    startTime: Date.parse('2025-01-01T10:00:00Z'), endTime: Date.parse('2025-01-01T10:01:00Z'), action: 'ACCEPT' }]);
  const nb = neighbourhood(db, { nodeId: 'eni-0flowonly' });
  const eni = node(nb, 'eni-0flowonly');
  assert.equal(eni?.type, 'network-interface');
  assert.equal(eni?.props?.seenIn, 'flow logs');
  assert.equal(node(nb, 'ip/203.0.113.77')?.type, 'ip');
  const cases: [string, string][] = [
    ['ASIA74YYRNJCSX7BSHZK', 'access-key'], ['i-0abc', 'instance'], ['sg-1abc', 'security-group'], ['sgr-1', 'security-group-rule'],
    ['arn:aws:iam::111111111111:role/admin', 'role'], ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'policy'],
    ['arn:aws:sts::111111111111:assumed-role/admin/bob', 'session'], ['arn:aws:s3:::bucket-1', 'bucket'], ['no-such-thing', 'unknown'],
  ];
  for (const [id, type] of cases) assert.equal(node(neighbourhood(db, { nodeId: id }), id)?.type, type, id);
});

test('an access key counts the calls made with it; the calls that named it are a separate prop', () => {
  const db = scene();
  db.prepare(`INSERT INTO resources (id, type, account_id) VALUES ('AKIAALICE0000000000A', 'access-key', '111111111111')`).run();
  const admin = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/admin', key: 'AKIAADMIN0000000000A' };
  insertEvents(db, [{ eventId: 'k1', time: '2025-01-01T09:30:00Z', name: 'CreateAccessKey', source: 'iam.amazonaws.com', identity: admin,
    resources: [{ id: 'AKIAALICE0000000000A', type: 'access-key', touch: 'created' }] }]);
  const whole = node(graphAt(db), 'AKIAALICE0000000000A');
  assert.equal(whole?.eventCount, 4, 'four calls by alice with her key');
  assert.equal(whole?.props?.eventsWithKey, 4);
  assert.equal(whole?.props?.eventsTouching, 1, 'the CreateAccessKey that named it');
  assert.equal(node(graphAt(db, { at: '2025-01-01T10:30:00Z' }), 'AKIAALICE0000000000A')?.eventCount, 1, 'up to T');
  assert.equal(node(neighbourhood(db, { nodeId: 'AKIAALICE0000000000A', at: '2025-01-01T11:30:00Z' }), 'AKIAALICE0000000000A')?.eventCount, 2);
  assert.equal(node(neighbourhood(db, { nodeId: 'AKIAADMIN0000000000A' }), 'AKIAADMIN0000000000A')?.eventCount, 1, 'a key not listed as a resource');
});

test('relations from a snapshot taken after T still show at T (the snapshot does not say when they began)', () => {
  const db = memoryCase();
  db.prepare(`INSERT INTO source_rows (id, name, hash, size, kind, status, started_at) VALUES (7, 'config', NULL, 0, 'config:describe-instances', 'done', 0)`).run();
  const snapshotTime = Date.parse('2025-03-20T00:00:00Z');
  for (const [id, type] of [['i-0abc', 'instance'], ['sg-0web', 'security-group']]) {
    db.prepare(`INSERT INTO resources (id, type, account_id, region) VALUES (?, ?, '111122223333', 'us-east-1')`).run(id, type);
  }
  db.prepare(`INSERT INTO edges (src, dst, kind, origin, valid_from, source_id) VALUES ('i-0abc', 'sg-0web', 'instance-security-group', 'snapshot', ?, 7)`).run(snapshotTime);
  const before = graphAt(db, { at: '2025-03-10T07:00:00Z' });
  assert.ok(before.edges.some((e) => e.source === 'i-0abc' && e.target === 'sg-0web'), JSON.stringify(before.edges));
  assert.ok(neighbourhood(db, { nodeId: 'i-0abc', at: '2025-03-10T07:00:00Z' }).edges.some((e) => e.target === 'sg-0web'));
});

test("a kind's members (the overview's drill-down) count from their own ranges exactly as the whole-case counts do, at any T", () => {
  const db = scene();
  db.prepare(`INSERT INTO resources (id, type, account_id, region, name, first_seen) VALUES ('AKIAALICE0000000000A', 'access-key', '111111111111', NULL, NULL, 0)`).run();
  for (const at of [undefined, '2025-01-01T10:30:00Z', '2025-01-01T12:30:00Z', '2025-01-01T13:30:00Z']) {
    for (const types of [['security-group'], ['network-interface'], ['access-key'], ['security-group', 'access-key']]) {
      // Up to 1,000 nodes of resource kinds is a drill-down (per-member counts); 5,000 takes the whole-case path.
      const members = graphAt(db, { at, types, limit: 300 });
      const whole = graphAt(db, { at, types, limit: 5000 });
      const shown = (g: ReturnType<typeof graphAt>) => g.nodes.map((n) => [n.id, n.eventCount, n.props ?? null]);
      assert.deepEqual(shown(members), shown(whole), `${types.join(',')} at ${at ?? 'the end'}`);
    }
  }
  assert.equal(node(graphAt(db, { at: '2025-01-01T10:30:00Z', types: ['security-group'], limit: 300 }), 'sg-1')?.eventCount, 1);
  assert.equal(graphAt(db, { at: '2025-01-01T13:30:00Z', types: ['security-group'], limit: 300 }).nodes.length, 0, 'deleted by then');
});
