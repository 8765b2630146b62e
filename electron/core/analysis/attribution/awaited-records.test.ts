// A later ingest re-walks only the actors whose answer a later record can change (awaited-records.ts):
// what it leaves must be what re-walking every actor gives, whatever order the records arrive in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generateAccount } from '../../../../tools/gen/generate.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { generatedWithCases } from '../../../../test-support/generated-cases.ts';
import { filesUnder } from '../../../../test-support/files-under.ts';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { actorReport } from './actor-report.ts';

const { gen, cases: [selective, everyActor] } = generatedWithCases('awaited', 'awaited-selective', 'awaited-every-actor');

/** Everything an actor row gives readers, origin label included, by key. */
function actors(db: CaseDb): unknown[] {
  return db.prepare(`SELECT a.actor_key, a.first_seen, a.first_ip, a.proven, a.flags, a.chain, a.instance_id, o.label AS origin, r.awaits
    FROM actors a JOIN actor_rows r ON r.id = a.id JOIN origins o ON o.id = a.origin ORDER BY a.actor_key`).all();
}

test('ingested in parts, issues arriving after their keys were used: the actors re-walked selectively equal those of re-walking every one', async () => {
  // Churned keys of instances, Lambda, CI and users, two accounts (cross-account issues and their
  // twins), some keys masked: every kind of chain, broken ones included.
  await generateAccount({ out: gen, events: 4000, flows: 200, seed: 31,
    shape: { callsPerKey: 2, instanceKeyHours: 1, lambdas: 3, ciPipelines: 2, accounts: 2, redactedKeys: 0.05 } });
  const files = filesUnder(join(gen, 'AWSLogs')).filter((f) => f.includes('/CloudTrail/'));
  // Every third file per part, latest first: a key's uses often land before its issue.
  const parts = [0, 1, 2].map((k) => files.filter((_, i) => i % 3 === k).reverse());
  assert.ok(parts.every((p) => p.length > 5), `${files.length} files`);
  for (const part of parts) {
    await ingestPaths(selective.db, part);
    // The reference: before each ingest every actor awaits any record, so every one is re-walked.
    everyActor.db.exec("UPDATE actor_rows SET awaits = ''");
    await ingestPaths(everyActor.db, part);
  }
  const a = actors(selective.db);
  assert.ok(a.length > 500, `${a.length} actors`);
  assert.deepEqual(actors(everyActor.db), a);
  // And most actors await nothing: a later ingest does not walk them again.
  const settled = selective.db.prepare('SELECT count(*) FROM actor_rows WHERE awaits IS NULL').pluck().get() as number;
  assert.ok(settled > a.length / 2, `${settled} of ${a.length} actors await nothing`);
});

const A = '111122223333';
const USER_KEY = 'AKIA3V4QW7ZXHRT5KD2M';
const rec = (id: string, time: string, name: string, source: string, userIdentity: object, extra: object = {}) => ({
  eventVersion: '1.10', eventID: id, eventTime: time, eventSource: source, eventName: name, awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.9', userAgent: 'aws-cli/2.15', recipientAccountId: A, userIdentity, ...extra,
});
const alice = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, principalId: 'AIDA3V4QW7ZXALICE8R2', userName: 'alice' };

test("a user's key named by the CreateAccessKey that made it, when that record arrives two ingests later", () => {
  const db = memoryCase();
  loadRecords(db, [rec('use1', '2024-06-01T10:00:00Z', 'ListBuckets', 's3.amazonaws.com', { ...alice, accessKeyId: USER_KEY })]);
  assert.equal(actorReport(db, USER_KEY)!.actor.chain[0].issuedBy, null);
  // Other keys' issues arrive first: the user's actor waits for its own key's issue, not for these.
  loadRecords(db, [rec('ar1', '2024-06-01T11:00:00Z', 'AssumeRole', 'sts.amazonaws.com', { ...alice, accessKeyId: USER_KEY }, {
    requestParameters: { roleArn: `arn:aws:iam::${A}:role/Ops`, roleSessionName: 'alice' },
    responseElements: { credentials: { accessKeyId: 'ASIA3V4QW7ZXOPS7H2LP', sessionToken: 't', expiration: 'Jun 1, 2024, 12:00:00 PM' },
      assumedRoleUser: { assumedRoleId: 'AROA3V4QW7ZXOPSROLE5:alice', arn: `arn:aws:sts::${A}:assumed-role/Ops/alice` } } })]);
  assert.equal(db.prepare('SELECT awaits FROM actor_rows WHERE actor_key = ?').pluck().get(USER_KEY), USER_KEY);
  loadRecords(db, [rec('cak1', '2024-06-01T09:00:00Z', 'CreateAccessKey', 'iam.amazonaws.com', { ...alice, accessKeyId: 'AKIA3V4QW7ZXADMIN9Q4' }, {
    requestParameters: { userName: 'alice' },
    responseElements: { accessKey: { userName: 'alice', accessKeyId: USER_KEY, status: 'Active', createDate: 'Jun 1, 2024, 9:00:00 AM' } } })]);
  const first = actorReport(db, USER_KEY)!.actor.chain[0];
  assert.equal(first.issuedBy?.eventName, 'CreateAccessKey');
  assert.equal(first.issuedBy?.eventId, 'cak1');
  assert.equal(db.prepare('SELECT awaits FROM actor_rows WHERE actor_key = ?').pluck().get(USER_KEY), null);
});
