// Placeholders are never identity: records whose key was published masked (AKIA****************) or
// as the AWS guides' example key are stored, but the mask links nothing and proves nothing. Through
// the real path: normalizer, writer, refreshDerived, actor report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CaseWriter } from '../../ingest/writer.ts';
import { pantherEvents } from '../../../../test-support/real-samples.ts';
import { readRawEventText } from '../../db/raw-events.ts';
import { refreshDerived } from '../refresh-derived.ts';
import { memoryCase } from '../../../../test-support/case-fixtures.ts';
import { actorReport } from './actor-report.ts';

const MASK = 'AKIA****************';
const ACCOUNT = '111122223333';

function ingest(records: unknown[]) {
  const db = memoryCase();
  const writer = new CaseWriter(db);
  const source = writer.startSource({ path: 'masked.json', sha256: 'masked', size: 0, kind: 'cloudtrail' });
  const counts = writer.writeCloudTrail(source, records);
  writer.finishSource(source, 'done');
  refreshDerived(db);
  return { db, counts };
}

const base = (id: string, time: string, name: string) => ({
  eventVersion: '1.08', eventID: id, eventTime: time, eventSource: 'iam.amazonaws.com', eventName: name, awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7', recipientAccountId: ACCOUNT,
});

test('two users behind the same masked key are not linked, and the session behind it is not proven', () => {
  const { db, counts } = ingest([
    // alice created a key; the published log masks it.
    { ...base('e1', '2024-05-01T10:00:00Z', 'CreateAccessKey'),
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userName: 'alice', accessKeyId: MASK },
      responseElements: { accessKey: { accessKeyId: MASK, userName: 'alice', status: 'Active' } } },
    { ...base('e2', '2024-05-01T10:05:00Z', 'ListUsers'),
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/bob`, accountId: ACCOUNT, userName: 'bob', accessKeyId: MASK } },
    // An Identity Center session with the same mask: before, it resolved to whoever the mask was issued to.
    { ...base('e3', '2024-05-01T10:06:00Z', 'DeleteUser'),
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/carol@example.com`,
        accountId: ACCOUNT, accessKeyId: MASK, sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef` } } } },
  ]);
  assert.deepEqual(counts, { stored: 3, duplicates: 0, rejected: 0 });

  // Stored as seen: the raw record keeps the mask; no column holds it, no credential is keyed by it.
  const ids = db.prepare('SELECT id FROM events ORDER BY event_time').pluck().all() as number[];
  assert.match(readRawEventText(db, ids[0]) ?? '', /AKIA\*{16}/);
  assert.equal(db.prepare('SELECT count(*) FROM events WHERE access_key_id IS NOT NULL').pluck().get(), 0);
  assert.equal(db.prepare('SELECT count(*) FROM credentials').pluck().get(), 0);

  const alice = actorReport(db, `arn:aws:iam::${ACCOUNT}:user/alice`);
  const bob = actorReport(db, `arn:aws:iam::${ACCOUNT}:user/bob`);
  assert.equal(alice?.eventCount, 1, 'alice did one thing');
  assert.equal(bob?.eventCount, 1, 'bob did one thing');
  assert.notEqual(alice?.actor.origin.id, bob?.actor.origin.id);
  assert.equal(actorReport(db, MASK), null, 'the mask is not an actor');

  const carol = actorReport(db, `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/carol@example.com`);
  assert.ok(carol);
  assert.equal(carol.eventCount, 1);
  assert.equal(carol.actor.origin.proven, false);
  assert.notEqual(carol.actor.origin.id, alice?.actor.origin.id);
  assert.ok(carol.actor.chain.every((l) => l.basis !== 'key'), 'no link rests on the mask');
});

test('an IAM user whose ARN and name are both redacted is an unknown user, not a proven one', () => {
  const { db } = ingest([
    { ...base('h1', '2024-05-01T11:00:00Z', 'ListBuckets'), userIdentity: { type: 'IAMUser', arn: 'HIDDEN_DUE_TO_SECURITY_REASONS', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS', accessKeyId: MASK } },
    { ...base('h2', '2024-05-01T11:01:00Z', 'ListBuckets'), userIdentity: { type: 'Root', arn: 'arn:aws:iam::000000000000:root', accountId: '000000000000' } },
  ]);
  const origins = db.prepare('SELECT o.kind, o.ident, a.proven FROM actors a JOIN origins o ON o.id = a.origin ORDER BY o.kind').all();
  assert.deepEqual(origins, [
    { kind: 'iam-user', ident: 'user/?', proven: 0 },
    { kind: 'root', ident: 'arn:aws:iam::?:root', proven: 0 },
  ]);
});

test("panther's rule tests: the AWS guides' example key, given to many users, links none of them", () => {
  const records = pantherEvents().map((p) => p.record as { userIdentity?: { accessKeyId?: unknown; arn?: unknown } });
  const withExample = records.filter((r) => r?.userIdentity?.accessKeyId === 'AKIAIOSFODNN7EXAMPLE');
  const arns = new Set(withExample.map((r) => r.userIdentity?.arn).filter(Boolean));
  assert.ok(arns.size >= 3, `the example key stands for ${arns.size} principals in the samples`);
  // A case of just those records: before, they were all one actor resolved to whoever came first.
  const { db } = ingest(withExample);
  // (Panther's tests reuse some eventIDs too, so fewer events than records are stored.)
  assert.ok((db.prepare('SELECT count(DISTINCT identity_arn) FROM events').pluck().get() as number) >= 5);
  assert.equal(db.prepare(`SELECT count(*) FROM actors WHERE actor_key = 'AKIAIOSFODNN7EXAMPLE'`).pluck().get(), 0);
  // No actor gathers the events of two recorded principals.
  const merged = db.prepare(`SELECT ea.actor, group_concat(DISTINCT e.identity_arn) AS arns FROM event_actors ea JOIN events e ON e.id = ea.event
    WHERE e.identity_arn IS NOT NULL GROUP BY ea.actor HAVING count(DISTINCT e.identity_arn) > 1`).all();
  assert.deepEqual(merged, []);
});
