import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccount } from '../../../../tools/gen/generate.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { insertEvents, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { findPaths } from './paths.ts';
import { FOLD_KEYS } from './path-steps.ts';
import type { PathHop } from '../../../../shared/engine-types.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailscope-paths-'));
await generateAccount({ out: dir, events: 1500, flows: 500, seed: 7 });
const truth = JSON.parse(readFileSync(join(dir, 'incident.json'), 'utf8'));
const demo = memoryCase();
await ingestPaths(demo, [join(dir, 'AWSLogs'), join(dir, 'config')]);
rmSync(dir, { recursive: true, force: true });

const inOrder = (hops: PathHop[]) => hops.every((h, i) => i === 0 || h.time === null || hops[i - 1].time === null || h.time >= hops[i - 1].time!);
const chained = (hops: PathHop[], from: string, to: string) =>
  hops[0].from === from && hops.at(-1)!.to === to && hops.every((h, i) => i === 0 || h.from === hops[i - 1].to);

test('the leaked key reached the terminated instance through the admin session, hop by hop with events', () => {
  const r = findPaths(demo, { from: truth.leakedKey.accessKeyId, to: truth.terminate.instanceId });
  for (const hops of [r.shortest, r.earliest]) {
    assert.ok(hops, 'a path is found');
    assert.ok(chained(hops, truth.leakedKey.accessKeyId, truth.terminate.instanceId));
    assert.ok(inOrder(hops));
    const last = hops.at(-1)!;
    assert.equal(last.eventId, truth.terminate.eventId, 'the last hop is the TerminateInstances call');
    assert.equal(last.from, truth.assumeRole.issuedAccessKeyId, 'made with the key AssumeRole issued');
    assert.equal(hops[0].eventId, truth.assumeRole.eventId);
  }
  assert.equal(r.truncated, false);
  const labels = new Map(r.nodes.map((n) => [n.id, n]));
  assert.equal(labels.get(truth.terminate.instanceId)?.type, 'instance');
  assert.equal(labels.get(truth.leakedKey.accessKeyId)?.type, 'access-key');
});

test('from the attacker address (typed bare) to the group it opened: the earliest path starts with the first use of the leaked key', () => {
  const r = findPaths(demo, { from: truth.attacker.ip, to: truth.openPort.groupId });
  assert.equal(r.from, `ip/${truth.attacker.ip}`);
  const hops = r.earliest;
  assert.ok(hops);
  assert.ok(chained(hops, r.from, truth.openPort.groupId));
  assert.equal(hops[0].kind, 'used-from');
  assert.equal(hops[0].to, truth.leakedKey.accessKeyId);
  assert.equal(hops[0].eventId, truth.firstUse.eventId);
  assert.equal(hops.at(-1)!.eventId, truth.openPort.eventId);
  assert.ok(r.shortest && r.shortest.length <= hops.length);
});

const K1 = 'AKIAALICE00000000001';
const K2 = 'ASIAROLE000000000002';
const K3 = 'ASIALATE000000000003';
const ALICE = 'arn:aws:iam::111111111111:user/alice';
const SESSION = 'arn:aws:sts::111111111111:assumed-role/admin/s1';
const alice = { type: 'IAMUser', arn: ALICE, key: K1 };
const session = (key: string) => ({ type: 'AssumedRole', arn: SESSION, key });
const sg = [{ id: 'sg-1', type: 'security-group', touch: 'modified' }];

function scene() {
  const db = memoryCase();
  insertEvents(db, [
    { eventId: 'assume', time: '2025-01-01T09:00:00Z', name: 'AssumeRole', source: 'sts.amazonaws.com', identity: alice, ip: '198.51.100.7',
      issued: { key: K2, role: 'arn:aws:iam::111111111111:role/admin', issuedArn: SESSION } },
    { eventId: 'via-role', time: '2025-01-01T10:00:00Z', name: 'AuthorizeSecurityGroupIngress', identity: session(K2), resources: sg },
    { eventId: 'direct', time: '2025-01-01T12:00:00Z', name: 'AuthorizeSecurityGroupIngress', identity: alice, resources: sg },
    // K3 touched vol-1 at 08:00 (before alice got it at 11:00) and again at 13:00.
    { eventId: 'early-use', time: '2025-01-01T08:00:00Z', name: 'AttachVolume', identity: session(K3), resources: [{ id: 'vol-1', type: 'volume', touch: 'modified' }] },
    { eventId: 'assume-2', time: '2025-01-01T11:00:00Z', name: 'AssumeRole', source: 'sts.amazonaws.com', identity: alice,
      issued: { key: K3, role: 'arn:aws:iam::111111111111:role/admin', issuedArn: SESSION } },
    { eventId: 'late-use', time: '2025-01-01T13:00:00Z', name: 'AttachVolume', identity: session(K3), resources: [{ id: 'vol-1', type: 'volume', touch: 'modified' }] },
    { eventId: 'denied', time: '2025-01-01T09:30:00Z', name: 'DeleteVolume', identity: alice, error: 'AccessDenied', resources: [{ id: 'vol-2', type: 'volume', touch: 'deleted' }] },
  ]);
  return db;
}

test('shortest takes the direct call; earliest the AssumeRole route that got there two hours before', () => {
  const r = findPaths(scene(), { from: K1, to: 'sg-1' });
  // One hop: the call made with the key named the group.
  assert.deepEqual(r.shortest?.map((h) => [h.kind, h.eventId]), [['called', 'direct']]);
  assert.equal(r.earliest?.at(-1)?.eventId, 'via-role');
  assert.equal(r.earliest?.at(-1)?.time, '2025-01-01T10:00:00.000Z');
});

test('the earliest path never uses a call made before the key was in hand; denied calls reach nothing', () => {
  const db = scene();
  const r = findPaths(db, { from: K1, to: 'vol-1' });
  assert.equal(r.earliest?.at(-1)?.eventId, 'late-use');
  assert.ok(inOrder(r.earliest!));
  const denied = findPaths(db, { from: K1, to: 'vol-2' });
  assert.equal(denied.shortest, null);
  assert.equal(denied.earliest, null);
});

test('an end the case never saw is reported, not searched for', () => {
  const r = findPaths(demo, { from: truth.attacker.ip, to: 'i-does-not-exist' });
  assert.deepEqual(r.unknown, ['i-does-not-exist']);
  assert.equal(r.explored, 0);
});

test('bounds: a node budget stops the search and says so', () => {
  const r = findPaths(demo, { from: truth.leakedKey.accessKeyId, to: truth.portScan.srcIp, maxNodes: 5 });
  assert.equal(r.shortest, null);
  assert.equal(r.truncated, true);
  assert.ok(r.explored <= 6);
});

test('churned keys fold into their role: a path goes through the role, or through the one key that made the call', () => {
  const db = memoryCase();
  const role = 'arn:aws:iam::111111111111:role/deploy';
  const ci = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/ci', key: 'AKIACI00000000000001' };
  const keys = FOLD_KEYS + 5;
  const events: Parameters<typeof insertEvents>[1] = [];
  const assume = (n: number, who: typeof ci, key: string, s: string, t: string) => ({ eventId: `assume-${n}`, time: t, name: 'AssumeRole', source: 'sts.amazonaws.com', identity: who,
    issued: { key, role, session: s.split('/').pop(), issuedArn: s }, resources: [{ id: key, type: 'access-key', touch: 'created' }, { id: s, type: 'session', touch: 'created' }] });
  const at = (n: number) => new Date(Date.parse('2025-01-01T00:00:00Z') + n * 60_000).toISOString();
  for (let n = 0; n < keys; n++) {
    const key = `ASIACI${String(n).padStart(14, '0')}`;
    const s = `arn:aws:sts::111111111111:assumed-role/deploy/run-${n}`;
    events.push(assume(n, ci, key, s, at(n)));
    // Only the last of ci's sessions touches sg-1.
    if (n === keys - 1) events.push({ eventId: 'open', time: at(n + 1), name: 'AuthorizeSecurityGroupIngress', identity: { type: 'AssumedRole', arn: s, key }, resources: sg });
  }
  // Bob's one session of the same role changes sg-2.
  const bob = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/bob', key: 'AKIABOB0000000000001' };
  const bobSession = 'arn:aws:sts::111111111111:assumed-role/deploy/bob';
  events.push(assume(99, bob, 'ASIABOB0000000000001', bobSession, at(keys + 5)));
  events.push({ eventId: 'bob-open', time: at(keys + 6), name: 'AuthorizeSecurityGroupIngress', identity: { type: 'AssumedRole', arn: bobSession, key: 'ASIABOB0000000000001' },
    resources: [{ id: 'sg-2', type: 'security-group', touch: 'modified' }] });
  insertEvents(db, events);
  db.prepare(`INSERT OR IGNORE INTO principals (arn, type, account_id, name, event_count) SELECT issued_arn, 'AssumedRole', '111111111111', session_name, 1 FROM credentials`).run();

  const direct = findPaths(db, { from: ci.key, to: 'sg-1', fanout: 5 });
  for (const hops of [direct.shortest, direct.earliest]) {
    assert.deepEqual(hops?.map((h) => [h.kind, h.to, h.eventId]), [['issued', `ASIACI${String(keys - 1).padStart(14, '0')}`, `assume-${keys - 1}`], ['called', 'sg-1', 'open']]);
  }
  assert.ok(direct.explored < keys, `explored ${direct.explored}: not one node per key`);

  const viaRole = findPaths(db, { from: ci.key, to: 'sg-2', fanout: 5 });
  for (const hops of [viaRole.shortest, viaRole.earliest]) {
    assert.deepEqual(hops?.map((h) => [h.kind, h.to, h.eventId]), [['assumed', role, 'assume-0'], ['session', bobSession, 'assume-99'], ['called', 'sg-2', 'bob-open']]);
  }
  assert.ok(viaRole.explored < keys, `explored ${viaRole.explored}: not one node per key`);
});

test('a hop first shown by two calls of one second names the first by eventID, as the timeline lists them, whatever row was written first', () => {
  const db = memoryCase();
  db.prepare(`INSERT INTO resources (id, type, account_id, region, first_seen) VALUES ('i-tied', 'instance', '111111111111', 'us-east-1', 0)`).run();
  const call = (eventId: string) => ({
    eventId, time: '2025-01-01T10:00:00Z', name: 'StopInstances', ip: '198.51.100.20',
    identity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/carol', key: 'AKIACAROL00000000000' },
    resources: [{ id: 'i-tied', type: 'instance', touch: 'modified' }],
  });
  // The later eventID is written first, as a reader finishing its file first would.
  insertEvents(db, [call('ffffffff-0000-4000-8000-000000000002'), call('00000000-0000-4000-8000-000000000001')]);
  const hops = findPaths(db, { from: '198.51.100.20', to: 'i-tied' }).earliest;
  assert.ok(hops);
  assert.deepEqual(hops.map((h) => [h.kind, h.to, h.eventId]), [
    ['used-from', 'AKIACAROL00000000000', '00000000-0000-4000-8000-000000000001'],
    ['called', 'i-tied', '00000000-0000-4000-8000-000000000001'],
  ]);
});
