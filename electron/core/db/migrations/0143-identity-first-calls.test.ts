// Migration 143 on a case of the previous version: the first calls it stores for each identity are
// those the refresh keeps afterwards (an instance session's under its role, a user's under the user,
// the earliest of each name).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCase } from '../open-case.ts';
import { schemaAt } from '../../../../test-support/schema-at.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { loadRecords } from '../../../../test-support/case-fixtures.ts';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/web`;
const instanceSession = (key: string) => ({ type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/web/i-0abc1234def567890`, accountId: A,
  accessKeyId: key, principalId: 'AROA3V4QW7ZXWEBROLE1:i-0abc1234def567890',
  sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, accountId: A }, ec2RoleDelivery: '2.0' } });
const alice = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, principalId: 'AIDA3V4QW7ZXALICE8R2', userName: 'alice', accessKeyId: 'AKIA3V4QW7ZXALICEK01' };
const rec = (id: string, time: string, name: string, userIdentity: object) => ({
  eventVersion: '1.10', eventID: id, eventTime: time, eventSource: 'secretsmanager.amazonaws.com', eventName: name,
  awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15', recipientAccountId: A, userIdentity,
});
const firstCalls = (db: ReturnType<typeof openCase>) => db.prepare(`SELECT coalesce(r.value, o.origin_key) AS identity, s.value AS name, f.first_seen AS first
  FROM identity_first_calls f JOIN strings s ON s.id = f.name LEFT JOIN strings r ON r.id = f.role AND f.role <> 0
    LEFT JOIN origins o ON o.id = f.origin AND f.origin <> 0 ORDER BY 1, 2`).raw().all();

test('a version 142 case gains each identity\'s first calls, equal to what the refresh keeps', (t) => {
  const c = tempCase('migration-143');
  t.after(() => c.cleanup());
  loadRecords(c.db, [rec('i1', '2024-06-01T10:05:00Z', 'GetSecretValue', instanceSession('ASIA3V4QW7ZXINSTKEY1')),
    rec('i2', '2024-06-01T11:00:00Z', 'GetSecretValue', instanceSession('ASIA3V4QW7ZXINSTKEY2')),
    rec('i3', '2024-06-01T11:30:00Z', 'ListSecrets', instanceSession('ASIA3V4QW7ZXINSTKEY2')),
    rec('a1', '2024-06-01T09:00:00Z', 'ListSecrets', alice), rec('a2', '2024-06-01T08:00:00Z', 'ListSecrets', alice)]);
  const kept = firstCalls(c.db);
  assert.deepEqual(kept, [
    [ROLE, 'GetSecretValue', Date.parse('2024-06-01T10:05:00Z')],
    [ROLE, 'ListSecrets', Date.parse('2024-06-01T11:30:00Z')],
    [`iam-user|arn:aws:iam::${A}:user/alice`, 'ListSecrets', Date.parse('2024-06-01T08:00:00Z')],
  ]);
  // The same case as version 142 left it: no first calls stored.
  schemaAt(c.db, 142);
  c.db.pragma('user_version = 142');
  c.db.close();
  const db = openCase(c.path);
  t.after(() => db.close());
  assert.deepEqual(firstCalls(db), kept);
});
