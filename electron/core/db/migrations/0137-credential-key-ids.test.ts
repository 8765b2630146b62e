// Migration 137 on a case of the previous version: every credential reads back through the view as it
// did, by key text and by id, rowids (the refresh's and the stored findings' watermark) included, a key
// the old case never interned included; and the case goes on resolving keys issued after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCase } from '../open-case.ts';
import { schemaAt } from '../../../../test-support/schema-at.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { loadRecords } from '../../../../test-support/case-fixtures.ts';
import { refreshDerived } from '../../analysis/refresh-derived.ts';

const A = '111122223333';
const alice = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, principalId: 'AIDA3V4QW7ZXALICE8R2', userName: 'alice', accessKeyId: 'AKIA3V4QW7ZXALICEK01' };
const session = (key: string, name: string) => ({ type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/Ops/${name}`, accountId: A, accessKeyId: key,
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/Ops`, accountId: A } } });
const rec = (id: string, time: string, name: string, userIdentity: object, extra: object = {}) => ({
  eventVersion: '1.10', eventID: id, eventTime: time, eventSource: name === 'AssumeRole' ? 'sts.amazonaws.com' : 's3.amazonaws.com', eventName: name,
  awsRegion: 'eu-west-1', sourceIPAddress: '192.0.2.10', userAgent: 'aws-cli/2.15', recipientAccountId: A, userIdentity, ...extra,
});
const assumeRole = (id: string, time: string, key: string, name: string) => rec(id, time, 'AssumeRole', alice, {
  requestParameters: { roleArn: `arn:aws:iam::${A}:role/Ops`, roleSessionName: name },
  responseElements: { credentials: { accessKeyId: key, sessionToken: 't', expiration: 'Jun 1, 2024, 11:00:00 AM' },
    assumedRoleUser: { assumedRoleId: `AROA3V4QW7ZXOPSROLE5:${name}`, arn: `arn:aws:sts::${A}:assumed-role/Ops/${name}` } },
});
const credentials = (db: { prepare: (sql: string) => { all: () => unknown[] } }) =>
  db.prepare('SELECT * FROM credentials ORDER BY rowid').all();

test('a version 136 case keeps every credential, its rowid and its key text, and goes on resolving keys', (t) => {
  const c = tempCase('migration-137');
  t.after(() => c.cleanup());
  // A key used after its issue, and one issued and never used (a version before 137 interned no such key).
  loadRecords(c.db, [assumeRole('ar1', '2024-06-01T09:59:00Z', 'ASIA3V4QW7ZXNIGHT001', 'night-job'),
    assumeRole('ar2', '2024-06-01T10:05:00Z', 'ASIA3V4QW7ZXUNUSED02', 'idle'),
    rec('u1', '2024-06-01T10:00:00Z', 'ListBuckets', session('ASIA3V4QW7ZXNIGHT001', 'night-job'))]);
  refreshDerived(c.db);
  const before = credentials(c.db);
  assert.equal(before.length, 2);
  // As version 136 left it: the key as text; the unused key's text only there.
  schemaAt(c.db, 136);
  c.db.prepare(`DELETE FROM strings WHERE value = 'ASIA3V4QW7ZXUNUSED02'`).run();
  c.db.pragma('user_version = 136');
  c.db.close();

  const db = openCase(c.path);
  t.after(() => db.close());
  assert.deepEqual(credentials(db), before);
  assert.equal(db.prepare(`SELECT typeof(access_key_id) FROM credential_rows LIMIT 1`).pluck().get(), 'integer');
  assert.equal(db.prepare(`SELECT count(*) FROM credentials WHERE access_key_id = 'ASIA3V4QW7ZXUNUSED02'`).pluck().get(), 1);
  // A key issued in a later ingest is resolved through the migrated table: its session leads to alice.
  loadRecords(db, [assumeRole('ar3', '2024-06-01T10:10:00Z', 'ASIA3V4QW7ZXLATER003', 'later'),
    rec('u3', '2024-06-01T10:11:00Z', 'GetObject', session('ASIA3V4QW7ZXLATER003', 'later'))]);
  refreshDerived(db);
  const later = db.prepare(`SELECT o.label FROM actors a JOIN origins o ON o.id = a.origin WHERE a.actor_key = 'ASIA3V4QW7ZXLATER003'`).pluck().get();
  assert.match(String(later), /alice/);
});
