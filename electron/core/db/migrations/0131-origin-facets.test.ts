// Migration 131 on a case of the previous version: the per-origin roll-ups it stores are each origin's
// events grouped by address, region and agent, as the refresh keeps them afterwards (empty values are
// no value; calls a later issue moved to the user behind them count for that user).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCase } from '../open-case.ts';
import { schemaAt } from '../../../../test-support/schema-at.ts';
import { chainCutsAsText } from '../../../../test-support/chain-cuts-as-text.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { loadRecords } from '../../../../test-support/case-fixtures.ts';
import { originRollups } from '../../analysis/findings/origin-rollups.ts';

const A = '111122223333';
const KEY = 'ASIA3V4QW7ZXOPSK9Q2L';
const session = { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/Ops/night-job`, accountId: A, accessKeyId: KEY,
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/Ops`, accountId: A } } };
const alice = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, principalId: 'AIDA3V4QW7ZXALICE8R2', userName: 'alice', accessKeyId: 'AKIA3V4QW7ZXALICEK01' };
const rec = (id: string, time: string, name: string, ip: string, agent: string, userIdentity: object, extra: object = {}) => ({
  eventVersion: '1.10', eventID: id, eventTime: time, eventSource: name === 'AssumeRole' ? 'sts.amazonaws.com' : 's3.amazonaws.com', eventName: name,
  awsRegion: 'eu-west-1', sourceIPAddress: ip, userAgent: agent, recipientAccountId: A, userIdentity, ...extra,
});

test('a version 130 case gains each origin\'s roll-ups, equal to what the refresh keeps', (t) => {
  const c = tempCase('migration-131');
  t.after(() => c.cleanup());
  loadRecords(c.db, [rec('u1', '2024-06-01T10:00:00Z', 'ListBuckets', '198.51.100.7', '', session),
    rec('u2', '2024-06-01T10:01:00Z', 'GetObject', '198.51.100.7', 'aws-cli/2.15', session),
    rec('a1', '2024-06-01T09:00:00Z', 'ListBuckets', '192.0.2.10', 'aws-cli/2.15', alice)]);
  loadRecords(c.db, [rec('ar1', '2024-06-01T09:59:00Z', 'AssumeRole', '192.0.2.10', 'aws-cli/2.15', alice, {
    requestParameters: { roleArn: `arn:aws:iam::${A}:role/Ops`, roleSessionName: 'night-job' },
    responseElements: { credentials: { accessKeyId: KEY, sessionToken: 't', expiration: 'Jun 1, 2024, 11:00:00 AM' },
      assumedRoleUser: { assumedRoleId: 'AROA3V4QW7ZXOPSROLE5:night-job', arn: `arn:aws:sts::${A}:assumed-role/Ops/night-job` } } })]);
  const kept = originRollups(c.db);
  const labelOf = (origin: number) => c.db.prepare('SELECT label FROM origins WHERE id = ?').pluck().get(origin);
  assert.deepEqual(kept.filter((r) => r.facet === 'ip').map((r) => [labelOf(r.origin), r.value, r.n]),
    [['user/alice', '192.0.2.10', 2], ['user/alice', '198.51.100.7', 2]]);
  assert.deepEqual(kept.filter((r) => r.facet === 'ua').map((r) => [r.value, r.n]), [['aws-cli/2.15', 3]], 'the empty agent is no value');
  // The same case as version 130 left it: no roll-ups stored, the agent's addresses a facet of each actor (migration 0132).
  c.db.exec('DROP TABLE origin_facet_rows');
  chainCutsAsText(c.db);
  schemaAt(c.db, 130);
  c.db.pragma('user_version = 130');
  c.db.close();
  const db = openCase(c.path);
  t.after(() => db.close());
  assert.deepEqual(originRollups(db), kept);
});
