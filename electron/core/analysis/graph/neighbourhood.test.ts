// A node's neighbourhood read from its own index ranges: counts and links up to T, and churned
// credentials folded (the keys an identity asked for become one 'assumed' edge per role with their
// number; a role shows who assumed it, its busiest sessions and the totals).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase, type TestEvent } from '../../../../test-support/case-fixtures.ts';
import { neighbourhood } from './neighbourhood.ts';
import { SCAN_ROWS } from './node-counts.ts';

const ACCOUNT = '111111111111';
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const ALICE_KEY = 'AKIAALICE0000000000A';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/deploy`;
const IP = '203.0.113.7';
const session = (n: number) => `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/run-${n}`;
const key = (n: number) => `ASIARUN${n}000000000000`;
const KEYS = 6;

/** Alice asks for a new deploy key every hour (10:00 …) from one address; each key makes one call in one of three sessions. */
function churn() {
  const db = memoryCase();
  db.prepare(`INSERT INTO resources (id, type, account_id, region, first_seen) VALUES ('i-1', 'instance', ?, 'us-east-1', 0)`).run(ACCOUNT);
  const p = db.prepare(`INSERT INTO principals (arn, type, account_id, name, first_seen, event_count) VALUES (?, ?, ?, ?, ?, ?)`);
  // Their calls are counted by insertEvents, as the writer counts them.
  p.run(ALICE, 'IAMUser', ACCOUNT, 'alice', 0, 0);
  for (let s = 0; s < 3; s++) p.run(session(s), 'AssumedRole', ACCOUNT, `run-${s}`, Date.parse(`2025-01-01T1${s}:05:00Z`), 0);
  const events: TestEvent[] = [];
  for (let n = 0; n < KEYS; n++) {
    const hour = `2025-01-01T1${n}:00:00Z`;
    events.push({ eventId: `a${n}`, time: hour, name: 'AssumeRole', source: 'sts.amazonaws.com', ip: IP, identity: { type: 'IAMUser', arn: ALICE, key: ALICE_KEY },
      issued: { key: key(n), role: ROLE, session: `run-${n % 3}`, issuedArn: session(n % 3) }, resources: [{ id: key(n), type: 'access-key', touch: 'created' }, { id: session(n % 3), type: 'session', touch: 'created' }] });
    events.push({ eventId: `r${n}`, time: hour.replace(':00:00', ':05:00'), name: 'StopInstances', identity: { type: 'AssumedRole', arn: session(n % 3), key: key(n) },
      resources: [{ id: 'i-1', type: 'instance', touch: 'modified' }] });
  }
  insertEvents(db, events);
  return db;
}

test('the keys an identity asked for fold into one edge per role, with their number; its address and count up to T', () => {
  const db = churn();
  const g = neighbourhood(db, { nodeId: ALICE });
  assert.equal(g.nodes.filter((n) => n.type === 'access-key' || n.type === 'session').length, 0, 'no issued key or session drawn one by one');
  assert.equal(g.edges.find((e) => e.kind === 'assumed' && e.source === ALICE && e.target === ROLE)?.eventCount, KEYS);
  assert.equal(g.edges.find((e) => e.kind === 'source-ip' && e.source === `ip/${IP}` && e.target === ALICE)?.eventCount, KEYS);
  assert.equal(g.nodes.find((n) => n.id === ALICE)?.eventCount, KEYS);
  const early = neighbourhood(db, { nodeId: ALICE, at: '2025-01-01T11:30:00Z' });
  assert.equal(early.edges.find((e) => e.kind === 'assumed')?.eventCount, 2);
  assert.equal(early.nodes.find((n) => n.id === ALICE)?.eventCount, 2);
  // From her key: the same folded edge.
  const k = neighbourhood(db, { nodeId: ALICE_KEY });
  assert.equal(k.edges.find((e) => e.kind === 'assumed' && e.source === ALICE_KEY && e.target === ROLE)?.eventCount, KEYS);
  assert.equal(k.nodes.find((n) => n.id === ALICE_KEY)?.eventCount, KEYS, 'calls made with the key');
});

test('a role shows who assumed it and its busiest sessions; the totals stay when the list is cut', () => {
  const db = churn();
  const g = neighbourhood(db, { nodeId: ROLE });
  assert.equal(g.edges.find((e) => e.kind === 'assumed' && e.source === ALICE)?.eventCount, KEYS);
  assert.equal(g.edges.filter((e) => e.kind === 'session-of').length, 3);
  const role = g.nodes.find((n) => n.id === ROLE)!;
  assert.deepEqual([role.props?.sessions, role.props?.keys], [3, KEYS]);
  assert.equal(g.truncated, false);
  const cut = neighbourhood(db, { nodeId: ROLE, limit: 2 });
  assert.equal(cut.edges.filter((e) => e.kind === 'session-of').length, 2);
  assert.equal(cut.nodes.find((n) => n.id === ROLE)?.props?.sessions, 3);
  assert.equal(cut.truncated, true);
});

test('a session shows its role and what it acted on; a resource its actors, counted up to T', () => {
  const db = churn();
  const s = neighbourhood(db, { nodeId: session(0) });
  assert.ok(s.edges.some((e) => e.kind === 'session-of' && e.source === session(0) && e.target === ROLE));
  assert.equal(s.edges.find((e) => e.kind === 'acted-on' && e.target === 'i-1')?.eventCount, 2);
  const i = neighbourhood(db, { nodeId: 'i-1', at: '2025-01-01T12:30:00Z' });
  assert.equal(i.nodes.find((n) => n.id === 'i-1')?.eventCount, 3);
  assert.deepEqual(i.edges.filter((e) => e.kind === 'acted-on').map((e) => [e.source, e.eventCount]).sort(), [[session(0), 1], [session(1), 1], [session(2), 1]]);
});

test("a busy resource's actors are those of its latest touches in time, whatever order its evidence was ingested in", () => {
  const db = memoryCase();
  db.prepare(`INSERT INTO resources (id, type, account_id, region, first_seen) VALUES ('i-busy', 'instance', ?, 'us-east-1', 0)`).run(ACCOUNT);
  const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
  const calls = (who: string, key: string, from: string, n: number): TestEvent[] => Array.from({ length: n }, (_, k) => ({
    eventId: `${who}-${k}`, time: new Date(Date.parse(from) + k * 1000).toISOString(), name: 'StopInstances',
    identity: { type: 'IAMUser', arn: who, key }, resources: [{ id: 'i-busy', type: 'instance', touch: 'modified' }],
  }));
  // This week's evidence first, then last month's (a later pull of older logs): the older calls get the later rows.
  insertEvents(db, calls(ALICE, ALICE_KEY, '2025-02-01T00:00:00Z', SCAN_ROWS));
  insertEvents(db, calls(BOB, 'AKIABOB00000000000B', '2025-01-01T00:00:00Z', 3000));

  const now = neighbourhood(db, { nodeId: 'i-busy' });
  assert.deepEqual(now.edges.filter((e) => e.kind === 'acted-on').map((e) => [e.source, e.eventCount]), [[ALICE, SCAN_ROWS]], "the latest 5,000 touches are all alice's");
  assert.equal(now.truncated, true, 'and the answer says older touches were left out');
  assert.equal(now.nodes.find((n) => n.id === 'i-busy')?.eventCount, SCAN_ROWS + 3000, 'its count is every touch');

  const then = neighbourhood(db, { nodeId: 'i-busy', at: '2025-01-15T00:00:00Z' });
  assert.deepEqual(then.edges.filter((e) => e.kind === 'acted-on').map((e) => [e.source, e.eventCount]), [[BOB, 3000]]);
  assert.equal(then.truncated, false);
  assert.equal(then.nodes.find((n) => n.id === 'i-busy')?.eventCount, 3000, 'counted up to T');
});
