// Failed console sign-ins, shaped as AWS documents them (a failure has an errorMessage and
// ConsoleLogin "Failure", no errorCode; a user that does not exist is named
// HIDDEN_DUE_TO_SECURITY_REASONS): guessing from one address is a finding, high when it then got in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REAL, loadRecords, memoryCase, readRecords } from '../../../../test-support/case-fixtures.ts';
import { findings } from './findings.ts';
import { SIGN_IN_FAILURES } from './sign-in-failures.ts';

const DOCS = `${REAL}awsdocs-cloudtrail-user-guide/extracted/cloudtrail-event-reference-aws-console-sign-in-events.md`;
const [failed] = readRecords(`${DOCS}.block02.json`) as Record<string, unknown>[];
const [succeeded] = readRecords(`${DOCS}.block00.json`) as Record<string, unknown>[];
const [rootFailed] = readRecords(`${DOCS}.block07.json`) as Record<string, unknown>[];
const ATTACKER = '203.0.113.66';

let n = 0;
const at = (minute: number) => new Date(Date.parse('2025-02-01T03:00:00Z') + minute * 60_000).toISOString().replace('.000', '');
function attempt(record: Record<string, unknown>, minute: number, ip: string, userName?: string) {
  const identity = record.userIdentity as Record<string, unknown>;
  return { ...record, eventID: `sign-in-${++n}`, eventTime: at(minute), sourceIPAddress: ip, userIdentity: userName ? { ...identity, userName, principalId: '' } : identity };
}

function signInFindings(records: object[]) {
  const db = memoryCase();
  loadRecords(db, records);
  const found = findings(db).findings.filter((f) => f.kind === 'console-sign-in-failures');
  db.close();
  return found;
}

test('passwords sprayed from one address, then a sign-in from it: high, on the identity that got in', () => {
  const spray = [
    ...['anaya', 'anaya', 'anaya'].map((u, i) => attempt(failed, i, ATTACKER, u)),
    ...[3, 4, 5].map((m) => attempt(failed, m, ATTACKER, 'HIDDEN_DUE_TO_SECURITY_REASONS')),
    attempt(rootFailed, 6, ATTACKER),
  ];
  const [f] = signInFindings([...spray, attempt(succeeded, 40, ATTACKER)]);
  assert.equal(f.severity, 'high');
  assert.equal(f.rule?.id, 'console-sign-in-failures');
  assert.equal(f.count, 7);
  assert.equal(f.value, ATTACKER);
  assert.equal(f.title, `7 failed console sign-ins from ${ATTACKER}, then a sign-in as user/anaya`);
  assert.match(f.detail, /: anaya \(3\), arn:aws:iam::111122223333:root \(1\), 3 against user names that do not exist \(AWS hides them\)\. The same address then signed in as /);
  assert.equal(f.actor?.origin.label, 'user/anaya');
  assert.equal(f.eventIds.length, 8, 'the failures and the sign-in');
});

test('failures without a sign-in are medium; a few, spread out, or from many addresses are none', () => {
  const guesses = Array.from({ length: SIGN_IN_FAILURES }, (_, i) => attempt(failed, i * 10, ATTACKER));
  const [guessed] = signInFindings([...guesses, attempt(succeeded, 200, ATTACKER)]);
  assert.equal(guessed.severity, 'medium', 'a sign-in over an hour after the last failure is not the guess that worked');
  assert.match(guessed.detail, /No sign-in from it succeeded within the hour after\.$/);

  assert.deepEqual(signInFindings(guesses.slice(1)), [], 'fewer than five');
  assert.deepEqual(signInFindings(Array.from({ length: 8 }, (_, i) => attempt(failed, i * 180, ATTACKER))), [], 'one every three hours: a user who forgets');
  assert.deepEqual(signInFindings(Array.from({ length: 8 }, (_, i) => attempt(failed, i, `198.51.100.${i + 1}`))), [], 'one from each of many addresses');
});

test('an address or user name of megabytes is cut in the finding\'s words', () => {
  const long = `198.51.100.1${'0'.repeat(2_000_000)}`;
  const [f] = signInFindings([...Array.from({ length: 6 }, (_, i) => attempt(failed, i, long, `u${'x'.repeat(2_000_000)}`)),
    { ...attempt(succeeded, 10, long), userIdentity: { ...(succeeded.userIdentity as object), arn: `arn:aws:iam::111122223333:user/${'y'.repeat(2_000_000)}` } }]);
  assert.equal(f.severity, 'high');
  assert.ok(f.title.length < 400 && f.detail.length < 1000, `${f.title.length} and ${f.detail.length} characters`);
});
