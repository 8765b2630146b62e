// Migration 145 on a case of the previous version: the stored findings and their parts' stamps are kept
// as they were, and the connections through openings (the new `flows` part) are computed at the next ask.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCase } from '../open-case.ts';
import { schemaAt } from '../../../../test-support/schema-at.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { loadRecords } from '../../../../test-support/case-fixtures.ts';
import { staleParts, storeFindings } from '../../analysis/findings/stored-findings.ts';

const A = '111122223333';
const mallory = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/mallory`, accountId: A, principalId: 'AIDA3V4QW7ZXMALLORY1', userName: 'mallory', accessKeyId: 'AKIA3V4QW7ZXMALLORY1' };
const opened = {
  eventVersion: '1.10', eventID: 'open-1', eventTime: '2024-06-01T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress',
  awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15', recipientAccountId: A, userIdentity: mallory,
  requestParameters: { groupId: 'sg-0a1b2c3d4e5f60718', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } },
  responseElements: { _return: true },
};
const rows = (db: ReturnType<typeof openCase>) => db.prepare('SELECT part, finding_id, body FROM stored_findings WHERE part <> \'flows\' ORDER BY seq').raw().all();
const stamps = (db: ReturnType<typeof openCase>) => db.prepare('SELECT part, stamp FROM stored_findings_parts WHERE part <> \'flows\' ORDER BY part').raw().all();

test('a version 144 case keeps its stored findings and stamps; the flows part is stored at the next ask', (t) => {
  const c = tempCase('migration-145');
  t.after(() => c.cleanup());
  loadRecords(c.db, [opened]);
  storeFindings(c.db);
  const kept = { rows: rows(c.db), stamps: stamps(c.db) };
  assert.ok(kept.rows.length > 0, 'the opening is a stored finding');
  schemaAt(c.db, 144);
  c.db.pragma('user_version = 144');
  c.db.close();
  const db = openCase(c.path);
  t.after(() => db.close());
  assert.deepEqual({ rows: rows(db), stamps: stamps(db) }, kept);
  assert.deepEqual(staleParts(db), ['flows']);
  storeFindings(db);
  assert.deepEqual(staleParts(db), []);
});
