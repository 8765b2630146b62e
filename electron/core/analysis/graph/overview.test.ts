// The folded overview: sessions and keys counted under their role, who assumed it, the services
// called and the resource kinds, all stopping at T; many identities fold into one "more" node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase, type TestEvent } from '../../../../test-support/case-fixtures.ts';
import { graphOverview, MIN_OWNERS_PER_ACCOUNT, OWNERS_PER_TYPE } from './overview.ts';
import { nearestEvents } from './event-times.ts';
import { neighbourhood } from './neighbourhood.ts';

const ALICE = 'arn:aws:iam::111111111111:user/alice';
const ROLE = 'arn:aws:iam::111111111111:role/deploy';
const session = (n: number) => `arn:aws:sts::111111111111:assumed-role/deploy/run-${n}`;

function scene() {
  const db = memoryCase();
  db.prepare(`INSERT INTO resources (id, type, account_id, region, name, first_seen) VALUES ('i-1', 'instance', '111111111111', 'us-east-1', NULL, ?),
    ('i-2', 'instance', '111111111111', 'us-east-1', NULL, ?), ('sg-1', 'security-group', '111111111111', 'us-east-1', 'web', NULL)`)
    .run(Date.parse('2025-01-01T10:00:00Z'), Date.parse('2025-01-01T12:00:00Z'));
  db.prepare(`INSERT INTO principals (arn, type, account_id, name, first_seen, event_count) VALUES (?, 'IAMUser', '111111111111', 'alice', 0, 0)`).run(ALICE);
  const events: TestEvent[] = [];
  // Alice assumes the deploy role three times (10:00, 11:00, 12:00); each session runs an instance.
  for (let n = 0; n < 3; n++) {
    const hour = `2025-01-01T1${n}:00:00Z`;
    events.push({ eventId: `a${n}`, time: hour, name: 'AssumeRole', source: 'sts.amazonaws.com', identity: { type: 'IAMUser', arn: ALICE, key: 'AKIAALICE0000000000A' },
      issued: { key: `ASIARUN${n}000000000000`, role: ROLE, session: `run-${n}`, issuedArn: session(n) } });
    events.push({ eventId: `r${n}`, time: hour.replace(':00:00', ':05:00'), name: 'RunInstances', identity: { type: 'AssumedRole', arn: session(n), key: `ASIARUN${n}000000000000` },
      resources: [{ id: `i-${n}`, type: 'instance', touch: 'created' }] });
  }
  insertEvents(db, events);
  return db;
}

test('sessions and keys fold under their role; who assumed it; services and kinds with counts up to T', () => {
  const db = scene();
  const all = graphOverview(db);
  const role = all.nodes.find((n) => n.id === ROLE)!;
  assert.equal(role.label, 'deploy · 3 sessions · 3 keys');
  assert.equal(role.eventCount, 3);
  assert.equal(all.nodes.filter((n) => n.type === 'session').length, 0, 'no session drawn on its own');
  assert.equal(all.edges.find((e) => e.kind === 'assumed' && e.source === ALICE && e.target === ROLE)?.eventCount, 3);
  assert.equal(all.edges.find((e) => e.kind === 'called' && e.source === ROLE && e.target === 'service:ec2.amazonaws.com')?.eventCount, 3);
  const kinds = all.nodes.find((n) => n.id === 'kinds:111111111111:instance')!;
  assert.equal(kinds.props?.members, 2);
  assert.ok(all.edges.some((e) => e.kind === 'holds' && e.target === kinds.id));
  const early = graphOverview(db, { at: '2025-01-01T10:30:00Z' });
  assert.equal(early.nodes.find((n) => n.id === ROLE)?.label, 'deploy · 1 session · 1 key');
  assert.equal(early.nodes.find((n) => n.id === 'kinds:111111111111:instance')?.props?.members, 1, 'i-2 is first seen at noon');
  assert.ok(all.total > all.nodes.length - 3);
  const quick = graphOverview(db, { calls: false });
  assert.equal(quick.edges.filter((e) => e.kind === 'called').length, 0, 'no scan of the calls');
  assert.equal(quick.nodes.find((n) => n.id === ROLE)?.label, role.label, 'the same identities and counts');
  assert.ok(quick.nodes.some((n) => n.id === 'service:ec2.amazonaws.com'), 'the service holding the instances');
});

test('the whole case counts what the last moment counts: identities, keys, every kind and the total', () => {
  const db = scene();
  // Kinds on both sides of the access keys in the kind index, keys drawn as identities, a hidden kind.
  db.prepare(`INSERT INTO resources (id, type, account_id, region, first_seen) VALUES ('a-1', 'accelerator', '111111111111', 'us-west-2', 1),
    ('ASIARUN0000000000000', 'access-key', '111111111111', NULL, 1), ('ASIARUN1000000000000', 'access-key', NULL, NULL, NULL),
    ('b/o', 'object', '111111111111', 'us-east-1', 1), ('b', 'bucket', '222222222222', NULL, 1)`).run();
  const whole = graphOverview(db);
  const last = graphOverview(db, { at: '2030-01-01T00:00:00Z' });
  const sorted = (g: typeof whole) => ({ total: g.total, nodes: [...g.nodes].sort((a, b) => a.id.localeCompare(b.id)), edges: [...g.edges].sort((a, b) => a.id.localeCompare(b.id)) });
  assert.deepEqual(sorted(whole), sorted(last));
  assert.equal(whole.nodes.find((n) => n.id === 'kinds:111111111111:accelerator')?.props?.members, 1);
  assert.equal(whole.nodes.find((n) => n.id === 'kinds:222222222222:bucket')?.props?.members, 1);
  assert.equal(whole.nodes.find((n) => n.id === ALICE)?.eventCount, 3);
});

test('the calls per service: stored per hour, an earlier moment\'s own hour read from its events', () => {
  const db = scene();
  const called = (g: ReturnType<typeof graphOverview>) => Object.fromEntries(g.edges.filter((e) => e.kind === 'called').map((e) => [e.id, e.eventCount]));
  // The stored counts: the case's last event is the third session's RunInstances at 12:05.
  assert.deepEqual(called(graphOverview(db)), { [`called:${ALICE}>service:sts.amazonaws.com`]: 3, [`called:${ROLE}>service:ec2.amazonaws.com`]: 3 });
  assert.deepEqual(called(graphOverview(db, { at: '2025-01-01T12:05:00Z' })), called(graphOverview(db)));
  // Earlier moments: the hours before theirs are stored, their own hour's events are read up to them.
  assert.deepEqual(called(graphOverview(db, { at: '2025-01-01T12:04:59Z' })), { [`called:${ALICE}>service:sts.amazonaws.com`]: 3, [`called:${ROLE}>service:ec2.amazonaws.com`]: 2 });
  assert.deepEqual(called(graphOverview(db, { at: '2025-01-01T11:00:00Z' })), { [`called:${ALICE}>service:sts.amazonaws.com`]: 2, [`called:${ROLE}>service:ec2.amazonaws.com`]: 1 });
  assert.deepEqual(called(graphOverview(db, { at: '2025-01-01T10:59:59Z' })), { [`called:${ALICE}>service:sts.amazonaws.com`]: 1, [`called:${ROLE}>service:ec2.amazonaws.com`]: 1 });
  assert.deepEqual(called(graphOverview(db, { at: '2025-01-01T09:00:00Z' })), {});
});

test('beyond the per-type cap, identities fold into one "more" node that keeps their calls', () => {
  const db = memoryCase();
  const many = OWNERS_PER_TYPE + 5;
  insertEvents(db, Array.from({ length: many }, (_, i) => ({ eventId: `u${i}`, time: '2025-01-01T10:00:00Z', name: 'DescribeInstances',
    identity: { type: 'IAMUser', arn: `arn:aws:iam::111111111111:user/u${i}`, key: `AKIAUSER${String(i).padStart(12, '0')}` } })));
  const g = graphOverview(db);
  const more = g.nodes.find((n) => n.id === 'more:111111111111:user')!;
  assert.equal(more.props?.members, 5);
  assert.equal(g.nodes.filter((n) => n.type === 'user').length, OWNERS_PER_TYPE + 1);
  assert.equal(g.edges.filter((e) => e.kind === 'called').reduce((s, e) => s + e.eventCount, 0), many);
});

test('an organisation\'s identities: the busiest across its accounts, each account\'s few busiest, the rest counted per account', () => {
  // Six accounts of twenty users each; account 0's users are the busiest, account 5's the quietest.
  const db = memoryCase();
  const accounts = Array.from({ length: 6 }, (_, a) => String(100000000000 + a));
  const events: TestEvent[] = [];
  accounts.forEach((account, a) => {
    for (let u = 0; u < 20; u++) {
      for (let n = 0; n < (6 - a) * 20 - u; n++) {
        events.push({ eventId: `${a}-${u}-${n}`, time: '2025-01-01T10:00:00Z', name: 'DescribeInstances', account,
          identity: { type: 'IAMUser', arn: `arn:aws:iam::${account}:user/u${u}`, account, key: `AKIA${String(a * 100 + u).padStart(16, '0')}` } });
      }
    }
  });
  insertEvents(db, events);
  const g = graphOverview(db);
  const named = g.nodes.filter((n) => n.type === 'user' && !n.id.startsWith('more:'));
  assert.equal(named.length, Math.max(OWNERS_PER_TYPE, MIN_OWNERS_PER_ACCOUNT * accounts.length));
  for (const account of accounts) {
    const own = named.filter((n) => n.account === account).map((n) => n.id);
    assert.ok(own.length >= MIN_OWNERS_PER_ACCOUNT, `${account} draws ${own.length}`);
    assert.ok(own.includes(`arn:aws:iam::${account}:user/u0`), `${account}'s busiest user is drawn`);
    const more = g.nodes.find((n) => n.id === `more:${account}:user`)!;
    assert.equal(own.length + Number(more.props?.members), 20, 'every other user of the account is counted in its "more" node');
    assert.equal(more.label, `${more.props?.members} more users (account ${account})`, 'each account\'s "more" node says whose');
  }
  assert.ok(named.filter((n) => n.account === accounts[0]).length > MIN_OWNERS_PER_ACCOUNT, 'the busiest account fills the rest of the budget');
  assert.equal(g.edges.filter((e) => e.kind === 'called').reduce((s, e) => s + e.eventCount, 0), events.length, 'every call still counted');
});

test('the time slider lands on the nearest event either side', () => {
  const db = scene();
  assert.deepEqual(nearestEvents(db, '2025-01-01T10:40:00Z'), { before: '2025-01-01T10:05:00.000Z', after: '2025-01-01T11:00:00.000Z', nearest: '2025-01-01T11:00:00.000Z' });
  assert.equal(nearestEvents(db, '2025-01-01T10:20:00Z').nearest, '2025-01-01T10:05:00.000Z');
  assert.deepEqual(nearestEvents(db, '2026-01-01T00:00:00Z'), { before: '2025-01-01T12:05:00.000Z', after: null, nearest: '2025-01-01T12:05:00.000Z' });
});

test('opening a role from the overview shows its sessions seen by T (a role never acts itself)', () => {
  // The sessions are listed as the ingest lists them: each from its first call.
  const db = scene();
  const all = neighbourhood(db, { nodeId: ROLE });
  assert.deepEqual(all.edges.filter((e) => e.kind === 'session-of' && e.target === ROLE).map((e) => e.source).sort(), [session(0), session(1), session(2)]);
  const early = neighbourhood(db, { nodeId: ROLE, at: '2025-01-01T10:30:00Z' });
  assert.deepEqual(early.edges.filter((e) => e.kind === 'session-of').map((e) => e.source), [session(0)]);
});
