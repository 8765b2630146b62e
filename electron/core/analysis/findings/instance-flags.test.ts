// Instance credentials used off their instance, in an account known only from its logs (no snapshot
// gives the instance's addresses): the addresses its SSM agent called from are its own, whether the
// agent's session made one call (a new key for every call: no stored roll-up, its own event read) or
// several (its stored roll-ups). Only the other address is flagged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecords, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { findings } from './findings.ts';

const A = '111122223333';
const INSTANCE = 'i-0a1b2c3d4e5f60789';
const HOME = '203.0.113.10';
const NAT = '203.0.113.20';
const THIEF = '198.51.100.66';
let n = 0;
const call = (key: string, time: string, ip: string, name: string, source: string) => ({
  eventVersion: '1.10', eventID: `ev-${++n}`, eventTime: time, eventSource: source, eventName: name, awsRegion: 'eu-west-1',
  sourceIPAddress: ip, userAgent: 'aws-sdk-go/1.44', recipientAccountId: A,
  userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/web-role/${INSTANCE}`, accountId: A, accessKeyId: key,
    principalId: `AROA3V4QW7ZXWEBROLE1:${INSTANCE}`,
    sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/web-role`, accountId: A } } },
});
const agent = (key: string, time: string, ip: string) => call(key, time, ip, 'UpdateInstanceInformation', 'ssm.amazonaws.com');

const userCall = (k: number) => ({
  eventVersion: '1.10', eventID: `user-${k}`, eventTime: `2025-03-10T04:${String(k).padStart(2, '0')}:00Z`, eventSource: 's3.amazonaws.com',
  eventName: 'ListBuckets', awsRegion: 'eu-west-1', sourceIPAddress: '192.0.2.44', userAgent: 'aws-cli/2.15', recipientAccountId: A,
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/bob`, accountId: A, principalId: 'AIDA3V4QW7ZXBOB00001', userName: 'bob', accessKeyId: 'AKIA3V4QW7ZXBOBKEY01' },
});

// Single-call sessions are read in event order when they are many next to the events, by session when
// few: with a user's 40 calls beside them, the second way.
for (const others of [0, 40]) test(`an instance known only from its logs: the SSM agent's addresses are its own, from single-call and longer sessions alike (${others} other calls)`, () => {
  const db = memoryCase();
  loadRecords(db, [
    ...Array.from({ length: others }, (_, k) => userCall(k)),
    // One call per key: the agent from HOME, then the instance's own call from HOME.
    agent('ASIA3V4QW7ZXINST0001', '2025-03-10T01:00:00Z', HOME),
    call('ASIA3V4QW7ZXINST0002', '2025-03-10T01:05:00Z', HOME, 'DescribeInstances', 'ec2.amazonaws.com'),
    // A longer session: the agent from NAT, and a call from NAT.
    agent('ASIA3V4QW7ZXINST0003', '2025-03-10T02:00:00Z', NAT),
    call('ASIA3V4QW7ZXINST0003', '2025-03-10T02:01:00Z', NAT, 'GetObject', 's3.amazonaws.com'),
    call('ASIA3V4QW7ZXINST0004', '2025-03-10T02:30:00Z', NAT, 'ListBuckets', 's3.amazonaws.com'),
    // The instance's key taken elsewhere.
    call('ASIA3V4QW7ZXINST0005', '2025-03-10T03:00:00Z', THIEF, 'ListBuckets', 's3.amazonaws.com'),
  ]);
  const off = findings(db).findings.filter((f) => f.kind === 'instance-credentials-off-instance');
  assert.deepEqual(off.map((f) => f.value), [THIEF]);
  assert.ok(off[0].detail.includes(`not one of its addresses (${HOME}, ${NAT})`), off[0].detail);
});

test('an off-instance address names who else called from it, in order of name, and not the instance itself', () => {
  const db = memoryCase();
  const from = (ip: string, user: string, k: number) => ({ ...userCall(k), eventID: `${user}-${k}`, sourceIPAddress: ip,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/${user}`, accountId: A, principalId: `AIDA3V4QW7ZX${user.toUpperCase().padEnd(8, 'X')}`,
      userName: user, accessKeyId: `AKIA3V4QW7ZX${user.toUpperCase().padEnd(8, 'K')}` } });
  loadRecords(db, [
    agent('ASIA3V4QW7ZXINST0001', '2025-03-10T01:00:00Z', HOME),
    call('ASIA3V4QW7ZXINST0005', '2025-03-10T03:00:00Z', THIEF, 'ListBuckets', 's3.amazonaws.com'),
    call('ASIA3V4QW7ZXINST0006', '2025-03-10T03:05:00Z', THIEF, 'GetObject', 's3.amazonaws.com'),
    from(THIEF, 'mallory', 1), from(THIEF, 'mallory', 2), from(THIEF, 'eve', 3), from(HOME, 'bob', 4),
  ]);
  const off = findings(db).findings.filter((f) => f.kind === 'instance-credentials-off-instance');
  assert.deepEqual(off.map((f) => [f.value, f.count]), [[THIEF, 2]], 'one finding for the instance: both its sessions used from there');
  for (const f of off) assert.ok(f.detail.endsWith('the same address also carried calls by user/eve, user/mallory'), f.detail);
});

test('an instance key used through a pool of addresses is one finding, named by the address most used, the others counted', () => {
  const db = memoryCase();
  // The instance's own address, then its key used from twelve others: the fourth most (three calls).
  const pool = Array.from({ length: 12 }, (_, k) => `198.51.100.${100 + k}`);
  const calls = pool.flatMap((ip, k) => Array.from({ length: k === 3 ? 3 : 1 }, (_, j) =>
    call('ASIA3V4QW7ZXINST0009', `2025-03-10T03:${String(k * 4 + j).padStart(2, '0')}:00Z`, ip, 'ListBuckets', 's3.amazonaws.com')));
  loadRecords(db, [agent('ASIA3V4QW7ZXINST0001', '2025-03-10T01:00:00Z', HOME), ...calls]);
  const off = findings(db).findings.filter((f) => f.kind === 'instance-credentials-off-instance');
  assert.equal(off.length, 1);
  assert.equal(off[0].value, pool[3]);
  assert.equal(off[0].count, 14);
  assert.equal(off[0].title, `Credentials of ${INSTANCE} used from ${pool[3]} and 11 other addresses`);
  assert.ok(off[0].detail.endsWith(`also used from 11 other addresses outside it: ${pool[0]} (1 calls), ${pool[1]} (1 calls), ${pool[2]} (1 calls), ` +
    `${pool[4]} (1 calls), ${pool[5]} (1 calls) and 6 more`), off[0].detail);
  assert.equal(off[0].eventIds.length, 14, 'its events from every one of them');
});
