// Migration 138 on a case of the previous version: who called which service each hour is counted from
// the events the case holds as the writer counts them (a session's calls under its role, an hour before
// 1970 rounded down alike), and later ingests add to those counts.
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
const rec = (id: string, source: string, name: string, userIdentity: object = alice, time = '2024-06-01T10:00:00Z') => ({
  eventVersion: '1.10', eventID: id, eventTime: time, eventSource: source, eventName: name,
  awsRegion: 'eu-west-1', sourceIPAddress: '192.0.2.10', recipientAccountId: A, userIdentity,
});
/** Calls per owner and service, every hour summed. */
const totals = (calls: ReturnType<typeof serviceCalls>['stored']) => {
  const by = new Map<string, number>();
  for (const [owner, service, , n] of calls) by.set(`${owner} ${service}`, (by.get(`${owner} ${service}`) ?? 0) + n);
  return Object.fromEntries(by);
};

test('a version 137 case gets its calls per service from its events, and goes on counting', (t) => {
  const c = tempCase('migration-138');
  t.after(() => c.cleanup());
  loadRecords(c.db, [rec('e1', 's3.amazonaws.com', 'ListBuckets'), rec('e2', 's3.amazonaws.com', 'GetObject', alice, '2024-06-01T11:59:59Z'),
    rec('e3', 'ec2.amazonaws.com', 'DescribeInstances', alice, '1969-12-31T23:30:00Z'),
    rec('s1', 'ec2.amazonaws.com', 'RunInstances', session('deploy1')), rec('s2', 'ec2.amazonaws.com', 'RunInstances', session('deploy2'))]);
  const written = serviceCalls(c.db).stored;
  assert.deepEqual(written, serviceCalls(c.db).ofEvents, 'as the writer counts them');
  // As version 137 left it: no such table.
  schemaAt(c.db, 137);
  c.db.pragma('user_version = 137');
  c.db.close();

  const db = openCase(c.path);
  t.after(() => db.close());
  assert.deepEqual(serviceCalls(db).stored, written, 'the migration counts what the writer counted, hour by hour');
  const [user, role] = [alice.arn, `arn:aws:iam::${A}:role/Ops`];
  assert.deepEqual(totals(serviceCalls(db).stored), { [`${role} ec2.amazonaws.com`]: 2, [`${user} ec2.amazonaws.com`]: 1, [`${user} s3.amazonaws.com`]: 2 });
  loadRecords(db, [rec('e4', 's3.amazonaws.com', 'PutObject'), rec('e1', 's3.amazonaws.com', 'ListBuckets'), rec('s3', 'ec2.amazonaws.com', 'StopInstances', session('deploy3'))]);
  assert.deepEqual(totals(serviceCalls(db).stored), { [`${role} ec2.amazonaws.com`]: 3, [`${user} ec2.amazonaws.com`]: 1, [`${user} s3.amazonaws.com`]: 3 }, 'the new events counted, the one read again not');
  assert.deepEqual(serviceCalls(db).stored, serviceCalls(db).ofEvents);
});
