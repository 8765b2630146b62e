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

test("a key no recorded call issued is matched to its session's issue live at its first use, among the session's issues of many days", () => {
  const db = memoryCase();
  const user = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/ci`, key: 'AKIACI0000000000', userName: 'ci' };
  const sessionArn = `arn:aws:sts::${A}:assumed-role/deploy/nightly`;
  // A session of one name asked for every two hours for three days, each key living an hour (the
  // default of insertEvents); and one whose expiry its record puts years away.
  const events: TestEvent[] = [];
  for (let n = 0; n < 36; n++) {
    events.push({ eventId: `issue-${n}`, time: new Date(Date.UTC(2024, 4, 1, 2 * n)).toISOString(), name: 'AssumeRole', source: 'sts.amazonaws.com',
      identity: user, ip: n % 2 ? '198.51.100.1' : '203.0.113.9', ua: 'aws-cli/2.15.0',
      issued: { key: `ASIA${String(n).padStart(16, '0')}`, role: `arn:aws:iam::${A}:role/deploy`, session: 'nightly', issuedArn: sessionArn } });
  }
  events.push({ eventId: 'issue-far', time: '2024-04-20T00:00:00.000Z', name: 'AssumeRole', source: 'sts.amazonaws.com', identity: user, ip: '203.0.113.9',
    ua: 'aws-cli/2.15.0', issued: { key: 'ASIAFAREXPIRY0000000', role: `arn:aws:iam::${A}:role/deploy`, session: 'nightly', issuedArn: sessionArn, expires: '2099-01-01T00:00:00Z' } });
  insertEvents(db, events);
  const lookups = dbChainLookups(db);
  const at = (iso: string) => Date.parse(iso);
  const roleArn = `arn:aws:iam::${A}:role/deploy`;
  // Day two, 14:30: the 14:00 issue lives (the 12:00 one expired at 13:00).
  assert.equal(lookups.credentialBySession(roleArn, 'nightly', at('2024-05-02T14:30:00Z'), null)?.row.eventId, 'issue-19');
  assert.equal(lookups.credentialBySession(roleArn, 'nightly', at('2024-05-02T14:30:00Z'), '198.51.100.1')?.ipMatched, true);
  // 15:30: none of the session's issues lives, and one of weeks before is no key of today, whatever its record says.
  assert.equal(lookups.credentialBySession(roleArn, 'nightly', at('2024-05-02T15:30:00Z'), null), undefined);
  // Within 36 hours of it, it still stands in (no issue of the three days lives then).
  assert.equal(lookups.credentialBySession(roleArn, 'nightly', at('2024-04-21T10:00:00Z'), null)?.row.eventId, 'issue-far');
  // A use whose time is not known may have been any of them: the latest from the same address.
  assert.equal(lookups.credentialBySession(roleArn, 'nightly', null, '198.51.100.1')?.row.eventId, 'issue-35');
  assert.equal(lookups.credentialBySession(roleArn, 'another', at('2024-05-02T14:30:00Z'), null), undefined);
});

test("a sourceIdentity's setter is the latest issue before the use whose caller started a chain, else its latest issue", () => {
  const db = memoryCase();
  const alice = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, key: 'AKIAALICE0000000', userName: 'alice' };
  const hop = { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/ops/alice`, key: 'ASIAHOP000000000' };
  // Alice starts a chain every six hours over two days; each is followed an hour later by a hop from
  // the session, which carries her sourceIdentity on.
  const events: TestEvent[] = [];
  for (let n = 0; n < 8; n++) {
    for (const [who, offset, name] of [[alice, 0, 'start'], [hop, 1, 'hop']] as const) {
      events.push({ eventId: `${name}-${n}`, time: new Date(Date.UTC(2024, 4, 1, 6 * n + offset)).toISOString(), name: 'AssumeRole', source: 'sts.amazonaws.com',
        identity: who, ip: '203.0.113.9', ua: 'aws-cli/2.15.0',
        issued: { key: `ASIA${name.toUpperCase()}${String(n).padStart(11, '0')}`, role: `arn:aws:iam::${A}:role/${name}`, session: 'alice', sourceIdentity: 'alice-corp' } });
    }
  }
  // A sourceIdentity only role sessions passed on: its latest issue before the use.
  for (const n of [0, 1]) {
    events.push({ eventId: `relay-${n}`, time: new Date(Date.UTC(2024, 4, 1, 2 + 10 * n)).toISOString(), name: 'AssumeRole', source: 'sts.amazonaws.com',
      identity: hop, ip: '203.0.113.9', ua: 'aws-cli/2.15.0',
      issued: { key: `ASIARELAY${String(n).padStart(11, '0')}`, role: `arn:aws:iam::${A}:role/relay`, session: 'relay', sourceIdentity: 'relayed' } });
  }
  insertEvents(db, events);
  const lookups = dbChainLookups(db);
  assert.equal(lookups.credentialBySourceIdentity('relayed', Date.parse('2024-05-01T11:00:00Z'))?.eventId, 'relay-0');
  assert.equal(lookups.credentialBySourceIdentity('relayed', Date.parse('2024-05-01T13:00:00Z'))?.eventId, 'relay-1');
  const setter = (iso: string | null) => lookups.credentialBySourceIdentity('alice-corp', iso === null ? null : Date.parse(iso))?.eventId ?? null;
  assert.equal(setter('2024-05-01T07:30:00Z'), 'start-1');
  assert.equal(setter('2024-05-01T06:00:00Z'), 'start-1'); // its own millisecond
  assert.equal(setter('2024-05-01T05:59:59Z'), 'start-0');
  assert.equal(setter('2024-05-02T23:00:00Z'), 'start-7');
  assert.equal(setter(null), 'start-7');
  assert.equal(setter('2024-04-30T23:00:00Z'), null);
  assert.equal(lookups.credentialBySourceIdentity('bob-corp', Date.parse('2024-05-01T07:30:00Z')), undefined);
});
