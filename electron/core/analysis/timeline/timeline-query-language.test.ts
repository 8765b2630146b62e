// The timeline's query language as an investigator types it: fields (names in any case), wildcards,
// OR, NOT, parentheses, time bounds, free text, tag: and starred:; a mistake is a clear error, and
// nothing typed becomes SQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCase } from '../../db/open-case.ts';
import { ingestPaths } from '../../ingest/pipeline.ts';
import { addAnnotation } from '../../annotations/annotations.ts';
import { timelinePage } from './timeline-query.ts';
import { QueryError, checkQuery } from './timeline-query-language.ts';
import { runTrailscope } from '../../../../test-support/run-cli.ts';

const CALLS = [
  ['AuthorizeSecurityGroupIngress', 'ec2.amazonaws.com', '203.0.113.7', 'alice', null],
  ['RevokeSecurityGroupIngress', 'ec2.amazonaws.com', '198.51.100.9', 'bob', null],
  ['CreateUser', 'iam.amazonaws.com', '203.0.113.7', 'alice', 'AccessDenied'],
  ['ListBuckets', 's3.amazonaws.com', '192.0.2.1', 'carol', null],
] as const;
const id = (i: number) => `00000000-0000-4000-8000-00000000003${i}`;

test('fields, wildcards, OR, NOT, parentheses, time, free text, tag: and starred:', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-query-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'trail.json');
  writeFileSync(file, JSON.stringify({
    Records: CALLS.map(([name, source, ip, user, error], i) => ({
      eventVersion: '1.08', eventID: id(i), eventTime: `2024-05-01T1${i}:00:00Z`, eventSource: source, eventName: name, awsRegion: 'us-east-1',
      sourceIPAddress: ip, userAgent: 'aws-cli/2', readOnly: false, recipientAccountId: '111122223333', ...(error ? { errorCode: error } : {}),
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/${user}`, accountId: '111122223333', userName: user },
    })),
  }));
  const casePath = join(dir, 'q.case');
  const db = openCase(casePath);
  t.after(() => db.close());
  await ingestPaths(db, [file]);
  addAnnotation(db, { target: 'event', targetId: id(1), kind: 'tag', value: 'suspicious', author: 'ana' });
  addAnnotation(db, { target: 'event', targetId: id(3), kind: 'star', author: 'ana' });
  const ids = (query: string) => timelinePage(db, { query, includeReadOnly: true, limit: 100 }).rows.map((r) => Number(r.eventId.slice(-1)));

  assert.deepEqual(ids('EventSource:ec2.amazonaws.com'), [0, 1]);
  assert.deepEqual(ids('eventName:*SecurityGroup*'), [0, 1]);
  assert.deepEqual(ids('eventname:*securitygroup* -ip:198.51.100.9'), [0]);
  assert.deepEqual(ids('ip:203.0.113.7 OR ip:192.0.2.1'), [0, 2, 3]);
  assert.deepEqual(ids('(ip:203.0.113.7 OR ip:192.0.2.1) AND NOT error:AccessDenied'), [0, 3]);
  assert.deepEqual(ids('from:2024-05-01T11:00:00Z to:2024-05-01T12:00:00Z'), [1, 2]);
  assert.deepEqual(ids('tag:suspicious'), [1]);
  assert.deepEqual(ids('tag:SUSP*'), [1]);
  assert.deepEqual(ids('starred:true'), [3]);
  assert.deepEqual(ids('starred:true OR tag:suspicious'), [1, 3]);
  assert.deepEqual(ids('user:arn:aws:iam::111122223333:user/alice'), [0, 2]);
  assert.deepEqual(ids('alice'), [0, 2], 'free text goes through the full-text index');
  // Quotes and SQL in a value are only a value.
  assert.deepEqual(ids(`name:"x' OR 1=1 --"`), []);
  assert.deepEqual(ids('name:100%'), []);

  for (const [bad, reason] of [['(ip:1', /not closed/], ['ip:1)', /without its opening/], ['from:yesterday', /not a time/], ['"open', /quote/], ['NOT', /ends where a term/]] as const) {
    assert.throws(() => checkQuery(bad), (err: Error) => err instanceof QueryError && reason.test(err.message), bad);
  }
  assert.throws(() => checkQuery('('.repeat(40) + 'x' + ')'.repeat(40)), /nest at most/);
  assert.throws(() => checkQuery(Array.from({ length: 70 }, (_, i) => `w${i}`).join(' ')), /at most 64 terms/);

  const cli = await runTrailscope(['timeline', '--case', casePath, '--query', 'tag:suspicious', '--format', 'json']);
  assert.equal(cli.code, 0, cli.err);
  assert.deepEqual((JSON.parse(cli.out) as { eventId: string }[]).map((r) => r.eventId), [id(1)]);
  const wrong = await runTrailscope(['timeline', '--case', casePath, '--query', '(ip:1']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /query: a parenthesis is not closed/);
});
