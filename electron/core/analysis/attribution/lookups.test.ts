import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase, type TestEvent } from '../../../../test-support/case-fixtures.ts';
import { CREDENTIAL_FROM, CREDENTIAL_IDS, dbChainLookups } from './lookups.ts';

const A = '111111111111';

/** Twelve keys issued by AssumeRole, and each credential as the credentials view gives it. */
function twelveIssues() {
  const db = memoryCase();
  const user = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/ci`, key: 'AKIACI0000000000', userName: 'ci' };
  const events: TestEvent[] = [];
  for (let n = 0; n < 12; n++) {
    const session = `run-${n}`;
    events.push({ eventId: `issue-${n}`, time: new Date(Date.UTC(2024, 4, 1, 10, n)).toISOString(), name: 'AssumeRole', source: 'sts.amazonaws.com',
      identity: user, ip: '203.0.113.9', ua: 'aws-cli/2.15.0',
      issued: { key: `ASIA${String(n).padStart(16, '0')}`, role: `arn:aws:iam::${A}:role/deploy`, session, issuedArn: `arn:aws:sts::${A}:assumed-role/deploy/${session}` } });
  }
  insertEvents(db, events);
  const expected = db.prepare(`SELECT c.access_key_id AS accessKeyId, c.kind, c.issued_arn AS issuedArn, c.role_arn AS roleArn, c.session_name AS sessionName,
    c.caller_arn AS callerArn, c.caller_type AS callerType, c.caller_key AS callerKey, c.caller_ip AS callerIp, e.event_id AS eventId, e.event_name AS eventName,
    e.user_agent AS callerAgent FROM credentials c JOIN events e ON e.id = c.issued_event ORDER BY c.access_key_id`).all() as Record<string, string>[];
  assert.equal(expected.length, 12);
  return { db, expected };
}

const fields = (want: Record<string, string>, got: object) => Object.fromEntries(Object.keys(want).map((k) => [k, got[k as keyof typeof got]]));

test('credentials read by key carry every text of their row, whether their names were cached or read again', () => {
  const { db, expected } = twelveIssues();
  // A cache of four texts: each batch of keys brings more than it holds, so it starts again between batches.
  for (const lookups of [dbChainLookups(db), dbChainLookups(db, { cachedNames: 4 })]) {
    for (let i = 0; i < expected.length; i += 3) lookups.prefetch(expected.slice(i, i + 3).map((c) => c.accessKeyId));
    for (const want of expected) {
      assert.deepEqual(fields(want, lookups.credential(want.accessKeyId)!), want);
    }
  }
});

test('credentials handed over with a batch are those read by key, and a key the case never issued is none', () => {
  const { db, expected } = twelveIssues();
  const keys = [...expected.map((c) => c.accessKeyId), 'ASIANEVERISSUED00000'];
  // As the refresh reads them with each new actor's first event: NULL columns where the key has no issue.
  const read = db.prepare(`SELECT ${CREDENTIAL_IDS} FROM (SELECT ? AS key) q
    LEFT JOIN credential_rows c ON c.access_key_id = (SELECT id FROM strings WHERE value = q.key) ${CREDENTIAL_FROM}`).raw();
  const rows = keys.map((k) => read.get(k) as (string | number | null)[]);
  for (const lookups of [dbChainLookups(db), dbChainLookups(db, { cachedNames: 4 })]) {
    lookups.prefetched(keys, rows, 0);
    for (const want of expected) assert.deepEqual(fields(want, lookups.credential(want.accessKeyId)!), want);
    assert.equal(lookups.credential('ASIANEVERISSUED00000'), undefined);
  }
});
