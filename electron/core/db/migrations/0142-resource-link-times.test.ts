// Migration 142 on a case of the previous version: every link between an event and a resource reads
// back as it was, each now with its event's time, a resource's touches come back in time order
// whatever order their files were ingested in, and the next ingest of the same files adds no link.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { openCase, type CaseDb } from '../open-case.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { tempCase } from '../../../../test-support/temp-case.ts';
import { schemaAt } from '../../../../test-support/schema-at.ts';

const GROUP = 'sg-0a1b2c3d4e5f60718';
const rec = (id: string, time: string, who: string) => ({
  eventVersion: '1.08', eventID: id, eventTime: time, eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress',
  awsRegion: 'eu-west-1', recipientAccountId: '111122223333', sourceIPAddress: '198.51.100.7',
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/${who}`, accountId: '111122223333', accessKeyId: `AKIA${who.toUpperCase().padEnd(16, '0')}` },
  requestParameters: { groupId: GROUP, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } },
});
const trail = (...records: object[]) => gzipSync(JSON.stringify({ Records: records }));

/** Every link as a user's queries read it. */
const links = (db: CaseDb) => db.prepare(`SELECT resource_id, event, resource_type, touch FROM event_resources ORDER BY resource_id, event`).raw().all();
/** The group's touches as the graph reads them, latest first. */
const latest = (db: CaseDb) => db.prepare(`SELECT e.event_id FROM event_resources r JOIN event_rows e ON e.id = r.event
  WHERE r.resource_id = ? ORDER BY r.event_time DESC`).pluck().all(GROUP);

test("a version 141 case keeps every link, each with its event's time, in time order; the next ingest adds none", async (t) => {
  const c = tempCase('migration-142');
  t.after(() => c.cleanup());
  const day = (d: string) => join(c.dir, `evidence-${d}`, `AWSLogs/111122223333/CloudTrail/eu-west-1/2024/05/${d}`);
  // May's third first, then the first (a later pull of older logs): the older calls get the later rows.
  mkdirSync(day('03'), { recursive: true });
  writeFileSync(join(day('03'), '111122223333_CloudTrail_eu-west-1_20240503T1000Z_a.json.gz'), trail(rec('new-1', '2024-05-03T10:00:00Z', 'alice'), rec('new-2', '2024-05-03T10:01:00Z', 'alice')));
  mkdirSync(day('01'), { recursive: true });
  writeFileSync(join(day('01'), '111122223333_CloudTrail_eu-west-1_20240501T1000Z_b.json.gz'), trail(rec('old-1', '2024-05-01T10:00:00Z', 'bob'), rec('old-2', '2024-05-01T10:01:00Z', 'bob')));
  await ingestPaths(c.db, [join(c.dir, 'evidence-03')]);
  await ingestPaths(c.db, [join(c.dir, 'evidence-01')]);
  const before = links(c.db);
  assert.ok(before.length >= 4, JSON.stringify(before));

  schemaAt(c.db, 141);
  c.db.pragma('user_version = 141');
  c.db.close();
  const db = openCase(c.path);
  t.after(() => db.close());
  assert.deepEqual(links(db), before, 'every link as it was');
  assert.equal(db.prepare(`SELECT count(*) FROM event_resource_rows r JOIN event_rows e ON e.id = r.event WHERE r.event_time = e.event_time`).pluck().get(),
    before.length, 'each with its event\'s time');
  assert.deepEqual(latest(db), ['new-2', 'new-1', 'old-2', 'old-1']);

  const again = await ingestPaths(db, [join(c.dir, 'evidence-01'), join(c.dir, 'evidence-03')]);
  assert.equal(again.inputs.unchanged, 2);
  assert.deepEqual(links(db), before, 'no link added');
});
