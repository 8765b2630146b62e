// Failed console sign-ins, shaped as AWS documents them (a failure has an errorMessage and
// ConsoleLogin "Failure", no errorCode; a user that does not exist is named
// HIDDEN_DUE_TO_SECURITY_REASONS): guessing from one address is a finding, high when it then got in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REAL, loadRecords, memoryCase, readRecords } from '../../../../test-support/case-fixtures.ts';
import { findings } from './findings.ts';
import { SIGN_IN_FAILURES } from './sign-in-failures.ts';
import { SPREAD_ADDRESSES } from './sign-in-failures-per-user.ts';
import { MAX_FINDINGS_PER_RULE } from './findings-per-rule.ts';

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

function signInFindings(records: object[], kind = 'console-sign-in-failures') {
  const db = memoryCase();
  loadRecords(db, records);
  const found = findings(db).findings.filter((f) => f.kind === kind);
  db.close();
  return found;
}

const perUser = (records: object[]) => signInFindings(records, 'console-sign-in-failures-per-user');
/** A botnet's address: each tries a password or two. */
const bot = (i: number) => `198.51.100.${i + 1}`;

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
  const [u] = perUser(Array.from({ length: 6 }, (_, i) => attempt(failed, i, i ? bot(i) : long, `u${'ab'.repeat(1_000_000)}`)));
  assert.ok(u.title.length < 400 && u.detail.length < 1200 && u.value!.length < 200, `${u.title.length}, ${u.detail.length} and ${u.value!.length} characters`);
});

test('one user\'s password tried from many addresses, a few times each: a finding per user, high when one of them got in', () => {
  const guesses = Array.from({ length: 8 }, (_, i) => attempt(failed, i * 5, bot(i % 4)));
  assert.deepEqual(signInFindings(guesses), [], 'no address alone tried five times');
  const [f] = perUser(guesses);
  assert.equal(f.severity, 'medium');
  assert.equal(f.rule?.id, 'console-sign-in-failures-per-user');
  assert.equal(f.value, 'anaya');
  assert.deepEqual(f.evidence, [{ field: 'userIdentity.userName', value: 'anaya' }]);
  assert.equal(f.title, '8 failed console sign-ins as anaya from 4 addresses');
  assert.equal(f.detail, 'The password of anaya was tried from 4 addresses: 198.51.100.1 (2), 198.51.100.2 (2), 198.51.100.3 (2), 198.51.100.4 (2). '
    + 'None of them signed in as it within the hour after.');

  const [got] = perUser([...guesses, attempt(succeeded, 50, bot(2))]);
  assert.equal(got.severity, 'high');
  assert.equal(got.title, '8 failed console sign-ins as anaya from 4 addresses, then a sign-in from 198.51.100.3');
  assert.equal(got.actor?.origin.label, 'user/anaya');
  assert.equal(got.eventIds.length, 9, 'the failures and the sign-in');
  assert.equal(perUser([...guesses, attempt(succeeded, 50, '192.0.2.10')])[0].severity, 'medium', 'the user at a desk of its own, not one that guessed');
});

test('no per-user finding for a user at a few desks, failures against many users, or names AWS hides', () => {
  const twoDesks = Array.from({ length: 6 }, (_, i) => attempt(failed, i * 5, bot(i % (SPREAD_ADDRESSES - 1))));
  assert.deepEqual(perUser(twoDesks), [], 'a laptop and a phone');
  const manyUsers = Array.from({ length: 8 }, (_, i) => attempt(failed, i, bot(i), `user${i}`));
  assert.deepEqual(perUser(manyUsers), [], 'one failure each');
  const hidden = Array.from({ length: 8 }, (_, i) => attempt(failed, i, bot(i), 'HIDDEN_DUE_TO_SECURITY_REASONS'));
  assert.deepEqual(perUser(hidden), [], 'names that do not exist are not one user');
  const rootGuessed = Array.from({ length: 6 }, (_, i) => attempt(rootFailed, i, bot(i)));
  const [root] = perUser(rootGuessed);
  assert.equal(root.title, '6 failed console sign-ins as root from 6 addresses');
  assert.deepEqual(root.evidence, [{ field: 'userIdentity.arn', value: 'arn:aws:iam::111122223333:root' }]);
  assert.match(root.detail, /, 198\.51\.100\.5 \(1\), 1 more addresses\./);
});

test('a botnet over the analyzer\'s bound: the largest runs are listed and the list says how many were left out', () => {
  const addresses = MAX_FINDINGS_PER_RULE + 3;
  const records = Array.from({ length: addresses * SIGN_IN_FAILURES }, (_, k) => {
    const a = Math.floor(k / SIGN_IN_FAILURES);
    return attempt(failed, k % SIGN_IN_FAILURES, `10.${a >> 8}.${a & 255}.1`, `user${a}`);
  });
  // One address tried six times: the largest run, kept whatever its place.
  records.push(attempt(failed, 30, '10.200.0.1', 'anaya'), ...Array.from({ length: 5 }, (_, i) => attempt(failed, 31 + i, '10.200.0.1', 'anaya')));
  const db = memoryCase();
  loadRecords(db, records);
  const result = findings(db);
  db.close();
  const found = result.findings.filter((f) => f.kind === 'console-sign-in-failures');
  assert.equal(found.length, MAX_FINDINGS_PER_RULE);
  assert.ok(found.some((f) => f.value === '10.200.0.1' && f.count === 6));
  assert.deepEqual(result.notes?.filter((n) => n.startsWith('Failed console sign-ins')),
    ['Failed console sign-ins from one address (console-sign-in-failures): 4 more findings not listed (the 1,000 largest kept)']);
});
