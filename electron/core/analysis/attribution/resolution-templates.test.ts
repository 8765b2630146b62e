import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase, type TestEvent } from '../../../../test-support/case-fixtures.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { refreshDerived } from '../refresh-derived.ts';
import { resolveChain, type RecordedIdentity } from './resolve-chain.ts';
import { dbChainLookups } from './lookups.ts';
import { chainShapeOf } from './chain-shapes.ts';

const A = '111111111111';
const ROLE = `arn:aws:iam::${A}:role/web`;
const ec2 = { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' };
const key = (n: number) => `ASIA${String(n).padStart(16, '0')}`;
const minute = (n: number) => new Date(Date.UTC(2024, 4, 1, 10, n)).toISOString();

/** EC2 issues `k` to a session of the web role and the key makes one call, as an instance's role keys do. */
function issuedAndUsed(k: string, n: number, session: string, eventId = `issue-${n}`): TestEvent[] {
  const arn = `arn:aws:sts::${A}:assumed-role/web/${session}`;
  return [
    { eventId, time: minute(2 * n), name: 'AssumeRole', source: 'sts.amazonaws.com', identity: ec2, ip: 'ec2.amazonaws.com',
      issued: { key: k, role: ROLE, session, issuedArn: arn, callerType: 'AWSService' } },
    { eventId: `use-${n}`, time: minute(2 * n + 1), name: 'DescribeInstances', ip: '10.0.0.5',
      identity: { type: 'AssumedRole', arn, key: k, issuer: ROLE, session } },
  ];
}

/**
 * Every actor's chain, origin, flags and instance as readers see them, and its row as stored (shape,
 * eventID and time cut out), beside the walk made afresh for its first call.
 */
function storedAndWalked(db: CaseDb): { key: string; stored: unknown; walked: unknown }[] {
  const lookups = dbChainLookups(db);
  const actors = db.prepare(`SELECT a.access_key_id AS key, a.chain, a.flags, a.proven, a.instance_id AS instanceId, o.origin_key AS origin,
      s.shape, a.chain_event AS event, a.chain_time AS time, a.session_name AS session
    FROM actors a JOIN origins o ON o.id = a.origin JOIN actor_rows r ON r.id = a.id JOIN chain_shapes s ON s.id = r.chain_shape
    WHERE a.access_key_id IS NOT NULL ORDER BY a.access_key_id`).all() as
    { key: string; chain: string; flags: string; proven: number; instanceId: string | null; origin: string; shape: string; event: string | null;
      time: string | null; session: string | null }[];
  const firstCall = db.prepare(`SELECT access_key_id AS accessKeyId, identity_type AS identityType, identity_arn AS identityArn,
    identity_account AS identityAccount, principal_id AS principalId, user_name AS userName, session_issuer_arn AS sessionIssuerArn,
    session_name AS sessionName, invoked_by AS invokedBy, source_identity AS sourceIdentity, on_behalf_of AS onBehalfOf,
    event_time AS firstSeen, source_ip AS sourceIp FROM events WHERE access_key_id = ? ORDER BY event_time, id LIMIT 1`);
  return actors.map((a) => {
    const res = resolveChain(firstCall.get(a.key) as RecordedIdentity, lookups);
    return {
      key: a.key,
      stored: { chain: a.chain, flags: a.flags, proven: a.proven === 1, instanceId: a.instanceId, origin: a.origin,
        row: { shape: a.shape, event: a.event, time: a.time, session: a.shape.includes('\u0004') ? a.session : null } },
      walked: { chain: JSON.stringify(res.chain), flags: res.flags.length ? JSON.stringify(res.flags) : '[]', proven: res.proven, instanceId: res.instanceId,
        origin: `${res.origin.kind}|${res.origin.id}`, row: chainShapeOf(res.chain, a.key, a.session) },
    };
  });
}

test('keys of one session shape share its resolution, and keep exactly what their own walk gives, odd values included', () => {
  const db = memoryCase();
  const events: TestEvent[] = [];
  let n = 0;
  // Twenty keys of one instance: the shape is learnt from the first, confirmed by the second, shared after.
  for (; n < 20; n++) events.push(...issuedAndUsed(key(n), n, 'i-0abc1234def567890'));
  // In the same shape, values a shared answer would get wrong:
  // a session named after one of its own keys, used by two keys before it (the key is then in the shape's text);
  for (const k of [89, 90, 91]) events.push(...issuedAndUsed(key(k), n++, key(91)));
  // an issuing call whose eventID holds the key it issued, or is of no form AWS gives;
  events.push(...issuedAndUsed(key(92), n++, 'i-0abc1234def567890', `call-${key(92)}`));
  events.push(...issuedAndUsed(key(93), n++, 'i-0abc1234def567890', 'evt:93 "quoted"'));
  // a masked key (a published sample), which proves nothing;
  events.push(...issuedAndUsed('ASIAIOSFODNN7EXAMPLE', n++, 'i-0abc1234def567890'));
  // a key whose issue time is not its call's time.
  events.push(...issuedAndUsed(key(94), n++, 'i-0abc1234def567890'));
  insertEvents(db, events);
  assert.equal(db.prepare('UPDATE credential_rows SET issued_at = issued_at - 5000 WHERE access_key_id = (SELECT id FROM strings WHERE value = ?)')
    .run(key(94)).changes, 1);

  const stats = refreshDerived(db);
  assert.equal(stats.newActors, 28); // and EC2 itself, which asked for the keys
  assert.ok(stats.byTemplate >= 17, `keys resolved by their template: ${stats.byTemplate}`);
  const actors = storedAndWalked(db);
  assert.equal(actors.length, 27);
  for (const a of actors) assert.deepEqual(a.stored, a.walked, `actor ${a.key}`);
  // The shared answer is the real one: the instance behind the role session, proven by the issuing call.
  const first = actors.find((a) => a.key === key(19))!.stored as { origin: string; proven: boolean; instanceId: string };
  assert.deepEqual([first.origin, first.proven, first.instanceId], ['instance|i-0abc1234def567890', true, 'i-0abc1234def567890']);
});

test('the first two keys of a shape are walked, the second confirming it; later keys take it', () => {
  for (const [keys, shared] of [[2, 0], [3, 1], [6, 4]]) {
    const db = memoryCase();
    const events: TestEvent[] = [];
    for (let n = 0; n < keys; n++) events.push(...issuedAndUsed(key(n), n, 'i-0abc1234def567890'));
    insertEvents(db, events);
    assert.equal(refreshDerived(db).byTemplate, shared, `${keys} keys`);
    for (const a of storedAndWalked(db)) assert.deepEqual(a.stored, a.walked, `actor ${a.key}`);
  }
});

test('runs of one CI pipeline share a template whatever runner address each called from; a service caller is still told by its address', () => {
  const db = memoryCase();
  const events: TestEvent[] = [];
  const subject = 'repo:example/app:ref:refs/heads/main';
  const federated = { type: 'WebIdentityUser', userName: subject, principalId: subject };
  // Each run assumes the deploy role through the OIDC provider from a new runner address, as GitHub's
  // hosted runners do, and its key makes one call.
  for (let n = 0; n < 8; n++) {
    const k = key(n);
    const arn = `arn:aws:sts::${A}:assumed-role/deploy/GitHubActions`;
    events.push(
      { eventId: `issue-${n}`, time: minute(2 * n), name: 'AssumeRoleWithWebIdentity', source: 'sts.amazonaws.com', identity: federated,
        ip: `13.64.0.${n + 1}`, issued: { key: k, kind: 'AssumeRoleWithWebIdentity', role: `arn:aws:iam::${A}:role/deploy`, session: 'GitHubActions',
          issuedArn: arn, subject, callerType: 'WebIdentityUser' } },
      { eventId: `use-${n}`, time: minute(2 * n + 1), name: 'PutObject', ip: `13.64.0.${n + 1}`,
        identity: { type: 'AssumedRole', arn, key: k, issuer: `arn:aws:iam::${A}:role/deploy`, session: 'GitHubActions' } });
  }
  // A service whose name is only its address: two services' keys to one session, each answered by its own.
  for (let n = 8; n < 14; n++) {
    const svc = n % 2 === 0 ? 'lambda.amazonaws.com' : 'ecs-tasks.amazonaws.com';
    const arn = `arn:aws:sts::${A}:assumed-role/worker/job`;
    events.push(
      { eventId: `issue-${n}`, time: minute(2 * n), name: 'AssumeRole', source: 'sts.amazonaws.com', identity: { type: 'AWSService', invokedBy: svc }, ip: svc,
        issued: { key: key(n), role: `arn:aws:iam::${A}:role/worker`, session: 'job', issuedArn: arn, callerType: 'AWSService' } },
      { eventId: `use-${n}`, time: minute(2 * n + 1), name: 'GetObject', ip: '10.0.0.9',
        identity: { type: 'AssumedRole', arn, key: key(n), issuer: `arn:aws:iam::${A}:role/worker`, session: 'job' } });
  }
  insertEvents(db, events);
  // The pipeline's first two runs are walked, the next six take their answer; each service's first two keys are walked, its third is not.
  assert.equal(refreshDerived(db).byTemplate, 6 + 2);
  const actors = storedAndWalked(db);
  for (const a of actors) assert.deepEqual(a.stored, a.walked, `actor ${a.key}`);
  const origins = new Set(actors.map((a) => (a.stored as { origin: string }).origin));
  assert.deepEqual([...origins].sort(), ['aws-service|ecs-tasks.amazonaws.com', 'aws-service|lambda.amazonaws.com', `web-identity-user|${subject}`]);
});

test('sessions named per run share one shape and one template, their names put back exactly, whatever a name holds', () => {
  const db = memoryCase();
  const events: TestEvent[] = [];
  const terraform = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/terraform`, key: 'AKIATERRAFORM0000001', userName: 'terraform' };
  // A run's session name as Terraform, the SDKs and ECS (the task's id) give them: one of its own for every key.
  const names = Array.from({ length: 12 }, (_, n) => `terraform-run-${(0x1f00 + n).toString(16)}-${n}`);
  names.push('e3b0c44298fc1c149afbf4c8996fb924', '9f86d081884c7d659a2feaa0c55ad015');
  // Names a record may hold: one that is also text elsewhere in the chain (the caller's ARN), a quote,
  // a backslash, a control character, an unpaired surrogate (stored as U+FFFD), a marker's own
  // character, capitals and digits only as a key is written (never cut), a name inside another, one character.
  names.push('user/terraform', 'a"b', 'a\\b', 'a\u0001b', 'a\ud800b', '\u0004-x', 'ALICE01', 'run-1', 'x', 'assumed-role');
  names.forEach((session, n) => {
    const arn = `arn:aws:sts::${A}:assumed-role/web/${session}`;
    const k = key(n);
    events.push(
      { eventId: `issue-${n}`, time: minute(2 * n), name: 'AssumeRole', source: 'sts.amazonaws.com', identity: terraform, ip: '203.0.113.9',
        issued: { key: k, role: ROLE, session, issuedArn: arn } },
      { eventId: `use-${n}`, time: minute(2 * n + 1), name: 'RunInstances', ip: '203.0.113.9',
        identity: { type: 'AssumedRole', arn, key: k, issuer: ROLE, session } });
  });
  // ECS starting tasks of one service, each session named after its task.
  const tasks = ['0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210', 'a1b2c3d4e5f60718293a4b5c6d7e8f90', '00aa11bb22cc33dd44ee55ff66778899'];
  tasks.forEach((session, i) => {
    const n = 100 + i;
    const arn = `arn:aws:sts::${A}:assumed-role/web/${session}`;
    events.push(
      { eventId: `issue-${n}`, time: minute(2 * n), name: 'AssumeRole', source: 'sts.amazonaws.com', identity: { type: 'AWSService', invokedBy: 'ecs-tasks.amazonaws.com' },
        ip: 'ecs-tasks.amazonaws.com', issued: { key: key(n), role: ROLE, session, issuedArn: arn, callerType: 'AWSService' } },
      { eventId: `use-${n}`, time: minute(2 * n + 1), name: 'GetObject', ip: '10.0.3.7',
        identity: { type: 'AssumedRole', arn, key: key(n), issuer: ROLE, session } });
  });
  insertEvents(db, events);
  // The runs' keys (and run-1's) share a template named without the session's name, and so do the
  // tasks': the first two of each are walked, the others take it. The other names are walked ('assumed-role'
  // stands in its own ARN twice, so it cannot take the shape cut only where the session's name stands).
  assert.equal(refreshDerived(db).byTemplate, 13 + 2);
  const actors = storedAndWalked(db);
  assert.equal(actors.filter((a) => a.key.startsWith('ASIA')).length, names.length + tasks.length);
  for (const a of actors) assert.deepEqual(a.stored, a.walked, `actor ${a.key}`);
  // The runs share one shape, and so do the other names that are cut where the session's ARN
  // holds them alone; a name that is text elsewhere too is cut there as well, and has a shape of its own.
  const shapes = db.prepare(`SELECT s.value AS session, r.chain_shape AS shape FROM actor_rows r JOIN strings s ON s.id = r.session_name
    WHERE r.actor_key LIKE 'ASIA%'`).all() as { session: string; shape: number }[];
  const runShapes = new Set(shapes.filter((s) => s.session.startsWith('terraform-run-') || names.slice(12, 14).includes(s.session)).map((s) => s.shape));
  assert.equal(runShapes.size, 1);
  const uncut = shapes.filter((s) => !runShapes.has(s.shape) && !tasks.includes(s.session)).map((s) => s.session).sort();
  assert.deepEqual(uncut, ['a"b', 'a\\b', 'a\u0001b', 'ALICE01', 'assumed-role', 'user/terraform', 'x', '\u0004-x'].sort());
  assert.equal(new Set(shapes.filter((s) => tasks.includes(s.session)).map((s) => s.shape)).size, 1, 'the tasks share a shape');
});
