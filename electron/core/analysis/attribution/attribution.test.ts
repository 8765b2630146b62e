import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { refreshDerived } from '../refresh-derived.ts';
import { actorReport } from './actor-report.ts';
import { classifyUserAgent } from './user-agent.ts';

const A = '111111111111';
const B = '222222222222';
const alice = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, key: 'AKIAALICE', userName: 'alice' };

test('a role session is traced through its AssumeRole key to the user, across a role chain and an account hop', () => {
  const db = memoryCase();
  insertEvents(db, [
    { eventId: 'e1', time: '2024-05-01T10:00:00Z', name: 'AssumeRole', source: 'sts.amazonaws.com', identity: alice, ip: '203.0.113.5',
      issued: { key: 'ASIAONE', role: `arn:aws:iam::${A}:role/ops`, session: 'alice-ops', issuedArn: `arn:aws:sts::${A}:assumed-role/ops/alice-ops` } },
    { eventId: 'e2', time: '2024-05-01T10:05:00Z', name: 'AssumeRole', source: 'sts.amazonaws.com', account: B, ip: '203.0.113.5',
      identity: { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/ops/alice-ops`, key: 'ASIAONE', account: A, issuer: `arn:aws:iam::${A}:role/ops`, session: 'alice-ops' },
      issued: { key: 'ASIATWO', role: `arn:aws:iam::${B}:role/admin`, session: 'hop', issuedArn: `arn:aws:sts::${B}:assumed-role/admin/hop` } },
    { eventId: 'e3', time: '2024-05-01T10:06:00Z', name: 'AuthorizeSecurityGroupIngress', account: B, ip: '203.0.113.5', ua: 'aws-cli/2.15.0 Python/3.11',
      identity: { type: 'AssumedRole', arn: `arn:aws:sts::${B}:assumed-role/admin/hop`, key: 'ASIATWO', account: B, issuer: `arn:aws:iam::${B}:role/admin`, session: 'hop' } },
  ]);
  refreshDerived(db);
  const report = actorReport(db, 'ASIATWO');
  assert.ok(report);
  assert.equal(report.matchedBy, 'access-key');
  assert.equal(report.actor.origin.kind, 'iam-user');
  assert.equal(report.actor.origin.id, `arn:aws:iam::${A}:user/alice`);
  assert.equal(report.actor.origin.proven, true);
  assert.deepEqual(report.actor.chain.map((l) => l.kind), ['role-session', 'role-session', 'iam-user']);
  assert.deepEqual(report.actor.chain.slice(1).map((l) => l.basis), ['key', 'key']);
  assert.equal(report.actor.chain[0].issuedBy?.eventId, 'e2');
  assert.ok(report.actor.flags.some((f) => f.kind === 'cross-account' && f.fromAccount === A && f.toAccount === B));
  assert.equal(report.eventCount, 1);
  assert.deepEqual(report.userAgents.map((u) => u.class), ['cli']);

  // Everything alice did, through any of her sessions.
  const all = actorReport(db, `arn:aws:iam::${A}:user/alice`);
  assert.ok(all);
  assert.equal(all.matchedBy, 'origin');
  assert.equal(all.eventCount, 3);
  assert.deepEqual(new Set(all.accessKeys), new Set(['AKIAALICE', 'ASIAONE', 'ASIATWO']));
});

test('a key whose AssumeRole arrives in a later ingest is re-resolved', () => {
  const db = memoryCase();
  const session = { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/ops/late`, key: 'ASIALATE', issuer: `arn:aws:iam::${A}:role/ops`, session: 'late' };
  insertEvents(db, [{ eventId: 'u1', time: '2024-05-01T11:00:00Z', name: 'TerminateInstances', identity: session, ip: '198.51.100.7' }]);
  refreshDerived(db);
  const before = actorReport(db, 'ASIALATE');
  assert.equal(before?.actor.origin.proven, false);
  assert.ok(before?.actor.flags.some((f) => f.kind === 'chain-broken'));

  insertEvents(db, [{ eventId: 'a1', time: '2024-05-01T10:59:00Z', name: 'AssumeRole', source: 'sts.amazonaws.com', identity: alice, ip: '198.51.100.7',
    issued: { key: 'ASIALATE', role: `arn:aws:iam::${A}:role/ops`, session: 'late', issuedArn: session.arn } }]);
  const stats = refreshDerived(db);
  assert.equal(stats.events, 1);
  const after = actorReport(db, 'ASIALATE');
  assert.equal(after?.actor.origin.id, alice.arn);
  assert.equal(after?.actor.origin.proven, true);
  // The terminate call now counts towards alice.
  assert.equal(actorReport(db, alice.arn)?.eventCount, 2);
});

test('without the key, a session is linked to its AssumeRole by session name and source IP, marked inferred', () => {
  const db = memoryCase();
  insertEvents(db, [
    { eventId: 'a1', time: '2024-05-01T09:00:00Z', name: 'AssumeRole', source: 'sts.amazonaws.com', identity: alice, ip: '192.0.2.10',
      issued: { key: 'ASIAOTHER', role: `arn:aws:iam::${A}:role/ops`, session: 'deploy', issuedArn: `arn:aws:sts::${A}:assumed-role/ops/deploy` } },
    { eventId: 'u1', time: '2024-05-01T09:10:00Z', name: 'CreateUser', source: 'iam.amazonaws.com', ip: '192.0.2.10',
      identity: { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/ops/deploy`, key: 'ASIACONSOLE', issuer: `arn:aws:iam::${A}:role/ops`, session: 'deploy' } },
  ]);
  refreshDerived(db);
  const r = actorReport(db, 'ASIACONSOLE');
  assert.equal(r?.actor.origin.id, alice.arn);
  assert.equal(r?.actor.origin.proven, false);
  assert.equal(r?.actor.chain[1].proof, 'inferred');
  assert.equal(r?.actor.chain[1].basis, 'session-name-ip-time');
});

test('instance-profile sessions resolve to the instance and are flagged when used from elsewhere', () => {
  const db = memoryCase();
  const role = { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/web/i-0abc1234def567890`, key: 'ASIAINST', issuer: `arn:aws:iam::${A}:role/web`, session: 'i-0abc1234def567890' };
  insertEvents(db, [
    { eventId: 'x1', time: '2024-05-01T09:00:00Z', name: 'DescribeInstances', identity: role, ip: '10.0.1.5' },
    { eventId: 'x2', time: '2024-05-01T09:30:00Z', name: 'ListBuckets', source: 's3.amazonaws.com', identity: role, ip: '198.51.100.99' },
    { eventId: 'x3', time: '2024-05-01T09:20:00Z', name: 'GetCallerIdentity', identity: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/mallory`, key: 'AKIAMAL', userName: 'mallory' }, ip: '198.51.100.99' },
  ]);
  db.prepare(`INSERT INTO resource_versions (resource_id, origin, observed_at, config_hash, config) VALUES ('i-0abc1234def567890', 'snapshot', 0, 'h', ?)`)
    .run(JSON.stringify({ InstanceId: 'i-0abc1234def567890', PrivateIpAddress: '10.0.1.5', PublicIpAddress: '54.1.2.3' }));
  refreshDerived(db);
  const r = actorReport(db, 'ASIAINST');
  assert.equal(r?.actor.origin.kind, 'instance');
  assert.equal(r?.actor.origin.id, 'i-0abc1234def567890');
  const off = r?.flags.filter((f) => f.kind === 'instance-credentials-off-instance') ?? [];
  assert.equal(off.length, 1);
  assert.equal(off[0].kind === 'instance-credentials-off-instance' && off[0].sourceIp, '198.51.100.99');
  assert.ok(off[0].kind === 'instance-credentials-off-instance' && off[0].addressesKnown);
  assert.match(off[0].detail, /user\/mallory/);
});

test('user agents are classified', () => {
  assert.equal(classifyUserAgent('aws-cli/2.15.0 Python/3.11.6 Linux/6.5 exe/x86_64'), 'cli');
  assert.equal(classifyUserAgent('signin.amazonaws.com'), 'console');
  assert.equal(classifyUserAgent('APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/5.0'), 'iac');
  assert.equal(classifyUserAgent('Boto3/1.34.0 md/Botocore#1.34.0 Python/3.12'), 'sdk');
  assert.equal(classifyUserAgent('ec2.amazonaws.com'), 'aws-service');
});

test('Stratus steal-instance-credentials: the instance-role session used from outside is traced to the instance', async () => {
  const { REAL, loadRecords, readRecords } = await import('../../../../test-support/case-fixtures.ts');
  const db = memoryCase();
  loadRecords(db, readRecords(`${REAL}stratus-red-team/aws.credential-access.ec2-steal-instance-credentials.json`));
  const r = actorReport(db, 'ASIAP5CT9NN8EYVU1FXV');
  assert.ok(r);
  assert.equal(r.actor.origin.kind, 'instance');
  assert.equal(r.actor.origin.id, 'i-786a3A8B5C0d92eF4');
  assert.equal(r.actor.chain.at(-1)?.basis, 'instance-session-name');
  assert.deepEqual(r.eventNames.map((n) => n.value).sort(), ['DescribeInstances', 'GetCallerIdentity']);
  const off = r.flags.find((f) => f.kind === 'instance-credentials-off-instance');
  assert.ok(off && off.kind === 'instance-credentials-off-instance');
  assert.equal(off.sourceIp, '18.236.253.47');
  // No configuration in this sample: the flag says the instance's addresses are unknown, and that
  // the same address carried the attacker's own IAM user calls.
  assert.equal(off.addressesKnown, false);
  assert.match(off.detail, /user\/christophe/);
});

test('Stratus sts-federation-token: the federated session is proven to come from the IAM user that asked for it', async () => {
  const { REAL, loadRecords, readRecords } = await import('../../../../test-support/case-fixtures.ts');
  const db = memoryCase();
  loadRecords(db, readRecords(`${REAL}stratus-red-team/aws.persistence.sts-federation-token.json`));
  const r = actorReport(db, 'ASIASTJKC5GCM7ZE6LUP');
  assert.ok(r);
  assert.deepEqual(r.actor.chain.map((l) => l.kind), ['federated-user', 'iam-user']);
  assert.equal(r.actor.chain[1].basis, 'key');
  assert.equal(r.actor.chain[0].issuedBy?.eventName, 'GetFederationToken');
  assert.equal(r.actor.origin.id, 'arn:aws:iam::742491224508:user/stratus-red-team-user-federation-user');
  assert.equal(r.actor.origin.proven, true);
});

test('a key spelt as an actor named without a key (a crafted case) is that one actor, first seen at the earlier of its events', () => {
  const db = memoryCase();
  const arn = 'arn:aws:iam::111111111111:user/spelt';
  const unkeyed = { type: 'IAMUser', arn, userName: 'spelt' };
  const forged = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/other', key: `arn:${arn}`, userName: 'other' };
  insertEvents(db, [
    { eventId: 'spelt-1', time: '2025-01-01T10:00:00Z', name: 'DescribeInstances', identity: unkeyed },
    { eventId: 'spelt-2', time: '2025-01-01T09:00:00Z', name: 'DescribeInstances', identity: forged },
  ]);
  refreshDerived(db);
  assert.deepEqual(db.prepare(`SELECT actor_key, first_seen FROM actors WHERE actor_key LIKE '%spelt%'`).all(),
    [{ actor_key: `arn:${arn}`, first_seen: Date.parse('2025-01-01T09:00:00Z') }]);
  assert.equal(db.prepare(`SELECT count(DISTINCT actor) FROM event_actors`).pluck().get(), 1);
  db.close();
});

test('a case holding an empty key text (ingest stores none; a crafted case may) gives one actor by the ARN, across refreshes', () => {
  const db = memoryCase();
  const identity = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/blank', key: '', userName: 'blank' };
  insertEvents(db, [{ eventId: 'blank-1', time: '2025-01-01T10:00:00Z', name: 'DescribeInstances', identity }]);
  refreshDerived(db);
  insertEvents(db, [{ eventId: 'blank-2', time: '2025-01-01T11:00:00Z', name: 'DescribeInstances', identity }]);
  refreshDerived(db);
  assert.deepEqual(db.prepare(`SELECT actor_key FROM actor_rows WHERE actor_key LIKE '%blank%'`).pluck().all(), [`arn:${identity.arn}`]);
  db.close();
});
