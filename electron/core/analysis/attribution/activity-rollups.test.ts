// The per-credential activity roll-ups behind `actor`: what a credential did, counted across ingests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertEvents, memoryCase } from '../../../../test-support/case-fixtures.ts';
import { refreshDerived } from '../refresh-derived.ts';
import { actorReport } from './actor-report.ts';
import { instanceAddresses } from './instance-addresses.ts';

const A = '111111111111';
const bob = { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/bob`, key: 'AKIABOB', userName: 'bob' };
const instance = { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/web/i-0abc1234def567890`, key: 'ASIAWEB', issuer: `arn:aws:iam::${A}:role/web`, session: 'i-0abc1234def567890' };

test('a credential seen in two ingests: its addresses, agents, regions, calls and errors add up', () => {
  const db = memoryCase();
  insertEvents(db, [
    { eventId: 'b1', time: '2024-05-01T10:00:00Z', name: 'ListBuckets', source: 's3.amazonaws.com', identity: bob, ip: '203.0.113.5', ua: 'aws-cli/2.15.0' },
    { eventId: 'b2', time: '2024-05-01T10:01:00Z', name: 'ListBuckets', source: 's3.amazonaws.com', identity: bob, ip: '203.0.113.5', ua: 'aws-cli/2.15.0', error: 'AccessDenied' },
    { eventId: 'b3', time: '2024-05-01T10:02:00Z', name: 'DescribeInstances', identity: bob, ip: '198.51.100.7', ua: '', region: 'eu-west-1' },
  ]);
  refreshDerived(db);
  insertEvents(db, [
    { eventId: 'b4', time: '2024-05-01T09:00:00Z', name: 'ListBuckets', source: 's3.amazonaws.com', identity: bob, ip: '203.0.113.5', ua: 'aws-cli/2.15.0', error: 'AccessDenied' },
    { eventId: 'b5', time: '2024-05-01T11:00:00Z', name: 'GetObject', source: 's3.amazonaws.com', identity: bob, ip: '203.0.113.5', ua: 'Boto3/1.34.0' },
  ]);
  refreshDerived(db);

  const r = actorReport(db, 'AKIABOB');
  assert.ok(r);
  assert.equal(r.eventCount, 5);
  assert.equal(r.firstSeen, '2024-05-01T09:00:00.000Z');
  assert.equal(r.lastSeen, '2024-05-01T11:00:00.000Z');
  assert.deepEqual(r.sourceIps.map((f) => [f.value, f.count, f.firstSeen, f.lastSeen]), [
    ['203.0.113.5', 4, '2024-05-01T09:00:00.000Z', '2024-05-01T11:00:00.000Z'],
    ['198.51.100.7', 1, '2024-05-01T10:02:00.000Z', '2024-05-01T10:02:00.000Z'],
  ]);
  // An empty user agent is no agent.
  assert.deepEqual(r.userAgents.map((f) => [f.value, f.count]), [['aws-cli/2.15.0', 3], ['Boto3/1.34.0', 1]]);
  assert.deepEqual(r.regions.map((f) => [f.value, f.count]), [['us-east-1', 4], ['eu-west-1', 1]]);
  assert.deepEqual(r.eventNames.map((f) => [f.value, f.count, f.errors]), [['ListBuckets', 3, 2], ['DescribeInstances', 1, 0], ['GetObject', 1, 0]]);
  assert.deepEqual(r.errors.map((f) => [f.value, f.count]), [['AccessDenied', 2]]);
});

test("an instance's own address is learnt from its SSM agent's successful calls only", () => {
  const db = memoryCase();
  insertEvents(db, [
    { eventId: 'i1', time: '2024-05-01T10:00:00Z', name: 'UpdateInstanceInformation', source: 'ssm.amazonaws.com', identity: instance, ip: '10.0.1.5' },
    { eventId: 'i2', time: '2024-05-01T10:01:00Z', name: 'GetMessages', source: 'ec2messages.amazonaws.com', identity: instance, ip: '10.0.1.6' },
    { eventId: 'i3', time: '2024-05-01T10:02:00Z', name: 'UpdateInstanceInformation', source: 'ssm.amazonaws.com', identity: instance, ip: '10.0.1.7', error: 'AccessDenied' },
    { eventId: 'i4', time: '2024-05-01T10:03:00Z', name: 'ListBuckets', source: 's3.amazonaws.com', identity: instance, ip: '10.0.1.8' },
  ]);
  refreshDerived(db);
  assert.deepEqual(instanceAddresses(db, 'i-0abc1234def567890'), ['10.0.1.5', '10.0.1.6']);
});

test('a credential used once is summed from its event, and counted once when it is used again later', () => {
  const db = memoryCase();
  const once = { ...instance, key: 'ASIAONCE' };
  insertEvents(db, [
    { eventId: 'o1', time: '2024-05-01T10:00:00Z', name: 'UpdateInstanceInformation', source: 'ssm.amazonaws.com', identity: once, ip: '10.0.1.5', ua: 'agent/3.0' },
  ]);
  refreshDerived(db);
  const stored = () => db.prepare(`SELECT count(*) FROM actor_facet_rows f JOIN actors a ON a.id = f.actor WHERE a.actor_key = 'ASIAONCE'`).pluck().get();
  assert.equal(stored(), 0);
  const first = actorReport(db, 'ASIAONCE');
  assert.ok(first);
  assert.equal(first.eventCount, 1);
  assert.deepEqual(first.sourceIps.map((f) => [f.value, f.count, f.firstSeen]), [['10.0.1.5', 1, '2024-05-01T10:00:00.000Z']]);
  assert.deepEqual(first.userAgents.map((f) => [f.value, f.count]), [['agent/3.0', 1]]);
  assert.deepEqual(instanceAddresses(db, 'i-0abc1234def567890'), ['10.0.1.5']);

  insertEvents(db, [
    { eventId: 'o2', time: '2024-05-01T11:00:00Z', name: 'ListBuckets', source: 's3.amazonaws.com', identity: once, ip: '10.0.1.5', ua: 'agent/3.0', error: 'AccessDenied' },
  ]);
  refreshDerived(db);
  assert.ok((stored() as number) > 0);
  const r = actorReport(db, 'ASIAONCE');
  assert.ok(r);
  assert.equal(r.eventCount, 2);
  assert.deepEqual(r.sourceIps.map((f) => [f.value, f.count, f.firstSeen, f.lastSeen]), [['10.0.1.5', 2, '2024-05-01T10:00:00.000Z', '2024-05-01T11:00:00.000Z']]);
  assert.deepEqual(r.eventNames.map((f) => [f.value, f.count, f.errors]), [['ListBuckets', 1, 1], ['UpdateInstanceInformation', 1, 0]]);
  assert.deepEqual(r.errors.map((f) => [f.value, f.count]), [['AccessDenied', 1]]);
  assert.deepEqual(instanceAddresses(db, 'i-0abc1234def567890'), ['10.0.1.5']);
});
