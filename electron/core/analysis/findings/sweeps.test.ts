// A discovery sweep (many different read-only calls by one credential in a short time) is found the
// same way whether every event is read or, with the credentials that could sweep few next to the events
// (a new key for every call), only theirs: beside thousands of one-call keys and beside none. An
// identity that sweeps at every run (a pipeline) is told once; the analyzers hold to their bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { findings } from './findings.ts';
import { ROUTINE_SWEEPS } from './sweeps.ts';
import { MAX_FINDINGS_PER_RULE } from './findings-per-rule.ts';

const A = '111122223333';
const CALLS = ['ListBuckets', 'ListUsers', 'ListRoles', 'DescribeInstances', 'DescribeSecurityGroups', 'DescribeVpcs', 'GetCallerIdentity',
  'ListFunctions', 'DescribeDBInstances', 'ListSecrets', 'ListKeys', 'DescribeTrails'];
const at = (minute: number) => new Date(Date.UTC(2025, 2, 10, 9, 0) + minute * 60_000).toISOString().replace('.000Z', 'Z');

const mallory = (k: number, name: string, minute: number, readOnly = true) => ({
  eventVersion: '1.10', eventID: `m-${k}`, eventTime: at(minute), eventSource: 'iam.amazonaws.com', eventName: name, awsRegion: 'eu-west-1',
  sourceIPAddress: '198.51.100.66', userAgent: 'aws-cli/2.15', recipientAccountId: A, readOnly,
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/mallory`, accountId: A, principalId: 'AIDA3V4QW7ZXMALLORY1', userName: 'mallory',
    accessKeyId: 'AKIA3V4QW7ZXMALLORYK' },
});
// A Lambda function's cold starts: a new key for each call, each call a different read.
const coldStart = (k: number) => ({
  eventVersion: '1.10', eventID: `l-${k}`, eventTime: at(k % 600), eventSource: 'dynamodb.amazonaws.com', eventName: CALLS[k % CALLS.length],
  awsRegion: 'eu-west-1', sourceIPAddress: '203.0.113.9', userAgent: 'aws-sdk-js/3', recipientAccountId: A, readOnly: true,
  userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/fn-role/fn`, accountId: A, principalId: 'AROA3V4QW7ZXFNROLE01:fn',
    accessKeyId: `ASIA3V4QW7ZX${String(k).padStart(8, '0')}`, sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/fn-role`, accountId: A } } },
});

// A pipeline's user: every plan sweeps the account.
const terraform = (k: number, name: string, minute: number) => ({
  ...mallory(1000 + k, name, minute), eventID: `t-${k}`, sourceIPAddress: '3.91.171.44', userAgent: 'Terraform/1.7.5',
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/terraform`, accountId: A, principalId: 'AIDA3V4QW7ZXTERRAFOR', userName: 'terraform',
    accessKeyId: 'AKIA3V4QW7ZXTERRAFOR' },
});

for (const oneCallKeys of [0, 3000]) test(`a sweep of twelve different reads in ten minutes is found, beside ${oneCallKeys} one-call keys`, () => {
  const db = memoryCase();
  loadRecords(db, [
    ...CALLS.map((name, k) => mallory(k, name, k)),
    // Mallory's slow reads hours later and a write: no second sweep.
    ...CALLS.slice(0, 4).map((name, k) => mallory(100 + k, name, 300 + 40 * k)),
    mallory(200, 'CreateAccessKey', 500, false),
    ...Array.from({ length: oneCallKeys }, (_, k) => coldStart(k)),
  ]);
  const sweeps = findings(db).findings.filter((f) => f.kind === 'discovery-sweep');
  assert.deepEqual(sweeps.map((f) => [f.actor?.origin.label, f.count, f.firstTime]), [['user/mallory', 12, '2025-03-10T09:00:00.000Z']]);
});

test('denied bursts over the analyzer\'s bound: the largest are listed, and the list says how many were left out', () => {
  // A worm's one-call keys each refused five times, and one key refused twelve times.
  const refused = (k: number, key: string, minute: number) => ({
    ...coldStart(k), eventID: `d-${k}`, eventTime: at(minute), errorCode: 'AccessDenied', errorMessage: 'not authorized',
    userIdentity: { ...coldStart(k).userIdentity, accessKeyId: key },
  });
  const keys = MAX_FINDINGS_PER_RULE + 2;
  const db = memoryCase();
  loadRecords(db, [
    ...Array.from({ length: keys * 5 }, (_, k) => refused(k, `ASIA3V4QW7ZX${String(Math.floor(k / 5)).padStart(8, '0')}`, k % 5)),
    ...Array.from({ length: 12 }, (_, k) => refused(keys * 5 + k, 'ASIA3V4QW7ZXBIGGEST1', k)),
  ]);
  const result = findings(db);
  db.close();
  const bursts = result.findings.filter((f) => f.kind === 'access-denied-burst');
  assert.equal(bursts.length, MAX_FINDINGS_PER_RULE);
  assert.ok(bursts.some((f) => f.count === 12), 'the largest burst is kept');
  assert.deepEqual(result.notes?.filter((n) => n.includes('access-denied-burst')),
    ['Burst of denied calls (access-denied-burst): 3 more findings not listed (the 1,000 largest kept)']);
});

test('an identity that sweeps again and again is told once, with how many; one that sweeps once keeps its own', () => {
  const db = memoryCase();
  loadRecords(db, [
    ...CALLS.map((name, k) => mallory(k, name, k)),
    // Four plans three hours apart.
    ...[0, 1, 2, 3].flatMap((run) => CALLS.map((name, k) => terraform(run * 100 + k, name, 60 + run * 180 + k))),
  ]);
  const sweeps = findings(db).findings.filter((f) => f.kind === 'discovery-sweep');
  db.close();
  assert.deepEqual(sweeps.map((f) => [f.actor?.origin.label, f.count, f.title]).sort(), [
    ['user/mallory', 12, 'Discovery sweep by user/mallory: 12 read-only calls'],
    ['user/terraform', 48, '4 discovery sweeps by user/terraform: 48 read-only calls'],
  ]);
  const routine = sweeps.find((f) => f.actor?.origin.label === 'user/terraform')!;
  assert.match(routine.detail, /^user\/terraform swept the account's List\/Describe\/Get calls 4 times from 2025-03-10T10:00:00\.000Z to 2025-03-10T19:11:00\.000Z: what it does routinely/);
  assert.equal(routine.eventIds.length, 12, 'the first sweep\'s calls');

  const fewer = memoryCase();
  loadRecords(fewer, Array.from({ length: ROUTINE_SWEEPS - 1 }, (_, run) => CALLS.map((name, k) => terraform(run * 100 + k, name, 60 + run * 180 + k))).flat());
  assert.deepEqual(findings(fewer).findings.filter((f) => f.kind === 'discovery-sweep').map((f) => f.count), Array(ROUTINE_SWEEPS - 1).fill(12), 'fewer sweeps: one finding each');
  fewer.close();
});

test('a routine sweeper\'s first sweep is the same whatever order its files were read in: of two runs that start together, the one whose first call comes first', () => {
  // A pipeline's user assumes its role for each run, a new session each time; two runners start half a
  // minute apart.
  const key = (id: number) => `ASIA3V4QW7ZXCIRUN00${id}`;
  const assume = (id: number, minute: number) => ({
    ...terraform(900 + id, 'AssumeRole', minute), eventID: `ci-assume-${id}`, eventSource: 'sts.amazonaws.com', readOnly: false,
    requestParameters: { roleArn: `arn:aws:iam::${A}:role/ci-role`, roleSessionName: `run-${id}` },
    responseElements: { credentials: { accessKeyId: key(id), expiration: 'Mar 10, 2025, 11:00:00 PM' },
      assumedRoleUser: { assumedRoleId: `AROA3V4QW7ZXCIROLE01:run-${id}`, arn: `arn:aws:sts::${A}:assumed-role/ci-role/run-${id}` } },
  });
  const call = (id: number, k: number, name: string, minute: number) => ({
    ...terraform(2000 + id * 100 + k, name, minute), eventID: `ci-${id}-${k}`,
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/ci-role/run-${id}`, accountId: A, principalId: `AROA3V4QW7ZXCIROLE01:run-${id}`,
      accessKeyId: key(id), sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/ci-role`, accountId: A } } },
  });
  const sweep = (id: number, start: number) => [assume(id, start - 1), ...CALLS.map((name, k) => call(id, k, name, start + k))];
  const early = sweep(0, 60);
  const late = sweep(1, 60.5);
  const later = [sweep(2, 240), sweep(3, 420)].flat();
  for (const order of [[...late, ...early, ...later], [...early, ...late, ...later]]) {
    const db = memoryCase();
    loadRecords(db, order);
    const [routine] = findings(db).findings.filter((f) => f.kind === 'discovery-sweep');
    db.close();
    assert.equal(routine.title, '4 discovery sweeps by user/terraform: 48 read-only calls');
    assert.equal(routine.firstTime, '2025-03-10T10:00:00.000Z');
    assert.deepEqual(routine.eventIds, early.slice(1).map((r) => r.eventID));
  }
});
