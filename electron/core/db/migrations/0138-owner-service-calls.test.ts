// Migration 138 on a case of the previous version: who called which service is counted from the events
// the case holds, a session's calls under its role, and later ingests add to those counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCase } from '../open-case.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { schemaAt } from '../../../../test-support/schema-at.ts';
import { loadRecords } from '../../../../test-support/case-fixtures.ts';
import { serviceCalls } from '../../../../test-support/service-calls.ts';

const A = '111122223333';
const alice = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, accessKeyId: 'AKIA3V4QW7ZXALICEK01', userName: 'alice' };
const session = (name: string) => ({ type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/Ops/${name}`, accountId: A, accessKeyId: `ASIA3V4QW7ZX${name.toUpperCase().padEnd(8, '0')}`,
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/Ops`, accountId: A } } });
const rec = (id: string, source: string, name: string, userIdentity: object = alice) => ({
  eventVersion: '1.10', eventID: id, eventTime: '2024-06-01T10:00:00Z', eventSource: source, eventName: name,
  awsRegion: 'eu-west-1', sourceIPAddress: '192.0.2.10', recipientAccountId: A, userIdentity,
});

test('a version 137 case gets its calls per service from its events, and goes on counting', (t) => {
  const c = tempCase('migration-138');
  t.after(() => c.cleanup());
  loadRecords(c.db, [rec('e1', 's3.amazonaws.com', 'ListBuckets'), rec('e2', 's3.amazonaws.com', 'GetObject'), rec('e3', 'ec2.amazonaws.com', 'DescribeInstances'),
    rec('s1', 'ec2.amazonaws.com', 'RunInstances', session('deploy1')), rec('s2', 'ec2.amazonaws.com', 'RunInstances', session('deploy2'))]);
  // As version 137 left it: no such table.
  schemaAt(c.db, 137);
  c.db.pragma('user_version = 137');
  c.db.close();

  const db = openCase(c.path);
  t.after(() => db.close());
  const [user, role] = [alice.arn, `arn:aws:iam::${A}:role/Ops`];
  assert.deepEqual(serviceCalls(db).stored, [[role, 'ec2.amazonaws.com', 2], [user, 'ec2.amazonaws.com', 1], [user, 's3.amazonaws.com', 2]]);
  loadRecords(db, [rec('e4', 's3.amazonaws.com', 'PutObject'), rec('e1', 's3.amazonaws.com', 'ListBuckets'), rec('s3', 'ec2.amazonaws.com', 'StopInstances', session('deploy3'))]);
  assert.deepEqual(serviceCalls(db).stored, [[role, 'ec2.amazonaws.com', 3], [user, 'ec2.amazonaws.com', 1], [user, 's3.amazonaws.com', 3]], 'the new events counted, the one read again not');
});
