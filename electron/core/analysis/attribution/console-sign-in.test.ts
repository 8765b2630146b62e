// The sign-in that opened a console session, read from the sign-ins held in memory and, past the bound
// of held sign-ins, from the events: both give the latest successful ConsoleLogin of the identity in the
// 12 hours before the first call, and nothing for an identity that did not sign in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { consoleSignIns } from './console-sign-in.ts';
import { actorReport } from './actor-report.ts';

const A = '111122223333';
const role = (session: string) => ({
  type: 'AssumedRole', principalId: `AROA2CONSOLE00000001:${session}`, arn: `arn:aws:sts::${A}:assumed-role/admins/${session}`, accountId: A,
  sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROA2CONSOLE00000001', arn: `arn:aws:iam::${A}:role/admins`, accountId: A, userName: 'admins' } },
});
const signIn = (id: string, time: string, session: string, failed = false) => ({
  eventVersion: '1.08', eventID: id, eventTime: time, eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.4', userAgent: 'Mozilla/5.0', recipientAccountId: A, eventType: 'AwsConsoleSignIn', userIdentity: role(session),
  responseElements: { ConsoleLogin: failed ? 'Failure' : 'Success' }, ...(failed ? { errorMessage: 'Failed authentication' } : {}),
});
const call = (id: string, time: string, session: string, key: string) => ({
  eventVersion: '1.08', eventID: id, eventTime: time, eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.4', userAgent: 'AWS Internal', recipientAccountId: A, userIdentity: { ...role(session), accessKeyId: key },
});
const arn = (session: string) => `arn:aws:sts::${A}:assumed-role/admins/${session}`;
const ms = (iso: string) => Date.parse(iso);

function signedInCase() {
  const db = memoryCase();
  loadRecords(db, [
    signIn('s1', '2024-05-03T07:00:00Z', 'carol'),
    signIn('s2', '2024-05-03T09:00:00Z', 'carol'),
    // Two at the same second: the greater eventID, as the events order them.
    signIn('s3b', '2024-05-03T20:00:00Z', 'carol'),
    signIn('s3a', '2024-05-03T20:00:00Z', 'carol'),
    signIn('f1', '2024-05-03T21:00:00Z', 'carol', true),
    signIn('d1', '2024-05-03T09:30:00Z', 'dave'),
    call('c1', '2024-05-03T09:05:00Z', 'carol', 'ASIA2CAROLCONSOLE001'),
    call('c2', '2024-05-03T21:30:00Z', 'carol', 'ASIA2CAROLCONSOLE002'),
    call('e1', '2024-05-03T10:00:00Z', 'erin', 'ASIA2ERINCONSOLE0001'),
  ]);
  return db;
}

const asks: [string, string, string | null][] = [
  ['carol', '2024-05-03T09:05:00Z', 's2'],
  ['carol', '2024-05-03T09:00:00Z', 's2'], // the sign-in's own second
  ['carol', '2024-05-03T08:59:59Z', 's1'],
  ['carol', '2024-05-03T06:59:59Z', null], // before any
  ['carol', '2024-05-03T19:00:00Z', 's2'], // ten hours after
  ['carol', '2024-05-03T21:30:00Z', 's3b'], // the failed one opened nothing
  ['carol', '2024-05-04T08:00:00Z', 's3b'],
  ['carol', '2024-05-04T08:00:01Z', null], // past 12 hours
  ['dave', '2024-05-03T09:45:00Z', 'd1'],
  ['erin', '2024-05-03T10:00:00Z', null],
];

for (const [label, held] of [['held in memory', undefined], ['read from the events past the bound', 0]] as const) {
  test(`the latest successful sign-in of the identity within 12 hours, ${label}`, () => {
    const db = signedInCase();
    const lookup = consoleSignIns(db, held);
    for (const [session, at, expected] of asks) {
      assert.equal(lookup(arn(session), ms(at))?.eventId ?? null, expected, `${session} at ${at}`);
    }
    assert.deepEqual(lookup(arn('carol'), ms('2024-05-03T09:05:00Z')), { eventId: 's2', eventName: 'ConsoleLogin', eventTime: '2024-05-03T09:00:00.000Z' });
    assert.equal(lookup(arn('carol'), null), undefined);
  });
}

test('keys of console sessions name the sign-in that opened them; a session that never signed in names none', () => {
  const db = signedInCase();
  assert.equal(actorReport(db, 'ASIA2CAROLCONSOLE001')?.actor.chain[0].issuedBy?.eventId, 's2');
  assert.equal(actorReport(db, 'ASIA2CAROLCONSOLE002')?.actor.chain[0].issuedBy?.eventId, 's3b');
  assert.equal(actorReport(db, 'ASIA2ERINCONSOLE0001')?.actor.chain[0].issuedBy, null);
});
