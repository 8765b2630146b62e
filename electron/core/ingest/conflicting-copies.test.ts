// A record under an eventID the case holds is a copy, unless it says something else: then it is
// reported on its own file as a rejected record naming what differs, and the first read stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestPaths } from './pipeline.ts';
import { tempCase, type TempCase } from '../../../test-support/temp-case.ts';
import { trailFile } from '../../../test-support/trail-file.ts';
import { runTrailscope } from '../../../test-support/run-cli.ts';
import { EXIT_PARTIAL } from '../../cli/command.ts';

function call(eventID: string, edits: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09', eventTime: '2025-03-01T10:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress',
    awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0', eventID, eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', principalId: 'AIDAQRSTUVWXYZ2345678', userName: 'alice' },
    requestParameters: { groupId: 'sg-0123456789abcdef0' }, responseElements: null,
    ...edits,
  };
}

const FIRST = '6c1f0e2a-0000-4000-8000-000000000001';
const SECOND = '6c1f0e2a-0000-4000-8000-000000000002';
const THIRD = '6c1f0e2a-0000-4000-8000-000000000003';
// The first call again from another address and tool: not the same call.
const EDITED = call(FIRST, { sourceIPAddress: '203.0.113.66', userAgent: 'Boto3/1.34.0' });

function rejections(c: TempCase, name: string): { position: string; reason: string }[] {
  return c.db.prepare(`SELECT r.position, r.reason FROM rejected_records r JOIN sources s ON s.id = r.source_id WHERE s.path LIKE ? ORDER BY r.id`)
    .all(`%${name}`) as { position: string; reason: string }[];
}

for (const how of ['one ingest', 'two ingests'] as const) {
  test(`${how}: a record that says something else under a stored eventID is rejected with the fields that differ; a true copy is a duplicate`, async (t) => {
    const c = tempCase('conflicting-copies');
    t.after(() => c.cleanup());
    const first = trailFile(c.dir, 'a-trail.json', [call(FIRST), call(SECOND)]);
    // Its second record is a true copy; its third is new.
    const second = trailFile(c.dir, 'b-export.json', [EDITED, call(SECOND), call(THIRD)]);
    const summaries = how === 'one ingest'
      ? [await ingestPaths(c.db, [first, second], { readers: 1 })]
      : [await ingestPaths(c.db, [first]), await ingestPaths(c.db, [second])];
    assert.equal(c.db.prepare('SELECT count(*) FROM events').pluck().get(), 3);
    assert.equal(c.db.prepare('SELECT source_ip FROM events WHERE event_id = ?').pluck().get(FIRST), '198.51.100.7', 'the first read is kept');
    assert.deepEqual(rejections(c, 'b-export.json'), [{
      position: 'record 1',
      reason: 'its eventID is already stored from a record that differs in source address, user agent: the first read is kept, this one is not stored (compare both)',
    }]);
    const exported = summaries.flatMap((s) => s.sources).find((s) => s.path.endsWith('b-export.json'))!;
    assert.deepEqual({ stored: exported.stored, rejected: exported.rejectedRecords, records: exported.records }, { stored: 1, rejected: 1, records: 3 });
    assert.deepEqual(exported.rejections, rejections(c, 'b-export.json'), 'the summary names it');
    assert.equal(summaries.reduce((n, s) => n + s.duplicates, 0), 1, 'the true copy');
    // The reason says what differs, never the values.
    assert.doesNotMatch(JSON.stringify(rejections(c, 'b-export.json')), /203\.0\.113|Boto3/);
  });
}

test('copies that lose a field, or repeat the record, are duplicates; two records in one file under one eventID are told apart', async (t) => {
  const c = tempCase('conflicting-copies');
  t.after(() => c.cleanup());
  const { userAgent: _dropped, ...withoutAgent } = call(FIRST);
  const first = trailFile(c.dir, 'a-trail.json', [call(FIRST), withoutAgent, call(FIRST)]);
  const edited = trailFile(c.dir, 'b-edited.json', [call(SECOND), call(SECOND, { eventTime: '2025-03-01T10:05:00Z', errorCode: 'AccessDenied' })]);
  await ingestPaths(c.db, [first, edited], { readers: 1 });
  assert.deepEqual(rejections(c, 'a-trail.json'), []);
  assert.deepEqual(rejections(c, 'b-edited.json').map((r) => [r.position, r.reason.match(/differs in ([^:]+):/)?.[1]]), [['record 2', 'time, error']]);
  assert.equal(c.db.prepare('SELECT count(*) FROM events').pluck().get(), 2);
});

test('trailscope ingest prints where and why a record of a source was rejected', async (t) => {
  const c = tempCase('conflicting-copies');
  t.after(() => c.cleanup());
  c.db.close();
  const first = trailFile(c.dir, 'a-trail.json', [call(FIRST)]);
  const second = trailFile(c.dir, 'b-export.json', [EDITED]);
  const { code, out } = await runTrailscope(['ingest', '--case', c.path, first, second]);
  assert.equal(code, EXIT_PARTIAL, 'not whole: a record was rejected');
  assert.match(out, new RegExp(`1 records rejected in .*b-export\\.json\\n    record 1: its eventID is already stored from a record that differs in source address, user agent: `));
});
