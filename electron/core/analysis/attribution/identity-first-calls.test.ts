// Each identity's stored first calls (identity-first-calls.ts) are its credentials' events grouped by
// name, across later ingests that bring more events and that move credentials between origins (a key's
// issue arriving after its calls); and the routine baseline that reads them answers as before.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAccount } from '../../../../tools/gen/generate.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { filesUnder } from '../../../../test-support/files-under.ts';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import type { CaseDb } from '../../db/open-case.ts';
import { IDENTITY_COLUMNS } from './identity-first-calls.ts';

const gen = mkdtempSync(join(tmpdir(), 'trailscope-first-calls-'));
const c = tempCase('identity-first-calls');
after(() => {
  c.cleanup();
  rmSync(gen, { recursive: true, force: true });
});

type FirstCall = { role: string | null; origin: string | null; name: string; first: number };

/** What is stored, each identity and call named. */
function stored(db: CaseDb): FirstCall[] {
  return db.prepare(`SELECT r.value AS role, o.origin_key AS origin, s.value AS name, f.first_seen AS first
    FROM identity_first_calls f JOIN strings s ON s.id = f.name LEFT JOIN strings r ON r.id = f.role AND f.role <> 0
      LEFT JOIN origins o ON o.id = f.origin AND f.origin <> 0
    ORDER BY 1, 2, 3`).all() as FirstCall[];
}

/** The same straight from the events: each event's credential as it is resolved now. */
function fromEvents(db: CaseDb): FirstCall[] {
  return db.prepare(`SELECT r.value AS role, og.origin_key AS origin, s.value AS name, min(ea.event_time) AS first
    FROM event_actors ea JOIN event_rows e ON e.id = ea.event JOIN strings s ON s.id = e.event_name
      JOIN (SELECT a.id, ${IDENTITY_COLUMNS} FROM actor_rows a LEFT JOIN origins o ON o.id = a.origin) k ON k.id = ea.actor
      LEFT JOIN strings r ON r.id = k.role AND k.role <> 0 LEFT JOIN origins og ON og.id = k.origin AND k.origin <> 0
    WHERE s.value <> '' GROUP BY k.role, k.origin, e.event_name ORDER BY 1, 2, 3`).all() as FirstCall[];
}

test('the stored first calls are the events grouped by identity and name, after ingests in parts whose issues arrive after their keys\' calls', async () => {
  await generateAccount({ out: gen, events: 3000, flows: 200, seed: 43, shape: { callsPerKey: 2, lambdas: 2, ciPipelines: 2 } });
  const files = filesUnder(join(gen, 'AWSLogs')).filter((f) => f.includes('/CloudTrail/'));
  // Every third file per part, latest first: calls land before the issue of their key.
  for (const k of [0, 1, 2]) {
    await ingestPaths(c.db, files.filter((_, i) => i % 3 === k).reverse());
    assert.deepEqual(stored(c.db), fromEvents(c.db), `after part ${k + 1}`);
  }
  const rows = stored(c.db);
  assert.ok(rows.some((r) => r.role !== null) && rows.some((r) => r.origin?.startsWith('iam-user|')), 'instance roles and users both learnt');
  assert.ok(rows.length > 100, `${rows.length} first calls`);
});

test('a session\'s first calls move to the user behind it when its AssumeRole arrives later', () => {
  const A = '111122223333';
  const KEY = 'ASIA3V4QW7ZXOPSK9Q2L';
  const rec = (id: string, time: string, name: string, userIdentity: object, extra: object = {}) => ({
    eventVersion: '1.10', eventID: id, eventTime: time, eventSource: name === 'AssumeRole' ? 'sts.amazonaws.com' : 'secretsmanager.amazonaws.com',
    eventName: name, awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15', recipientAccountId: A, userIdentity, ...extra,
  });
  const session = { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/Ops/night-job`, accountId: A, accessKeyId: KEY,
    sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/Ops`, accountId: A } } };
  const alice = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, principalId: 'AIDA3V4QW7ZXALICE8R2', userName: 'alice', accessKeyId: 'AKIA3V4QW7ZXALICEK01' };
  const db = memoryCase();
  loadRecords(db, [rec('u1', '2024-06-01T10:00:00Z', 'GetSecretValue', session), rec('u2', '2024-06-01T10:01:00Z', 'GetSecretValue', session),
    rec('a1', '2024-06-01T11:00:00Z', 'ListSecrets', alice)]);
  const before = stored(db).filter((r) => r.name === 'GetSecretValue');
  assert.equal(before.length, 1);
  assert.notEqual(before[0].origin, `iam-user|arn:aws:iam::${A}:user/alice`);
  loadRecords(db, [rec('ar1', '2024-06-01T09:59:00Z', 'AssumeRole', alice, {
    requestParameters: { roleArn: `arn:aws:iam::${A}:role/Ops`, roleSessionName: 'night-job' },
    responseElements: { credentials: { accessKeyId: KEY, sessionToken: 't', expiration: 'Jun 1, 2024, 11:00:00 AM' },
      assumedRoleUser: { assumedRoleId: 'AROA3V4QW7ZXOPSROLE5:night-job', arn: `arn:aws:sts::${A}:assumed-role/Ops/night-job` } } })]);
  const aliceFirst = stored(db).filter((r) => r.origin === before[0].origin || r.name === 'GetSecretValue');
  assert.deepEqual(aliceFirst.map((r) => [r.origin, r.name, new Date(r.first).toISOString()]),
    [[`iam-user|arn:aws:iam::${A}:user/alice`, 'GetSecretValue', '2024-06-01T10:00:00.000Z']], 'the session\'s first call is alice\'s now, and its old origin has none');
  assert.deepEqual(stored(db), fromEvents(db));
  db.close();
});
